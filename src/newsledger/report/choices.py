"""The briefing's choices, named before anything of the briefing loads (the command line offers
them in `newsledger report --help` without importing the store or jinja2)."""

from __future__ import annotations

COMPARE = ("previous", "none")
"""What a period is compared with: the period of the same length before, or nothing."""

FORMATS = ("html", "pdf", "md", "json")
"""The formats a briefing is written in."""

"""Reading the package's data files (lexicons, rules, gazetteer supplement)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def read_text(name: str) -> str:
    """The text of `newsledger/data/NAME`."""
    return resources.files("newsledger").joinpath("data", name).read_text(encoding="utf-8")


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment (`#`) lines of a data file, stripped."""
    lines = (line.strip() for line in read_text(name).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_json(name: str) -> Any:
    return json.loads(read_text(name))

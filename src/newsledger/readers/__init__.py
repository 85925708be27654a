"""read: files, folders, stdin -> `Article` records (or a `Rejection` for each bad input).

One module per format: `header_text` (plain text with the scraper's header line), `jsonl`,
`feed` (RSS/Atom), `html` (saved pages); `inputs` finds the inputs, detects formats and applies
the limits.
"""

from newsledger.readers.header_text import article_id
from newsledger.readers.inputs import read_inputs

__all__ = ["article_id", "read_inputs"]

"""The lexicons' regular expressions compiled once per install: what Python's `re` compiles a
pattern to, kept in the cache folder and handed to the engine directly.

`re.compile` parses a pattern and turns it into the engine's code in Python, a fifth of a second
for the event rules' and actors' patterns (compiled on first use: a twentieth in a one-article
ingest). `code_of` runs those same steps (`re._compiler.compile`'s) and keeps their result;
`compiled` gives it to the engine (`_sre.compile`, which checks the code), a hundredth of the
time, and the pattern object equals `re.compile`'s (a pattern compares by its flags, its text
and its code; tests/extract/test_regex_code.py checks every lexicon pattern). A `CodeMemo` keeps
the code of every pattern it was asked about in one marshal file in the cache folder, named by
a hash of this module, the Python version and the engine's code format, so another Python or
another version of this module starts a new file.

Like anchors.py (which reads patterns with `re._parser`), this leans on `re`'s own modules; a
Python whose engine refuses the kept code falls back to `re.compile`, with a warning.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import hashlib
import marshal
import os
import re
import sys
import tempfile
import warnings
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from re import _compiler as R  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

# `_sre.compile`'s arguments: flags, the code (unsigned words), groups, group index, index group
Code = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
_WORD = "I" if array("I").itemsize == _sre.CODESIZE else "L"


def code_of(pattern: str, flags: int = 0) -> Code:
    """What `re.compile(pattern, flags)` hands the engine (the steps of `re._compiler.compile`)."""
    parsed = P.parse(pattern, flags)
    code = R._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    return (
        int(flags | parsed.state.flags),
        array(_WORD, code).tobytes(),
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def compiled(pattern: str, flags: int, code: Code) -> re.Pattern[str]:
    """The pattern from its kept code; `re.compile` if the engine refuses it."""
    try:
        final, words, groups, groupindex, indexgroup = code
        regex: re.Pattern[str] = _sre.compile(
            pattern, final, array(_WORD, words).tolist(), groups, groupindex, indexgroup
        )
    except (RuntimeError, TypeError, ValueError, OverflowError) as exc:
        warnings.warn(f"kept regex code refused ({exc}); compiling {pattern[:40]!r}", stacklevel=2)
        return re.compile(pattern, flags)
    return regex


@dataclass
class CodeMemo:
    """The code of patterns seen before, kept in `path` between processes ("FLAGS PATTERN" ->
    `Code`); `save` writes it when it learnt a pattern (atomically)."""

    path: Path | None
    known: dict[str, Code] = field(default_factory=dict)
    learnt: bool = False

    @classmethod
    def open(cls, folder: Path | None) -> CodeMemo:
        """The memo kept in `folder` (None: kept nowhere); a file that does not read as one is
        replaced when saved."""
        if folder is None:
            return cls(None)
        path = folder / f"regex-{_memo_hash()}.marshal"
        try:
            known = marshal.loads(path.read_bytes())
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError, EOFError, TypeError) as exc:
            warnings.warn(f"regex cache {path} unreadable ({exc}); rebuilding it", stacklevel=2)
            return cls(path, learnt=True)
        if not isinstance(known, dict):
            return cls(path, learnt=True)
        return cls(path, known)

    def code(self, pattern: str, flags: int) -> Code:
        key = f"{int(flags)} {pattern}"
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = code_of(pattern, flags)
            self.learnt = True
        return found

    def save(self) -> None:
        if self.path is None or not self.learnt:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps(self.known))
            os.replace(tmp, self.path)
        except OSError as exc:
            warnings.warn(
                f"could not write the regex cache to {self.path} ({exc}); set NEWSLEDGER_CACHE "
                "to a writable folder to make later loads fast",
                stacklevel=2,
            )
        self.learnt = False


def _memo_hash() -> str:
    """What decides the kept code: this module, the Python and its engine's code format."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}|{_WORD}".encode())
    return digest.hexdigest()[:16]

"""Edits of the raw text and the exact map from repaired offsets back to raw ones: applying sorted
edits, composing cut points found in a mojibake-fixed text with the fixes, and the mojibake
fixes themselves."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from newsledger.records import OffsetMap

TOKEN = re.compile(r"\S+")
# UTF-8 read as Latin-1 or cp1252 starts each character with one of Â..ô, or leaves C1 controls:
# a text without these has no mojibake for ftfy to fix, and is_bad need not scan it
_MOJIBAKE_HINT = re.compile(r"[\u0080-\u009f\u00c2-\u00f4]|A\u0303|A\u0302")


@dataclass(frozen=True)
class Edit:
    start: int  # raw offsets
    end: int
    text: str


def apply_edits(raw: str, edits: list[Edit]) -> tuple[str, OffsetMap]:
    """Apply sorted, non-overlapping edits; anchor every inserted character to `edit.start`."""
    parts: list[str] = []
    clean_at = [0]
    raw_at = [0]

    def anchor(c: int, r: int) -> None:
        if clean_at[-1] == c:
            raw_at[-1] = r
        elif raw_at[-1] + (c - clean_at[-1]) != r:
            clean_at.append(c)
            raw_at.append(r)

    pos = out = 0
    for edit in edits:
        parts.append(raw[pos : edit.start])
        out += edit.start - pos
        for j in range(len(edit.text)):
            anchor(out + j, edit.start)
        parts.append(edit.text)
        out += len(edit.text)
        anchor(out, edit.end)
        pos = edit.end
    parts.append(raw[pos:])
    return "".join(parts), OffsetMap(tuple(clean_at), tuple(raw_at))


def compose(fixes: list[Edit], cuts: list[int]) -> list[Edit]:
    """Turn cut points in the mojibake-fixed text into edits of the raw text.

    A cut inside or at either end of a fix's replacement goes into that replacement."""
    spans = []  # (start, end) of each fix's text in the fixed text, and its shift
    shift = 0
    for fix in fixes:
        at = fix.start + shift
        spans.append((at, at + len(fix.text), shift))
        shift += len(fix.text) - (fix.end - fix.start)
    inserts: list[list[int]] = [[] for _ in fixes]
    out: list[Edit] = []
    k = 0
    for q in cuts:
        while k < len(fixes) and spans[k][1] < q:
            k += 1
        if k < len(fixes) and spans[k][0] <= q:
            inserts[k].append(q - spans[k][0])
            continue
        before = spans[k][2] if k < len(fixes) else shift
        out.append(Edit(q - before, q - before, " "))
    for fix, offsets in zip(fixes, inserts, strict=True):
        text = fix.text
        for at in reversed(offsets):
            text = text[:at] + " " + text[at:]
        out.append(Edit(fix.start, fix.end, text))
    return sorted(out, key=lambda e: (e.start, e.end))


def mojibake_edits(raw: str) -> list[Edit]:
    if not _MOJIBAKE_HINT.search(raw):
        return []
    # ftfy takes a tenth of a second to import: only for the texts that may need it
    import ftfy
    from ftfy.badness import is_bad

    if not is_bad(unicodedata.normalize("NFC", raw)):
        return []
    edits = []
    for m in TOKEN.finditer(raw):
        token = m.group()
        if token.isascii():
            continue
        composed = unicodedata.normalize("NFC", token)  # ftfy needs Ã, not A + tilde
        if not is_bad(composed):
            continue
        fixed = ftfy.fix_encoding(composed)
        if fixed == composed:
            continue
        a = 0
        while a < min(len(token), len(fixed)) and token[a] == fixed[a]:
            a += 1
        b = 0
        while b < min(len(token), len(fixed)) - a and token[-1 - b] == fixed[-1 - b]:
            b += 1
        edits.append(Edit(m.start() + a, m.end() - b, fixed[a : len(fixed) - b]))
    return edits

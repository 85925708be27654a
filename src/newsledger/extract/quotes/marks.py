"""Quotation marks in plain text: where each quotation starts and ends, and the ranges of its words.

`find_quotations(text)` pairs straight, curly and doubled ('') double quotation marks within
paragraphs, follows a quotation over several paragraphs (a paragraph left open and the next one
opening again), and adds ‘curly single’ quotations outside double ones (headlines use them). Pure
text: no tokens, no model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

OPENING = "“„‟«"
CLOSING = "”»"
STRAIGHT = '"″'
SENTENCE_END = ".!?"


@dataclass(frozen=True)
class Quotation:
    """One quotation: the character ranges of its words (its marks excluded)."""

    segments: tuple[tuple[int, int], ...]
    start: int  # the opening mark
    end: int  # just after the closing mark (or the paragraph's end when left open)

    def covers(self, offset: int) -> bool:
        return self.start <= offset < self.end


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group(0).strip():
            spans.append((m.start(), m.end()))
    return spans


_DOUBLE_MARK = re.compile(f"[{re.escape(OPENING + CLOSING + STRAIGHT)}]|''|``")


def _double_marks(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(position, length, kind) of the double quotation marks in text[start:end]."""
    marks = []
    for match in _DOUBLE_MARK.finditer(text, start, end):
        mark = match.group()
        if len(mark) == 2:
            kind = "open" if mark[0] == "`" else "either"
        else:
            kind = "open" if mark in OPENING else "close" if mark in CLOSING else "either"
        marks.append((match.start(), len(mark), kind))
    return marks


def _first_visible(text: str, start: int, end: int) -> int:
    i = start
    while i < end and text[i].isspace():
        i += 1
    return i


def find_quotations(text: str) -> list[Quotation]:
    """Every double-quoted stretch of `text`, plus ‘single’ ones outside double quotes."""
    paragraphs = paragraph_spans(text)
    found: list[Quotation] = []
    open_at: int | None = None  # position of the opening mark of the open quotation
    segments: list[tuple[int, int]] = []
    seg_start = 0
    for pi, (p_start, p_end) in enumerate(paragraphs):
        marks = _double_marks(text, p_start, p_end)
        skip_first = False
        if open_at is not None:
            first = _first_visible(text, p_start, p_end)
            if marks and marks[0][0] == first and marks[0][2] != "close":
                skip_first = True  # the paragraph continues the open quotation
                seg_start = first + marks[0][1]
            else:
                found.append(Quotation(tuple(segments), open_at, paragraphs[pi - 1][1]))
                open_at, segments = None, []
        for k, (pos, length, kind) in enumerate(marks):
            if skip_first and k == 0:
                continue
            if open_at is None:
                if kind == "close" and (pos + length >= p_end or text[pos + length].isspace()):
                    continue  # a stray closing mark
                open_at, segments, seg_start = pos, [], pos + length
            elif kind == "open":
                segments.append((seg_start, pos))
                found.append(Quotation(tuple(segments), open_at, pos))
                open_at, segments, seg_start = pos, [], pos + length
            else:
                segments.append((seg_start, pos))
                found.append(Quotation(tuple(segments), open_at, pos + length))
                open_at, segments = None, []
        if open_at is not None:
            segments.append((seg_start, p_end))
    if open_at is not None and paragraphs:
        found.append(Quotation(tuple(segments), open_at, paragraphs[-1][1]))
    found.extend(_single_quotations(text, found))
    found = [q for q in found if any(text[s:e].strip() for s, e in q.segments)]
    return sorted(found, key=lambda q: q.start)


def _single_quotations(text: str, doubles: Sequence[Quotation]) -> list[Quotation]:
    """‘Curly single’ quotations (headlines use them); an apostrophe is never a closing mark."""
    out = []
    for m in re.finditer(r"(?<![\w’'])‘(?=\S)([^‘\n]*?\S)’(?![A-Za-z])", text):
        if any(q.start <= m.start() < q.end for q in doubles):
            continue
        out.append(Quotation(((m.start(1), m.end(1)),), m.start(), m.end()))
    return out

"""The lexicons' patterns compiled from kept code are the patterns `re.compile` makes (a pattern
compares equal by its flags, its text and its engine code), kept between processes."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from newsledger.extract.anchors import Anchored
from newsledger.extract.events.rules import load_event_rules
from newsledger.extract.regex_code import CodeMemo, code_of, compiled


def anchored_in(value: Any, found: list[Anchored]) -> list[Anchored]:
    """Every `Anchored` pattern held in `value` (dataclasses, mappings, sequences)."""
    if isinstance(value, Anchored):
        found.append(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            anchored_in(getattr(value, f.name), found)
    elif isinstance(value, dict):
        for item in value.values():
            anchored_in(item, found)
    elif isinstance(value, list | tuple | frozenset | set):
        for item in value:
            anchored_in(item, found)
    return found


def test_every_lexicon_pattern_compiled_from_its_kept_code_is_re_compiles(tmp_path: Path) -> None:
    first = anchored_in(load_event_rules(tmp_path), [])
    assert len(first) > 400  # the event cues and the actors
    assert all(p.code is not None for p in first)
    (kept,) = tmp_path.glob("regex-*.marshal")
    memo = CodeMemo.open(tmp_path)
    assert len(memo.known) >= len({(p.pattern, p.flags) for p in first}) and not memo.learnt
    again = anchored_in(load_event_rules(tmp_path), [])  # the code read back from the file
    assert [(p.pattern, p.flags) for p in again] == [(p.pattern, p.flags) for p in first]
    for p in again:
        regex = p.regex
        assert regex == re.compile(p.pattern, p.flags), p.pattern
        assert regex.groupindex == re.compile(p.pattern, p.flags).groupindex
    assert not CodeMemo.open(tmp_path).learnt
    assert kept.stat().st_size > 100_000


def test_a_pattern_from_its_code_finds_what_re_finds() -> None:
    pattern = r"(?<![\w-])(?P<unit>(?:the )?(\d+)(?:st|nd|rd|th) brigade)(?![\w-])"
    text = "The 5th Brigade and the 42nd brigade moved; the 3rd brigades did not."
    regex = compiled(pattern, re.IGNORECASE, code_of(pattern, re.IGNORECASE))
    expected = re.compile(pattern, re.IGNORECASE)
    assert regex == expected and regex.flags == expected.flags
    assert (
        [m.groupdict() for m in regex.finditer(text)]
        == [m.groupdict() for m in expected.finditer(text)]
        == [{"unit": "The 5th Brigade"}, {"unit": "the 42nd brigade"}]
    )


def test_code_the_engine_refuses_falls_back_to_re_compile() -> None:
    flags, words, groups, groupindex, indexgroup = code_of(r"\bshell(ed|ing)\b")
    with pytest.warns(UserWarning, match="kept regex code refused"):
        regex = compiled(
            r"\bshell(ed|ing)\b", 0, (flags, words[:-8], groups, groupindex, indexgroup)
        )
    assert regex == re.compile(r"\bshell(ed|ing)\b")


def test_an_unreadable_regex_memo_is_rebuilt(tmp_path: Path) -> None:
    memo = CodeMemo.open(tmp_path)
    memo.code("mortar(ed)?", re.IGNORECASE)
    memo.save()
    (kept,) = tmp_path.glob("regex-*.marshal")
    kept.write_bytes(b"\x00not marshal")
    with pytest.warns(UserWarning, match="regex cache .* unreadable"):
        memo = CodeMemo.open(tmp_path)
    assert memo.learnt and not memo.known
    code = memo.code("mortar(ed)?", re.IGNORECASE)
    memo.save()
    assert CodeMemo.open(tmp_path).known == {f"{int(re.IGNORECASE)} mortar(ed)?": code}

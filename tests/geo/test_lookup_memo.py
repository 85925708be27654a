"""The gazetteer remembers its lookups: the same answers as looking up afresh."""

from __future__ import annotations

import pytest

from newsledger.geo import Gazetteer

LOOKUPS = [
    ("Alexandria", (), ()),
    ("Alexandria", ("US",), ()),
    ("Alexandria", ("US",), (("US", "Louisiana"),)),
    ("Kirkuk province", ("IQ",), ()),
    ("Jebah", ("LB", "SY"), ()),  # by spelling, in the report's countries
    ("Nowhere-at-all", (), ()),
]


@pytest.mark.parametrize(("name", "codes", "admin1"), LOOKUPS)
def test_remembered_lookups_equal_fresh_ones(
    gazetteer: Gazetteer, name: str, codes: tuple[str, ...], admin1: tuple[tuple[str, str], ...]
) -> None:
    gazetteer._memo.clear()
    fresh = gazetteer._rank(name, codes, admin1)
    first = gazetteer.scored(name, codes, admin1)
    again = gazetteer.scored(name, codes, admin1)
    assert [(gazetteer._place(r), s) for r, s in fresh] == first == again
    assert gazetteer.resolve(name, codes, admin1) == (first[0][0] if first else None)


def test_a_caller_changing_its_answer_changes_nothing_remembered(gazetteer: Gazetteer) -> None:
    answer = gazetteer.scored("Alexandria")
    answer.clear()
    assert gazetteer.scored("Alexandria")


def test_the_context_provinces_in_any_order_are_one_lookup(gazetteer: Gazetteer) -> None:
    pairs = (("US", "Louisiana"), ("US", "Virginia"))
    forward = gazetteer.scored("Alexandria", ("US",), pairs)
    backward = gazetteer.scored("Alexandria", ("US",), tuple(reversed(pairs)))
    assert (
        forward
        == backward
        == [(gazetteer._place(r), s) for r, s in gazetteer._rank("Alexandria", ("US",), pairs)]
    )

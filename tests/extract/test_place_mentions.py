"""Helpers of the place mention finders."""

from __future__ import annotations

import random

from newsledger.extract.place_mentions import _inside_other


def test_inside_another_entity_as_the_plain_search_finds() -> None:
    rng = random.Random(3)
    for _ in range(300):
        cuts = sorted(rng.sample(range(60), 10))
        others = [(cuts[i], cuts[i + 1]) for i in range(0, 10, 2)]
        for start in range(60):
            for end in range(start + 1, 61):
                plain = any(s <= start and end <= e and (s, e) != (start, end) for s, e in others)
                assert _inside_other(others, start, end) == plain

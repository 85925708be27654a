"""`lower_each` is the character-by-character lowercasing the phrase finder needs (offsets kept)."""

from __future__ import annotations

import random

from newsledger.geo.lookup import lower_each


def _plain(text: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def test_every_character_alone_and_in_company() -> None:
    chars = [chr(i) for i in range(0x30000) if not 0xD800 <= i <= 0xDFFF]
    for c in chars:
        assert lower_each(c) == _plain(c), hex(ord(c))
    rng = random.Random(7)
    tricky = ["Σ", "İ", "ẞ", "ΣΑΣ", " ", "A", "ß", "’"]
    for _ in range(2000):
        text = "".join(rng.choice(tricky + chars[:0x250]) for _ in range(rng.randint(0, 12)))
        assert lower_each(text) == _plain(text), text


def test_offsets_kept_where_lower_would_shift_them() -> None:
    assert lower_each("İDLIB and ODOΣ") == "İdlib and odoσ"
    assert len(lower_each("İstanbul")) == len("İstanbul")

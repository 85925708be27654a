"""The article view's text pieces (`views._segments`): the one-sweep cut gives what checking
every span at every piece gives, for any spans (overlapping, nested, out of range, empty)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from newsledger.web.views import _segments


def segments_by_checking_every_span(
    text: str, spans: list[tuple[int, int, str, str]]
) -> list[dict[str, Any]]:
    """The reference: each piece between two cuts lists every span that covers it."""
    size = len(text)
    clean = []
    cuts = {0, size}
    for start, end, ref, kind in spans:
        start, end = max(0, min(start, size)), max(0, min(end, size))
        if end > start:
            clean.append((start, end, ref, kind))
            cuts.update((start, end))
    bounds = sorted(cuts)
    pieces = []
    first: set[str] = set()
    for a, b in pairwise(bounds):
        covering = [(ref, kind) for start, end, ref, kind in clean if start <= a and b <= end]
        anchors = [ref for ref, _ in covering if ref not in first]
        first.update(anchors)
        pieces.append(
            {
                "text": text[a:b],
                "records": [ref for ref, _ in covering],
                "kinds": sorted({kind for _, kind in covering}),
                "anchors": anchors,
            }
        )
    return pieces


SPANS = st.lists(
    st.tuples(
        st.integers(-5, 70),
        st.integers(-5, 70),
        st.sampled_from(["e-1", "e-2", "q-1", "n-1", "n-2"]),  # an id can come back (mentions)
        st.sampled_from(["events", "quotes", "entities"]),
    ),
    max_size=25,
)


@given(text=st.text(max_size=60), spans=SPANS)
def test_the_sweep_cuts_as_checking_every_span_does(
    text: str, spans: list[tuple[int, int, str, str]]
) -> None:
    assert _segments(text, spans) == segments_by_checking_every_span(text, spans)


def test_overlapping_spans_share_the_piece_between_them() -> None:
    pieces = _segments("abcdefghij", [(2, 6, "e-1", "events"), (4, 8, "q-1", "quotes")])
    assert [(p["text"], p["records"], p["anchors"]) for p in pieces] == [
        ("ab", [], []),
        ("cd", ["e-1"], ["e-1"]),
        ("ef", ["e-1", "q-1"], ["q-1"]),
        ("gh", ["q-1"], []),
        ("ij", [], []),
    ]

"""How `ProcessExtractor` cuts the input into tasks: whole batches, the last few articles one at
a time so that the workers finish together (no process is started here)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsledger.pipeline.parallel.workers import ProcessExtractor
from newsledger.records import Article
from tests.helpers.factories import article


@pytest.mark.parametrize("count", [0, 1, 7, 8, 9, 12, 13, 30, 249])
def test_batches_keep_every_article_in_order_and_end_one_at_a_time(count: int) -> None:
    extractor = ProcessExtractor(2, batch_size=4)
    articles = [article(f"art-{n}", f"Report {n}.") for n in range(count)]
    batches = list(extractor._batches(articles))
    assert [a for batch in batches for a in batch] == articles
    sizes = [len(b) for b in batches]
    whole = max(0, (count - 2 * 4) // 4)  # the tail: workers * batch_size articles, or more
    assert sizes == [4] * whole + [1] * (count - 4 * whole)


def test_batches_read_the_input_only_as_far_ahead_as_the_tail() -> None:
    """The first batch goes out once batch_size + workers * batch_size articles are read, not
    after the whole input."""
    extractor = ProcessExtractor(2, batch_size=4)
    read: list[int] = []

    def source() -> Iterator[Article]:
        for n in range(100):
            read.append(n)
            yield article(f"art-{n}", f"Report {n}.")

    first = next(extractor._batches(source()))
    assert len(first) == 4
    assert len(read) == 4 + 2 * 4

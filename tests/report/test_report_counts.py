"""The briefing's exact reads: a country or province read as the names the ledger holds (through
their indexes), the period before counted in the ledger (`store.queries.tally_events`), giving
the figures that reading and counting the events gives."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newsledger.report.build import briefing
from newsledger.report.data import Tally, exact_names
from newsledger.report.period import Request, resolve
from newsledger.store import open_ledger
from newsledger.store import queries as q
from newsledger.store.queries import Filters
from tests.helpers import factories
from tests.helpers.report_ledger import END, START, build, extractions


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("counts") / "ledger.db")


CASES = [
    (Filters(date_from="2025-02-01", date_to="2025-02-14"), {}),
    (Filters(date_from="2025-02-01", date_to="2025-02-14"), {"country": "Iraq"}),
    (Filters(date_from="2025-02-08", date_to="2025-02-14"), {"admin1": "Diyala"}),
    (Filters(date_from="2025-02-01", date_to="2025-02-14", actor="Islamic"), {}),
    (Filters(date_from="2025-02-01", date_to="2025-02-07"), {"country": "Syria"}),
    (Filters(date_from="2025-02-01", date_to="2025-02-14"), {"country": "Atlantis"}),
]


def test_tally_counts_what_the_list_reads(ledger_url: str) -> None:
    """On SQLite and PostgreSQL: the counts and the articles in order of their first event."""
    with open_ledger(ledger_url) as ledger:
        for extraction in extractions():
            ledger.store(extraction)
        for filters, internal in CASES:
            items = q.list_items(
                ledger, "events", filters, limit=q.EXPORT_LIMIT, order="asc", internal=internal
            ).items
            types, articles = q.tally_events(ledger, filters, internal)
            read = Tally.of(items)
            assert Tally({t: (n, dead) for t, n, dead in types}, articles) == read, internal
            assert (read.events > 0) == (internal.get("country") != "Atlantis")


def test_a_country_is_read_as_every_spelling_the_ledger_holds(db: Path, tmp_path: Path) -> None:
    """'iraq' finds 'Iraq'; a ledger holding 'Iraq' and 'IRAQ' gives the events of both (read
    through the place filter then), as the one spelling would."""
    with open_ledger(db) as ledger:
        assert exact_names(ledger, Request(country="iraq", admin1="DIYALA")) == {
            "country": "Iraq",
            "admin1": "Diyala",
        }
        assert exact_names(ledger, Request(country="Atlantis")) == {"country": "Atlantis"}
    copy = shutil.copy(db, tmp_path / "two-spellings.db")
    text = "Gunmen attacked a checkpoint in Kirkuk on Wednesday, killing four guards."
    shouted = factories.event(
        factories.evidence(text),
        event_date="2025-02-12",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        location="Kirkuk",
        admin1="Kirkuk",
        country="IRAQ",
        fatalities=4,
    )
    report = factories.article("a5", text, published="2025-02-12T10:00:00", title="Kirkuk")
    with open_ledger(copy) as ledger:
        before = briefing(ledger, Request(START, END, country="iraq"))
        ledger.store(factories.extraction(report, events=(shouted,)))
        assert exact_names(ledger, Request(country="iraq")) is None
        after: dict[str, Any] = briefing(ledger, Request(START, END, country="iraq"))
    f, f0 = after["figures"], before["figures"]
    assert (f["events"], f["fatalities"]) == (f0["events"] + 1, f0["fatalities"] + 4)
    assert (f["previous_events"], f["previous_fatalities"]) == (1, 12)
    assert any(s["id"] == "a5" for s in after["sources"])


@pytest.mark.parametrize(
    ("to", "last"),
    [
        ("2024-06", "2024-06-30"),
        ("2024-02", "2024-02-29"),
        ("2025", "2025-12-31"),
        ("2025-03", "2025-03-31"),
    ],
)
def test_a_month_or_year_ends_on_its_last_day(to: str, last: str) -> None:
    """`--to 2024-06` is 30 June (it once failed: 'day is out of range for month')."""
    period = resolve(Request(date_from="2024-01-01", date_to=to), None, date(2026, 1, 1))
    assert period.end.isoformat() == last

"""Entity resolution across articles: spellings merge with reasons; shared family names don't."""

from __future__ import annotations

from pathlib import Path

from newsledger.store import open_ledger
from newsledger.track import load_tracker, track_article
from newsledger.track.resolve import compare_given, load_name_lexicon, person_name, place_key
from newsledger.track.views import find_person, person_statements
from track_articles import person, place, store


def test_name_keys_fold_spellings() -> None:
    lex = load_name_lexicon()
    a, b = person_name("Tariq al-Haddadi", lex), person_name("Tareq Al-Hadadi", lex)
    assert a.family == b.family and compare_given(a.given, b.given)[0]
    assert person_name("Gen. Tariq Haddadi", lex).family == person_name("al-Haddadi", lex).family
    assert place_key("Qasr al-Nimmar", lex) == place_key("Qasr Al-Nimar", lex)
    assert compare_given(("jon",), ("jon", "piter"))[0]
    assert not compare_given(("jon",), ("marta",))[0]


def test_spellings_merge_and_titles_are_kept_over_time(tmp_path: Path) -> None:
    tracker = load_tracker()
    with open_ledger(tmp_path / "l.db") as ledger:
        a = store(
            ledger,
            "a1",
            "2024-03-01",
            entities=(
                person("Tariq al-Haddadi", "defence analyst", "al-Haddadi"),
                place("Qasr al-Nimmar"),
            ),
        )
        b = store(
            ledger,
            "a2",
            "2024-05-01",
            entities=(
                person("Tareq Al-Hadadi", "adviser to the defence ministry"),
                place("Qasr Al-Nimar"),
            ),
        )
        c = store(ledger, "a3", "2024-06-01", entities=(person("Haddadi", "defence analyst"),))
        for article in (a, b, c):
            track_article(ledger, article, tracker)
        found = find_person(ledger, "Al-Haddadi")
        assert found is not None
        assert {"Tariq al-Haddadi", "Tareq Al-Hadadi", "Haddadi"} <= set(found.aliases)
        assert any("same given and family name" in r for r in found.reasons)
        assert any("title shared" in r for r in found.reasons)
        page = person_statements(ledger, "Tareq Al-Hadadi")
        assert page is not None
        assert [t["title"] for t in page.titles] == [
            "defence analyst",
            "adviser to the defence ministry",
            "defence analyst",
        ]
        places = ledger.track_query("SELECT COUNT(*) FROM track_entities WHERE kind = 'place'")
        assert places[0][0] == 1


def test_no_false_merge_of_people_sharing_a_family_name(tmp_path: Path) -> None:
    tracker = load_tracker()
    with open_ledger(tmp_path / "l.db") as ledger:
        store(ledger, "b1", "2024-03-01", entities=(person("Rana Qadiri", "mayor of Dovrek"),))
        store(ledger, "b2", "2024-03-02", entities=(person("Hamid Qadiri", "army colonel"),))
        # a family name alone, with nothing shared with either: kept apart
        store(ledger, "b3", "2024-03-03", entities=(person("Qadiri", None),))
        for article in ("b1", "b2", "b3"):
            track_article(ledger, article, tracker)
        people = ledger.track_query(
            "SELECT name FROM track_entities WHERE kind = 'person' ORDER BY id"
        )
        assert [p[0] for p in people] == ["Rana Qadiri", "Hamid Qadiri", "Qadiri"]
        log = [r[0] for r in ledger.track_query("SELECT reason FROM track_log")]
        assert any("given names differ" in r for r in log)
        assert any("no shared title" in r or "several" in r for r in log)

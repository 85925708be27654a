"""Entity resolution across articles: spellings merge with reasons; shared family names don't."""

from __future__ import annotations

from pathlib import Path

from newsledger.store import open_ledger
from newsledger.track import load_tracker, track_article
from newsledger.track.identities import compare_given, load_name_lexicon, person_name, place_key
from newsledger.track.views import find_person, person_statements
from tests.helpers.track_articles import person, place, store


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
        places = ledger.query("SELECT COUNT(*) FROM track_entities WHERE kind = 'place'")
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
        people = ledger.query("SELECT name FROM track_entities WHERE kind = 'person' ORDER BY id")
        assert [p[0] for p in people] == ["Rana Qadiri", "Hamid Qadiri", "Qadiri"]
        log = [r[0] for r in ledger.query("SELECT reason FROM track_log")]
        assert any("given names differ" in r for r in log)
        assert any("no shared title" in r or "several" in r for r in log)


def _people(ledger) -> list[str]:  # type: ignore[no-untyped-def]
    rows = ledger.query("SELECT name FROM track_entities WHERE kind = 'person' ORDER BY id")
    return [r[0] for r in rows]


def test_suffixes_and_middle_initials_block_merges(tmp_path: Path) -> None:
    lex = load_name_lexicon()
    assert person_name("Doran Vesk Jr.", lex).suffix == "jr"
    assert person_name("Pieter H.K. Holm", lex).given == person_name("Pieter HK Holm", lex).given
    tracker = load_tracker()
    with open_ledger(tmp_path / "l.db") as ledger:
        store(ledger, "s1", "2024-01-01", entities=(person("Doran Vesk", "governor of Alda"),))
        store(ledger, "s2", "2024-01-02", entities=(person("Doran Vesk Jr.", "businessman"),))
        store(ledger, "s3", "2024-01-03", entities=(person("Pieter Holm", "senator"),))
        store(ledger, "s4", "2024-01-04", entities=(person("Pieter K Holm", "senator"),))
        store(ledger, "s5", "2024-01-05", entities=(person("Pieter HK Holm", "senator"),))
        store(ledger, "s6", "2024-01-06", entities=(person("Doran Vesk", "governor of Alda"),))
        for article in ("s1", "s2", "s3", "s4", "s5", "s6"):
            track_article(ledger, article, tracker)
        assert _people(ledger) == [
            "Doran Vesk",
            "Doran Vesk Jr.",
            "Pieter K Holm",
            "Pieter HK Holm",
        ]
        log = " ".join(r[0] for r in ledger.query("SELECT reason FROM track_log"))
        assert "suffixes differ" in log and "middle names differ" in log


def test_different_given_names_in_one_entity_are_split(tmp_path: Path) -> None:
    tracker = load_tracker()
    with open_ledger(tmp_path / "l.db") as ledger:
        # the extractor's one person entity lists two brothers: split, never merged
        store(
            ledger,
            "m1",
            "2024-02-01",
            entities=(person("Ed Tallowmere", "party leader", "Marcus Tallowmere", "Tallowmere"),),
        )
        store(ledger, "m2", "2024-02-02", entities=(person("Marcus Tallowmere", "diplomat"),))
        for article in ("m1", "m2"):
            track_article(ledger, article, tracker)
        assert _people(ledger) == ["Ed Tallowmere", "Marcus Tallowmere"]
        ed = find_person(ledger, "Ed Tallowmere")
        assert ed is not None and "Marcus Tallowmere" not in ed.aliases


def test_shorter_form_ending_the_full_name_merges(tmp_path: Path) -> None:
    tracker = load_tracker()
    with open_ledger(tmp_path / "l.db") as ledger:
        store(ledger, "r1", "2024-02-01", entities=(person("Kemal Arslan Dündar", "president"),))
        store(ledger, "r2", "2024-02-02", entities=(person("Arslan Dundar", "president"),))
        store(ledger, "r3", "2024-02-03", entities=(person("Selim Dundar", "mayor"),))
        for article in ("r1", "r2", "r3"):
            track_article(ledger, article, tracker)
        assert _people(ledger) == ["Kemal Arslan Dündar", "Selim Dundar"]


def test_fuller_form_reconciles_shorter_forms(tmp_path: Path) -> None:
    tracker = load_tracker()
    with open_ledger(tmp_path / "l.db") as ledger:
        store(ledger, "f1", "2024-02-01", entities=(person("Kemal Arslan Dündar", "president"),))
        store(ledger, "f2", "2024-02-02", entities=(person("Arslan Dundar", "president"),))
        store(ledger, "f3", "2024-02-03", entities=(person("Kemal Dündar", "president"),))
        for article in ("f1", "f2", "f3"):
            track_article(ledger, article, tracker)
        assert _people(ledger) == ["Kemal Arslan Dündar"]

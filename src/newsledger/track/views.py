"""Reading what tracking stored: the changes (filtered) and one person's statements in date
order with the title each report gives. The CLI's `changes` and `person` commands print these."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsledger.store import Ledger
from newsledger.store.rows import change_dict, from_json
from newsledger.store.sql import track as track_sql
from newsledger.track.identities import load_name_lexicon, person_name


def list_changes(
    ledger: Ledger, since: str | None = None, person: str | None = None
) -> list[dict[str, Any]]:
    """Every stored change in the later report's date order; `since` (YYYY-MM-DD) keeps those
    whose later report is on or after it; `person` those whose speaker is that person (any
    spelling the ledger knows) or whose records that person stated."""
    names: set[str] = set()
    if person:
        entity = find_person(ledger, person)
        names = {person.lower()}
        if entity is not None:
            names |= {a.lower() for a in entity.aliases} | {entity.name.lower()}
    out = []
    for values in ledger.query(track_sql.TRACK_CHANGES):
        row = dict(zip(track_sql.TRACK_CHANGES_COLUMNS, values, strict=True))
        if since and str(row["later_published"] or "")[:10] < since:
            continue
        sides = {
            side: {"published": row[f"{side}_published"], "source": row[f"{side}_source"]}
            for side in ("earlier", "later")
        }
        change = change_dict(row, sides)
        if names:
            who = {str(row["speaker"] or "").lower()}
            for side in ("earlier", "later"):
                for f in ("speaker", "stated_by", "claimed_by"):
                    who.add(str(change[side]["record"].get(f) or "").lower())
            if not who & names:
                continue
        out.append(change)
    return out


@dataclass
class Person:
    entity_id: int
    name: str
    aliases: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    titles: list[dict[str, Any]] = field(default_factory=list)  # published, title, article
    statements: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.entity_id,
            "name": self.name,
            "aliases": self.aliases,
            "merge_reasons": self.reasons,
            "titles": self.titles,
            "statements": self.statements,
        }


def find_person(ledger: Ledger, name: str) -> Person | None:
    """The canonical person a name (any spelling the ledger holds) refers to, or None."""
    rows = ledger.query(track_sql.TRACK_ENTITIES_BY_ALIAS, ("person", name, name))
    if not rows:
        lex = load_name_lexicon()
        want = person_name(name, lex)
        for entity_id, stored in ledger.query(
            track_sql.TRACK_ENTITIES_BY_FAMILY, ("person", want.family)
        ):
            if person_name(str(stored), lex).key == want.key or not want.given:
                rows = [(entity_id, stored)]
                break
    if not rows:
        return None
    entity_id, stored = int(rows[0][0]), str(rows[0][1])
    person = Person(entity_id, stored)
    for alias, _article, reason in ledger.query(track_sql.TRACK_ENTITY_ALIASES, (entity_id,)):
        if alias not in person.aliases:
            person.aliases.append(str(alias))
        if reason not in person.reasons and reason != "first seen":
            person.reasons.append(str(reason))
    return person


def person_statements(ledger: Ledger, name: str) -> Person | None:
    """One person's statements (quotes, deadlines and claims they are named for) in date order,
    each with the title its report gives and its source; None when nobody has that name."""
    person = find_person(ledger, name)
    if person is None:
        return None
    titles: dict[str, str] = {}
    for published, title, article, source in ledger.query(
        track_sql.TRACK_PERSON_TITLES, (person.entity_id,)
    ):
        titles.setdefault(str(article), str(title))
        person.titles.append(
            {"published": published, "title": title, "article": article, "source": source}
        )
    for row in ledger.query(track_sql.TRACK_SPEAKER_STATEMENTS, (f"person:{person.entity_id}",)):
        values = dict(zip(track_sql.STATEMENT_COLUMNS, row, strict=True))
        record = from_json(values["record"])
        text = record.get("text") or record.get("subject") or record.get("unit")
        person.statements.append(
            {
                "published": values["published"],
                "source": values["source"],
                "article": values["article_id"],
                "kind": values["kind"],
                "title": record.get("speaker_title") or titles.get(str(values["article_id"])),
                "text": text,
                "evidence": (record.get("evidence") or {}).get("text"),
            }
        )
    return person

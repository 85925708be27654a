"""Entity resolution across articles: one canonical entity per person, organisation or place,
whatever the spelling or transliteration, with the reason for every merge.

Names are compared as keys: lower case, accents and honorifics ("Gen.") dropped, particles
("al-", "el-") dropped, doubled letters collapsed and common transliteration variants folded
(data/track_names.json), so "Karim al-Tamimi" = "Karim Al-Tamimi" and "Ain al-Assad" =
"Ain Al-Asad". People merge on evidence, never on a shared family name alone:

- the same given and family names (a middle name may be missing on one side, an initial may
  stand for a given name): "John Harlan" = "John Edward Harlan";
- a family name alone ("Harlan") joins the one person of that family name whose titles or
  co-occurring entities it shares; with none or several such people it stays apart;
- different given names with one family name are different people, and the decision is logged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsledger.datafiles import read_json
from newsledger.store import sql

Run = Callable[..., list[Sequence[Any]]]


@dataclass(frozen=True)
class NameLexicon:
    particles: frozenset[str]
    honorifics: frozenset[str]
    suffixes: frozenset[str]
    folds: tuple[tuple[str, str], ...]


def load_name_lexicon() -> NameLexicon:
    data = read_json("track_names.json")
    return NameLexicon(
        particles=frozenset(data["particles"]),
        honorifics=frozenset(data["honorifics"]),
        suffixes=frozenset(data["suffixes"]),
        folds=tuple((a, b) for a, b in data["folds"]),
    )


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_word(word: str, lex: NameLexicon) -> str:
    """One name word as a comparison key: transliteration variants folded, doubles collapsed."""
    out = _ascii(word).lower()
    out = re.sub(r"[^a-z]", "", out)
    for a, b in lex.folds:
        out = out.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", out)


def name_words(name: str, lex: NameLexicon) -> list[str]:
    """The words of a name without honorifics, particles and suffixes (as written)."""
    raw = [w for w in re.split(r"[\s\-‐]+", _ascii(name).strip()) if w]
    out: list[str] = []
    for w in raw:
        low = w.lower().strip(".,'’")
        if not low:
            continue
        if not out and low in lex.honorifics:
            continue
        if low in lex.particles or low in lex.suffixes:
            continue
        out.append(w.strip(".,'’"))
    return out


@dataclass(frozen=True)
class PersonName:
    given: tuple[str, ...]  # folded
    family: str  # folded

    @property
    def key(self) -> str:
        return " ".join((*self.given, self.family))


def person_name(name: str, lex: NameLexicon) -> PersonName:
    parts = [fold_word(w, lex) for w in name_words(name, lex)]
    parts = [p for p in parts if p]
    if not parts:
        return PersonName((), fold_word(name, lex))
    return PersonName(tuple(parts[:-1]), parts[-1])


def place_key(name: str, lex: NameLexicon) -> str:
    """A place's or organisation's key: every word folded, particles dropped."""
    words = [w for w in re.split(r"[\s\-‐]+", _ascii(name)) if w]
    keep = [fold_word(w, lex) for w in words if w.lower().strip(".,") not in lex.particles]
    return " ".join(k for k in keep if k)


def _skeleton(word: str) -> str:
    """The first letter and the consonants: vowels are where transliterations differ most."""
    return word[:1] + re.sub(r"[aeiou]", "", word[1:])


def _given_match(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return _skeleton(a) == _skeleton(b)


def compare_given(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[bool, str]:
    """Whether two people's given names can be one person's, with the reason."""
    if not a or not b:
        return False, "a family name alone"
    if not _given_match(a[0], b[0]):
        return False, f"given names differ ({a[0]} vs {b[0]})"
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    rest = list(long_[1:])
    for word in short[1:]:  # every further given name of the shorter must appear in order
        while rest and not _given_match(word, rest[0]):
            rest.pop(0)
        if not rest:
            return False, f"middle names differ ({' '.join(a)} vs {' '.join(b)})"
        rest.pop(0)
    if [_skeleton(w) for w in a] == [_skeleton(w) for w in b]:
        return True, "same given and family name"
    return True, "same first given name and family name; the other names agree"


@dataclass(frozen=True)
class ArticleEntity:
    """An entity as one article gives it."""

    kind: str
    name: str
    title: str | None
    mentions: tuple[str, ...]


@dataclass(frozen=True)
class Resolved:
    entity_id: int
    name: str  # canonical
    merged: bool
    reason: str


def _title_words(title: str | None) -> set[str]:
    if not title:
        return set()
    small = {"of", "the", "for", "and", "a", "an", "in", "us", "former"}
    return {w for w in re.findall(r"[a-z]+", title.lower()) if w not in small and len(w) > 2}


@dataclass
class Resolver:
    """Resolves one article's entities against the ledger's canonical entities (within the
    tracking transaction `run`)."""

    run: Run
    lex: NameLexicon
    article_id: str
    published: str | None
    cooccurring: frozenset[str]  # place/organisation keys named in the article
    now: str

    def resolve(self, entity: ArticleEntity) -> Resolved:
        resolved = self._person(entity) if entity.kind == "person" else self._other(entity)
        for alias in {entity.name, *entity.mentions}:
            key = self._alias_key(entity.kind, alias)
            if key:
                self.run(
                    sql.TRACK_INSERT_ALIAS,
                    (resolved.entity_id, alias, key, self.article_id, resolved.reason),
                )
        if entity.title:
            self.run(
                sql.TRACK_INSERT_TITLE,
                (resolved.entity_id, self.article_id, self.published, entity.title),
            )
        return resolved

    def _alias_key(self, kind: str, alias: str) -> str:
        if kind == "person":
            return person_name(alias, self.lex).family
        return place_key(alias, self.lex)

    def _new(self, entity: ArticleEntity, family: str, reason: str) -> Resolved:
        rows = self.run(sql.TRACK_INSERT_ENTITY, (entity.kind, entity.name, family, self.now))
        return Resolved(int(rows[0][0]), entity.name, False, reason)

    def _log(self, what: str, reason: str) -> None:
        self.run(sql.TRACK_INSERT_LOG, (self.article_id, what, reason, self.now))

    def _other(self, entity: ArticleEntity) -> Resolved:
        key = place_key(entity.name, self.lex)
        for entity_id, name in self.run(sql.TRACK_ENTITIES_BY_FAMILY, (entity.kind, key)):
            same = "same name" if name == entity.name else "same name after folding spelling"
            return Resolved(int(entity_id), str(name), True, f"{same}: {entity.name} = {name}")
        return self._new(entity, key, "first seen")

    def _evidence(self, entity: ArticleEntity, entity_id: int) -> str | None:
        """Why a person here is the stored entity beyond the name: a shared title word or
        co-occurring places and organisations (None when there is no such evidence)."""
        mine = _title_words(entity.title)
        for _published, title, _article in self.run(sql.TRACK_ENTITY_TITLES, (entity_id,)):
            shared = mine & _title_words(str(title))
            if shared:
                return f"title shared ({', '.join(sorted(shared))})"
        articles = {str(r[1]) for r in self.run(sql.TRACK_ENTITY_ALIASES, (entity_id,))}
        together: set[str] = set()
        for article in articles:
            for row in self.run(sql.TRACK_ARTICLE_ENTITIES, (article,)):
                if row[1] != "person":
                    together.add(place_key(str(row[2]), self.lex))
        shared = together & self.cooccurring
        if len(shared) >= 2:
            return f"named with the same places/organisations ({', '.join(sorted(shared)[:3])})"
        return None

    def _person(self, entity: ArticleEntity) -> Resolved:
        name = person_name(entity.name, self.lex)
        candidates = self.run(sql.TRACK_ENTITIES_BY_FAMILY, ("person", name.family))
        compatible: list[tuple[int, str, str]] = []
        family_only: list[tuple[int, str]] = []
        for entity_id, stored in candidates:
            other = person_name(str(stored), self.lex)
            if not name.given or not other.given:
                family_only.append((int(entity_id), str(stored)))
                continue
            same, why = compare_given(name.given, other.given)
            if same:
                compatible.append((int(entity_id), str(stored), why))
            else:
                self._log(
                    f"kept apart: {entity.name} / {stored}",
                    f"same family name, {why}",
                )
        if compatible:
            entity_id, stored, why = compatible[0]
            return Resolved(
                entity_id,
                self._better(stored, entity.name, entity_id),
                True,
                f"{why}: {entity.name} = {stored}",
            )
        supported = [
            (entity_id, stored, ev)
            for entity_id, stored in family_only
            if (ev := self._evidence(entity, entity_id)) is not None
        ]
        if len(supported) == 1:
            entity_id, stored, ev = supported[0]
            return Resolved(
                entity_id,
                self._better(stored, entity.name, entity_id),
                True,
                f"same family name and {ev}: {entity.name} = {stored}",
            )
        if family_only:
            self._log(
                f"kept apart: {entity.name}",
                f"same family name as {len(family_only)} stored people but "
                + ("evidence for several" if supported else "no shared title or context"),
            )
        return self._new(entity, name.family, "first seen")

    def _better(self, stored: str, new: str, entity_id: int) -> str:
        """The canonical name grows to the fullest form seen ("Harlan" -> "John Harlan")."""
        if len(name_words(new, self.lex)) > len(name_words(stored, self.lex)):
            self.run(sql.TRACK_RENAME_ENTITY, (new, entity_id))
            return new
        return stored


def speaker_entity(
    speaker: str | None, resolved: dict[str, Resolved], lex: NameLexicon
) -> Resolved | None:
    """The resolved person a quote's speaker names (its article's people, by name or by the
    family name when exactly one of them has it)."""
    if not speaker:
        return None
    if speaker in resolved:
        return resolved[speaker]
    want = person_name(speaker, lex)
    same = [r for n, r in resolved.items() if person_name(n, lex).family == want.family]
    ids = {r.entity_id for r in same}
    if len(ids) == 1 and (
        not want.given or compare_given(want.given, person_name(same[0].name, lex).given)[0]
    ):
        return same[0]
    return None


def article_entities(rows: Iterable[Sequence[Any]]) -> list[ArticleEntity]:
    """Group `sql.TRACK_ARTICLE_ENTITIES` rows (ordinal, kind, name, title, mention)."""
    out: dict[int, tuple[str, str, str | None, list[str]]] = {}
    for ordinal, kind, name, title, mention in rows:
        item = out.setdefault(int(ordinal), (str(kind), str(name), title, []))
        if mention is not None:
            item[3].append(str(mention))
    return [ArticleEntity(k, n, t, tuple(m)) for k, n, t, m in out.values()]

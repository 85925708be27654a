"""Entity resolution across articles: one canonical entity per person, organisation or place,
whatever the spelling or transliteration, with the reason for every merge.

Names are compared as keys: lower case, accents and honorifics ("Gen.") dropped, particles
("al-", "el-") dropped, doubled letters collapsed and common transliteration variants folded
(data/track_names.json), so "Karim al-Tamimi" = "Karim Al-Tamimi" and "Ain al-Assad" =
"Ain Al-Asad". People merge on evidence, never on a shared family name alone:

- the same given and family names (a middle name may be missing on one side, an initial may
  stand for a given name): "John Harlan" = "John Edward Harlan"; middle names present on both
  sides must agree one for one ("John E K Harlan" is not "John K Harlan"); a generational
  suffix must agree ("John Harlan Jr." is not "John Harlan");
- a shorter form whose given names end the fuller form's: "Edward Harlan" = "John Edward
  Harlan";
- a full name joins a stored person only if it agrees with every full-name alias of that person
  (unless a fuller alias reconciles the two), and an article's person entity whose mentions
  name two people is split first (`split_people`);
- a family name alone ("Harlan") joins the one person of that family name whose titles or
  co-occurring entities it shares; with none or several such people it stays apart;
- different given names with one family name are different people, and the decision is logged.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsledger.datafiles import read_json
from newsledger.store.sql import track as track_sql

Run = Callable[..., list[Sequence[Any]]]


@dataclass(frozen=True)
class NameLexicon:
    particles: frozenset[str]
    honorifics: frozenset[str]
    suffixes: frozenset[str]
    folds: tuple[tuple[str, str], ...]
    # particles that stay particles at the start of a name even when capitalised and spaced
    # ("Al Sadr"); the others are given names there ("Ed", "Ben", "Ash" + a family name)
    leading_particles: frozenset[str] = frozenset()


def load_name_lexicon() -> NameLexicon:
    data = read_json("track_names.json")
    return NameLexicon(
        particles=frozenset(data["particles"]),
        honorifics=frozenset(data["honorifics"]),
        suffixes=frozenset(data["suffixes"]),
        folds=tuple((a, b) for a, b in data["folds"]),
        leading_particles=frozenset(data.get("leading_particles", data["particles"])),
    )


# compiled once: tracking folds every name word of every candidate
_NOT_LETTER = re.compile(r"[^a-z]")
_DOUBLED = re.compile(r"(.)\1+")
_SPACES = re.compile(r"\s+")
_HYPHENS = re.compile(r"[\-‐]+")
_SPACES_OR_HYPHENS = re.compile(r"[\s\-‐]+")
_VOWEL = re.compile(r"[aeiou]")
_NOT_ORG_FORM = re.compile(r"[^\w' .]+")


@functools.lru_cache(maxsize=1 << 14)  # a pure function of the string, called per name word
def _ascii(text: str) -> str:
    if text.isascii():
        return text  # ASCII is its own NFKD form, with no combining marks
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_word(word: str, lex: NameLexicon) -> str:
    """One name word as a comparison key: transliteration variants folded, doubles collapsed."""
    out = _ascii(word).lower()
    out = _NOT_LETTER.sub("", out)
    for a, b in lex.folds:
        out = out.replace(a, b)
    return _DOUBLED.sub(r"\1", out)


INITIALS = re.compile(r"^(?:[A-Z]{2,3}|(?:[A-Za-z]\.){2,3}|[A-Za-z]\.[A-Za-z])$")


def _tokens(name: str) -> list[tuple[str, bool]]:
    """A name's words, each with whether a hyphen joins it to the next ("al-Sadr")."""
    out: list[tuple[str, bool]] = []
    for chunk in _SPACES.split(_ascii(name).strip()):
        pieces = [p for p in _HYPHENS.split(chunk) if p]
        out += [(p, k < len(pieces) - 1) for k, p in enumerate(pieces)]
    return out


def parse_name(name: str, lex: NameLexicon) -> tuple[list[str], str]:
    """A person's name words without honorifics and particles (as written; clustered initials
    "HW" or "H.W." split into letters), and its generational suffix ("jr", "ii"; "" if none).

    A particle is dropped when written in lower case, joined by a hyphen to the next word, or
    after the first word; a capitalised first word before a space is a given name ("Ed X")
    unless it is one of the leading particles ("Al X")."""
    tokens = _tokens(name)
    out: list[str] = []
    suffix = ""
    for i, (w, joined) in enumerate(tokens):
        low = w.lower().strip(".,'’")
        if not low:
            continue
        if not out and low in lex.honorifics:
            continue
        if low in lex.suffixes and out:
            suffix = low
            continue
        if low in lex.particles:
            last = i == len(tokens) - 1
            leading = not out and not joined and w[:1].isupper() and not last
            if not leading or low in lex.leading_particles:
                continue
        clean = w.strip(",'’")
        if i < len(tokens) - 1 and INITIALS.match(clean):
            out += [c for c in clean if c.isalpha()]
            continue
        out.append(clean.strip("."))
    return out, suffix


def name_words(name: str, lex: NameLexicon) -> list[str]:
    """The words of a name without honorifics, particles and suffixes (as written)."""
    return parse_name(name, lex)[0]


@dataclass(frozen=True)
class PersonName:
    given: tuple[str, ...]  # folded
    family: str  # folded
    suffix: str = ""  # generational: jr, sr, ii ...

    @property
    def key(self) -> str:
        return " ".join((*self.given, self.family, *([self.suffix] if self.suffix else [])))


@functools.lru_cache(maxsize=1 << 16)  # pure (a frozen result), asked per candidate
def person_name(name: str, lex: NameLexicon) -> PersonName:
    words, suffix = parse_name(name, lex)
    parts = [fold_word(w, lex) for w in words]
    parts = [p for p in parts if p]
    if not parts:
        return PersonName((), fold_word(name, lex), suffix)
    return PersonName(tuple(parts[:-1]), parts[-1], suffix)


@functools.lru_cache(maxsize=1 << 16)  # pure; tracking keys the same names again and again
def place_key(name: str, lex: NameLexicon) -> str:
    """A place's or organisation's key: every word folded, particles dropped."""
    words = [w for w in _SPACES_OR_HYPHENS.split(_ascii(name)) if w]
    keep = [fold_word(w, lex) for w in words if w.lower().strip(".,") not in lex.particles]
    return " ".join(k for k in keep if k)


def _skeleton(word: str) -> str:
    """The first letter and the consonants: vowels are where transliterations differ most."""
    return word[:1] + _VOWEL.sub("", word[1:])


def _given_match(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return _skeleton(a) == _skeleton(b)


def compare_given(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[bool, str]:
    """Whether two people's given names can be one person's, with the reason.

    The first given names must agree (an initial may stand for a name); middle names are
    compared strictly when both sides have them: as many, each agreeing ("H W" is not "W").
    A shorter form whose given names (full words) end the fuller form's given names is the
    same person ("Arslan X" = "Kemal Arslan X")."""
    if not a or not b:
        return False, "a family name alone"
    if not _given_match(a[0], b[0]):
        short, long_ = (a, b) if len(a) <= len(b) else (b, a)
        tail = long_[len(long_) - len(short) :]
        if (
            len(short) < len(long_)
            and all(len(w) > 1 for w in short)
            and all(_given_match(x, y) for x, y in zip(short, tail, strict=True))
        ):
            return True, "the shorter form's given names end the fuller form's"
        return False, f"given names differ ({a[0]} vs {b[0]})"
    ma, mb = a[1:], b[1:]
    agree = len(ma) == len(mb) and all(_given_match(x, y) for x, y in zip(ma, mb, strict=True))
    if ma and mb and not agree:
        return False, f"middle names differ ({' '.join(a)} vs {' '.join(b)})"
    if [_skeleton(w) for w in a] == [_skeleton(w) for w in b]:
        return True, "same given and family name"
    return True, "same first given name and family name; the other names agree"


def _reconciled(a: PersonName, b: PersonName, known: Sequence[PersonName]) -> bool:
    """Whether a known fuller form, with at least as many given names as both, agrees with two
    forms that disagree with each other ("Kemal Arslan X" reconciles "Kemal X" and "Arslan X";
    "A X" reconciles nothing, being shorter than "A B X")."""
    return any(
        len(k.given) >= max(len(a.given), len(b.given))
        and compare_people(k, a)[0]
        and compare_people(k, b)[0]
        for k in known
    )


def compare_people(a: PersonName, b: PersonName) -> tuple[bool, str]:
    """`compare_given` plus the generational suffix: "X Jr." is never "X" nor "X Sr."."""
    if a.suffix != b.suffix:
        return False, f"suffixes differ ({a.suffix or 'none'} vs {b.suffix or 'none'})"
    return compare_given(a.given, b.given)


@dataclass(frozen=True)
class ArticleEntity:
    """An entity as one article gives it."""

    kind: str
    name: str
    title: str | None
    mentions: tuple[str, ...]


def split_people(entities: Sequence[ArticleEntity], lex: NameLexicon) -> list[ArticleEntity]:
    """An article's people with mentions that name someone else split off: a person entity
    whose mentions include full names that cannot be one person ("A X" and "B X", "X" and
    "X Jr.") becomes one entity per person; family-name-only mentions stay with the first."""
    out: list[ArticleEntity] = []
    for e in entities:
        if e.kind != "person":
            out.append(e)
            continue
        groups: list[tuple[PersonName, str, list[str]]] = []
        family_only: list[str] = []
        for text in (e.name, *e.mentions):
            pn = person_name(text, lex)
            if not pn.given:
                family_only.append(text)
                continue
            for ref, _n, members in groups:
                if ref.family == pn.family and compare_people(ref, pn)[0]:
                    members.append(text)
                    break
            else:
                groups.append((pn, text, [text]))
        if len(groups) <= 1:
            out.append(e)
            continue
        first = e.name if not person_name(e.name, lex).given else groups[0][1]
        for k, (_ref, name, members) in enumerate(groups):
            if k == 0:
                mentions = [m for m in e.mentions if m in members or m in family_only]
                out.append(ArticleEntity("person", first, e.title, tuple(mentions)))
            else:
                out.append(ArticleEntity("person", name, None, tuple(members)))
    return out


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
                    track_sql.TRACK_INSERT_ALIAS,
                    (resolved.entity_id, alias, key, self.article_id, resolved.reason),
                )
        if entity.title:
            self.run(
                track_sql.TRACK_INSERT_TITLE,
                (resolved.entity_id, self.article_id, self.published, entity.title),
            )
        return resolved

    def _alias_key(self, kind: str, alias: str) -> str:
        if kind == "person":
            return person_name(alias, self.lex).family
        return place_key(alias, self.lex)

    def _new(self, entity: ArticleEntity, family: str, reason: str) -> Resolved:
        rows = self.run(track_sql.TRACK_INSERT_ENTITY, (entity.kind, entity.name, family, self.now))
        return Resolved(int(rows[0][0]), entity.name, False, reason)

    def _log(self, what: str, reason: str) -> None:
        self.run(track_sql.TRACK_INSERT_LOG, (self.article_id, what, reason, self.now))

    def _other(self, entity: ArticleEntity) -> Resolved:
        key = place_key(entity.name, self.lex)
        for entity_id, name in self.run(track_sql.TRACK_ENTITIES_BY_FAMILY, (entity.kind, key)):
            same = "same name" if name == entity.name else "same name after folding spelling"
            return Resolved(int(entity_id), str(name), True, f"{same}: {entity.name} = {name}")
        return self._new(entity, key, "first seen")

    def _evidence(self, entity: ArticleEntity, entity_id: int) -> str | None:
        """Why a person here is the stored entity beyond the name: a shared title word or
        co-occurring places and organisations (None when there is no such evidence)."""
        mine = _title_words(entity.title)
        for _published, title, _article in self.run(track_sql.TRACK_ENTITY_TITLES, (entity_id,)):
            shared = mine & _title_words(str(title))
            if shared:
                return f"title shared ({', '.join(sorted(shared))})"
        together = {
            place_key(str(name), self.lex)
            for (name,) in self.run(track_sql.TRACK_ENTITY_COOCCURRING, (entity_id,))
        }
        shared = together & self.cooccurring
        if len(shared) >= 2:
            return f"named with the same places/organisations ({', '.join(sorted(shared)[:3])})"
        return None

    def _person(self, entity: ArticleEntity) -> Resolved:
        name = person_name(entity.name, self.lex)
        candidates = self.run(track_sql.TRACK_ENTITIES_BY_FAMILY, ("person", name.family))
        compatible: list[tuple[int, str, str]] = []
        family_only: list[tuple[int, str]] = []
        for entity_id, stored in candidates:
            other = person_name(str(stored), self.lex)
            if not name.given or not other.given:
                if not name.given or not self._conflict(name, int(entity_id)):
                    family_only.append((int(entity_id), str(stored)))
                continue
            same, why = compare_people(name, other)
            conflict = self._conflict(name, int(entity_id)) if same else None
            if same and conflict is None:
                compatible.append((int(entity_id), str(stored), why))
            else:
                self._log(
                    f"kept apart: {entity.name} / {stored}",
                    f"same family name, {conflict or why}",
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

    def _conflict(self, name: PersonName, entity_id: int) -> str | None:
        """Why a full name cannot join a stored person: one of the person's full-name aliases
        differs from it (given or middle names, suffix), or None. Checking every alias, not
        only the canonical name, keeps "A B X" and "A C X" apart when "A X" came first."""
        aliases = [
            (str(alias), other)
            for (alias,) in self.run(track_sql.TRACK_ENTITY_ALIAS_NAMES, (entity_id,))
            if (other := person_name(str(alias), self.lex)).given and other.family == name.family
        ]
        for alias, other in aliases:
            same, why = compare_people(name, other)
            if not same and not _reconciled(name, other, [o for _a, o in aliases]):
                return f"{why}, with the alias {alias}"
        return None

    def _better(self, stored: str, new: str, entity_id: int) -> str:
        """The canonical name grows to the fullest form seen ("Harlan" -> "John Harlan").
        A form that only adds words before the stored given names ("Kemal Arslan X" for
        "Arslan X") must have been seen in an earlier article too: a capitalised word before
        a name once ("Beyond Arslan X") is more likely the extractor's mistake."""
        if len(name_words(new, self.lex)) > len(name_words(stored, self.lex)):
            a, b = person_name(new, self.lex), person_name(stored, self.lex)
            if a.given and b.given and not _given_match(a.given[0], b.given[0]):
                seen = self.run(track_sql.TRACK_ENTITY_ALIASES, (entity_id,))
                if not any(str(r[0]) == new and str(r[1]) != self.article_id for r in seen):
                    return stored
            self.run(track_sql.TRACK_RENAME_ENTITY, (new, entity_id))
            return new
        return stored


@dataclass(frozen=True)
class OrgLexicon:
    """Organisation speakers (data/track_speakers.json): every form that names an organisation
    (its names, seats, and offices that speak for it) folded, mapped to the organisation."""

    forms: dict[str, str]


def _org_form(text: str) -> str:
    text = _ascii(text).lower().replace("’", "'").replace("‘", "'")
    text = _NOT_ORG_FORM.sub(" ", text)
    text = _SPACES.sub(" ", text).strip(" .")
    return text.removeprefix("the ")


def load_org_lexicon() -> OrgLexicon:
    data = read_json("track_speakers.json")
    offices = [str(o) for o in data["offices"]]
    forms: dict[str, str] = {}
    for canonical, org in data["organisations"].items():
        names = [str(n) for n in org["names"]]
        for form in (canonical, *names, *org["seats"]):
            forms[_org_form(str(form))] = canonical
        for office in offices:
            for name in (*names, *org["seats"]):
                for form in (f"{name}'s {office}", f"{name} {office}", f"{office} of {name}"):
                    forms.setdefault(_org_form(form), canonical)
            for adjective in org["adjectives"]:
                forms.setdefault(_org_form(f"{adjective} {office}"), canonical)
    return OrgLexicon(forms)


def speaker_org(speaker: str | None, lex: OrgLexicon) -> str | None:
    """The organisation a speaker names ("Ankara", "Turkey's foreign ministry", "the Turkish
    government" -> "Turkey"), or None when the speaker is not one of its forms."""
    if not speaker:
        return None
    return lex.forms.get(_org_form(speaker))


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
        not want.given or compare_people(want, person_name(same[0].name, lex))[0]
    ):
        return same[0]
    return None


def article_entities(rows: Iterable[Sequence[Any]]) -> list[ArticleEntity]:
    """Group `track_sql.TRACK_ARTICLE_ENTITIES` rows (ordinal, kind, name, title, mention)."""
    out: dict[int, tuple[str, str, str | None, list[str]]] = {}
    for ordinal, kind, name, title, mention in rows:
        item = out.setdefault(int(ordinal), (str(kind), str(name), title, []))
        if mention is not None:
            item[3].append(str(mention))
    return [ArticleEntity(k, n, t, tuple(m)) for k, n, t, m in out.values()]

"""Actors: who does what in an event, named the way ACLED names them.

The lexicon (`data/actors.tsv`) maps aliases to ACLED actor names ("ISIS" -> "Islamic State
({country})", "Iraqi forces" -> "Military Forces of Iraq", "gunmen" -> "Unidentified Armed Group
({country})"); `data/countries.tsv` gives ACLED's country names, the form used after "Forces of"
and the demonyms that tie an actor to a country ("Afghan soldiers"). Names are written without
ACLED's government-period year ranges ("(2014-)"): `normalise_actor` strips them when comparing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from newsledger.datafiles import read_lines
from newsledger.extract.anchors import (
    Anchored,
    AnchorMemo,
    folds_safely,
    lazily,
    longest_space_run,
)

ARMED_KINDS = frozenset({"state", "rebel", "militia", "unidentified", "external"})
NAMED_GROUP_KINDS = frozenset({"rebel", "militia"})
BACK_REFERENCE = "(back reference)"

# nouns that may follow a named group ("Taliban militants", "ISIS fighters") and words before it
_GROUP_SUFFIX = (
    r"(?:'s)?(?:\s+(?:rebel\s+)?(?:militants?|fighters?|members?|forces|rebels?|elements|militiam[ae]n|"
    r"jihadists?|insurgents?|operatives?|cells?|troops|soldiers?|gunmen|group|supporters|remnants|"
    r"commanders?|leaders?|militia|units|personnel))?"
)
_PREFIX = r"(?:(?:suspected|alleged|presumed|reported|pro-|likely)\s*)?"
# "the US dollar exchange rate": a currency traded everywhere says nothing of where, or whose
CURRENCY_AFTER = re.compile(r"\s+dollars?\b", re.IGNORECASE)
# "Turkish-backed rebels", "US-led coalition": the backer's country is not where the event is
BACKER_AFTER = re.compile(
    r"[-\s](?:backed|led|sponsored|supported|funded|trained)\b", re.IGNORECASE
)
_YEAR_RANGE = re.compile(r"\s*\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")


@dataclass(frozen=True)
class Country:
    name: str  # ACLED's spelling: "Democratic Republic of Congo"
    of_form: str  # after "Forces of": "the Democratic Republic of Congo"
    iso2: str
    aliases: tuple[str, ...]  # other names and demonyms


@dataclass(frozen=True)
class ActorPattern:
    regex: Anchored
    actor: str  # a template with {country} / {of_country}, or BACK_REFERENCE
    kind: str
    country: str | None  # the country the actor belongs to, when fixed
    length: int  # of the pattern source: a tie-breaker, longer is more specific


@dataclass(frozen=True)
class ActorLexicon:
    patterns: tuple[ActorPattern, ...]
    countries: Mapping[str, Country]  # ACLED name -> Country
    by_alias: Mapping[str, str] = field(repr=False)  # any name, demonym or ISO code -> ACLED name
    country_regex: re.Pattern[str] = field(repr=False)


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    template: str
    kind: str
    country: str | None  # from a demonym in the mention or the actor's fixed country

    @property
    def armed(self) -> bool:
        return self.kind in ARMED_KINDS


def _load_countries() -> tuple[dict[str, Country], dict[str, str]]:
    countries: dict[str, Country] = {}
    by_alias: dict[str, str] = {}
    for line in read_lines("countries.tsv"):
        name, of_form, iso2, aliases = [*line.split("\t"), "", "", ""][:4]
        names = tuple(a.strip() for a in aliases.split("|") if a.strip())
        countries[name] = Country(name, of_form or name, iso2, names)
        for alias in (name, of_form, iso2, *names):
            by_alias.setdefault(alias, name)
    return countries, by_alias


def _country_alternation(by_alias: Mapping[str, str]) -> str:
    # longest first, so "South Sudanese" wins over "Sudanese"; ISO codes are not words of a text
    names = sorted((a for a in by_alias if len(a) > 2 or a in ("US", "UK")), key=len, reverse=True)
    return "|".join(re.escape(n) for n in names)


def load_actor_lexicon(memo: AnchorMemo | None = None) -> ActorLexicon:
    """Read actors.tsv and countries.tsv into patterns (their anchors from `memo` if given)."""
    countries, by_alias = _load_countries()
    demonyms = _country_alternation(by_alias)
    patterns: list[ActorPattern] = []
    for number, line in enumerate(read_lines("actors.tsv"), start=1):
        cells = line.split("\t")
        if len(cells) < 3:
            raise ValueError(f"actors.tsv: entry {number} needs pattern, actor and kind: {line!r}")
        source, actor, kind = cells[0], cells[1], cells[2]
        country = cells[3].strip() if len(cells) > 3 and cells[3].strip() else None
        body = source.replace("{demonym}", f"(?-i:(?P<demonym>{demonyms}))")
        named = kind in NAMED_GROUP_KINDS | {"external"} or (kind == "state" and "{" not in actor)
        suffix = _GROUP_SUFFIX if named else ""
        pattern = rf"(?<![\w-]){_PREFIX}(?:{body}){suffix}(?![\w-])"
        regex = lazily(pattern, re.IGNORECASE, memo, reach=True)
        patterns.append(ActorPattern(regex, actor, kind, country, len(source)))
    country_regex = re.compile(rf"(?<![\w-])(?:{demonyms})(?![\w-])")
    return ActorLexicon(tuple(patterns), countries, by_alias, country_regex)


def find_actor_mentions(text: str, lexicon: ActorLexicon) -> list[ActorMention]:
    """Every actor named in the text, longest match first where names overlap, in text order."""
    found: list[tuple[int, int, int, ActorPattern, str | None]] = []
    folded = text.casefold()
    space_run = longest_space_run(text)
    safe = folds_safely(text)
    for pattern in lexicon.patterns:
        for match in pattern.regex.matches(text, folded, space_run, safe):
            if match.end() == match.start():
                continue
            demonym = match.groupdict().get("demonym")
            country = lexicon.by_alias.get(demonym) if demonym else pattern.country
            found.append((match.start(), match.end(), pattern.length, pattern, country))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0]), -f[2]))
    mentions: list[ActorMention] = []
    taken_until = -1
    for start, end, _, pattern, country in found:
        if start < taken_until:
            continue
        mentions.append(
            ActorMention(start, end, text[start:end], pattern.actor, pattern.kind, country)
        )
        taken_until = end
    return mentions


def resolve_back_references(mentions: Sequence[ActorMention]) -> list[ActorMention]:
    """Replace "the group" and the like by the last named armed group before it (or drop it)."""
    resolved: list[ActorMention] = []
    last_group: ActorMention | None = None
    for mention in mentions:
        if mention.template == BACK_REFERENCE:
            if last_group is not None:
                resolved.append(
                    ActorMention(
                        mention.start,
                        mention.end,
                        mention.text,
                        last_group.template,
                        last_group.kind,
                        last_group.country,
                    )
                )
            continue
        if mention.kind in NAMED_GROUP_KINDS:
            last_group = mention
        resolved.append(mention)
    return resolved


def actor_name(mention: ActorMention, country: str | None, lexicon: ActorLexicon) -> str:
    """The ACLED name of a mention; the mention's own country (a demonym) wins over `country`."""
    own = mention.country if "{" in mention.template and mention.country else country
    return render(mention.template, own, lexicon)


def render(template: str, country: str | None, lexicon: ActorLexicon) -> str:
    """Fill {country} / {of_country}; without a country the parenthesis or "of" part is dropped."""
    if country is None or country not in lexicon.countries:
        name = template.replace(" ({country})", "").replace(" of {of_country}", "")
        return name.replace("{country}", "").replace("{of_country}", "").strip()
    entry = lexicon.countries[country]
    return template.replace("{of_country}", entry.of_form).replace("{country}", entry.name)


def country_name(value: str | None, lexicon: ActorLexicon) -> str | None:
    """ACLED's name for a country given as a name, demonym or ISO code (None if unknown)."""
    if not value:
        return None
    return lexicon.by_alias.get(value.strip()) or lexicon.by_alias.get(value.strip().title())


def find_countries(text: str, lexicon: ActorLexicon) -> list[tuple[int, str]]:
    """(offset, ACLED country) for every country name or demonym in the text (not a currency's,
    "US dollar", nor a backer's, "Turkish-backed")."""
    return [
        (m.start(), lexicon.by_alias[m.group(0)])
        for m in lexicon.country_regex.finditer(text)
        if not CURRENCY_AFTER.match(text, m.end()) and not BACKER_AFTER.match(text, m.end())
    ]


def normalise_actor(name: str | None) -> str:
    """An actor name for comparison: year ranges dropped, case and spacing folded.

    "Military Forces of India (2014-)" and "military forces of india" compare equal; sub-units
    ("... Supreme Political Council") are kept, as they name different actors.
    """
    if not name:
        return ""
    return " ".join(_YEAR_RANGE.sub("", name).casefold().rstrip(".").split())


def first_armed(mentions: Iterable[ActorMention]) -> ActorMention | None:
    return next((m for m in mentions if m.armed), None)

"""The armed actors a report names, as evidence about its places (used by `places.py`).

- An actor of a fixed country ("Houthis", "LNA", "Hamas", "Taliban": the fourth column of
  `data/actors.tsv`) names a country the report is about, as a demonym does: "Houthi
  fighters shelled positions in Al Jawf governorate" is Yemen's Al Jawf, not Saudi Arabia's;
  "Hamas [...] in Gaza city" Palestine's Gaza, not Mozambique's province.
- A named armed group is no place: "Taliban" is also another name of a Turkish village, but
  "according to Taliban" names the group. Only a place known by that name as another name is
  refused (a town whose own name it is stays a candidate).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from newsledger.datafiles import read_lines
from newsledger.extract.events.actors import (
    ARMED_KINDS,
    ActorLexicon,
    ActorMention,
    find_actor_mentions,
)

AREAS_FILE = "actor_areas.tsv"


@dataclass(frozen=True)
class ReportActors:
    """The armed actors of fixed identity a report names."""

    mentions: tuple[ActorMention, ...]

    @property
    def countries(self) -> list[str]:
        """The countries the named armed actors belong to, once per mention (ACLED names)."""
        return [m.country for m in self.mentions if m.country]

    def names_group(self, start: int, end: int) -> bool:
        """Whether the text between `start` and `end` lies inside a named armed group."""
        return any(m.start <= start and end <= m.end for m in self.mentions)


def report_actors(
    text: str, lexicon: ActorLexicon | None, mentions: Sequence[ActorMention] | None = None
) -> ReportActors:
    """The named armed groups and forces of a fixed country in `text` (none without a lexicon):
    not the generic ones ("gunmen", "Unidentified Armed Group ({country})"), whose country is
    the event's place. `mentions`: the text's actor mentions when the caller has them already
    (`find_actor_mentions(text, lexicon)`, shared with the event coder)."""
    if lexicon is None:
        return ReportActors(())
    if mentions is None:
        mentions = find_actor_mentions(text, lexicon)
    return ReportActors(
        tuple(m for m in mentions if m.kind in ARMED_KINDS and "{" not in m.template)
    )


def country_codes(names: Sequence[str], lexicon: ActorLexicon | None) -> list[str]:
    """The ISO codes of ACLED country names (those the lexicon knows)."""
    if lexicon is None:
        return []
    return [lexicon.countries[n].iso2 for n in names if n in lexicon.countries]


@dataclass(frozen=True)
class ActorAreas:
    """The provinces where each named armed group operates (`data/actor_areas.tsv`): ACLED
    actor -> (country code, admin1 name as the gazetteer writes it) pairs."""

    provinces: Mapping[str, tuple[tuple[str, str], ...]]

    def of(self, actors: ReportActors) -> set[tuple[str, str]]:
        """The provinces of the groups a report names."""
        return {pair for m in actors.mentions for pair in self.provinces.get(m.template, ())}


@functools.cache
def load_actor_areas() -> ActorAreas:
    """`data/actor_areas.tsv`, read once (a data file is not changed while the package runs)."""
    provinces: dict[str, list[tuple[str, str]]] = {}
    for number, line in enumerate(read_lines(AREAS_FILE), start=1):
        fields = line.split("\t")
        if len(fields) != 3 or len(fields[1]) != 2 or not fields[2]:
            raise ValueError(
                f"{AREAS_FILE}: line {number} of its rows: expected actor, country code and "
                f"provinces separated by tabs, got {line!r}"
            )
        actor, code, names = fields
        provinces.setdefault(actor, []).extend((code, name) for name in names.split("|"))
    return ActorAreas(MappingProxyType({k: tuple(v) for k, v in provinces.items()}))

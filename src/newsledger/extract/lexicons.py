"""The extractors' word lists, one lexicon per concern, each read from the package's data files.

* `AttributionLexicon` (`load_attribution_lexicon`): who says what: reporting verbs and their
  frames, titles, pronouns, honorifics, first names, document and source nouns, the cues of
  prepositional attribution, and the kinds of sources by their head noun (source_nouns.json).
* `NumberLexicon` (`load_number_lexicon`): number words, scales, fractions, percent and currency
  words, the units that make a number something other than a count (claims, deadlines).
* `DeadlineLexicon` (`load_deadline_lexicon`): the relations written before a date ("no later
  than"), duration units, period nouns, the months, and the number words durations are written in.

Month names come from one file, `months.json` (`datafiles.month_numbers`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from newsledger.datafiles import month_numbers, read_json, read_lines


def _lower_set(items: Iterable[str]) -> frozenset[str]:
    return frozenset(item.lower() for item in items)


@dataclass(frozen=True)
class AttributionLexicon:
    """Word lists for attribution; every field comes from a data file (see the loader)."""

    verb_frames: Mapping[str, frozenset[str]]  # "say" -> {"clause"}; "point out" -> ...
    noun_frames: Mapping[str, frozenset[str]]  # "claim" -> {"clause", "about"} (nominal_cues.txt)
    holder_nouns: frozenset[str]  # "critic", "opponent": nominal cues that name who holds a view
    titles: frozenset[str]  # lower-case titles and roles ("prime minister", "spokesman")
    title_words: frozenset[str]  # every word of every title
    male_pronouns: frozenset[str]
    female_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    neuter_pronouns: frozenset[str]
    first_person: frozenset[str]
    relative_pronouns: frozenset[str]
    male_honorifics: frozenset[str]
    female_honorifics: frozenset[str]
    female_names: frozenset[str]
    male_names: frozenset[str]
    document_nouns: frozenset[str]
    agent_prepositions: frozenset[str]
    not_sources: frozenset[str]
    naming_cues: frozenset[str]
    function_words: frozenset[str]  # the lower-case words of names and titles ("of", "al")
    prepositional_cues: tuple[tuple[str, ...], ...]
    complementizers: frozenset[str]
    event_clause_marks: frozenset[str]  # "as", "while": a clause on when a thing was said
    name_particles: frozenset[str]
    place_prepositions: frozenset[str]
    organization_nouns: frozenset[str]  # source_nouns.json: kinds of sources by head noun
    media_nouns: frozenset[str]
    media_name_words: frozenset[str]  # a word that makes an organisation's name an outlet's
    people_nouns: frozenset[str]  # nouns for people ("official", "resident", "witness")
    group_words: frozenset[str]  # "many", "some", "others": a group when they are the speaker
    section_labels: frozenset[str]  # "UPDATE:", "CLARIFICATION:": a heading, not a speaker
    label_suffixes: tuple[str, ...]  # a one-word heading's endings ("BORROWING:", "ELECTION:")
    offices: frozenset[str] = frozenset()  # "the senator" names only a person given that office
    title_abbreviations: Mapping[str, str] = field(default_factory=dict)  # "sen." -> "senator"

    @property
    def pronouns(self) -> frozenset[str]:
        return (
            self.male_pronouns
            | self.female_pronouns
            | self.plural_pronouns
            | self.neuter_pronouns
            | self.first_person
            | self.relative_pronouns
        )


def load_attribution_lexicon() -> AttributionLexicon:
    """Read reporting_verbs.txt, nominal_cues.txt, titles.txt, attribution.json and
    source_nouns.json."""
    frames: dict[str, set[str]] = {}
    for line in read_lines("reporting_verbs.txt"):
        lemma, *rest = line.split()
        frames.setdefault(lemma.replace("_", " ").lower(), set()).update(rest)
    nouns: dict[str, set[str]] = {}
    holders: set[str] = set()
    for line in read_lines("nominal_cues.txt"):
        noun, *rest = line.split()
        nouns.setdefault(noun.lower(), set()).update(f for f in rest if f != "holder")
        if "holder" in rest:
            holders.add(noun.lower())
    titles = _lower_set(read_lines("titles.txt"))
    attribution = read_json("attribution.json")
    pronouns = attribution["pronouns"]
    function_words = _lower_set(attribution["function_words"])
    sources = read_json("source_nouns.json")
    return AttributionLexicon(
        verb_frames={lemma: frozenset(f) for lemma, f in frames.items()},
        noun_frames={noun: frozenset(f) for noun, f in nouns.items()},
        holder_nouns=frozenset(holders),
        titles=titles,
        title_words=frozenset(
            word for title in titles for word in title.split() if word not in function_words
        ),
        male_pronouns=_lower_set(pronouns["male"]),
        female_pronouns=_lower_set(pronouns["female"]),
        plural_pronouns=_lower_set(pronouns["plural"]),
        neuter_pronouns=_lower_set(pronouns["neuter"]),
        first_person=_lower_set(pronouns["first_person"]),
        relative_pronouns=_lower_set(pronouns["relative"]),
        male_honorifics=_lower_set(attribution["honorifics"]["male"]),
        female_honorifics=_lower_set(attribution["honorifics"]["female"]),
        female_names=_lower_set(attribution["female_names"]),
        male_names=_lower_set(attribution["male_names"]),
        document_nouns=_lower_set(attribution["document_nouns"]),
        agent_prepositions=_lower_set(attribution["agent_prepositions"]),
        not_sources=_lower_set(attribution["not_sources"]),
        naming_cues=_lower_set(attribution["naming_cues"]),
        function_words=function_words,
        prepositional_cues=tuple(
            tuple(cue.lower().split()) for cue in attribution["prepositional_cues"]
        ),
        complementizers=_lower_set(attribution["complementizers"]),
        event_clause_marks=_lower_set(attribution["event_clause_marks"]),
        name_particles=_lower_set(attribution["name_particles"]),
        place_prepositions=_lower_set(attribution["place_prepositions"]),
        organization_nouns=_lower_set(sources["organization"]),
        media_nouns=_lower_set(sources["media"]),
        media_name_words=_lower_set(sources["media_name_words"]),
        people_nouns=_lower_set(sources["people"]),
        group_words=_lower_set(sources["group_words"]),
        section_labels=_lower_set(sources["section_labels"]),
        label_suffixes=tuple(sources["label_suffixes"]),
        offices=_lower_set(sources["offices"]),
        title_abbreviations={
            k.lower(): v.lower() for k, v in sources["title_abbreviations"].items()
        },
    )


@dataclass(frozen=True)
class NumberLexicon:
    """Number words and what makes a number a count (numbers.json)."""

    units: Mapping[str, int]  # "one" -> 1 ... "nineteen" -> 19, "a" -> 1
    tens: Mapping[str, int]  # "twenty" -> 20
    scales: Mapping[str, int]  # "thousand" -> 1000, "bn" -> 1e9
    fractions: Mapping[str, float]  # "half" -> 0.5
    percent_words: frozenset[str]
    currency_words: Mapping[str, str]  # "$" -> "US dollars"
    not_counts: frozenset[str]  # units that make a number a measure, not a count
    approximators: frozenset[str]


def load_number_lexicon() -> NumberLexicon:
    """Read numbers.json."""
    numbers = read_json("numbers.json")
    return NumberLexicon(
        units=dict(numbers["units"]),
        tens=dict(numbers["tens"]),
        scales=dict(numbers["scales"]),
        fractions=dict(numbers["fractions"]),
        percent_words=_lower_set(numbers["percent_words"]),
        currency_words={k.lower(): v for k, v in numbers["currency_words"].items()},
        not_counts=_lower_set(numbers["not_counts"]),
        approximators=_lower_set(numbers["approximators"]),
    )


@dataclass(frozen=True)
class DeadlineLexicon:
    """Cues and units of deadlines (deadlines.json), the months, and the number words."""

    relations: Mapping[str, str]  # "not later than" -> "no later than"
    months: Mapping[str, int]
    duration_units: Mapping[str, int]  # "year" -> 12 (months), "week" -> 0 (counted in days)
    period_nouns: frozenset[str]
    numbers: NumberLexicon


def load_deadline_lexicon(numbers: NumberLexicon | None = None) -> DeadlineLexicon:
    """Read deadlines.json and months.json; `numbers` is read too unless given."""
    deadlines = read_json("deadlines.json")
    return DeadlineLexicon(
        relations={k.lower(): v for k, v in deadlines["relations"].items()},
        months=month_numbers(),
        duration_units={k.lower(): int(v) for k, v in deadlines["duration_units"].items()},
        period_nouns=_lower_set(deadlines["period_nouns"]),
        numbers=numbers if numbers is not None else load_number_lexicon(),
    )

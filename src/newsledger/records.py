"""The typed records that flow through the pipeline (field names are the contract in DESIGN.md).

Every record is a frozen dataclass. Offsets (`Evidence.start`, `Evidence.end`) are character
offsets into the article's clean `text`; `Article.to_raw` maps them back to `raw_text`.
"""

from __future__ import annotations

import bisect
import enum
from dataclasses import asdict, dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Evidence:
    """A stretch of the clean article text: the evidence a record was taken from."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class OffsetMap:
    """Maps clean-text offsets to raw-text offsets.

    Stored as anchor points: from `clean[i]` on (until the next anchor) the raw offset is
    `raw[i] + (offset - clean[i])`. Inserted characters (a space added between glued words)
    map to the raw offset of the character that follows them.
    """

    clean: tuple[int, ...] = (0,)
    raw: tuple[int, ...] = (0,)

    def to_raw(self, offset: int) -> int:
        i = bisect.bisect_right(self.clean, offset) - 1
        if i < 0:
            return offset
        return self.raw[i] + (offset - self.clean[i])

    def to_json(self) -> list[list[int]]:
        return [list(self.clean), list(self.raw)]

    @classmethod
    def from_json(cls, data: list[list[int]]) -> OffsetMap:
        return cls(tuple(data[0]), tuple(data[1]))


@dataclass(frozen=True)
class Article:
    id: str
    source: str | None
    published: str | None  # ISO 8601
    url: str | None
    title: str | None
    text: str  # clean
    raw_text: str
    offsets: OffsetMap = field(default_factory=OffsetMap)
    origin: str = ""  # where it was read from: "path" or "path:line"
    # None: `published` is exact as given; else it was read from a messy value (readers/dates.py)
    # and is known to the "day", "week", "month" or "year" only
    published_precision: str | None = None

    def to_raw(self, offset: int) -> int:
        return self.offsets.to_raw(offset)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "published": self.published,
            "url": self.url,
            "title": self.title,
            "text": self.text,
            "raw_text": self.raw_text,
            # only when set: the JSON of an article with an exact date is as it always was
            **({"published_precision": p} if (p := self.published_precision) else {}),
        }


@dataclass(frozen=True)
class Event:
    event_date: str | None  # YYYY-MM-DD
    time_precision: int | None  # 1 day, 2 week, 3 month (ACLED)
    event_type: str
    sub_event_type: str
    actor1: str | None
    assoc_actor_1: str | None
    actor2: str | None
    assoc_actor_2: str | None
    location: str | None
    admin1: str | None
    admin2: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None  # 1/2/3 (ACLED)
    fatalities: int
    notes: str
    evidence: Evidence  # the sentence that reports the event best
    confidence: float
    # the other sentences of the article that tell the same incident (not stored in the ledger)
    more_evidence: tuple[Evidence, ...] = ()


SpeakerKind = Literal["person", "organization", "group", "document", "media", "unknown"]
"""What kind of source a speaker is: a person, an organisation (a government, a ministry, a
party, a campaign, a court), a group or description of people ("residents", "officials"), a
document (a report, a statement, a filing, a poll), a news outlet, or unknown (no speaker)."""


@dataclass(frozen=True)
class Quote:
    speaker: str | None
    speaker_title: str | None
    text: str
    kind: Literal["direct", "indirect"]
    cue: str | None
    evidence: Evidence
    speaker_kind: SpeakerKind = "unknown"
    notes: str = ""  # why the speaker is None when candidates were refused; a fragment's origin


@dataclass(frozen=True)
class Claim:
    value: float
    unit: str
    subject: str | None
    claimed_by: str | None
    evidence: Evidence
    speaker_kind: SpeakerKind = "unknown"  # the kind of source `claimed_by` is


@dataclass(frozen=True)
class Deadline:
    subject: str
    deadline: str  # YYYY-MM or YYYY-MM-DD
    precision: Literal["day", "month", "year"]
    relation: str  # by, until, no later than, scheduled for, within
    stated_by: str | None
    evidence: Evidence


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    kind: Literal["person", "organization", "place"]
    name: str
    mentions: tuple[Mention, ...]
    title: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    admin1: str | None = None
    country: str | None = None
    geonameid: int | None = None


@dataclass(frozen=True)
class RecordRef:
    article: str
    kind: str  # quote, deadline, claim, event
    record: dict[str, Any]


@dataclass(frozen=True)
class Change:
    kind: Literal["stance changed", "deadline differs", "figure differs", "reaffirmed"]
    speaker: str | None
    topic: str | None
    earlier: RecordRef
    later: RecordRef
    why: str


@dataclass(frozen=True)
class Extraction:
    """Everything the pipeline takes from one article."""

    article: Article
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    entities: tuple[Entity, ...] = ()
    gazetteer: tuple[str, ...] = ()
    """What the gazetteer that placed these records was built from, one line each (geo's
    `Gazetteer.sources`; empty: not known). The ledger keeps it per article; not in the JSON."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `newsledger extract --format jsonl` (DESIGN.md)."""
        return {
            "article": self.article.to_dict(),
            "events": [asdict(r) for r in self.events],
            "quotes": [asdict(r) for r in self.quotes],
            "claims": [asdict(r) for r in self.claims],
            "deadlines": [asdict(r) for r in self.deadlines],
            "entities": [asdict(r) for r in self.entities],
        }


RECORD_KINDS = ("events", "quotes", "claims", "deadlines", "entities")

ACCOUNT_ROLES = ("viewer", "reviewer", "admin")
"""The roles of a web app account (`store.accounts`), named here so that `newsledger user add
--help` offers them without loading the store."""


class StoreResult(enum.Enum):
    """What storing one extraction did (here, not in `store`, so that the pipeline, which
    stores through a ledger it is given, depends on no higher stage)."""

    STORED = "stored"
    DUPLICATE = "duplicate"

"""Tracking across articles: entities resolved across spellings, reports of one event merged,
and changes between reports flagged (stance changed, deadline differs, figure differs,
reaffirmed).

`track_article(ledger, article_id, tracker)` is the incremental step, run after an article is
stored: it resolves the article's entities, files its statements under lookup keys (speaker,
topic words, unit), merges its events into clusters, and compares its statements only with the
stored statements that share a key with them (newest `CANDIDATES_PER_KEY` per key), so its cost
does not grow with the ledger. Tracking an article twice does nothing the second time.

A statement's speaker is a resolved person, else an organisation (data/track_speakers.json: a
government, its ministries, spokespeople and seat are one speaker), else the name as given.
"""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from itertools import islice
from typing import Any

from newsledger.store import Ledger, reviews
from newsledger.store.rows import record_dict
from newsledger.store.sql import track as track_sql
from newsledger.track.candidates import KeptStatements, kept_parse, parse_statement, parsed
from newsledger.track.changes import Statement, find_changes, unit_head
from newsledger.track.events import EventRef, track_events
from newsledger.track.identities import (
    NameLexicon,
    OrgLexicon,
    Resolved,
    Resolver,
    article_entities,
    load_name_lexicon,
    load_org_lexicon,
    place_key,
    speaker_entity,
    speaker_org,
    split_people,
)
from newsledger.track.stance import Stance, StanceLexicon, load_stance_lexicon, stance_of
from newsledger.track.topics import LexicalTopics, TopicSimilarity, load_topics

CANDIDATES_PER_KEY = 100
MAX_TOPIC_KEYS = 12
ANAPHORA = {"these", "this", "those", "it", "its", "they", "their", "such", "that", "he", "she"}
SENTENCE_END = re.compile(r"[.!?][\"”’]?\s+")


@dataclass(frozen=True)
class Tracker:
    """What tracking loads once (lexicons, the topic measure) and passes explicitly."""

    names: NameLexicon
    orgs: OrgLexicon
    stance: StanceLexicon
    topics: TopicSimilarity
    lexical: LexicalTopics


def load_tracker(topic_method: str = "lexical") -> Tracker:
    lexical = load_topics("lexical")
    assert isinstance(lexical, LexicalTopics)
    topics = lexical if topic_method == "lexical" else load_topics(topic_method)
    return Tracker(load_name_lexicon(), load_org_lexicon(), load_stance_lexicon(), topics, lexical)


@dataclass
class TrackReport:
    article_id: str
    entities: int = 0
    merged_entities: int = 0
    statements: int = 0
    candidates: int = 0
    events_merged: int = 0
    event_splits: int = 0
    changes: int = 0
    already_tracked: bool = False
    seconds: float = 0.0
    reasons: list[str] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def previous_sentences(text: str, start: int, count: int = 2) -> str:
    """Up to `count` sentences before offset `start` (which starts a sentence)."""
    before = text[:start].rstrip()
    return before[_sentences_back(before, count) :]


def _sentences_back(before: str, count: int, window: int = 1000) -> int:
    """Where the `count`-th sentence from the end of `before` starts (0: it has fewer).

    Sentence ends are looked for in the last `window` characters first, then in four times as
    many, and so on (profiled: every statement's article was scanned from its start). A
    sentence end (`SENTENCE_END`: a stop, maybe a closing quote, white space) found from any
    offset is one found from the start, except one that begins before the offset, which is
    not counted: so `count` ends found from an offset are the last `count` of the text."""
    while True:
        offset = max(0, len(before) - window)
        ends = [m.end() for m in SENTENCE_END.finditer(before, offset)]
        if len(ends) >= count:
            return ends[-count] if count > 0 else 0
        if offset == 0:
            return 0
        window *= 4


def topic_text(
    own: str, evidence: dict[str, Any], article_text: str, back: int, drop: Sequence[str]
) -> str:
    """A statement's topic text: its own words and sentence, plus up to `back` sentences before
    when the statement opens with a word that points back ("These timelines ...") or is short.
    Words of `drop` (the article's people's names and titles) are left out: they say who, not
    what about."""
    first = [m.group().lower() for m in islice(_LETTERS.finditer(own), 3)]
    parts = [own, str(evidence.get("text") or "")]
    if back and (any(w in ANAPHORA for w in first) or len(own.split()) < 6):
        parts.append(previous_sentences(article_text, int(evidence.get("start") or 0), back))
    out = " ".join(p for p in parts if p)
    dropped = _drop_pattern(tuple(drop))
    if dropped is not None:
        out = dropped.sub(" ", out)
    return _SPACES.sub(" ", out).strip()


_LETTERS = re.compile(r"[A-Za-z']+")
_NAME_WORD = re.compile(r"[\w'’-]+")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=64)  # one article's people: the same for each of its statements
def _drop_pattern(drop: tuple[str, ...]) -> re.Pattern[str] | None:
    """The words of `drop` longer than two letters, longest first, as whole words."""
    words = sorted(
        {w for d in drop for w in _NAME_WORD.findall(d) if len(w) > 2}, key=len, reverse=True
    )
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")


@functools.lru_cache(maxsize=64)
def _drop_names(drop: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for d in drop for w in _NAME_WORD.findall(d))


def _said_of_without(stance: Stance, drop: Sequence[str]) -> Stance:
    """A stance with people's names left out of what each cue is said of ("Harlan agreed"
    and "Harlan decided" are not said of the same thing)."""
    names = _drop_names(tuple(drop))

    def keep(text: str) -> str:
        return " ".join(w for w in text.split() if w not in names)

    return {k: (side, cue, keep(of), keep(after)) for k, (side, cue, of, after) in stance.items()}


def _records(ledger: Ledger, kind: str, article_id: str) -> list[dict[str, Any]]:
    """One article's records of a kind as reviewers left them (store.reviews): their reviewed
    values; rejected ones and events merged into another left out."""
    columns = ("ordinal", *track_sql.TRACK_RECORD_FIELDS[kind])
    rows = ledger.query(track_sql.TRACK_ARTICLE_RECORDS[kind], (article_id,))
    reviewed = reviews.reviewed_values(ledger, kind, article_id)
    out = []
    for record in (record_dict(columns, row) for row in rows):
        status, values = reviewed.get(int(record["ordinal"]), ("unreviewed", {}))
        if status == "rejected" or values.get("same_as"):
            continue
        for column, value in values.items():
            if column.startswith("evidence_"):
                record.setdefault("evidence", {})[column.removeprefix("evidence_")] = value
            elif column in record:
                record[column] = value
        out.append(record)
    return out


def _speaker_key(
    speaker: str | None,
    person: Resolved | None,
    org: str | None,
    lex: NameLexicon,
    kind: str | None = None,
) -> str | None:
    """Who a statement is by, as a lookup key: a resolved person, an organisation (a government
    and its ministries, spokespeople and seat are one speaker; any named organisation or outlet
    the extractor typed as one, `kind`), or a capitalised name."""
    if person is not None:
        return f"person:{person.entity_id}"
    if org is not None:
        return f"org:{place_key(org, lex)}"
    if not speaker:
        return None
    last = speaker.split()[-1]
    if not speaker[0].isupper() or not last[:1].isupper():
        return None  # "Iraqi officials", "experts": a group, not one speaker
    if kind in ("organization", "media"):
        return f"org:{place_key(speaker, lex)}"  # an organisation's position can change too
    return f"speaker:{place_key(speaker, lex)}"


# the plain reading of stored statements (`newsledger.track.candidates`), by their old names
_statement = parsed
_kept_statement = kept_parse
_parse_statement = parse_statement


def _statement_row(s: Statement) -> tuple[Any, ...]:
    return (
        s.article,
        s.kind,
        s.ordinal,
        s.published,
        s.source,
        s.speaker_key,
        s.speaker,
        s.topic,
        json.dumps(s.stance, ensure_ascii=False),
        json.dumps(s.record, ensure_ascii=False, sort_keys=True),
    )


def _keys(s: Statement, tracker: Tracker, skip: frozenset[str]) -> list[str]:
    """A statement's lookup keys; `skip`: words (lower case) its topic terms leave out."""
    if s.kind == "quote":
        terms = sorted(tracker.lexical.terms_skipping(s.topic, skip))[: MAX_TOPIC_KEYS * 4]
        keys = [f"speaker:{s.speaker_key}"] if s.speaker_key else []
        for dimension in s.stance:
            keys += [f"stance:{dimension}:{t}" for t in terms]
        return keys
    if s.kind == "deadline":
        own = tracker.lexical.terms_skipping(str(s.record.get("subject") or ""), skip)
        return [f"deadline:{t}" for t in sorted(own)[:MAX_TOPIC_KEYS]]
    head = unit_head(str(s.record.get("unit") or ""))
    return [f"claim:{head}"] if head else []


KIND_OF = {"quotes": "quote", "deadlines": "deadline", "claims": "claim"}


def track_article(
    ledger: Ledger, article_id: str, tracker: Tracker, kept: KeptStatements | None = None
) -> TrackReport:
    """Track one stored article against the ledger (incremental; idempotent). `kept`: the
    candidate statements read for earlier articles of this run, kept by row id
    (`newsledger.track.candidates`; the same candidates as without it, read faster)."""
    started = time.perf_counter()
    report = TrackReport(article_id)
    if ledger.query(track_sql.TRACK_IS_DONE, (article_id,)):
        report.already_tracked = True
        return report
    rows = ledger.query(track_sql.TRACK_ARTICLE, (article_id,))
    if not rows:
        raise ValueError(f"article {article_id} is not in the ledger {ledger.name}; store it first")
    _id, source, published, _title, text = rows[0]
    published = str(published or "")
    entities = split_people(
        article_entities(ledger.query(track_sql.TRACK_ARTICLE_ENTITIES, (article_id,))),
        tracker.names,
    )
    records = {kind: _records(ledger, kind, article_id) for kind in track_sql.TRACK_RECORD_FIELDS}
    now = _now()
    changes = []
    with ledger.transaction("tracking") as run:
        cooccurring = frozenset(
            place_key(e.name, tracker.names) for e in entities if e.kind != "person"
        )
        resolver = Resolver(run, tracker.names, article_id, published, cooccurring, now)
        resolved: dict[str, Resolved] = {}
        for entity in entities:
            r = resolver.resolve(entity)
            resolved.setdefault(entity.name, r)
            report.entities += 1
            if r.merged:
                report.merged_entities += 1
                report.reasons.append(f"{entity.name} -> #{r.entity_id} {r.name}: {r.reason}")
        people = {
            n: r
            for n, r in resolved.items()
            if any(e.kind == "person" and e.name == n for e in entities)
        }
        drop = tuple(
            part
            for e in entities
            if e.kind == "person"
            for part in (e.name, e.title or "", *e.mentions)
        )
        statements: list[Statement] = []
        for kind, single in KIND_OF.items():
            for rec in records[kind]:
                speaker_field = {
                    "quote": "speaker",
                    "deadline": "stated_by",
                    "claim": "claimed_by",
                }[single]
                speaker = rec.get(speaker_field)
                person = speaker_entity(speaker, people, tracker.names)
                org = None if person else speaker_org(speaker, tracker.orgs)
                own = {
                    "quote": str(rec.get("text") or ""),
                    "deadline": str(rec.get("subject") or ""),
                    "claim": f"{rec.get('unit') or ''} {rec.get('subject') or ''}",
                }[single]
                stance = (
                    _said_of_without(stance_of(own, tracker.stance), drop)
                    if single == "quote"
                    else {}
                )
                statements.append(
                    Statement(
                        article=article_id,
                        kind=single,
                        ordinal=int(rec["ordinal"]),
                        published=published,
                        source=source,
                        speaker_key=_speaker_key(
                            speaker, person, org, tracker.names, rec.get("speaker_kind")
                        ),
                        speaker=person.name if person else org or speaker,
                        topic=topic_text(
                            own,
                            rec.get("evidence") or {},
                            str(text),
                            2 if single == "quote" else 0,
                            drop,
                        ),
                        stance=stance,
                        record=rec,
                    )
                )
        # candidates: stored statements sharing a key with this article's statements
        skip = frozenset(w.lower() for e in entities if e.kind == "person" for w in e.name.split())
        seen: dict[tuple[str, str, int], Statement] = {}
        ids: dict[int, None] = {}  # with `kept`: the candidates' row ids, in order
        for s in statements:
            keys = _keys(s, tracker, skip)
            for key in keys:
                if kept is not None:
                    for (row_id,) in run(
                        track_sql.TRACK_KEY_IDS, (key, article_id, CANDIDATES_PER_KEY)
                    ):
                        ids.setdefault(int(row_id))
                else:
                    for row in run(
                        track_sql.TRACK_KEY_RECORDS, (key, article_id, CANDIDATES_PER_KEY)
                    ):
                        ident = (str(row[0]), str(row[1]), int(row[2]))  # article, kind, ordinal
                        if ident not in seen:  # under several keys: parsed once
                            seen[ident] = _statement(row)
                run(track_sql.TRACK_INSERT_KEY, (key, article_id, s.kind, s.ordinal, published))
            run(track_sql.TRACK_INSERT_STATEMENT, _statement_row(s))
        candidates = (
            list(seen.values())
            if kept is None
            else kept.statements(run, ids, ledger.data_version())
        )
        report.statements = len(statements)
        report.candidates = len(candidates)
        changes = find_changes(
            _collapse(statements),
            candidates,
            tracker.topics,
            tracker.lexical.lexicon.event_counts,
            tracker.stance,
        )
        events = [
            EventRef(article_id, int(rec["ordinal"]), _flat_event(rec), source)
            for rec in records["events"]
        ]
        ev = track_events(run, events, now)
        report.events_merged, report.event_splits = ev.merged, ev.splits
        report.changes = ledger.insert_changes(changes)  # committed with the mark, or neither
        run(track_sql.TRACK_MARK_DONE, (article_id, now))
    report.seconds = time.perf_counter() - started
    return report


def _flat_event(rec: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in rec.items() if k not in ("ordinal", "evidence")}
    for k, v in (rec.get("evidence") or {}).items():
        out[f"evidence_{k}"] = v
    return out


def _collapse(statements: list[Statement]) -> list[Statement]:
    """Deadlines of one sentence that agree at the coarser precision are one commitment: keep
    the first (a date rather than a period)."""
    out: list[Statement] = []
    kept: list[Statement] = []
    for s in sorted(statements, key=lambda x: x.record.get("relation") == "period"):
        if s.kind == "deadline":
            ev = s.record.get("evidence") or {}
            same = any(
                (k.record.get("evidence") or {}).get("start") == ev.get("start")
                and str(k.record["deadline"])[:7] == str(s.record["deadline"])[:7]
                for k in kept
            )
            if same:
                continue
            kept.append(s)
        out.append(s)
    return out


def tracking(ledger: Ledger, tracker: Tracker) -> Callable[[str], int]:
    """What `newsledger.pipeline.ingest` calls after storing each article (its `track`): the
    article tracked against `ledger`, and the number of changes that flagged."""
    return partial(_track_changes, ledger, tracker, KeptStatements())


def _track_changes(ledger: Ledger, tracker: Tracker, kept: KeptStatements, article_id: str) -> int:
    return track_article(ledger, article_id, tracker, kept).changes

"""A briefing's content from its records (`data.Data` -> a plain dict, `build`).

One view, several outputs: the dict is the JSON format as it is, and the HTML, PDF and Markdown
are rendered from it. Every sentence and figure carries `notes`: the numbers of the footnotes
(the articles behind it) in `sources`, numbered in the order they are first cited.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from newsledger import datafiles
from newsledger.report.data import DEADLINE_DUE_DAYS, DEADLINE_PASSED_DAYS, Data
from newsledger.report.wording import cue_as_written, day_words, verb_forms

EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)
"""ACLED's six event types, in the order the charts stack and the legends list them."""

TOP_PROVINCES = 12
TOP_ACTORS = 10
TOP_SPEAKERS = 5
STATEMENTS_EACH = 3
DAILY_UP_TO = 31
WEEKLY_UP_TO = 366
"""Charts count events by day for periods up to DAILY_UP_TO days, by week (from Monday) up to
WEEKLY_UP_TO, by month beyond."""


class Notes:
    """Footnotes: each article gets a number the first time it is cited."""

    def __init__(self, articles: dict[str, dict[str, Any]]) -> None:
        self._articles = articles
        self._numbers: dict[str, int] = {}

    def cite(self, article_ids: Iterable[str]) -> list[int]:
        out: set[int] = set()
        for article_id in article_ids:
            if article_id not in self._numbers:
                self._numbers[article_id] = len(self._numbers) + 1
            out.add(self._numbers[article_id])
        return sorted(out)

    def sources(self) -> list[dict[str, Any]]:
        return [{"n": n, **self._articles[a]} for a, n in self._numbers.items()]


def _articles_of(records: Iterable[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(r["article"]["id"] for r in records))


def change_words(what: str, now: int, before: int | None) -> str:
    """'Fatalities rose from 12 to 31' (before None: '31 fatalities' is not compared)."""
    if before is None:
        return f"{what}: {now:,}"
    if now > before:
        return f"{what} rose from {before:,} to {now:,}"
    if now < before:
        return f"{what} fell from {before:,} to {now:,}"
    return f"{what} stayed at {now:,}"


def _fatalities(events: Iterable[dict[str, Any]]) -> int:
    return sum(int(e["fatalities"] or 0) for e in events)


def _headline(data: Data, notes: Notes) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    events, before = data.events, data.previous_events
    compared = data.previous is not None
    both = notes.cite(_articles_of([*events, *before]))
    period = data.period.words()
    sentences: list[dict[str, Any]] = []
    n_before = len(before) if compared else None
    first = change_words("Events", len(events), n_before)
    if compared and data.previous is not None:
        first += f" in {period}, against the {data.previous.days} days before"
    else:
        first += f" in {period}"
    sentences.append({"text": first + ".", "notes": both})
    dead, dead_before = _fatalities(events), _fatalities(before)
    text = change_words("Fatalities", dead, dead_before if compared else None)
    by_province = Counter[str]()
    uncoded = 0
    for e in events:
        if e["admin1"]:
            by_province[e["admin1"]] += int(e["fatalities"] or 0)
        else:
            uncoded += int(e["fatalities"] or 0)
    top = by_province.most_common(1)
    if dead and top and top[0][1]:
        text += f"; {top[0][1]:,} of them in {top[0][0]}"
        if uncoded:
            text += f" ({uncoded:,} where the reports name no province)"
    elif uncoded:
        text += "; the reports name no province for them"
    sentences.append({"text": text + ".", "notes": both})
    by_type: list[dict[str, Any]] = []
    parts: list[str] = []
    now_types = Counter(e["event_type"] for e in events)
    before_types = Counter(e["event_type"] for e in before)
    for event_type in [*EVENT_TYPES, *sorted(set(now_types) - set(EVENT_TYPES))]:
        now, earlier = now_types[event_type], before_types[event_type]
        if not now and not earlier:
            continue
        typed = [e for e in events if e["event_type"] == event_type]
        typed_before = [e for e in before if e["event_type"] == event_type]
        by_type.append(
            {
                "event_type": event_type,
                "events": now,
                "previous_events": earlier if compared else None,
                "fatalities": _fatalities(typed),
                "previous_fatalities": _fatalities(typed_before) if compared else None,
            }
        )
        parts.append(change_words(event_type, now, earlier if compared else None))
    if parts:
        sentences.append({"text": "By type: " + "; ".join(parts) + ".", "notes": both})
    figures = {
        "events": len(events),
        "fatalities": dead,
        "previous_events": n_before,
        "previous_fatalities": dead_before if compared else None,
        "by_type": by_type,
        "notes": both,
    }
    return sentences, figures


def bucket_of(day: date, size: str) -> date:
    """The first day of the day, week (from Monday) or month holding `day`."""
    if size == "day":
        return day
    if size == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def buckets(start: date, end: date, size: str) -> list[date]:
    out: list[date] = []
    current = bucket_of(start, size)
    while current <= end:
        out.append(current)
        if size == "day":
            current += timedelta(days=1)
        elif size == "week":
            current += timedelta(days=7)
        else:
            current = (current + timedelta(days=32)).replace(day=1)
    return out


def bucket_size(days: int, daily: int = DAILY_UP_TO, weekly: int = WEEKLY_UP_TO) -> str:
    return "day" if days <= daily else "week" if days <= weekly else "month"


def events_over_time(
    events: Iterable[dict[str, Any]], start: date, end: date, size: str, period: str
) -> dict[str, Any]:
    """The stacked chart's data: events of each type in each bucket from `start` to `end`."""
    steps = buckets(start, end, size)
    index = {b: i for i, b in enumerate(steps)}
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(steps))
    for e in events:
        if e["event_date"]:
            at = bucket_of(date.fromisoformat(e["event_date"]), size)
            if at in index:
                counts[e["event_type"]][index[at]] += 1
    types = [t for t in EVENT_TYPES if t in counts] + sorted(set(counts) - set(EVENT_TYPES))
    label = {"day": "day", "week": "week (from Monday)", "month": "month"}[size]
    return {
        "title": f"Events per {size} by event type",
        "period": period,
        "unit": "events",
        "bucket": size,
        "x_label": label.capitalize(),
        "y_label": f"Events per {size}",
        "buckets": [b.isoformat() for b in steps],
        "series": [{"event_type": t, "values": counts[t]} for t in types],
    }


def _over_time(data: Data, notes: Notes) -> dict[str, Any]:
    size = bucket_size(data.period.days)
    chart = events_over_time(
        data.events, data.period.start, data.period.end, size, data.period.label()
    )
    chart["notes"] = notes.cite(_articles_of(data.events))
    return chart


def _bars(
    title: str, unit: str, axis: str, counted: Counter[str], top: int, period: str
) -> dict[str, Any]:
    bars = [{"label": k, "value": v} for k, v in counted.most_common() if v][:top]
    return {
        "title": title,
        "period": period,
        "unit": unit,
        "x_label": axis,
        "bars": bars,
        "others": sum(v for k, v in counted.most_common()[top:]),
    }


def _by_province(data: Data, notes: Notes) -> dict[str, Any]:
    counted = Counter[str]()
    for e in data.events:
        counted[e["admin1"] or "(province not coded)"] += int(e["fatalities"] or 0)
    chart = _bars(
        "Fatalities by province",
        "fatalities",
        "Fatalities (reported, ACLED's conventions)",
        counted,
        TOP_PROVINCES,
        data.period.label(),
    )
    articles: dict[str, dict[str, None]] = defaultdict(dict)
    for e in data.events:
        if e["fatalities"]:
            articles[e["admin1"] or "(province not coded)"][e["article"]["id"]] = None
    for bar in chart["bars"]:
        bar["notes"] = notes.cite(articles[bar["label"]])
    return chart


def _actors(data: Data, notes: Notes) -> dict[str, Any]:
    counted = Counter[str]()
    articles: dict[str, dict[str, None]] = defaultdict(dict)
    for e in data.events:
        for name in {e["actor1"], e["actor2"]} - {None, ""}:
            counted[name] += 1
            articles[name][e["article"]["id"]] = None
    chart = _bars(
        "Most active actors",
        "events",
        "Events taking part in (as either actor)",
        counted,
        TOP_ACTORS,
        data.period.label(),
    )
    for bar in chart["bars"]:
        bar["notes"] = notes.cite(articles[bar["label"]])
    return chart


def _map(data: Data, notes: Notes) -> dict[str, Any]:
    """The map's markers: the events of one type and geo precision at one place (same location
    name within the same 0.1-degree cell) together, their fatalities summed."""
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    placed = 0
    for e in data.events:
        if e["latitude"] is None or e["longitude"] is None:
            continue
        placed += 1
        key = (
            round(e["latitude"], 1),
            round(e["longitude"], 1),
            e["location"],
            e["event_type"],
            e["geo_precision"],
        )
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "latitude": e["latitude"],
                "longitude": e["longitude"],
                "location": e["location"],
                "admin1": e["admin1"],
                "country": e["country"],
                "event_type": e["event_type"],
                "geo_precision": e["geo_precision"],
                "events": 0,
                "fatalities": 0,
                "first_date": e["event_date"],
                "last_date": e["event_date"],
                "event_ids": [],
            }
        group["events"] += 1
        group["fatalities"] += int(e["fatalities"] or 0)
        group["first_date"] = min(group["first_date"], e["event_date"])
        group["last_date"] = max(group["last_date"], e["event_date"])
        group["event_ids"].append(e["id"])
    return {
        "title": "Where the period's events were",
        "period": data.period.label(),
        "points": list(groups.values()),
        "events_with_coordinates": placed,
        "without_coordinates": len(data.events) - placed,
        "countries": sorted({e["country"] for e in data.events if e["country"]}),
        "notes": notes.cite(_articles_of(data.events)),
    }


def _article_bits(data: Data, record: dict[str, Any], notes: Notes) -> dict[str, Any]:
    article = data.articles[record["article"]["id"]]
    return {
        "date": (article["published"] or "")[:10] or None,
        "source": article["source"],
        "article": article["label"],
        "notes": notes.cite([article["id"]]),
    }


def _statement_rank(item: dict[str, Any]) -> tuple[int, int]:
    return (item.get("kind") == "direct", len(item.get("text") or ""))


def _statements(data: Data, notes: Notes) -> list[dict[str, Any]]:
    by_speaker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    titles: dict[str, Counter[str]] = defaultdict(Counter)
    for quote in data.quotes:
        if quote["speaker"]:
            by_speaker[quote["speaker"]].append(quote)
            if quote["speaker_title"]:
                titles[quote["speaker"]][quote["speaker_title"]] += 1
    for claim in data.claims:
        if claim["claimed_by"]:
            by_speaker[claim["claimed_by"]].append(claim)
    forms = verb_forms()
    ranked = sorted(by_speaker.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP_SPEAKERS]
    out = []
    for speaker, records in ranked:
        distinct: dict[str, dict[str, Any]] = {}  # one report of a sentence, however often
        for r in sorted(records, key=_statement_rank, reverse=True):
            said = r["text"] if r["record_type"] == "quote" else r["evidence"]["text"]
            distinct.setdefault(" ".join(str(said).casefold().split()), r)
        chosen = list(distinct.values())[:STATEMENTS_EACH]
        chosen.sort(key=lambda r: (r["article"]["published"] or "", r["id"]))
        items = []
        for r in chosen:
            if r["record_type"] == "quote":
                verb = cue_as_written(r["cue"], r["evidence"]["text"], forms)
                item = {"kind": r["kind"], "verb": verb, "text": r["text"]}
            else:
                subject = f" {r['subject']}" if r["subject"] else ""
                item = {
                    "kind": "claim",
                    "verb": "put a figure on",
                    "text": f"{r['value']:g} {r['unit']}{subject}",
                }
            items.append(
                {**item, "evidence": r["evidence"]["text"], **_article_bits(data, r, notes)}
            )
        title = titles[speaker].most_common(1)[0][0] if titles[speaker] else None
        out.append({"speaker": speaker, "title": title, "statements": len(records), "said": items})
    return out


def _side(data: Data, side: dict[str, Any], notes: Notes) -> dict[str, Any]:
    record = side["record"] if isinstance(side["record"], dict) else {}
    article = data.articles.get(side["article"]["id"], side["article"])
    return {
        "kind": side["kind"],
        "evidence": (record.get("evidence") or {}).get("text"),
        "date": (article.get("published") or "")[:10] or None,
        "source": article.get("source"),
        "article": article.get("label") or article.get("title") or article["id"],
        "notes": notes.cite([article["id"]]),
    }


def _changes(data: Data, notes: Notes) -> list[dict[str, Any]]:
    return [
        {
            "kind": c["kind"],
            "speaker": c["speaker"],
            "topic": c["topic"],
            "why": c["why"],
            "earlier": _side(data, c["earlier"], notes),
            "later": _side(data, c["later"], notes),
        }
        for c in data.changes
    ]


def deadline_span(value: str) -> tuple[date, date]:
    """The first and last day a deadline (YYYY, YYYY-MM or YYYY-MM-DD) stands for."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    if len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def _deadlines(data: Data, notes: Notes) -> dict[str, Any]:
    end = data.period.end
    due_by = end + timedelta(days=DEADLINE_DUE_DAYS)
    passed_from = end - timedelta(days=DEADLINE_PASSED_DAYS - 1)
    due, passed = [], []
    for r in data.deadlines:
        first, last = deadline_span(r["deadline"])
        item = {
            "subject": r["subject"],
            "deadline": r["deadline"],
            "precision": r["precision"],
            "relation": r["relation"],
            "stated_by": r["stated_by"],
            "evidence": r["evidence"]["text"],
            **_article_bits(data, r, notes),
        }
        if last > end and first <= due_by:
            due.append(item)
        elif passed_from <= last <= end:
            passed.append(item)
    return {
        "due_until": due_by.isoformat(),
        "passed_since": passed_from.isoformat(),
        "due": due,
        "passed": passed,
    }


def _method(data: Data) -> dict[str, Any]:
    caveat = datafiles.read_json("report_method.json")
    records = len(data.events) + len(data.quotes) + len(data.claims)
    return {"records": records, "reviewed": data.reviewed, **caveat}


def _omitted(briefing: dict[str, Any]) -> dict[str, str]:
    reasons: dict[str, str] = {}
    if not briefing["figures"]["events"]:
        reasons["charts"] = "no events match in the period"
        reasons["map"] = "no events match in the period"
    elif not briefing["map"]["points"]:
        reasons["map"] = "none of the period's events has coordinates"
    if not briefing["statements"]:
        reasons["statements"] = "no attributed quote or claim in the period's reports"
    if not briefing["changes"]:
        reasons["changes"] = "no change of stance, deadline or figure flagged in the period"
    if not briefing["deadlines"]["due"] and not briefing["deadlines"]["passed"]:
        reasons["deadlines"] = (
            f"no deadline falls due in the {DEADLINE_DUE_DAYS} days after the period "
            f"or fell due in its last {DEADLINE_PASSED_DAYS} days"
        )
    return reasons


def title(data: Data) -> str:
    where = data.request.admin1 or data.request.country or "All countries"
    if data.request.admin1 and data.request.country:
        where = f"{data.request.admin1}, {data.request.country}"
    actor = f" · {data.request.actor}" if data.request.actor else ""
    return f"{where}{actor}: {day_words(data.period.start)} to {day_words(data.period.end)}"


def build(data: Data, generated: str) -> dict[str, Any]:
    """The briefing (see the module's docstring); `generated` says when it was made."""
    notes = Notes(data.articles)
    headline, figures = _headline(data, notes)
    briefing: dict[str, Any] = {
        "title": title(data),
        "generated": generated,
        "ledger": data.ledger_name,
        "filters": data.request.filters(),
        "period": {"from": data.period.start.isoformat(), "to": data.period.end.isoformat()},
        "previous": (
            {"from": data.previous.start.isoformat(), "to": data.previous.end.isoformat()}
            if data.previous
            else None
        ),
        "scoped": data.scoped,
        "headline": headline,
        "figures": figures,
        "charts": {
            "events_over_time": _over_time(data, notes),
            "fatalities_by_province": _by_province(data, notes),
            "actors": _actors(data, notes),
        },
        "map": _map(data, notes),
        "statements": _statements(data, notes),
        "changes": _changes(data, notes),
        "deadlines": _deadlines(data, notes),
    }
    briefing["sources"] = notes.sources()
    briefing["method"] = _method(data)
    briefing["omitted"] = _omitted(briefing)
    return briefing


def note_ranges(numbers: Sequence[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 5] -> [(1, 3), (5, 5)]: footnote numbers as runs, to print them short."""
    runs: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs

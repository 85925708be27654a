"""Benchmark incremental tracking: a synthetic ledger of made-up articles (statements, quotes,
deadlines and claims spread over ~500 speakers and topics, stored directly with `Ledger.store`
of hand-made `Extraction` records, no spaCy), tracked one article at a time, then the time to
track one more article.

    .venv/bin/python scripts/bench_track.py [--articles 10000] [--db /tmp/bench_track.db]

Prints progress every 1,000 articles and the final timing (target: under 2 s).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from newsledger.records import (
    Article,
    Claim,
    Deadline,
    Entity,
    Evidence,
    Extraction,
    Mention,
    Quote,
)
from newsledger.store import Ledger, open_ledger
from newsledger.track import Tracker, load_tracker, track_article

SYLLABLES = ("ka", "lo", "mir", "ta", "sen", "du", "ra", "vel", "no", "bri", "zan", "tu", "pe")
NOUNS = (
    "harbour",
    "bridge",
    "ceasefire",
    "convoy",
    "pipeline",
    "airfield",
    "border crossing",
    "grain corridor",
    "water plant",
    "rail line",
    "customs post",
    "power station",
)
PLACES = ("Dovrek", "Alda", "Mersh", "Quillon", "Tavra", "Osk", "Belun", "Varna Nova", "Krel")
CUES = (
    "the timetable for the {t} remains unchanged",
    "the plan for the {t} is not final",
    "we support the agreement on the {t}",
    "we reject the proposal on the {t}",
    "the schedule for the {t} is under review",
    "the {t} deal is settled",
)


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _span(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(start, start + len(sentence), sentence)


def _mention(text: str, name: str) -> Mention:
    start = text.index(name)
    return Mention(start, start + len(name), name)


def make_article(
    n: int, rng: random.Random, speakers: list[str], topics: list[str], day: date
) -> Extraction:
    speaker = rng.choice(speakers)
    other = rng.choice(speakers)
    topic = rng.choice(topics)
    place = rng.choice(PLACES)
    q1 = rng.choice(CUES).format(t=topic)
    q2 = rng.choice(CUES).format(t=rng.choice(topics))
    s1 = f"{speaker} said {q1}."
    s2 = f"Later {other} said {q2}."
    when = day + timedelta(days=rng.randrange(30, 400))
    s3 = f"Work on the {topic} in {place} will be complete by {when:%B %Y}."
    value = rng.choice((120, 400, 650, 1200))
    s4 = f"About {value} workers are employed on the {topic}."
    text = " ".join((s1, s2, s3, s4))
    article = Article(
        f"bench{n:06d}", "Bench Wire", day.isoformat(), None, f"Report {n}", text, text
    )
    return Extraction(
        article,
        quotes=(
            Quote(speaker, "official", q1, "direct", "said", _span(text, s1)),
            Quote(other, "official", q2, "direct", "said", _span(text, s2)),
        ),
        deadlines=(
            Deadline(
                f"completion of the {topic}", f"{when:%Y-%m}", "month", "by", None, _span(text, s3)
            ),
        ),
        claims=(Claim(float(value), "workers", f"employed on the {topic}", None, _span(text, s4)),),
        entities=(
            *(
                Entity("person", name, (_mention(text, name),), "official")
                for name in dict.fromkeys((speaker, other))
            ),
            Entity("place", place, (_mention(text, place),)),
        ),
    )


def build(ledger: Ledger, tracker: Tracker, count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    speakers = sorted({f"{_word(rng, 2)} {_word(rng, 3)}" for _ in range(520)})[:500]
    topics = sorted({f"{_word(rng, 2).lower()} {rng.choice(NOUNS)}" for _ in range(520)})[:500]
    start = date(2020, 1, 1)
    ids = []
    started = time.perf_counter()
    for n in range(count + 1):
        day = start + timedelta(days=n * 1500 // max(count, 1))
        ext = make_article(n, rng, speakers, topics, day)
        ledger.store(ext)
        ids.append(ext.article.id)
        if n < count:
            track_article(ledger, ext.article.id, tracker)
        if n and n % 1000 == 0:
            print(f"{n} articles stored and tracked, {time.perf_counter() - started:.0f} s")
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    tracker = load_tracker()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench_track.db"
        with open_ledger(db) as ledger:
            started = time.perf_counter()
            ids = build(ledger, tracker, args.articles)
            built = time.perf_counter() - started
            t0 = time.perf_counter()
            report = track_article(ledger, ids[-1], tracker)
            one = time.perf_counter() - t0
    print(
        f"ledger: {args.articles} articles tracked incrementally in {built:.0f} s "
        f"({built / max(args.articles, 1):.3f} s an article, storing included)"
    )
    print(
        f"one more article: {one:.3f} s ({report.statements} statements, "
        f"{report.candidates} candidates, {report.changes} changes); target < 2 s"
    )


if __name__ == "__main__":
    main()

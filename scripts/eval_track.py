"""Track every article of a stored ledger in publication order and list every flagged change,
for checking by hand.

The source ledger is ingested once with `newsledger ingest --no-track` (its articles untracked);
this script copies it (the source stays untracked, so runs after rule changes are comparable),
runs `track_article` over the copy article by article in publication order, and writes every
change: kind, both evidence sentences with the sentence before each, speakers (as stored and as
resolved, with the person's aliases), dates, sources and the reason.

    PYTHONPATH=src .venv/bin/python scripts/eval_track.py /tmp/trk/g.db --work /tmp/trk/t.db \
        [--out /tmp/trk/changes.md] [--json /tmp/trk/changes.json] [--without RULE ...]

`--without` measures one rule's effect: `orgs` (organisations as one speaker), `restatements`
(reaffirmed in other words), `back_references` (retold statements), or a stance dimension
(`presence`, `settled`, `support`).

Prints the run's timing and the count of changes per kind. The listing quotes the articles, so
keep it outside the repository.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsledger.store import Ledger, open_ledger
from newsledger.track import Tracker, load_tracker, previous_sentences, track_article
from newsledger.track.identities import OrgLexicon
from newsledger.track.views import find_person, list_changes

SPEAKER_FIELDS = ("speaker", "stated_by", "claimed_by")


def without(tracker: Tracker, rules: Sequence[str]) -> Tracker:
    """The tracker with the named rules taken out (see the module's `--without`)."""
    stance = tracker.stance
    dimensions = {c[0] for c in stance.cues}
    for rule in rules:
        if rule == "orgs":
            tracker = dataclasses.replace(tracker, orgs=OrgLexicon({}))
        elif rule == "restatements":
            stance = dataclasses.replace(stance, restatements=False)
        elif rule == "back_references":
            stance = dataclasses.replace(stance, back_references=())
        elif rule in dimensions:
            stance = dataclasses.replace(stance, cues=tuple(c for c in stance.cues if c[0] != rule))
        else:
            raise ValueError(
                f"--without {rule}: not a rule; choose orgs, restatements, back_references "
                f"or a stance dimension ({', '.join(sorted(dimensions))})"
            )
    return dataclasses.replace(tracker, stance=stance)


def track_all(ledger: Ledger, tracker: Tracker) -> tuple[int, float, list[str]]:
    """Track every article in publication order: (articles, seconds, entity merge reasons)."""
    articles = sorted(ledger.iter_rows("articles"), key=lambda a: (a["published"] or "", a["id"]))
    merges: list[str] = []
    started = time.perf_counter()
    for article in articles:
        merges += track_article(ledger, article["id"], tracker).reasons
    return len(articles), time.perf_counter() - started, merges


def _side(ledger: Ledger, side: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    record = side["record"]
    evidence = record.get("evidence") or {}
    start = int(evidence.get("start") or 0)
    who = next((str(record[f]) for f in SPEAKER_FIELDS if record.get(f)), None)
    person = find_person(ledger, who) if who else None
    return {
        "article": side["article"],
        "published": str(side["published"] or "")[:10],
        "source": side["source"],
        "speaker": who,
        "person": person.name if person else None,
        "aliases": sorted(set(person.aliases)) if person else [],
        "before": previous_sentences(texts.get(side["article"], ""), start, 1),
        "evidence": evidence.get("text"),
        "record": {k: v for k, v in record.items() if k != "evidence"},
    }


def listing(ledger: Ledger) -> list[dict[str, Any]]:
    texts = {str(a["id"]): str(a["text"] or "") for a in ledger.iter_rows("articles")}
    return [
        {
            "n": n,
            "kind": c["kind"],
            "speaker": c["speaker"],
            "topic": c["topic"],
            "why": c["why"],
            "earlier": _side(ledger, c["earlier"], texts),
            "later": _side(ledger, c["later"], texts),
        }
        for n, c in enumerate(list_changes(ledger), 1)
    ]


def markdown(changes: list[dict[str, Any]]) -> str:
    out = []
    for c in changes:
        out.append(f"## {c['n']}. {c['kind']} ({c['speaker'] or 'no speaker'}): {c['topic']}")
        out.append(f"why: {c['why']}")
        for name in ("earlier", "later"):
            s = c[name]
            out.append(
                f"- {name} {s['published']} {s['source']} {s['article']}: speaker "
                f"{s['speaker']!r} -> {s['person']!r} aliases {s['aliases']}"
            )
            out.append(f"  before: {s['before']}")
            out.append(f"  EVIDENCE: {s['evidence']}")
            out.append(f"  record: {json.dumps(s['record'], ensure_ascii=False, default=str)}")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ledger", help="SQLite ledger ingested with --no-track (left unchanged)")
    parser.add_argument("--work", required=True, help="where to copy the ledger and track it")
    parser.add_argument("--out", help="write the listing (markdown) here")
    parser.add_argument("--json", dest="json_out", help="write the listing (JSON) here")
    parser.add_argument("--merges", help="write every entity merge reason here")
    parser.add_argument("--without", action="append", default=[], help="a rule to take out")
    args = parser.parse_args(argv)
    try:
        tracker = without(load_tracker(), args.without)
    except ValueError as exc:
        parser.error(str(exc))
    source, work = Path(args.ledger), Path(args.work)
    if not source.is_file():
        parser.error(f"{source}: no such ledger file")
    if source.resolve() == work.resolve():
        parser.error("--work must differ from the source ledger (the source stays untracked)")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, work)
    with open_ledger(str(work)) as ledger:
        count, seconds, merges = track_all(ledger, tracker)
        changes = listing(ledger)
    print(f"{count} articles tracked in {seconds:.0f} s ({seconds / max(1, count):.2f} s each)")
    print(
        f"{len(changes)} changes: "
        + ", ".join(f"{k} {n}" for k, n in sorted(Counter(c["kind"] for c in changes).items()))
    )
    if args.out:
        Path(args.out).write_text(markdown(changes), encoding="utf-8")
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps(changes, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )
    if args.merges:
        Path(args.merges).write_text("\n".join(merges) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

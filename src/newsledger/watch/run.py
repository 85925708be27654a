"""The watch loop: poll the sources that are due, ingest what is new, match it against the rules,
deliver the alerts; all state in the ledger, so a restart picks up where the last run stopped.

One cycle (`Watcher.cycle`):

1. each source whose `next_try` has come is polled; every new item goes through the pipeline
   (`pipeline.ingest_articles`: store and track) and is then marked seen, with the articles it
   gave queued for matching, in one transaction. A source that fails (its feed, sitemap or
   folder cannot be read) backs off: `backoff` seconds, doubling each failure up to
   `backoff_max`; the first success resets it. A feed whose pages could not all be fetched does
   not keep its validators, so the next poll reads it whole and retries the missing pages.
2. every queued article not matched yet is matched against the rules; each new (rule, record)
   alert gets one pending delivery per output, in one transaction with the article marked.
3. every pending delivery due is sent; a digest output sends each past day's alerts in one
   message. A delivery is marked sent once its output took it; a failure records the error and
   is tried again after a backoff.
4. every `[[digest]]` whose latest occasion is not sent yet builds its briefing and sends it
   (watch/digest.py); a failure is tried again on the next cycle.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from newsledger.errors import Rejection
from newsledger.pipeline.core import Extractor
from newsledger.pipeline.ingest import ingest_articles
from newsledger.records import Article
from newsledger.store import Ledger
from newsledger.track import Tracker, tracking
from newsledger.watch import digest, state
from newsledger.watch.config import Source, WatchConfig
from newsledger.watch.fetch import Fetcher, FetchError
from newsledger.watch.outputs import DeliveryError, deliver
from newsledger.watch.rules import alerts_for, article_items
from newsledger.watch.sources import poll


@dataclass
class CycleReport:
    polled: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    alerts: int = 0
    sent: int = 0
    briefings: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"polled {self.polled}, stored {self.stored}, already there {self.duplicates}, "
            f"rejected {self.rejected}, alerts {self.alerts}, delivered {self.sent}, "
            f"delivery failures {self.failed}, briefings sent {self.briefings}, "
            f"errors {len(self.errors)}"
        )


def backoff(failures: int, base: float, most: float) -> float:
    """Seconds to wait after the `failures`-th failure in a row (1, 2, ...)."""
    return float(min(most, base * 2 ** max(0, failures - 1)))


class Watcher:
    """Watches the sources of `config` into `ledger`. `extractor` runs the pipeline (as
    `pipeline.extract_articles` with loaded Resources); `clock` gives seconds since the epoch
    and `echo` prints the terminal output's alerts; tests inject both."""

    def __init__(
        self,
        config: WatchConfig,
        ledger: Ledger,
        extractor: Extractor,
        tracker: Tracker | None,
        fetcher: Fetcher,
        clock: Callable[[], float] = time.time,
        echo: Callable[[str], None] = print,
    ) -> None:
        self.config = config
        self.ledger = ledger
        self.extractor = extractor
        self.tracker = tracker
        self.fetcher = fetcher
        self.clock = clock
        self.echo = echo

    def cycle(self) -> CycleReport:
        report = CycleReport()
        for source in self.config.sources:
            self._poll(source, report)
        self._match(report)
        self._deliver(report)
        if self.config.digests:
            sent, errors = digest.run_due(
                self.config.digests,
                self.ledger,
                self.config.outputs,
                self.config.http,
                self.clock(),
                self.echo,
            )
            report.briefings += sent
            report.errors += errors
        return report

    def next_due(self) -> float:
        """When the next source is due (a clock reading)."""
        states = {s.name: s for s in state.all_sources(self.ledger)}
        due = [states[s.name].next_try if s.name in states else 0.0 for s in self.config.sources]
        return min(due, default=self.clock() + self.config.interval)

    # 1. sources ------------------------------------------------------------------------------

    def _poll(self, source: Source, report: CycleReport) -> None:
        now = self.clock()
        current = state.source_state(self.ledger, source.name, source.kind, source.location)
        if current.next_try > now:
            return
        report.polled += 1
        current.last_fetch = state.iso(now)
        http = self.config.http
        try:
            found = poll(
                source,
                self.fetcher,
                lambda key: state.is_seen(self.ledger, source.name, key),
                current.etag,
                current.last_modified,
            )
        except FetchError as exc:
            current.failures += 1
            current.last_error = str(exc)
            current.next_try = now + backoff(current.failures, http.backoff, http.backoff_max)
            report.errors.append(f"{source.name}: {exc}")
            state.save_source(self.ledger, current)
            return
        for item in found.items:
            ids = self._ingest(item.results, report)
            outcome = f"{len(ids)} article(s) in the ledger, {len(item.results) - len(ids)} not"
            state.mark_seen(self.ledger, source.name, item.key, outcome, ids, self.clock())
            current.articles += len(ids)
        report.errors += [f"{source.name}: {e}" for e in found.errors]
        if not found.not_modified and not found.errors:
            current.etag, current.last_modified = found.etag, found.last_modified
        elif found.errors:
            current.etag = current.last_modified = None
        current.failures = 0
        current.last_ok = state.iso(now)
        current.last_error = "; ".join(found.errors) or None
        current.next_try = now + self.config.interval
        state.save_source(self.ledger, current)

    def _ingest(self, results: tuple[Article | Rejection, ...], report: CycleReport) -> list[str]:
        """Store and track an item's articles; the ids of those now in the ledger."""
        track = tracking(self.ledger, self.tracker) if self.tracker is not None else None
        done = ingest_articles(results, self.ledger, self.extractor, track=track)
        report.stored += done.stored
        report.duplicates += done.duplicates
        report.rejected += len(done.rejected)
        report.errors += [f"rejected {r}" for r in done.rejected]
        articles = [a for a in results if isinstance(a, Article)]
        return [a.id for a in articles if state.has_article_id(self.ledger, a.id)]

    # 2. rules --------------------------------------------------------------------------------

    def _match(self, report: CycleReport) -> None:
        outputs = [o.name for o in self.config.outputs]
        for article_id in state.unmatched(self.ledger):
            items = article_items(self.ledger, article_id) if self.config.rules else []
            alerts = alerts_for(self.config.rules, items, self.config.web_url)
            report.alerts += state.record_matches(
                self.ledger, article_id, alerts, outputs, self.clock()
            )

    # 3. deliveries ---------------------------------------------------------------------------

    def _deliver(self, report: CycleReport) -> None:
        now = self.clock()
        today = state.iso(now)[:10]
        by_output = {o.name: o for o in self.config.outputs}
        batches: dict[tuple[str, str | None], list[state.Pending]] = defaultdict(list)
        singles: list[list[state.Pending]] = []
        for due in state.pending(self.ledger, now):
            output = by_output.get(due.output)
            if output is None:  # an output no longer configured: left pending
                continue
            if not output.digest:
                singles.append([due])
            elif due.day < today:
                batches[(due.output, due.day)].append(due)
        for group in [*singles, *batches.values()]:
            self._send(group, report)

    def _send(self, group: list[state.Pending], report: CycleReport) -> None:
        output = next(o for o in self.config.outputs if o.name == group[0].output)
        day = group[0].day if output.digest else None
        ids = [d.id for d in group]
        try:
            deliver(output, [d.alert for d in group], day, self.config.http, self.echo)
        except DeliveryError as exc:
            http = self.config.http
            wait = backoff(group[0].attempts + 1, http.backoff, http.backoff_max)
            state.mark_failed(self.ledger, ids, str(exc), self.clock() + wait)
            report.failed += len(ids)
            report.errors.append(str(exc))
            return
        state.mark_sent(self.ledger, ids, self.clock())
        report.sent += len(ids)

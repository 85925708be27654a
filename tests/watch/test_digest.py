"""`[[digest]]` in the watch configuration: a briefing on a schedule, mailed (aiosmtpd) and
written to a file, once per occasion."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from newsledger.store import open_ledger
from newsledger.watch import digest
from newsledger.watch.config import ConfigError, Digest, parse_config
from tests.helpers.report_ledger import build

SOURCE = {"source": [{"name": "f", "folder": "/tmp"}]}


def config(**entry: Any) -> Any:
    outputs = [{"name": "mail", "type": "email", "sender": "nl@example.org", "to": "a@example.org"}]
    return parse_config(
        {**SOURCE, "output": outputs, "digest": [{"name": "iraq", **entry}]}, "watch.toml"
    )


def test_digest_config() -> None:
    d = config(schedule="weekly", weekday="Friday", country="Iraq", outputs=["mail"]).digests[0]
    assert (d.schedule, d.weekday, d.hour, d.days, d.format) == ("weekly", 4, 6, 7, "html")
    d = config(schedule="daily", path="out/iraq-{date}.pdf").digests[0]
    assert (d.days, d.format, d.outputs) == (1, "pdf", ())
    bad = {
        "schedule": ({"schedule": "monthly", "path": "x.html"}, "expected daily or weekly"),
        "weekday": ({"schedule": "weekly", "weekday": "fri", "path": "x"}, "day of the week"),
        "outputs": ({"schedule": "daily", "outputs": ["nope"]}, "no [[output]] is named 'nope'"),
        "nowhere": ({"schedule": "daily"}, "needs outputs"),
        "format": ({"schedule": "daily", "path": "x", "format": "docx"}, "expected one of"),
    }
    for entry, message in bad.values():
        with pytest.raises(ConfigError, match=r"watch.toml: \[\[digest\]\] #1") as err:
            config(**entry)
        assert message in str(err.value)


def test_occasions() -> None:
    daily = Digest("d", "daily", hour=6)
    assert digest.occasion(daily, datetime(2025, 2, 14, 5, tzinfo=UTC)) == date(2025, 2, 13)
    assert digest.occasion(daily, datetime(2025, 2, 14, 6, tzinfo=UTC)) == date(2025, 2, 14)
    weekly = Digest("w", "weekly", weekday=4, hour=6, days=7)  # Fridays
    assert digest.occasion(weekly, datetime(2025, 2, 14, 7, tzinfo=UTC)) == date(2025, 2, 14)
    assert digest.occasion(weekly, datetime(2025, 2, 14, 5, tzinfo=UTC)) == date(2025, 2, 7)
    assert digest.occasion(weekly, datetime(2025, 2, 20, 9, tzinfo=UTC)) == date(2025, 2, 14)
    r = digest.request(weekly, date(2025, 2, 15))
    assert (r.date_from, r.date_to) == ("2025-02-08", "2025-02-14")


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture()
def smtp() -> Iterator[tuple[int, Mailbox]]:
    box = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


def test_weekly_digest_is_mailed_and_written_once_an_occasion(
    tmp_path: Path, smtp: tuple[int, Mailbox]
) -> None:
    port, box = smtp
    db = build(tmp_path / "ledger.db")
    outputs = [
        {
            "name": "mail",
            "type": "email",
            "sender": "nl@example.org",
            "to": "a@example.org",
            "port": port,
        },
    ]
    cfg = parse_config(
        {
            **SOURCE,
            "output": outputs,
            "digest": [
                {
                    "name": "iraq",
                    "schedule": "weekly",
                    "weekday": "saturday",
                    "country": "Iraq",
                    "outputs": ["mail"],
                    "path": str(tmp_path / "out" / "iraq-{date}.html"),
                },
            ],
        },
        "watch.toml",
    )
    saturday = datetime(2025, 2, 15, 8, tzinfo=UTC).timestamp()
    with open_ledger(db) as ledger:
        sent, errors = digest.run_due(cfg.digests, ledger, cfg.outputs, cfg.http, saturday)
        assert (sent, errors) == (1, [])
        again = digest.run_due(cfg.digests, ledger, cfg.outputs, cfg.http, saturday + 3600)
        assert again == (0, [])  # the occasion is remembered in the ledger
    (message,) = box.messages
    assert message["Subject"] == "newsledger briefing: Iraq: 8 February 2025 to 14 February 2025"
    body, attachment = [part for part in message.walk() if not part.is_multipart()]
    assert "Fatalities rose from 12 to 31; 26 of them in Diyala." in body.get_content()
    assert attachment.get_filename() == "briefing-iraq-2025-02-15.html"
    assert "<svg" in attachment.get_content()
    written = tmp_path / "out" / "iraq-2025-02-15.html"
    assert written.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_a_failed_digest_is_tried_again(tmp_path: Path) -> None:
    db = build(tmp_path / "ledger.db")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cfg = parse_config(
        {**SOURCE, "digest": [{"name": "d", "schedule": "daily", "path": f"{blocker}/x.md"}]},
        "watch.toml",
    )
    now = datetime(2025, 2, 14, 9, tzinfo=UTC).timestamp()
    with open_ledger(db) as ledger:
        sent, errors = digest.run_due(cfg.digests, ledger, cfg.outputs, cfg.http, now)
        assert sent == 0 and "digest d: cannot write" in errors[0]
        fixed = parse_config(
            {
                **SOURCE,
                "digest": [{"name": "d", "schedule": "daily", "path": str(tmp_path / "x.md")}],
            },
            "watch.toml",
        )
        assert digest.run_due(fixed.digests, ledger, fixed.outputs, fixed.http, now) == (1, [])
    assert (tmp_path / "x.md").read_text().startswith("# Briefing: All countries: 13 February")

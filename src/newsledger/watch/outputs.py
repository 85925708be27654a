"""Delivering alerts: the terminal, a JSONL file, a webhook (HTTP POST of JSON), e-mail (SMTP).

`deliver(output, alerts, day)` sends one message: a single alert, or (`day` given, for a digest
output) the day's alerts together. It raises `DeliveryError` naming the output and what went
wrong; the caller keeps the delivery pending and tries again later.

A single alert is sent as the alert object itself (JSONL line, webhook body); a digest as
`{"digest": DAY, "alerts": [...]}`.
"""

from __future__ import annotations

import json
import os
import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import httpx

from newsledger.errors import NewsledgerError
from newsledger.watch.config import HttpSettings, Output


class DeliveryError(NewsledgerError):
    """An output could not take a message."""


def _text(alert: dict[str, Any]) -> str:
    article = alert["article"]
    source = " ".join(str(article.get(k) or "") for k in ("source", "published")).strip()
    return (
        f"[{alert['rule']}] {alert['summary']}\n"
        f"  evidence: {' '.join(alert['evidence'].split())}\n"
        f"  article: {article.get('title') or article['id']} ({source})\n"
        f"  {alert['link']}"
    )


def message_text(alerts: list[dict[str, Any]], day: str | None) -> str:
    """The alerts as plain text (the terminal's and the e-mail's)."""
    body = "\n\n".join(_text(a) for a in alerts)
    if day is None:
        return body
    return f"newsledger digest for {day}: {len(alerts)} alert(s)\n\n{body}"


def _document(alerts: list[dict[str, Any]], day: str | None) -> dict[str, Any]:
    return alerts[0] if day is None else {"digest": day, "alerts": alerts}


def _subject(alerts: list[dict[str, Any]], day: str | None) -> str:
    if day is not None:
        return f"newsledger digest {day}: {len(alerts)} alert(s)"
    return f"newsledger [{alerts[0]['rule']}] {alerts[0]['summary']}"[:200]


def deliver(
    output: Output,
    alerts: list[dict[str, Any]],
    day: str | None,
    http: HttpSettings,
    echo: Callable[[str], None] = print,
) -> None:
    """Send `alerts` (one, or a digest of `day`'s) to `output`; DeliveryError when it fails."""
    try:
        if output.type == "terminal":
            echo(message_text(alerts, day))
        elif output.type == "jsonl":
            assert output.path is not None
            with open(output.path, "a", encoding="utf-8") as stream:
                stream.write(json.dumps(_document(alerts, day), ensure_ascii=False) + "\n")
        elif output.type == "webhook":
            assert output.url is not None
            _post(output.url, _document(alerts, day), http)
        elif output.type == "email":
            _mail(output, _subject(alerts, day), message_text(alerts, day), http.timeout)
        else:
            raise DeliveryError(f"output {output.name}: unknown type {output.type!r}")
    except OSError as exc:  # files, sockets, SMTP (smtplib's errors are OSErrors)
        raise DeliveryError(f"output {output.name}: {type(exc).__name__}: {exc}") from exc
    except httpx.HTTPError as exc:
        raise DeliveryError(f"output {output.name}: {type(exc).__name__}: {exc}") from exc


def _post(url: str, document: dict[str, Any], http: HttpSettings) -> None:
    response = httpx.post(
        url,
        content=json.dumps(document, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json", "User-Agent": http.user_agent},
        timeout=http.timeout,
        follow_redirects=False,
    )
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"webhook {url}: HTTP {response.status_code} {response.reason_phrase}")


def _mail(output: Output, subject: str, body: str, timeout: float) -> None:
    message = EmailMessage()
    message["Subject"] = subject
    message.set_content(body)
    send_mail(output, message, timeout)


def send_mail(output: Output, message: EmailMessage, timeout: float) -> None:
    """Send a message through an e-mail output's SMTP server (its From and To filled in)."""
    message["From"] = output.sender
    message["To"] = ", ".join(output.to)
    with smtplib.SMTP(output.host, output.port, timeout=timeout) as smtp:
        if output.starttls:
            smtp.starttls()
        if output.username:
            password = os.environ.get(output.password_env or "")
            if password is None:
                raise DeliveryError(
                    f"output {output.name}: the SMTP password variable "
                    f"{output.password_env!r} is not set"
                )
            smtp.login(output.username, password)
        smtp.send_message(message)

"""Errors that name the input and what is wrong with it."""

from __future__ import annotations

from dataclasses import dataclass


class NewsledgerError(Exception):
    """Base class: every error the library raises on purpose."""


class InputError(NewsledgerError):
    """One input (a file, or a line of one) cannot be read as an article.

    `origin` names the input ("path" or "path:line"); `reason` says what is wrong.
    """

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class ExtractionError(NewsledgerError):
    """The pipeline failed on one article (in this process, a child process or on a Dask
    worker); the message names the article and carries the failing process's traceback."""


class LedgerError(NewsledgerError):
    """The ledger cannot be opened or written (bad URL, unreadable file, schema too new)."""


@dataclass(frozen=True)
class Rejection:
    """An input that was not stored, with the reason; readers yield these instead of raising."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"

"""Reading the package's data files (lexicons, rules, gazetteer supplement)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def read_text(name: str) -> str:
    """The text of `newsledger/data/NAME`."""
    return resources.files("newsledger").joinpath("data", name).read_text(encoding="utf-8")


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment (`#`) lines of a data file, stripped."""
    lines = (line.strip() for line in read_text(name).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_json(name: str) -> Any:
    return json.loads(read_text(name))


def month_numbers() -> dict[str, int]:
    """Lower-case month names and abbreviations -> the month's number, January 1 (months.json:
    the one list of calendar words)."""
    return {k.lower(): int(v) for k, v in read_json("months.json")["months"].items()}


def weekday_numbers() -> dict[str, int]:
    """Lower-case weekday names and abbreviations -> the weekday's number, Monday 0
    (months.json)."""
    return {k.lower(): int(v) for k, v in read_json("months.json")["weekdays"].items()}


def full_names(numbers: dict[str, int]) -> tuple[str, ...]:
    """The full name of each number, in the numbers' order: the first name months.json gives it."""
    first: dict[int, str] = {}
    for name, number in numbers.items():
        first.setdefault(number, name)
    return tuple(first[number] for number in sorted(first))

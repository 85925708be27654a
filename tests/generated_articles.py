"""Invented reports for the reliability tests (crash, full disk, concurrent readers, load).

Every article is made from a few made-up sentences about invented people at real places, chosen
and varied by its number, so each has a different text (a different id and hash) and a different
mix of events, quotes, claims and deadlines. Nothing here comes from a real report.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

PEOPLE = (
    ("Khalid Nouri al-Hashimi", "the governor of the province"),
    ("Salim Haddad", "a spokesman for the Joint Operations Command"),
    ("Rana Aziz al-Tamimi", "the deputy health minister"),
    ("Omar Faris Jubouri", "a tribal leader"),
    ("Layla Sarraf", "the head of the provincial council"),
)
PLACES = ("Kirkuk", "Mosul", "Tikrit", "Ramadi", "Baiji", "Hawija", "Deir ez-Zor", "Raqqa")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "March", "May", "July", "September", "November")
SENTENCES = (
    "Gunmen attacked an army checkpoint near {place} on {weekday}, killing {n} soldiers.",
    "A roadside bomb exploded on the road to {place} on {weekday}, wounding {n} civilians.",
    '"The situation around {place} is under control and the roads are open," said {person}, '
    "{title}.",
    "{person} said that {big} families had returned to their homes in {place} this month.",
    "{person}, {title}, warned that the attacks would continue unless the patrols were doubled.",
    "The handover of the {place} airbase is scheduled for {month} {year}, {person} said.",
    "Hundreds of residents protested in {place} on {weekday} against the shortage of power.",
    "Officials said the new bridge in {place} would be finished by {month} {year}.",
)


def article(number: int) -> dict[str, str]:
    """The invented report `number` (the same for the same number, every time)."""
    rng = random.Random(number)
    sentences = rng.sample(SENTENCES, rng.randint(3, 6))
    paragraphs = []
    for template in sentences:
        person, title = rng.choice(PEOPLE)
        paragraphs.append(
            template.format(
                place=rng.choice(PLACES),
                weekday=rng.choice(WEEKDAYS),
                n=rng.randint(2, 19),
                big=rng.randint(2, 90) * 100,
                person=person,
                title=title,
                month=rng.choice(MONTHS),
                year=rng.choice((2026, 2027, 2028)),
            )
        )
    paragraphs.append(f"This is report number {number} of the day.")
    day = 1 + number % 28
    return {
        "id": f"gen-{number:04d}",
        "published": f"2025-06-{day:02d}T{number % 24:02d}:15:00",
        "source": rng.choice(("Invented Wire", "Made-up Daily", "Sample Monitor")),
        "title": f"Made-up report {number}",
        "text": "\n\n".join(paragraphs),
    }


def write_articles(path: Path, count: int, first: int = 0) -> Path:
    """A JSON Lines file of the invented reports first .. first + count - 1."""
    with path.open("w", encoding="utf-8") as out:
        for number in range(first, first + count):
            out.write(json.dumps(article(number), ensure_ascii=False) + "\n")
    return path

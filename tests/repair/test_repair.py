"""The repair stage: glued words split by rule and by the word splitter, with an exact offset map.

Fixture sentences here are written for these tests; the shared seed articles and the Guardian
corpus are read from ../shared (the `shared` fixture skips without it).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsledger.records import Article, OffsetMap
from newsledger.repair import (
    Repairer,
    RepairStats,
    load_repairer,
    repair,
    repair_article,
    repair_stats,
)

# Measured on guardian_sdf.jsonl: 24 of 234,929 tokens changed (0.0102%), all 24 true glues
# (`saidit`, `theSyrian`, `Basein`, `process.“They`). The ceiling leaves room for small rule
# changes but fails if the repair starts splitting ordinary words.
GUARDIAN_CHANGED_CEILING = 0.0003  # 0.03% of whitespace tokens
GUARDIAN_SECONDS_CEILING = 15.0  # measured ~1-2 s; this only catches a splitter run on every word


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return load_repairer()


def fixed(repairer: Repairer, text: str) -> str:
    return repair(repairer, text)[0]


# --- rules, one by one ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # lower -> upper case boundary
        ("The convoy reached theTigris bridge.", "The convoy reached the Tigris bridge."),
        ("a member ofParliament spoke", "a member of Parliament spoke"),
        ("troops deployed inAl-Qaim district", "troops deployed in Al-Qaim district"),
        ("supplied mainlyF-35 parts", "supplied mainly F-35 parts"),
        ("Commander JamesMorrison spoke", "Commander James Morrison spoke"),
        ("to the NorthernCommand staff", "to the Northern Command staff"),
        ("strikes struck theUS embassy", "strikes struck the US embassy"),
        # acronym + word
        ("Officials said NATOtroops left.", "Officials said NATO troops left."),
        ("and USMarines arrived", "and US Marines arrived"),
        ("The CTS said so. The CTSConducted raids.", "The CTS said so. The CTS Conducted raids."),
        # digits
        ("They left in March2027 and", "They left in March 2027 and"),
        ("elected in2019 before", "elected in 2019 before"),
        ("before the 2019elections began", "before the 2019 elections began"),
        ("approximately11,000 people", "approximately 11,000 people"),
        ("in 2014The group", "in 2014 The group"),
        # punctuation glued to the next word
        ("They left in 2021.They returned.", "They left in 2021. They returned."),
        ("to Basra,Najaf and Karbala", "to Basra, Najaf and Karbala"),
        ("the threat.“We stay,” he said", "the threat. “We stay,” he said"),
        ('the camp is"full,"he said', 'the camp is "full," he said'),
        ("he said:“Stop” and left", "he said: “Stop” and left"),
        ("the forces(PMF)and police", "the forces (PMF) and police"),
        ("“unilateral”actions", "“unilateral” actions"),
        ("Tikrit’sresidents fled", "Tikrit’s residents fled"),
        # a known name glued to a lower-case word
        ("Mosul is quiet. Mosulremains tense.", "Mosul is quiet. Mosul remains tense."),
        ("Hawijain the south", "Hawija in the south"),
        # lower-case runs the splitter breaks
        ("The convoywas attacked", "The convoy was attacked"),
        ("several attacksin the north", "several attacks in the north"),
        ("heavilyarmed fighters", "heavily armed fighters"),
        (
            "Witnesses saidthe blast came fromthe market",
            "Witnesses said the blast came from the market",
        ),
        ("fears ofa wider war", "fears of a wider war"),
        ("as they saidit would", "as they said it would"),
        ("police forces, then policeforces", "police forces, then police forces"),
        ("an extensiveoperation", "an extensive operation"),
        ("a reconstructioneffort", "a reconstruction effort"),
    ],
)
def test_rule(repairer: Repairer, raw: str, clean: str) -> None:
    assert fixed(repairer, raw) == clean


@pytest.mark.parametrize(
    "text",
    [
        # legitimate camel case, acronyms, numbers and units
        "She posted on YouTube and WhatsApp from her iPhone and eBay; a PhD from the MoD.",
        "McGurk, MacArthur, FitzGerald and McChrystal met DfID and YouGov staff.",
        "the ISIS-K cell, al-Qaeda, NGOs, IDPs and MPs; COVID-19, F-16, 3D maps.",
        "It cost 5bn or £7.6bn by 3pm on the 22nd, 10km away, in the 1990s, 45km north.",
        "Su-24 and MiG-29 jets; Resolution 2254; 4x4 trucks; the G20.",
        # names and transliterations that look like glues
        "Qayyarah, Makhmour, Shingal, Zumar, Amerli, Sheikhan and Bashiqa.",
        "Hajin, Baghuz, Hasakah, Raqqa, Manbij, Tabqa and Qamishli; Staffan and Hamas.",
        "al-Baghdadi, Abdulrahman, Abdulkarim, Airwars and the peshmerga.",
        # real words the splitter's list lacks
        "reconnaissance, inherently, radicalised jihadists, an airstrike, drawdown, deconfliction.",
        "unaccounted, overstretched, outgunned, traumatised, counterterrorism, stabilisation.",
        "a sleepover, the blowback, a thinktank, the pushback, its centrepiece.",
        # URLs, handles, hashtags, entities
        "see www.example.org/theTigris or mail desk@newsdesk.com #BringThemHome p&amp;p",
        "",
        "   \n  ",
    ],
)
def test_left_alone(repairer: Repairer, text: str) -> None:
    assert fixed(repairer, text) == text


def test_mojibake_is_fixed_and_mapped(repairer: Repairer) -> None:
    raw = "They donâ€™t know.Troops left"
    clean, offsets = repair(repairer, raw)
    assert clean == "They don’t know. Troops left"
    apostrophe = clean.index("’")
    assert offsets.to_raw(apostrophe) == raw.index("â€™")  # the replacement's raw start
    assert offsets.to_raw(apostrophe + 1) == raw.index("t know")
    troops = clean.index("Troops")
    assert raw[offsets.to_raw(troops) :].startswith("Troops")
    assert offsets.to_raw(troops - 1) == raw.index("Troops")  # the inserted space
    assert offsets.to_raw(len(clean)) == len(raw)


def test_decomposed_mojibake(repairer: Repairer) -> None:
    raw = "his proteg" + "A\u0303\u00a9" + "s arrived"  # Ã© written as A + combining tilde
    assert fixed(repairer, raw) == "his protegés arrived"


def test_unfixable_mojibake_is_left(repairer: Repairer) -> None:
    assert fixed(repairer, "café crème") == "café crème"


# --- the offset map ---------------------------------------------------------------------------

_WORDS = [
    "the", "of", "in", "and", "security", "forces", "renewed", "Mosul", "Iraq", "remains",
    "Joint", "Operations", "ISIS", "US", "military", "September", "2025", "10km", "F-16",
    "YouTube", "McGurk", "PhD", "a", "said", "it", "convoy", "was", "attacked", "Hawija",
    "regime", "NATO", "troops", "22nd", "1990s", "al-Qaeda", "reconnaissance", "saidit",
]  # fmt: skip
_SEPARATORS = ["", "", " ", " ", "\n", ".", ", ", ",", '"', "“", "”", "’s", "-", "(", ")"]
_texts = st.one_of(
    st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPARATORS)), max_size=40).map(
        lambda parts: "".join(w + s for w, s in parts)
    ),
    st.text(alphabet=st.sampled_from(list("abcdeiknorstAIKMST019 .,;:!?\"“”’'()-\n")), max_size=80),
)


@settings(max_examples=150, deadline=None)
@given(text=_texts)
def test_offset_map_points_at_the_same_characters(repairer: Repairer, text: str) -> None:
    clean, offsets = repair(repairer, text)
    assert offsets.to_raw(len(clean)) == len(text)
    inserted = 0
    for i, char in enumerate(clean):
        raw_at = offsets.to_raw(i)
        if raw_at == offsets.to_raw(i + 1):  # an inserted space maps to the next raw char
            assert char == " "
            inserted += 1
            continue
        assert text[raw_at] == char
    assert len(clean) == len(text) + inserted  # nothing but insertions without mojibake


@settings(max_examples=150, deadline=None)
@given(text=_texts)
def test_idempotent(repairer: Repairer, text: str) -> None:
    clean, _ = repair(repairer, text)
    assert repair(repairer, clean)[0] == clean


def test_evidence_found_by_a_repair_is_used(repairer: Repairer) -> None:
    # "Kalar" stands alone only once "KalarHamid" is split; the repair looks again, so that
    # repairing the result changes nothing
    clean = fixed(repairer, "Kalarstressed the need. KalarHamid spoke.")
    assert clean == "Kalar stressed the need. Kalar Hamid spoke."
    assert fixed(repairer, clean) == clean


def test_offset_map_on_a_known_text(repairer: Repairer) -> None:
    raw = "theTigris convoywas 2021.They"
    clean, offsets = repair(repairer, raw)
    assert clean == "the Tigris convoy was 2021. They"
    assert offsets == OffsetMap((0, 4, 18, 28), (0, 3, 16, 25))
    # inserted spaces (clean 3, 17, 27) map to the raw character that follows them
    probes = (0, 3, 4, 16, 17, 18, 27, 28)
    assert [offsets.to_raw(i) for i in probes] == [0, 3, 3, 15, 16, 16, 25, 25]


# --- the public wrappers ------------------------------------------------------------------------


def test_repair_article_keeps_raw_text(repairer: Repairer) -> None:
    raw = "Kurdish forces inErbil said the convoywas attacked."
    article = Article(
        id="a1", source="test", published="2025-01-02", url=None, title=None, text=raw, raw_text=raw
    )
    out = repair_article(repairer, article)
    assert out.raw_text == raw
    assert out.text == "Kurdish forces in Erbil said the convoy was attacked."
    start = out.text.index("attacked")
    assert raw[out.to_raw(start) : out.to_raw(start + len("attacked"))] == "attacked"
    assert out.id == "a1"
    assert repair(repairer, raw) == (out.text, out.offsets)


def test_repair_stats_counts_changed_tokens(repairer: Repairer) -> None:
    stats = repair_stats(repairer, ["the convoywas hit inErbil", "nothing to do here", ""])
    assert stats == RepairStats(
        tokens=8,
        changed=2,
        examples=(("convoywas", "convoy was"), ("inErbil", "in Erbil")),
    )


# --- the shared reference data ----------------------------------------------------------------


def _seed_bodies(shared: Path) -> list[str]:
    bodies = []
    for path in sorted((shared / "corpus" / "seeds").glob("*.txt")):
        _header, _blank, body = path.read_text(encoding="utf-8").partition("\n")
        bodies.append(re.sub(r"^\s*Shafaq News/\s*", "", body.lstrip()))
    assert bodies, "no seed articles found"
    return bodies


def test_seed_gold_glues_are_fixed(repairer: Repairer, shared: Path) -> None:
    gold = json.loads((shared / "eval" / "seeds.gold.json").read_text(encoding="utf-8"))
    repaired = [fixed(repairer, body) for body in _seed_bodies(shared)]
    text = "\n".join(repaired)
    raw = "\n".join(_seed_bodies(shared))
    tokens = set(re.findall(r"[\w’'-]+", text))
    assert gold["glued"], "the gold lists no glued words"
    for item in gold["glued"]:
        assert item["fixed"] in text, item
        assert item["raw"] not in tokens, item
    assert gold["must_not_split"], "the gold lists no words that must stay whole"
    for word in gold["must_not_split"]:
        whole = re.compile(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])")
        # still whole wherever it was whole, and whole at least once (some were glued)
        assert len(whole.findall(text)) >= max(1, len(whole.findall(raw))), word


def test_seed_repair_is_idempotent_and_mapped(repairer: Repairer, shared: Path) -> None:
    for body in _seed_bodies(shared):
        clean, offsets = repair(repairer, body)
        assert clean != body
        assert repair(repairer, clean)[0] == clean
        for i, char in enumerate(clean):
            if offsets.to_raw(i) != offsets.to_raw(i + 1):
                assert body[offsets.to_raw(i)] == char


@pytest.mark.slow
def test_guardian_corpus_changes_few_tokens(repairer: Repairer, shared: Path) -> None:
    path = shared / "corpus" / "guardian_sdf.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    started = time.perf_counter()
    stats = repair_stats(repairer, texts)
    elapsed = time.perf_counter() - started
    assert stats.tokens > 200_000
    assert stats.changed / stats.tokens < GUARDIAN_CHANGED_CEILING, stats.examples
    assert elapsed < GUARDIAN_SECONDS_CEILING
    # true glues of the corpus that the rules must keep finding
    assert ("theSyrian", "the Syrian") in stats.examples
    assert ("saidit", "said it") in stats.examples

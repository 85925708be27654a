"""The JSON API and the pages over a hand-made ledger (tests/helpers/web_ledger.py), through
TestClient."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsledger.pipeline.core import Resources, load_resources
from newsledger.store.export import ACLED_COLUMNS
from newsledger.web.app import create_app
from tests.helpers.web_ledger import A_TEXT, B_TEXT, HASHIMI, KIRKUK, KOBANI, build_ledger

TODAY = date(2026, 1, 1)
TEXTS = {"a1": A_TEXT, "b2": B_TEXT}


@pytest.fixture(scope="module")
def built() -> dict[str, str]:
    """backend -> the URL of the hand-made ledger (built once a module: these tests only read)."""
    return {}


@pytest.fixture()
def client(
    backend: str,
    built: dict[str, str],
    ledger_urls: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> TestClient:
    if backend not in built:
        url = ledger_urls("web.db")
        if backend == "sqlite":  # outlive the first test's tmp_path
            url = str(tmp_path_factory.mktemp("web") / "web.db")
        build_ledger(url, with_change=True)  # type: ignore[arg-type]
        built[backend] = url
    return TestClient(create_app(built[backend], today=lambda: TODAY))


def ids(client: TestClient, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/events",
        "/api/events.csv",
        "/api/events.geojson",
        "/api/events/{ref}",
        "/api/quotes",
        "/api/claims",
        "/api/deadlines",
        "/api/changes",
        "/api/people",
        "/api/places",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/people/{name}",
        "/api/timeline",
        "/api/board/deadlines",
    ):
        assert path in paths, path
    assert "post" in paths["/api/articles"]
    names = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {"from", "to", "type", "actor", "place", "bbox", "q", "limit", "cursor"} <= names


def test_events_newest_first_with_article_and_evidence(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert set(body) == {"items", "next"} and body["next"] is None
    assert [i["id"] for i in body["items"]] == ["b2-2", "b2-1", "a1-2", "a1-1", "c3-1"]
    kirkuk = body["items"][3]
    assert (kirkuk["latitude"], kirkuk["longitude"]) == KIRKUK
    assert kirkuk["article"] == {
        "id": "a1",
        "title": "Attack near Kirkuk <b>bold</b>",
        "source": "Levant Monitor",
        "published": "2024-12-19T13:05:28",
        "published_precision": None,
        "url": None,
    }
    for item in body["items"][:4]:
        ev = item["evidence"]
        assert TEXTS[item["article"]["id"]][ev["start"] : ev["end"]] == ev["text"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("from=2025-01-01", ["b2-2", "b2-1"]),
        ("to=2024-12-17", ["a1-1"]),
        ("from=2024-12&to=2024-12", ["a1-2", "a1-1"]),
        ("type=Battles", ["b2-1", "a1-1"]),
        ("type=Peaceful%20protest", ["b2-2"]),
        ("actor=islamic%20state", ["b2-1", "a1-1"]),
        ("actor=Syria", ["b2-2", "b2-1"]),
        ("place=nineveh", ["a1-2"]),
        ("place=Iraq", ["a1-2", "a1-1", "c3-1"]),
        ("bbox=43,34,45,36", ["a1-1"]),
        ("bbox=38,34,45,37", ["b2-2", "b2-1", "a1-2", "a1-1"]),
        ("q=roadside", ["a1-2"]),
        ("q=50%25", []),
        ("article=b2", ["b2-2", "b2-1"]),
        ("type=Battles&place=Syria&from=2025-01-01", ["b2-1"]),
        ("type=&actor=&q=", ["b2-2", "b2-1", "a1-2", "a1-1", "c3-1"]),
    ],
)
def test_event_filters(client: TestClient, query: str, expected: list[str]) -> None:
    assert ids(client, f"/api/events?{query}") == expected


def test_pagination_walks_every_item_once(client: TestClient) -> None:
    seen: list[str] = []
    url = "/api/events?limit=2"
    pages = 0
    while True:
        body = client.get(url).json()
        seen += [i["id"] for i in body["items"]]
        pages += 1
        if body["next"] is None:
            break
        url = f"/api/events?limit=2&cursor={body['next']}"
    assert pages == 3
    assert seen == ["b2-2", "b2-1", "a1-2", "a1-1", "c3-1"]
    first = client.get("/api/people?limit=1").json()
    second = client.get(f"/api/people?limit=1&cursor={first['next']}").json()
    assert [first["items"][0]["name"], second["items"][0]["name"]] == [HASHIMI, KOBANI]


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/api/events?from=2024-13-01", 400, "not a real date"),
        ("/api/events?from=yesterday", 400, "YYYY-MM-DD"),
        ("/api/events?bbox=1,2,3", 400, "four numbers"),
        ("/api/events?bbox=50,0,40,10", 400, "west <= east"),
        ("/api/events?cursor=nonsense", 400, "cursor"),
        ("/api/events?speaker=x", 400, "cannot be filtered by speaker"),
        ("/api/quotes?type=Battles", 400, "cannot be filtered by type"),
        ("/api/events?limit=0", 422, ""),
        ("/api/events?limit=501", 422, ""),
        ("/api/events/a1-9", 404, "not in the ledger"),
        ("/api/events/nodash", 400, "not a record id"),
        ("/api/articles/zzz", 404, "not in the ledger"),
        ("/api/people/Nobody", 404, "not in the ledger"),
    ],
)
def test_bad_requests_say_what_to_give(
    client: TestClient, url: str, status: int, words: str
) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert words in str(response.json()["detail"])


def test_quotes_claims_deadlines_filters(client: TestClient) -> None:
    assert ids(client, "/api/quotes") == ["b2-2", "b2-1", "a1-1"]
    assert ids(client, "/api/quotes?speaker=hashimi") == ["b2-2", "a1-1"]
    assert ids(client, "/api/quotes?speaker=SDF%20commander") == ["b2-1"]
    assert ids(client, "/api/quotes?topic=Kirkuk") == ["a1-1"]
    assert ids(client, "/api/quotes?q=camps") == ["b2-2"]
    assert ids(client, "/api/quotes?from=2025-01-01&to=2025-01-31") == ["b2-2", "b2-1"]
    quote = client.get("/api/quotes/a1-1").json()
    assert quote["speaker"] == HASHIMI and quote["kind"] == "direct"
    assert A_TEXT[quote["evidence"]["start"] : quote["evidence"]["end"]].startswith('"The coal')
    claim = client.get("/api/claims").json()["items"]
    assert [(c["value"], c["unit"], c["article"]["id"]) for c in claim] == [
        (12.0, "people killed", "b2")
    ]
    assert ids(client, "/api/claims?q=deir") == ["b2-1"]
    assert ids(client, "/api/claims?speaker=x") == []
    assert ids(client, "/api/deadlines") == ["c3-1", "b2-1", "a1-1"]
    assert ids(client, "/api/deadlines?from=2026-01-01") == ["c3-1", "b2-1"]
    assert ids(client, "/api/deadlines?to=2025-09") == ["a1-1"]
    assert ids(client, "/api/deadlines?speaker=kobani") == ["b2-1"]


def test_changes_people_places_articles(client: TestClient) -> None:
    changes = client.get("/api/changes").json()["items"]
    assert [
        (c["kind"], c["earlier"]["article"]["id"], c["later"]["article"]["id"]) for c in changes
    ] == [("deadline differs", "a1", "b2")]
    assert ids(client, "/api/changes?kind=stance%20changed") == []
    people = client.get("/api/people").json()["items"]
    assert [(p["name"], p["quotes"], p["articles"]) for p in people] == [
        (HASHIMI, 2, 2),
        (KOBANI, 1, 1),
    ]
    assert [p["name"] for p in client.get("/api/people?q=kobani").json()["items"]] == [KOBANI]
    places = client.get("/api/places?bbox=43,34,45,37").json()["items"]
    assert sorted(p["name"] for p in places) == ["Kirkuk", "Mosul"]
    assert ids(client, "/api/articles") == ["c3", "b2", "a1"]
    assert ids(client, "/api/articles?q=roadside%20bomb") == ["a1"]
    assert ids(client, "/api/articles?q=%22unbalanced") == []  # FTS syntax is not the user's
    assert ids(client, "/api/articles?source=Syria%20Desk") == ["b2"]


def test_article_detail_cuts_text_at_every_span(client: TestClient) -> None:
    body = client.get("/api/articles/a1").json()
    assert "".join(s["text"] for s in body["segments"]) == A_TEXT
    marked = {r for s in body["segments"] for r in s["records"]}
    assert {"a1-1", "a1-2"} <= marked  # events, quotes and deadlines share ids by kind
    assert [e["name"] for e in body["records"]["entities"]] == [HASHIMI, "Kirkuk", "Mosul"]
    quote_piece = next(s for s in body["segments"] if "quotes" in s["kinds"])
    assert "deadlines" in quote_piece["kinds"]  # the same sentence holds both


def test_person_lists_statements_oldest_first(client: TestClient) -> None:
    body = client.get(f"/api/people/{HASHIMI}").json()
    assert [(s["record_type"], s["article"]["id"]) for s in body["statements"]] == [
        ("quote", "a1"),
        ("deadline", "a1"),
        ("quote", "b2"),
    ]
    assert body["titles"] == ["Prime Minister of Iraq"]
    assert body["kinds"] == ["person"]  # the kind of source the extractor gave the speaker


def test_deadlines_board(client: TestClient) -> None:
    body = client.get("/api/board/deadlines").json()
    assert body["today"] == "2026-01-01"
    assert [d["id"] for d in body["upcoming"]] == ["b2-1", "c3-1"]
    assert [d["id"] for d in body["past"]] == ["a1-1"]
    assert [[d["deadline"] for d in g["reports"]] for g in body["disagreements"]] == [
        ["2025-09", "2026-09"]
    ]
    assert [c["kind"] for c in body["changes"]] == ["deadline differs"]


def test_csv_has_acled_columns_and_filters(client: TestClient) -> None:
    response = client.get("/api/events.csv?type=Battles")
    assert response.headers["content-type"].startswith("text/csv")
    reader = csv.DictReader(io.StringIO(response.text))
    assert tuple(reader.fieldnames or ())[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    rows = list(reader)
    assert [(r["event_id_cnty"], r["country"], r["iso3"], r["fatalities"]) for r in rows] == [
        ("b2-1", "Syria", "SYR", "12"),
        ("a1-1", "Iraq", "IRQ", "4"),
    ]
    assert rows[1]["latitude"] == str(KIRKUK[0]) and rows[1]["source"] == "Levant Monitor"


def _valid_geojson(doc: dict[str, Any]) -> None:
    """RFC 7946 for a FeatureCollection of Points (what the export writes)."""
    assert doc["type"] == "FeatureCollection" and isinstance(doc["features"], list)
    for f in doc["features"]:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict)
        assert isinstance(f["id"], str | int)
        geometry = f["geometry"]
        assert geometry["type"] == "Point" and len(geometry["coordinates"]) == 2
        lon, lat = geometry["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_geojson_validates_and_counts_events_without_a_place(client: TestClient) -> None:
    response = client.get("/api/events.geojson")
    assert response.headers["content-type"] == "application/geo+json"
    doc = response.json()
    _valid_geojson(doc)
    coords = {f["id"]: f["geometry"]["coordinates"] for f in doc["features"]}
    assert coords["a1-1"] == [KIRKUK[1], KIRKUK[0]]  # [longitude, latitude]
    assert len(coords) == 4 and doc["newsledger"]["without_coordinates"] == 1
    limited = client.get("/api/events.geojson?limit=1&place=Iraq").json()
    assert [f["id"] for f in limited["features"]] == ["a1-2"]
    assert limited["newsledger"]["matching"] == 3


def test_pages_render_the_same_data(client: TestClient) -> None:
    pages = {
        "/": ["Kirkuk", "4 killed", "5 events"],
        "/events/a1-1": ["killing four soldiers", "Read the sentence in the article"],
        "/timeline?type=Battles": ["Deir ez-Zor", "Statements are hidden"],
        "/timeline": ["the camps remain a threat"],
        "/quotes?speaker=kobani": [KOBANI],
        "/people": [HASHIMI],
        f"/people/{HASHIMI}": ["3 statements", "Prime Minister of Iraq"],
        "/deadlines": ["Reports disagree", "handover of al-Hol camp"],
        "/articles": ["Clashes in the east"],
        "/articles/b2": ['data-records="b2-1', "Serhat Kobani"],
        "/changes": ["deadline differs"],
    }
    for url, words in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        for word in words:
            assert word in response.text, (url, word)
    assert "Battles" in client.get("/timeline?type=Battles").text
    assert "Protests" not in client.get("/timeline?type=Battles").text.split("</form>")[1]


def test_html_is_escaped_and_no_cors(client: TestClient) -> None:
    page = client.get("/articles", headers={"Origin": "https://elsewhere.example"})
    assert "Attack near Kirkuk &lt;b&gt;bold&lt;/b&gt;" in page.text
    assert "<b>bold</b>" not in page.text
    assert "access-control-allow-origin" not in page.headers
    assert "script-src 'self'" in page.headers["content-security-policy"]
    bad = client.get("/api/events?q=%3Cscript%3E").json()
    assert bad == {"items": [], "next": None}


def test_empty_ledger_tells_what_to_run(ledger_urls: Callable[[str], str]) -> None:
    client = TestClient(create_app(ledger_urls("empty.db")))
    for url in ("/", "/timeline", "/quotes", "/deadlines", "/changes", "/articles"):
        text = client.get(url).text
        assert "The ledger is empty" in text and "newsledger ingest --db" in text, url
    assert client.get("/api/events").json() == {"items": [], "next": None}


def test_changes_empty_state(tmp_path: Path) -> None:
    path = tmp_path / "nochange.db"
    build_ledger(path)
    text = TestClient(create_app(str(path))).get("/changes").text
    assert "No changes flagged yet" in text


def test_ingest_needs_the_operators_token(tmp_path: Path) -> None:
    path = tmp_path / "ingest.db"
    article = {"id": "x1", "text": "Nothing happened in Kirkuk.", "published": "2025-03-01"}
    closed = TestClient(create_app(str(path)))
    assert closed.post("/api/articles", json=article).status_code == 403

    def no_model() -> Resources:
        raise AssertionError("the pipeline must not load before the token is checked")

    guarded = TestClient(create_app(str(path), token="s3cret", resources=no_model))
    assert guarded.post("/api/articles", json=article).status_code == 401
    wrong = {"Authorization": "Bearer s3cre"}
    assert guarded.post("/api/articles", json=article, headers=wrong).status_code == 401


@pytest.mark.slow
def test_ingest_with_the_token_stores_the_article(tmp_path: Path) -> None:
    path = tmp_path / "ingest.db"
    app = create_app(str(path), token="s3cret", resources=load_resources)
    client = TestClient(app)
    headers = {"Authorization": "Bearer s3cret"}
    article = {"id": "x1", "text": "Nothing happened in Kirkuk.", "published": "2025-03-01"}
    first = client.post("/api/articles", json=article, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["stored"] == 1
    again = client.post("/api/articles", json=[article], headers=headers)
    assert again.status_code == 200 and again.json()["duplicates"] == 1
    bad = client.post("/api/articles", json={"title": "no text"}, headers=headers)
    assert bad.status_code == 422 and "text" in bad.json()["rejected"][0]
    assert ids(client, "/api/articles") == ["x1"]

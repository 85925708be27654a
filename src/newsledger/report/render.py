"""Writing a briefing (`figures.build`'s dict) as HTML, PDF, Markdown or JSON.

The HTML is one file that opens offline: the charts and the map are inline SVG, the style is
inline, no script, nothing loaded from elsewhere (the only outside addresses are the source
articles' own links in the footnotes). The PDF is that HTML laid out on A4 by WeasyPrint (page
numbers, the contents with page numbers): it installs from PyPI and needs no browser, and it
fills in `target-counter` page numbers, which chromium's print-to-PDF does not.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from newsledger.report import charts, maps
from newsledger.report.choices import FORMATS
from newsledger.report.figures import note_ranges

SECTIONS = (
    ("summary", "Summary"),
    ("charts", "Charts"),
    ("map", "Map"),
    ("statements", "Key statements"),
    ("changes", "What changed"),
    ("deadlines", "Deadlines"),
    ("sources", "Sources"),
    ("method", "Method"),
)

ArticleHref = Callable[[dict[str, Any]], str | None]


def own_link(article: dict[str, Any]) -> str | None:
    """A footnote's link in the file: the article's own URL, if it has one."""
    url = article.get("url")
    return str(url) if url and str(url).startswith(("http://", "https://")) else None


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("newsledger.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["note_runs"] = note_ranges
    return env


def stylesheet() -> str:
    return (
        resources.files("newsledger.report")
        .joinpath("templates", "briefing.css")
        .read_text(encoding="utf-8")
    )


def svgs(briefing: dict[str, Any], world: dict[str, Any] | None = None) -> dict[str, Markup]:
    """The charts and the map, drawn."""
    if "charts" in briefing["omitted"]:
        return {}
    c = briefing["charts"]
    return {
        "events_over_time": Markup(charts.stacked_bars(c["events_over_time"], "c1")),
        "fatalities_by_province": Markup(charts.hbars(c["fatalities_by_province"], "c2")),
        "actors": Markup(charts.hbars(c["actors"], "c3")),
        "map": Markup(maps.draw(briefing["map"], "m1", world)),
    }


def body_html(
    briefing: dict[str, Any],
    article_href: ArticleHref = own_link,
    env: jinja2.Environment | None = None,
    world: dict[str, Any] | None = None,
) -> Markup:
    """The briefing as an <article> element (the web page embeds it); `world`: the map's
    outlines already loaded (maps.load_world), else read here."""
    env = env or environment()
    template = env.get_template("_body.html")
    html = template.render(
        b=briefing, svg=svgs(briefing, world), sections=SECTIONS, article_href=article_href
    )
    return Markup(html)


def to_html(
    briefing: dict[str, Any],
    article_href: ArticleHref = own_link,
    env: jinja2.Environment | None = None,
    world: dict[str, Any] | None = None,
) -> str:
    """One self-contained HTML document (`env`, `world`: as body_html)."""
    env = env or environment()
    body = body_html(briefing, article_href, env, world)
    return env.get_template("document.html").render(b=briefing, body=body, css=Markup(stylesheet()))


def to_pdf(briefing: dict[str, Any]) -> bytes:
    """The HTML document on A4 pages (WeasyPrint)."""
    # WeasyPrint loads pango through cffi when imported: only the PDF format needs it
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=to_html(briefing)).write_pdf()
    return pdf


def to_json(briefing: dict[str, Any]) -> str:
    return json.dumps(briefing, ensure_ascii=False, indent=2) + "\n"


def _refs(numbers: list[int]) -> str:
    if not numbers:
        return ""
    runs = [f"{a}" if a == b else f"{a}–{b}" for a, b in note_ranges(numbers)]
    return " [" + ", ".join(runs) + "]"


def to_markdown(briefing: dict[str, Any]) -> str:
    """Plain Markdown for an e-mail: the words and figures, footnotes as [n], no charts."""
    b = briefing
    out = [f"# Briefing: {b['title']}", ""]
    compared = (
        f", compared with {b['previous']['from']} to {b['previous']['to']}" if b["previous"] else ""
    )
    out += [f"Period {b['period']['from']} to {b['period']['to']}{compared}.", ""]
    out += ["## Summary", ""]
    out += [f"- {s['text']}{_refs(s['notes'])}" for s in b["headline"]]
    omitted = b["omitted"]
    if "charts" not in omitted:
        for key in ("fatalities_by_province", "actors"):
            chart = b["charts"][key]
            out += ["", f"**{chart['title']}** ({chart['unit']}):", ""]
            out += [
                f"- {bar['label']}: {bar['value']:,}{_refs(bar['notes'])}" for bar in chart["bars"]
            ] or [f"- No {chart['unit']} reported."]  # as the HTML's caption says
    out += ["", "## Key statements", ""]
    if "statements" in omitted:
        out += [f"Omitted: {omitted['statements']}.", ""]
    for sp in b["statements"]:
        title = f", {sp['title']}" if sp["title"] else ""
        out.append(f"**{sp['speaker']}**{title} ({sp['statements']} statements)")
        out.append("")
        for s in sp["said"]:
            said = f"“{s['text']}”" if s["kind"] != "claim" else s["text"]
            out.append(
                f"- {s['verb'].capitalize()}: {said} ({s['source'] or 'unknown source'}, "
                f"{s['date'] or 'undated'}){_refs(s['notes'])}"
            )
        out.append("")
    out += ["## What changed", ""]
    if "changes" in omitted:
        out += [f"Omitted: {omitted['changes']}.", ""]
    for c in b["changes"]:
        out.append(f"- **{c['kind']}** {c['speaker'] or ''} {c['topic'] or ''}: {c['why']}")
        for label in ("earlier", "later"):
            side = c[label]
            out.append(
                f"  - {label}: “{side['evidence'] or ''}” ({side['source'] or 'unknown source'}, "
                f"{side['date'] or 'undated'}){_refs(side['notes'])}"
            )
    out += ["", "## Deadlines", ""]
    if "deadlines" in omitted:
        out += [f"Omitted: {omitted['deadlines']}.", ""]
    else:
        for key, heading in (("due", "Falling due"), ("passed", "Fell due")):
            out.append(f"{heading}:")
            out += [
                f"- {d['deadline']} ({d['relation']}): {d['subject']}{_refs(d['notes'])}"
                for d in b["deadlines"][key]
            ] or ["- none"]
    out += ["", "## Sources", ""]
    for s in b["sources"]:
        link = f" <{s['url']}>" if own_link(s) else ""
        out.append(
            f"{s['n']}. {s['label']}. {s['source'] or 'unknown source'}, "
            f"{(s['published'] or 'undated')[:10]}.{link} ({s['id']})"
        )
    out += ["", "## Method", "", b["method"]["conventions"], "", b["method"]["caveat"], ""]
    return "\n".join(out)


def render(briefing: dict[str, Any], fmt: str) -> bytes:
    """The briefing in a format of FORMATS, as bytes to write."""
    if fmt == "pdf":
        return to_pdf(briefing)
    if fmt == "html":
        return to_html(briefing).encode("utf-8")
    if fmt == "md":
        return to_markdown(briefing).encode("utf-8")
    if fmt == "json":
        return to_json(briefing).encode("utf-8")
    raise ValueError(f"unknown briefing format {fmt!r}; choose one of {', '.join(FORMATS)}")

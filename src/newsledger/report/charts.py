"""The briefing's charts as SVG drawn on the server (no script): a stacked bar chart of events
over time by type, and horizontal bar charts (fatalities by province, most active actors). Each
carries its title, the period, the unit and its axis labels inside the SVG, so a chart copied out
of the briefing still says what it shows."""

from __future__ import annotations

import math
from html import escape
from typing import Any

from newsledger.report.style import BAR, INK, pattern_defs, pattern_id

FONT = 'font-family="DejaVu Sans, Verdana, sans-serif"'
WIDTH = 720


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top`."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if step < 1:
        step = 1
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def _text(
    x: float, y: float, body: str, size: int = 11, anchor: str = "start", extra: str = ""
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{INK}" '
        f"{FONT}{extra}>{escape(body)}</text>"
    )


def _header(title: str, period: str) -> str:
    return _text(0, 16, title, 14, extra=' font-weight="bold"') + _text(0, 32, period, 11)


def _short(label: str, most: int = 34) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"


def stacked_bars(chart: dict[str, Any], prefix: str) -> str:
    """Events per bucket by type, stacked; a legend with each type's swatch."""
    buckets: list[str] = chart["buckets"]
    series: list[dict[str, Any]] = chart["series"]
    types = [s["event_type"] for s in series]
    left, right, top, bottom = 52, 10, 48, 70
    legend_rows = math.ceil(len(types) / 2)
    height = 300 + legend_rows * 18
    plot_w, plot_h = WIDTH - left - right, 300 - top - bottom
    totals = [sum(s["values"][i] for s in series) for i in range(len(buckets))]
    ticks = nice_ticks(max(totals, default=0))
    scale = plot_h / ticks[-1]
    slot = plot_w / max(len(buckets), 1)
    bar_w = max(min(slot * 0.75, 40), 1.5)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{prefix}-t">',
        f'<title id="{prefix}-t">{escape(chart["title"])}, {escape(chart["period"])}</title>',
        f"<defs>{pattern_defs(prefix, types)}</defs>",
        _header(chart["title"], chart["period"]),
    ]
    for tick in ticks:
        y = top + plot_h - tick * scale
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc" '
            'stroke-width="0.6"/>'
        )
        parts.append(_text(left - 6, y + 4, f"{tick:g}", 10, "end"))
    step = max(1, math.ceil(len(buckets) / 12))
    for i, bucket in enumerate(buckets):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        for s in series:
            value = s["values"][i]
            if not value:
                continue
            h = value * scale
            y -= h
            parts.append(
                f"<g><title>{escape(bucket)}: {value} {escape(s['event_type'])}</title>"
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="url(#{pattern_id(prefix, s["event_type"])})" stroke="{INK}" '
                'stroke-width="0.6"/></g>'
            )
        if i % step == 0:
            label = bucket[5:] if len(buckets) > 1 else bucket
            cx = left + i * slot + slot / 2
            parts.append(_text(cx, top + plot_h + 14, label, 10, "middle"))
    parts.append(
        f'<line x1="{left}" x2="{WIDTH - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{INK}"/>'
    )
    parts.append(_text(left + plot_w / 2, top + plot_h + 32, chart["x_label"], 11, "middle"))
    parts.append(
        _text(
            14,
            top + plot_h / 2,
            chart["y_label"],
            11,
            "middle",
            f' transform="rotate(-90 14 {top + plot_h / 2:.1f})"',
        )
    )
    for n, event_type in enumerate(types):
        x = left + (n % 2) * (plot_w / 2)
        y = 300 - 18 + (n // 2) * 18
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="16" height="12" '
            f'fill="url(#{pattern_id(prefix, event_type)})" stroke="{INK}" stroke-width="0.6"/>'
        )
        total = sum(next(s["values"] for s in series if s["event_type"] == event_type))
        parts.append(_text(x + 22, y, f"{event_type} ({total:,})", 11))
    parts.append("</svg>")
    return "".join(parts)


def hbars(chart: dict[str, Any], prefix: str) -> str:
    """One bar a label, longest first, each with its value written at its end."""
    bars: list[dict[str, Any]] = chart["bars"]
    label_w, right, top, row = 240, 60, 48, 22
    plot_w = WIDTH - label_w - right
    height = top + row * len(bars) + 48
    ticks = nice_ticks(max((b["value"] for b in bars), default=0), 4)
    scale = plot_w / ticks[-1]
    bottom = top + row * len(bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{prefix}-t">',
        f'<title id="{prefix}-t">{escape(chart["title"])}, {escape(chart["period"])}</title>',
        _header(chart["title"], chart["period"]),
    ]
    for tick in ticks:
        x = label_w + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{bottom}" stroke="#ccc" '
            'stroke-width="0.6"/>'
        )
        parts.append(_text(x, bottom + 14, f"{tick:g}", 10, "middle"))
    for i, bar in enumerate(bars):
        y = top + i * row
        w = bar["value"] * scale
        parts.append(_text(label_w - 8, y + 15, _short(bar["label"]), 11, "end"))
        parts.append(
            f"<g><title>{escape(bar['label'])}: {bar['value']:,} {escape(chart['unit'])}</title>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{BAR}" '
            f'stroke="{INK}" stroke-width="0.6"/></g>'
        )
        parts.append(_text(label_w + w + 5, y + 15, f"{bar['value']:,}", 11))
    parts.append(
        f'<line x1="{label_w}" x2="{label_w}" y1="{top - 4}" y2="{bottom}" stroke="{INK}"/>'
    )
    parts.append(_text(label_w + plot_w / 2, bottom + 32, chart["x_label"], 11, "middle"))
    parts.append("</svg>")
    return "".join(parts)

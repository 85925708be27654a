"""The briefing's map as SVG drawn on the server, offline: country outlines from the Natural
Earth 1:50m TopoJSON the web app vendors (world-atlas), the period's events as markers (shape and
colour by event type, area by fatalities, outline by geo_precision), and the provinces holding
events named at their approximate centre (data/admin1.tsv).

No province outlines: no package installable from the registries ships admin1 boundaries for
offline use (Natural Earth's admin1 comes with cartopy or geodatasets only as a download at run
time), so the map names provinces at a point instead of drawing boundaries it does not have, and
says so in its caption."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from importlib import resources
from itertools import accumulate
from typing import Any

from newsledger import datafiles
from newsledger.report.style import INK, STYLES, style

WORLD = ("web", "static", "vendor", "world-atlas", "countries-50m.json")
WIDTH = 720
MAX_HEIGHT = 520
MIN_SPAN = 5.0  # degrees: the smallest area shown around the events
PAD = 0.12  # of the span, on each side
TRIM, TRIM_FROM = 0.05, 20
FONT = 'font-family="DejaVu Sans, Verdana, sans-serif"'
PRECISION_DASH = {1: "", 2: ' stroke-dasharray="3 2"', 3: ' stroke-dasharray="1 2"'}
PRECISION_WORDS = {
    1: "solid: a named town",
    2: "dashed: near a town, small area",
    3: "dotted, empty: province or country",
}


def load_world() -> dict[str, Any]:
    """The vendored world-atlas TopoJSON (countries at 1:50m)."""
    path = resources.files("newsledger").joinpath(*WORLD)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


Arc = tuple[list[int], list[int]]


def _arcs(topology: dict[str, Any]) -> list[Arc]:
    """The topology's arcs, delta-decoded, still in its quantized integer units."""
    return [
        (list(accumulate(d[0] for d in arc)), list(accumulate(d[1] for d in arc)))
        for arc in topology["arcs"]
    ]


def _ring(arcs: list[Arc], indexes: list[int]) -> Arc:
    xs: list[int] = []
    ys: list[int] = []
    for i in indexes:
        ax, ay = arcs[i] if i >= 0 else (arcs[~i][0][::-1], arcs[~i][1][::-1])
        skip = 1 if xs else 0
        xs.extend(ax[skip:])
        ys.extend(ay[skip:])
    return xs, ys


def country_rings(
    topology: dict[str, Any], box: tuple[float, float, float, float] | None = None
) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """(country name, ring of (lon, lat)) for every polygon ring of every country; with a `box`
    (west, south, east, north), only the rings that reach into it."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = _arcs(topology)
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = (geometry.get("properties") or {}).get("name", "")
        kind = geometry.get("type")
        polygons = (
            [geometry["arcs"]]
            if kind == "Polygon"
            else geometry["arcs"]
            if kind == "MultiPolygon"
            else []
        )
        for polygon in polygons:
            for indexes in polygon:
                xs, ys = _ring(arcs, indexes)
                if not xs:
                    continue
                if box is not None:
                    west, south, east, north = box
                    if (
                        max(xs) * sx + tx < west
                        or min(xs) * sx + tx > east
                        or max(ys) * sy + ty < south
                        or min(ys) * sy + ty > north
                    ):
                        continue
                yield name, [(x * sx + tx, y * sy + ty) for x, y in zip(xs, ys, strict=True)]


@dataclass(frozen=True)
class View:
    """An equirectangular view of a box, x scaled by the cosine of its middle latitude."""

    west: float
    south: float
    east: float
    north: float
    width: int
    height: int

    @classmethod
    def around(cls, points: list[tuple[float, float]]) -> View:
        """A view of the points; with TRIM_FROM points or more, of those between the TRIM
        and 1 - TRIM quantiles of latitude and of longitude (a few events coded far away,
        often wrongly, would otherwise shrink the rest to a corner)."""
        lats = sorted(p[0] for p in points)
        lons = sorted(p[1] for p in points)
        cut = int(len(points) * TRIM) if len(points) >= TRIM_FROM else 0
        south, north = lats[cut], lats[len(lats) - 1 - cut]
        west, east = lons[cut], lons[len(lons) - 1 - cut]
        span = max(north - south, east - west, MIN_SPAN)
        mid_lat, mid_lon = (south + north) / 2, (west + east) / 2
        half = span * (0.5 + PAD)
        south, north = max(mid_lat - half, -85), min(mid_lat + half, 85)
        cos = math.cos(math.radians((south + north) / 2))
        half_lon = half / max(cos, 0.2)
        west, east = mid_lon - half_lon, mid_lon + half_lon
        ratio = (north - south) / ((east - west) * cos)
        height = min(MAX_HEIGHT, max(260, round(WIDTH * ratio)))
        return cls(west, south, east, north, WIDTH, height)

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        x = (lon - self.west) / (self.east - self.west) * self.width
        y = (self.north - lat) / (self.north - self.south) * self.height
        return x, y


MARGIN = 10.0  # px beyond the view where outlines are clamped (the clip hides them)
STEP = 0.8  # px: a point closer than this to the last one kept is dropped


def _edges(x: float, y: float, lx: float, ly: float, hx: float, hy: float) -> set[str]:
    """The sides of the clamping box a point lies on."""
    return {
        side for side, on in (("w", x == lx), ("e", x == hx), ("n", y == ly), ("s", y == hy)) if on
    }


def _path(view: View, ring: list[tuple[float, float]]) -> str:
    """A ring as an SVG path in the view's pixels: points outside the view clamped to a box a
    little larger than it (what a polygon fills inside the box stays the same), and points
    closer than STEP to the one before dropped; a 1:50m country is thousands of points."""
    low_x, low_y = -MARGIN, -MARGIN
    high_x, high_y = view.width + MARGIN, view.height + MARGIN
    kept: list[tuple[float, float]] = []
    kept_edges: list[set[str]] = []
    for lon, lat in ring:
        x, y = view.xy(lat, lon)
        x = min(max(x, low_x), high_x)
        y = min(max(y, low_y), high_y)
        if kept and abs(x - kept[-1][0]) < STEP and abs(y - kept[-1][1]) < STEP:
            continue
        edges = _edges(x, y, low_x, low_y, high_x, high_y)
        if edges and len(kept) >= 2 and edges & kept_edges[-1] & kept_edges[-2]:
            kept[-1] = (x, y)  # a run along one side of the box needs only its ends
            continue
        kept.append((x, y))
        kept_edges.append(edges)
    if len(kept) < 3:
        return ""
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + "Z"


def radius(fatalities: int) -> float:
    """Marker radius (px): its area grows with the fatalities (0 still shows)."""
    return 4.0 + 2.2 * math.sqrt(min(fatalities, 400))


def marker(shape: str, x: float, y: float, r: float, attrs: str) -> str:
    """A marker of a shape centred on (x, y) with about the area of a circle of radius r."""
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"{attrs}/>'
    sides, turn = {
        "triangle": (3, -90),
        "down": (3, 90),
        "square": (4, 45),
        "diamond": (4, 0),
        "hexagon": (6, 0),
    }[shape]
    k = r * math.sqrt(2 * math.pi / (sides * math.sin(2 * math.pi / sides)))
    points = " ".join(
        f"{x + k * math.cos(math.radians(turn + 360 * i / sides)):.1f},"
        f"{y + k * math.sin(math.radians(turn + 360 * i / sides)):.1f}"
        for i in range(sides)
    )
    return f'<polygon points="{points}"{attrs}/>'


def province_points() -> dict[tuple[str, str], tuple[float, float]]:
    """(country code, admin1 name) -> its approximate centre (data/admin1.tsv)."""
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for line in datafiles.read_lines("admin1.tsv"):
        cells = line.split("\t")
        if len(cells) >= 5:
            out[(cells[0], cells[2])] = (float(cells[3]), float(cells[4]))
    return out


def _province_labels(points: list[dict[str, Any]]) -> list[tuple[str, float, float]]:
    """(name, lat, lon) of the provinces holding events: their centre in admin1.tsv (found by
    name, whatever the country code), else the middle of their events."""
    centres = {name: point for (_, name), point in province_points().items()}
    held: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for p in points:
        if p["admin1"]:
            held[p["admin1"]].append((p["latitude"], p["longitude"]))
    out = []
    for name, spots in sorted(held.items()):
        lat, lon = centres.get(
            name,
            (sum(s[0] for s in spots) / len(spots), sum(s[1] for s in spots) / len(spots)),
        )
        out.append((name, lat, lon))
    return out


def draw(map_data: dict[str, Any], prefix: str, world: dict[str, Any] | None = None) -> str:
    """The map (see the module's docstring); '' when no event has coordinates. A marker stands
    for the events of one type at one place (figures._map), its area for their fatalities."""
    points: list[dict[str, Any]] = map_data["points"]
    if not points:
        return ""
    view = View.around([(p["latitude"], p["longitude"]) for p in points])
    topology = world if world is not None else load_world()
    legend_h = 130
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {view.width} '
        f'{view.height + legend_h}" width="{view.width}" height="{view.height + legend_h}" '
        f'role="img" aria-labelledby="{prefix}-t">',
        f'<title id="{prefix}-t">{escape(map_data["title"])}, {escape(map_data["period"])}</title>',
        f'<defs><clipPath id="{prefix}-clip"><rect width="{view.width}" '
        f'height="{view.height}"/></clipPath></defs>',
        f'<rect width="{view.width}" height="{view.height}" fill="#dde9f2" stroke="{INK}"/>',
        f'<g clip-path="url(#{prefix}-clip)">',
    ]
    box = (view.west, view.south, view.east, view.north)
    land = [_path(view, ring) for _, ring in country_rings(topology, box)]
    land = [d for d in land if d]
    parts.append(
        f'<path d="{" ".join(land)}" fill="#f6f3ec" stroke="#555" stroke-width="0.8" '
        'fill-rule="evenodd"/>'
    )
    for name, lat, lon in _province_labels(points):
        x, y = view.xy(lat, lon)
        for paint in ('fill="#fff" stroke="#fff" stroke-width="3"', 'fill="#333"'):
            parts.append(
                f'<text x="{x:.1f}" y="{y + 14:.1f}" font-size="11" text-anchor="middle" '
                f'font-style="italic" {FONT} {paint}>{escape(name)}</text>'
            )
    for p in sorted(points, key=lambda p: -p["fatalities"]):
        x, y = view.xy(p["latitude"], p["longitude"])
        s = style(p["event_type"])
        precision = p["geo_precision"] or 3
        fill = "none" if precision == 3 else s.colour
        opacity = ' fill-opacity="0.85"' if precision == 1 else ' fill-opacity="0.45"'
        attrs = (
            f' fill="{fill}"{opacity} stroke="{INK}" stroke-width="1.1"'
            f"{PRECISION_DASH.get(precision, '')}"
        )
        when = p["first_date"]
        if p["last_date"] != p["first_date"]:
            when += f" to {p['last_date']}"
        n = p["events"]
        title = (
            f"{n} {p['event_type']} event{'s' if n > 1 else ''} in "
            f"{p['location'] or p['admin1'] or ''}, {when}: {p['fatalities']} killed "
            f"(geo precision {precision})"
        )
        parts.append(
            f"<g><title>{escape(title)}</title>"
            f"{marker(s.shape, x, y, radius(p['fatalities']), attrs)}</g>"
        )
    parts.append("</g>")
    outside = sum(
        p["events"]
        for p in points
        if not (
            view.south <= p["latitude"] <= view.north and view.west <= p["longitude"] <= view.east
        )
    )
    if outside:
        note = f"{outside} event{'s' if outside > 1 else ''} outside this view (in the JSON format)"
        parts.append(
            f'<text x="{view.width - 6}" y="{view.height - 6}" font-size="10" text-anchor="end" '
            f'fill="{INK}" {FONT}>{escape(note)}</text>'
        )
    parts.append(_legend(view, legend_h, sorted({p["event_type"] for p in points})))
    parts.append("</svg>")
    return "".join(parts)


def _legend(view: View, height: int, types: list[str]) -> str:
    top = view.height + 18
    parts = []
    for n, event_type in enumerate(t for t in STYLES if t in types):
        x, y = 8 + (n % 3) * 240, top + (n // 3) * 20
        s = style(event_type)
        parts.append(marker(s.shape, x + 6, y - 4, 6, f' fill="{s.colour}" stroke="{INK}"'))
        parts.append(_label(x + 18, y, event_type))
    y = top + 46
    for n, precision in enumerate((1, 2, 3)):
        x = 8 + n * 240
        fill = "none" if precision == 3 else "#888"
        dash = PRECISION_DASH[precision]
        parts.append(
            f'<circle cx="{x + 6}" cy="{y - 4}" r="6" fill="{fill}" stroke="{INK}"{dash}/>'
        )
        parts.append(_label(x + 18, y, PRECISION_WORDS[precision], 10))
    y = top + 96
    parts.append(_label(8, y, "Size: fatalities", 10))
    left = 110.0
    for n in (0, 10, 50):
        r = radius(n)
        parts.append(
            f'<circle cx="{left + r:.1f}" cy="{y - 4}" r="{r:.1f}" fill="none" stroke="{INK}"/>'
        )
        parts.append(_label(left + 2 * r + 4, y, f"{n}", 10))
        left += 2 * r + 40
    return "".join(parts)


def _label(x: float, y: float, text: str, size: int = 11) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{INK}" {FONT}>'
        f"{escape(text)}</text>"
    )

"""How the briefing's charts and map tell event types apart: a colour-blind-safe palette
(Okabe and Ito's) and, for black-and-white print and every reader, a fill pattern (charts) and a
marker shape (map) per type."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class TypeStyle:
    colour: str
    pattern: str  # a key of PATTERNS
    shape: str  # a key of SHAPES (map markers)


STYLES = {
    "Battles": TypeStyle("#D55E00", "diagonal", "circle"),
    "Explosions/Remote violence": TypeStyle("#E69F00", "crosshatch", "triangle"),
    "Violence against civilians": TypeStyle("#CC79A7", "dots", "square"),
    "Protests": TypeStyle("#56B4E9", "horizontal", "diamond"),
    "Riots": TypeStyle("#F0E442", "vertical", "down"),
    "Strategic developments": TypeStyle("#009E73", "plain", "hexagon"),
}
OTHER = TypeStyle("#999999", "backdiagonal", "circle")
INK = "#222222"
BAR = "#0072B2"


def style(event_type: str) -> TypeStyle:
    return STYLES.get(event_type, OTHER)


# pattern name -> the strokes drawn over the type's colour in an 8x8 tile
PATTERNS = {
    "diagonal": '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#000" stroke-width="1.3"/>',
    "backdiagonal": '<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" stroke="#000" stroke-width="1.1"/>',
    "crosshatch": '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#000" stroke-width="0.9"/>',
    "dots": '<circle cx="4" cy="4" r="1.6" fill="#000"/>',
    "horizontal": '<path d="M0,4 h8" stroke="#000" stroke-width="1.4"/>',
    "vertical": '<path d="M4,0 v8" stroke="#000" stroke-width="1.4"/>',
    "plain": "",
}


def pattern_id(prefix: str, event_type: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in event_type.lower())
    return f"{prefix}-{slug}"


def pattern_defs(prefix: str, event_types: list[str]) -> str:
    """<pattern> elements (ids from `pattern_id`) for these types: colour plus strokes."""
    out = []
    for event_type in event_types:
        s = style(event_type)
        out.append(
            f'<pattern id="{escape(pattern_id(prefix, event_type))}" width="8" height="8" '
            f'patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{s.colour}"/>'
            f"{PATTERNS[s.pattern]}</pattern>"
        )
    return "".join(out)

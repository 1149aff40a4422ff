"""The highlighted-text view, in the spirit of displaCy's span visualiser.

Overlapping spans are drawn as stacked coloured underlines: each span gets a *slot* (a level
below the text) by greedy interval partitioning, the text is cut at every span boundary, and
each piece carries one underline per span covering it, plus a tint of the innermost span.
Backgrounds rather than positioned elements are used so highlights wrap across lines.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from .html import escape

#: (label, kind or has_rationale key) → (colour, legend text).
STYLES: dict[tuple[str, str], tuple[str, str]] = {
    ("child_voice", "direct_quote"): ("#1b7f3b", "Child's voice: direct quote"),
    ("child_voice", "reported"): ("#5cb85c", "Child's voice: reported"),
    ("child_voice", "non_verbal"): ("#139c8f", "Child's voice: non-verbal"),
    ("decision", "with_rationale"): ("#1565c0", "Decision with its reason"),
    ("decision", "without_rationale"): ("#c62828", "Decision without a reason"),
    ("rationale", ""): ("#7e57c2", "Reason for a decision"),
    ("sibling_copy", "verbatim"): ("#e65100", "Copied from a sibling: verbatim"),
    ("sibling_copy", "near_verbatim"): ("#ff9800", "Copied from a sibling: near verbatim"),
    ("sibling_copy", "shared_background"): ("#9e9e9e", "Shared family background"),
    ("name_leak", ""): ("#d81b60", "Sibling's name, wrong pronoun or age"),
    ("plain_language", ""): ("#c9a000", "Plain-language problem"),
}
FALLBACK = ("#607d8b", "Other")

LABEL_NAMES = {"child_voice": "child's voice", "decision": "decision", "rationale": "reason",
               "sibling_copy": "copied", "name_leak": "name leak",
               "plain_language": "plain language"}


def style_key(span: Mapping[str, Any]) -> tuple[str, str]:
    label = str(span.get("label"))
    if label == "decision":
        return label, "with_rationale" if span.get("has_rationale") else "without_rationale"
    kind = str(span.get("kind") or "")
    if (label, kind) in STYLES:
        return label, kind
    if (label, "") in STYLES:
        return label, ""
    return label, kind


def colour(span: Mapping[str, Any]) -> str:
    return STYLES.get(style_key(span), FALLBACK)[0]


def css_class(span: Mapping[str, Any]) -> str:
    """Class names from fixed vocabularies only (unknown values are not echoed)."""
    label, sub = style_key(span)
    known = (label, sub) in STYLES
    cls = f"l-{label}" if label in LABEL_NAMES else "l-other"
    if known and sub:
        cls += f" k-{sub}"
    return cls


def tag_text(span: Mapping[str, Any]) -> str:
    label = str(span.get("label"))
    name = LABEL_NAMES.get(label, label)
    if label == "decision":
        return name + ("" if span.get("has_rationale") else " · no reason")
    kind = span.get("kind")
    return f"{name} · {str(kind).replace('_', ' ')}" if kind else name


def describe(span: Mapping[str, Any]) -> str:
    """A one-line plain description for a tooltip (escaped by the caller)."""
    label = str(span.get("label"))
    bits = [STYLES.get(style_key(span), (None, label.replace("_", " ")))[1]]
    kind = span.get("kind")
    if label in ("name_leak", "plain_language") and kind:
        bits.append(str(kind).replace("_", " "))
    if span.get("detail"):
        bits.append(str(span["detail"]))
    if isinstance(span.get("similarity"), (int, float)):
        bits.append(f"similarity {span['similarity']:.2f}")
    if isinstance(span.get("score"), (int, float)):
        bits.append(f"confidence {span['score']:.2f}")
    text = ", ".join(bits)
    if span.get("suggestion"):
        text += f" — suggestion: {span['suggestion']}"
    return text


def assign_slots(spans: Sequence[tuple[int, int, int]]) -> dict[int, int]:
    """(key, start, end) → slot per key: overlapping spans get different slots, longest first."""
    slot_end: list[int] = []
    out: dict[int, int] = {}
    for key, start, end in sorted(spans, key=lambda t: (t[1], -(t[2] - t[1]), t[0])):
        for k, e in enumerate(slot_end):
            if e <= start:
                slot_end[k] = end
                out[key] = k
                break
        else:
            out[key] = len(slot_end)
            slot_end.append(end)
    return out


def _background(colours: Sequence[tuple[int, str]], tint: str) -> str:
    """Stacked underline stripes (slot 0 nearest the text) plus a light tint."""
    layers = [f"linear-gradient({c},{c}) 0 calc(100% - {2 + 5 * slot}px)/100% 3px no-repeat"
              for slot, c in colours]
    layers.append(f"linear-gradient({tint}22,{tint}22)")
    return "background:" + ",".join(layers)


def render_text(text: str, offset: int, spans: Sequence[tuple[int, Mapping[str, Any]]],
                id_prefix: str) -> str:
    """``text`` (an entry, starting at source offset ``offset``) with its spans highlighted.

    ``spans`` are (index in the record, contract span dict) with source offsets; each span's
    first piece gets ``id="{id_prefix}{index}"`` so findings can link to it.
    """
    n = len(text)
    items = []
    for k, s in spans:
        try:
            a, b = int(s["start"]) - offset, int(s["end"]) - offset
        except (KeyError, TypeError, ValueError):
            continue
        a, b = max(0, a), min(n, b)
        if a < b:
            items.append((k, a, b, s))
    if not items:
        return escape(text)
    slots = assign_slots([(k, a, b) for k, a, b, _ in items])
    depth = max(slots.values()) + 1
    cuts = sorted({0, n, *(a for _, a, _, _ in items), *(b for _, _, b, _ in items)})
    out = [f'<span class="hl-text" style="--depth:{depth}">']
    started: set[int] = set()
    for a, b in zip(cuts, cuts[1:]):
        active = [(k, s) for k, sa, sb, s in items if sa <= a and sb >= b]
        piece = escape(text[a:b])
        if not active:
            out.append(piece)
            continue
        active.sort(key=lambda t: slots[t[0]])
        inner = max(active, key=lambda t: slots[t[0]])[1]
        style = _background([(slots[k], colour(s)) for k, s in active], colour(inner))
        tags = []
        for k, s in active:
            if k not in started:
                started.add(k)
                tags.append(f'<span class="tag {css_class(s)}" id="{id_prefix}{k}" '
                            f'style="background:{colour(s)}">{escape(tag_text(s))}</span>')
        classes = " ".join(sorted({c for _, s in active for c in css_class(s).split()}))
        tip = "\n".join(describe(s) for _, s in active)
        keys = " ".join(str(k) for k, _ in active)
        pad = 5 * (max(slots[k] for k, _ in active) + 1)
        out.append(f'<mark class="hl {classes}" data-spans="{keys}" title="{escape(tip)}" '
                   f'style="padding-bottom:{pad}px;{style}">{"".join(tags)}{piece}</mark>')
    out.append("</span>")
    return "".join(out)


def legend() -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{c}"></span>{escape(text)}</li>'
        for c, text in STYLES.values())
    return f'<ul class="legend">{items}</ul>'

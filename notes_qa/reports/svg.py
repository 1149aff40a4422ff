"""Small inline SVG charts (no scripts, no fonts): histogram, bars, lines and a timeline.

Every label passes through :func:`notes_qa.reports.html.escape`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

from .html import escape

FONT = "font-family=\"system-ui, sans-serif\" font-size=\"11\""
AXIS = "#666"


def _svg(width: int, height: int, body: str, label: str) -> str:
    return (f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
            f'{FONT}><title>{escape(label)}</title>{body}</svg>')


def histogram(values: Sequence[float], lo: float, hi: float, bins: int = 10,
              threshold: float | None = None, label: str = "", width: int = 320,
              height: int = 150, fmt: str = "share") -> str:
    """Counts of ``values`` in ``bins`` equal bins over [lo, hi], with a threshold line."""
    counts = [0] * bins
    for v in values:
        k = int((v - lo) / (hi - lo) * bins) if hi > lo else 0
        counts[min(max(k, 0), bins - 1)] += 1
    top = max(counts) or 1
    left, right, tpad, bpad = 28, 8, 8, 22
    pw, ph = width - left - right, height - tpad - bpad
    bw = pw / bins
    parts = []
    for k, c in enumerate(counts):
        h = ph * c / top
        x = left + k * bw
        a = lo + (hi - lo) * k / bins
        b = lo + (hi - lo) * (k + 1) / bins
        rng = f"{a * 100:.0f}–{b * 100:.0f}%" if fmt == "share" else f"{a:.0f}–{b:.0f}"
        parts.append(f'<rect x="{x + 1:.1f}" y="{tpad + ph - h:.1f}" width="{bw - 2:.1f}" '
                     f'height="{h:.1f}" fill="#4f7cac"><title>{escape(rng)}: {c} '
                     f'case{"s" if c != 1 else ""}</title></rect>')
    parts.append(f'<line x1="{left}" y1="{tpad + ph}" x2="{left + pw}" y2="{tpad + ph}" '
                 f'stroke="{AXIS}"/>')
    for frac in (0, 0.5, 1):
        v = lo + (hi - lo) * frac
        txt = f"{v * 100:.0f}%" if fmt == "share" else f"{v:.0f}"
        parts.append(f'<text x="{left + pw * frac:.1f}" y="{height - 6}" text-anchor="middle" '
                     f'fill="{AXIS}">{txt}</text>')
    parts.append(f'<text x="{left - 4}" y="{tpad + 9}" text-anchor="end" fill="{AXIS}">{top}</text>')
    parts.append(f'<text x="{left - 4}" y="{tpad + ph}" text-anchor="end" fill="{AXIS}">0</text>')
    if threshold is not None and hi > lo:
        x = left + pw * (threshold - lo) / (hi - lo)
        parts.append(f'<line x1="{x:.1f}" y1="{tpad}" x2="{x:.1f}" y2="{tpad + ph}" '
                     f'stroke="#c62828" stroke-dasharray="4 3"><title>threshold</title></line>')
    return _svg(width, height, "".join(parts), label)


def hbars(rows: Sequence[tuple[str, float | None, str]], lo: float, hi: float,
          threshold: float | None = None, label: str = "", width: int = 420,
          fmt: str = "share") -> str:
    """Horizontal bars: (row label, value, note) per row; None values are shown as 'n/a'."""
    lw, rpad, rh = 150, 60, 18
    height = rh * len(rows) + 20
    pw = width - lw - rpad
    parts = []
    for k, (name, value, note) in enumerate(rows):
        y = 4 + k * rh
        short = name if len(name) <= 24 else name[:23] + "…"
        parts.append(f'<text x="{lw - 6}" y="{y + 12}" text-anchor="end">{escape(short)}'
                     f'<title>{escape(name)}</title></text>')
        if value is None:
            parts.append(f'<text x="{lw + 4}" y="{y + 12}" fill="{AXIS}">n/a</text>')
            continue
        w = pw * (min(max(value, lo), hi) - lo) / (hi - lo) if hi > lo else 0
        txt = f"{value * 100:.0f}%" if fmt == "share" else f"{value:.1f}"
        parts.append(f'<rect x="{lw}" y="{y + 2}" width="{w:.1f}" height="{rh - 6}" '
                     f'fill="#4f7cac"><title>{escape(name)}: {txt} {escape(note)}</title></rect>')
        parts.append(f'<text x="{lw + w + 4:.1f}" y="{y + 12}" fill="#222">{txt}</text>')
    if threshold is not None and hi > lo:
        x = lw + pw * (threshold - lo) / (hi - lo)
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 16}" '
                     f'stroke="#c62828" stroke-dasharray="4 3"/>')
    return _svg(width, height, "".join(parts), label)


def lines(xlabels: Sequence[str], series: dict[str, Sequence[float | None]], lo: float,
          hi: float, label: str = "", width: int = 560, height: int = 180,
          fmt: str = "share") -> str:
    """One polyline per series over the same x positions (e.g. runs or months)."""
    palette = ["#2e7d32", "#1565c0", "#ef6c00", "#6a1b9a", "#00838f"]
    left, right, tpad, bpad = 36, 160, 10, 26
    pw, ph = width - left - right, height - tpad - bpad
    n = len(xlabels)

    def xy(k: int, v: float) -> tuple[float, float]:
        x = left + (pw * k / (n - 1) if n > 1 else pw / 2)
        y = tpad + ph * (1 - (min(max(v, lo), hi) - lo) / (hi - lo))
        return x, y

    parts = [f'<line x1="{left}" y1="{tpad + ph}" x2="{left + pw}" y2="{tpad + ph}" stroke="{AXIS}"/>',
             f'<line x1="{left}" y1="{tpad}" x2="{left}" y2="{tpad + ph}" stroke="{AXIS}"/>']
    for frac in (0, 0.5, 1):
        v = lo + (hi - lo) * frac
        txt = f"{v * 100:.0f}%" if fmt == "share" else f"{v:.0f}"
        parts.append(f'<text x="{left - 4}" y="{tpad + ph * (1 - frac) + 4:.1f}" '
                     f'text-anchor="end" fill="{AXIS}">{txt}</text>')
    step = max(1, n // 6)
    for k in range(0, n, step):
        x, _ = xy(k, lo)
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" fill="{AXIS}">'
                     f'{escape(xlabels[k][:16])}<title>{escape(xlabels[k])}</title></text>')
    for j, (name, vals) in enumerate(series.items()):
        colour = palette[j % len(palette)]
        pts = [(k, v) for k, v in enumerate(vals) if v is not None]
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(k, v) for k, v in pts))
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for k, v in pts:
            x, y = xy(k, v)
            txt = f"{v * 100:.0f}%" if fmt == "share" else f"{v:.1f}"
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                         f'<title>{escape(name)}, {escape(xlabels[k])}: {txt}</title></circle>')
        parts.append(f'<rect x="{width - right + 10}" y="{tpad + j * 16}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{width - right + 24}" y="{tpad + j * 16 + 9}">'
                     f'{escape(name)}</text>')
    return _svg(width, height, "".join(parts), label)


@dataclass
class TimelinePoint:
    when: date
    category: str  # voice | no_voice | plan | other
    href: str  # built from indexes only
    tip: str
    flagged: bool = False


TIMELINE_COLOURS = {"voice": "#2e7d32", "no_voice": "#c62828", "plan": "#f9a825",
                    "other": "#78909c"}


def timeline(points: Sequence[TimelinePoint], label: str = "", width: int = 760) -> str:
    """Entries on a date axis: coloured by kind, a red mark above flagged ones, each a link."""
    height, left, right, y = 64, 16, 16, 34
    if not points:
        return ""
    first, last = min(p.when for p in points), max(p.when for p in points)
    span = max((last - first).days, 1)
    pw = width - left - right
    parts = [f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#bbb" stroke-width="2"/>',
             f'<text x="{left}" y="{height - 6}" fill="{AXIS}">{first.isoformat()}</text>',
             f'<text x="{width - right}" y="{height - 6}" text-anchor="end" fill="{AXIS}">'
             f'{last.isoformat()}</text>']
    for p in points:
        x = left + pw * (p.when - first).days / span if last > first else left + pw / 2
        mark = (f'<path d="M{x - 4:.1f},{y - 16} l8,0 l-4,7 z" fill="#c62828"/>' if p.flagged else "")
        parts.append(f'<a href="{p.href}">{mark}<circle cx="{x:.1f}" cy="{y}" r="6" '
                     f'fill="{TIMELINE_COLOURS.get(p.category, "#78909c")}" stroke="#fff">'
                     f'<title>{escape(p.tip)}</title></circle></a>')
    return _svg(width, height, "".join(parts), label)

"""Diagrams drawn on the server as SVG: which architecture aligns to which, and a trace.

Each SVG is an image (``role="img"``) named by its ``<title>`` and described by its ``<desc>``;
the pages put the same content next to it as a table or list, so nothing is only in the picture.
No links inside: an image's content is not reachable by keyboard or screen reader, the text
alternative carries the links. Colours keep text at 4.5:1 or more against its background.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from .i18n import format_number, pick, t

INK = "#1a1a1a"
BLUE = "#1f4e79"
GREEN = "#2e6b30"
GREY = "#595959"


def _esc(value) -> str:
    return escape(str(value), quote=True)


def _frame(uid: str, width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="diagram" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{uid}-title">{_esc(title)}</title><desc id="{uid}-desc">{_esc(desc)}</desc>'
        f'<defs><marker id="{uid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{BLUE}"/></marker>'
        f'<marker id="{uid}-arrow-grey" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{GREY}"/></marker></defs>'
        + "".join(body) + "</svg>")


TRACE_ORDER = ["Kernwaarde", "Kwaliteitsdoel", "Architectuurprincipe", "Implicatie", "nora"]


def trace_layers(trace: dict) -> list[str]:
    present = {n["layer"] for n in trace["nodes"]}
    steps = sorted((p for p in present if p.startswith("step")), key=lambda p: -int(p[4:]))
    return [p for p in TRACE_ORDER if p in present] + steps + (["start"] if "start" in present else [])


def layer_name(layer: str, lang: str) -> str:
    if layer.startswith("step"):
        return t("trace.layer.step", lang, n=int(layer[4:]))
    return t(f"trace.layer.{layer}", lang)

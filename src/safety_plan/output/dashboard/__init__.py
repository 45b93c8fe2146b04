"""The dashboard as a static site: ``index.html`` and one page per unit, self-contained.

For an intranet share or ``file://``: no script, no web font, no request of any kind; the CSS
is inlined into every page and the charts are inline SVG (``charts``). Jinja autoescapes
everything, so a note reading ``<script>`` shows as text. Pure: a ``Dashboard`` in, a mapping
of relative paths to page texts out; the command writes them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from safety_plan.output.dashboard import charts
from safety_plan.output.render import View
from safety_plan.output.text import printable
from safety_plan.output.words import LIGHT_ZH, status_zh
from safety_plan.reports.dashboard import Dashboard, UnitPage

TEMPLATES = Path(__file__).parent / "templates"
UNITS_DIR = "units"
_SHORT = 12
"""Cells longer than this may wrap; shorter ones (IDs, dates, lights) stay on one line."""
_LIGHT_OF_WORD = {word: light for light, word in LIGHT_ZH.items()}


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Every {{ value }}: the data's control characters shown as symbols (Markup, such as
        # the inline SVG charts, is left alone).
        finalize=lambda v: printable(v) if type(v) is str else v,
    )
    env.filters.update({"light_word": lambda v: LIGHT_ZH.get(v, "—"), "status": status_zh})
    env.globals.update({"light_of_word": _LIGHT_OF_WORD.get, "LIGHTS": charts.LIGHTS, "LIGHT_ZH": LIGHT_ZH})
    return env


def render_site(dashboard: Dashboard) -> dict[str, str]:
    """Relative path (``index.html``, ``units/unit-001.html`` …) → the page's HTML."""
    env = _environment()
    bulletin = dashboard.bulletin
    as_of = dt.date.fromisoformat(bulletin["as_of"])
    by_unit = {page.unit: page for page in dashboard.units}
    common = {"b": bulletin, "css": _stylesheet()}
    pages = {
        "index.html": env.get_template("index.html.j2").render(
            **common,
            root="",
            lights_bar=charts.stacked(bulletin["lights"], LIGHT_ZH),
            track=charts.phase_track(dashboard.phases, as_of),
            phases=dashboard.phases,
            sections=[{**s, "bar": charts.share_bar(s["done"], s["due"])} for s in bulletin["sections"]],
            ranking=[
                {
                    **row,
                    "href": f"{UNITS_DIR}/{by_unit[row['unit']].slug}.html"
                    if row["unit"] in by_unit
                    else None,
                }
                for row in bulletin["ranking"]
            ],
            trend=[charts.trend_panel(dashboard.trend, light, LIGHT_ZH[light]) for light in charts.LIGHTS],
            months=len(dashboard.trend),
            units=dashboard.units,
            units_dir=UNITS_DIR,
        )
    }
    ranked = len(bulletin["ranking"])
    for page in dashboard.units:
        pages[f"{UNITS_DIR}/{page.slug}.html"] = _unit_page(env, common, page, ranked)
    return pages


def _stylesheet() -> Any:
    """The shipped CSS, inlined as it is: our own file, and ``>`` or quotes escaped would break it."""
    from markupsafe import Markup

    css = (TEMPLATES / "dashboard.css").read_text(encoding="utf-8")
    if "</" in css:  # would end the <style> element early
        raise ValueError("dashboard.css must not contain '</'")
    return Markup(css)


def _unit_page(env: Any, common: dict[str, Any], page: UnitPage, ranked: int) -> str:
    return str(
        env.get_template("unit.html.j2").render(
            **common,
            root="../",
            page=page,
            ranked=ranked,
            lights_bar=charts.stacked(page.lights, LIGHT_ZH),
            tables=[_table(view) for view in page.views],
        )
    )


def _table(view: View) -> dict[str, Any]:
    """A view as header cells and rows of (text, CSS class) for the table macro."""
    columns = view.columns
    rows = []
    for row in view.rows:
        cells = []
        for column in columns:
            value = row.get(column.key)
            text = (
                "" if value is None else "、".join(map(str, value)) if isinstance(value, list) else str(value)
            )
            css = "num" if column.numeric else "wrap" if column.wrap or len(text) > _SHORT else ""
            if column.key == "light" and text in _LIGHT_OF_WORD:
                css = f"light {_LIGHT_OF_WORD[text]}"
            cells.append((text, css))
        rows.append(cells)
    return {
        "title": view.title,
        "headers": [(c.header, "num" if c.numeric else "") for c in columns],
        "rows": rows,
        "empty": view.empty,
    }

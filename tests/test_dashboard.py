"""The dashboard's pages, built from the demo data without a browser: the same numbers as the
bulletin, every page self-contained and offline, text escaped, links that lead somewhere.
(The browser test, ``test_dashboard_browser.py``, loads the pages in Chromium.)"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import REPO
from safety_plan.commands._data import open_both
from safety_plan.output.dashboard import render_site
from safety_plan.output.dashboard.charts import phase_track, stacked, trend_panel
from safety_plan.output.render import Column, View
from safety_plan.reports.bulletin import build_context
from safety_plan.reports.dashboard import Dashboard, UnitPage, build_dashboard, months_since_start

DEMO = REPO / "examples" / "demo"
MONTH = "2025-06"


@pytest.fixture(scope="module")
def opened():
    return open_both(DEMO, "examples/demo")


@pytest.fixture(scope="module")
def dashboard(opened) -> Dashboard:
    dataset, plan = opened
    return build_dashboard(dataset, plan, MONTH, data_shown="examples/demo")


@pytest.fixture(scope="module")
def site(dashboard: Dashboard) -> dict[str, str]:
    return render_site(dashboard)


def _text(page: str) -> str:
    """The page's visible text, tags dropped and entities decoded, blanks folded."""
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_headline_numbers_are_the_bulletins(dashboard: Dashboard, site: dict[str, str], opened) -> None:
    dataset, plan = opened
    bulletin = build_context(dataset, plan, MONTH, data_shown="examples/demo")
    assert dashboard.bulletin == bulletin
    text = _text(site["index.html"])
    lights = bulletin["lights"]
    assert f"红灯（逾期） {lights['red']} 次 逾期事项 {bulletin['overdue_total']} 项" in text
    assert f"黄灯（30 天内到期） {lights['yellow']} 次" in text
    assert f"绿灯 {lights['green']} 次" in text
    assert f"第{bulletin['issue']}期" in text
    phase = bulletin["phase"]
    assert f"{phase['percent']} % 第{phase['index']}/{phase['of']}阶段 {phase['name']}" in text
    for section in bulletin["sections"]:
        if not section["nothing_due"]:
            after = text.split(section["title"], 1)[1][:60]
            assert f"{section['done']}/{section['due']} 次" in after, section["title"]
    for row in bulletin["ranking"]:
        tied = " 并列" if row["tied"] else ""
        assert f"{row['rank']}{tied} {row['unit']} {row['due']} {row['done']} {row['percent']}%" in text


def test_the_trend_is_the_bulletins_lights_as_of_each_month_end(dashboard: Dashboard, opened) -> None:
    dataset, plan = opened
    months = months_since_start(dataset, MONTH)
    assert [p["month"] for p in dashboard.trend] == months
    assert months[0] == "2024-03" and months[-1] == MONTH
    for month in (months[0], "2024-12", MONTH):
        point = next(p for p in dashboard.trend if p["month"] == month)
        assert {k: point[k] for k in ("red", "yellow", "green")} == build_context(dataset, plan, month)[
            "lights"
        ]


def test_unit_pages_add_up_to_the_whole_and_show_their_ranking_row(
    dashboard: Dashboard, site: dict[str, str]
) -> None:
    for light in ("red", "yellow", "green"):
        assert sum(page.lights[light] for page in dashboard.units) == dashboard.bulletin["lights"][light]
    ranking = {row["unit"]: row for row in dashboard.bulletin["ranking"]}
    page = next(p for p in dashboard.units if p.unit == "区应急局")
    assert page.ranking == ranking["区应急局"]
    text = _text(site[f"units/{page.slug}.html"])
    row = ranking["区应急局"]
    assert f"完成率 {row['percent']}%（{row['done']}/{row['due']} 次）" in text
    overdue_view = page.views[2]
    assert overdue_view.title in text
    for item in overdue_view.rows:
        assert item["ref"] in text


def test_every_link_leads_to_a_page_of_the_site(site: dict[str, str]) -> None:
    for path, page in site.items():
        for href in re.findall(r'href="([^"]+)"', page):
            target = (Path(path).parent / href).as_posix()
            target = re.sub(r"[^/]+/\.\./", "", target)
            assert target in site, (path, href)
    linked = set(re.findall(r'href="(units/[^"]+)"', site["index.html"]))
    assert linked == {p for p in site if p.startswith("units/")}


def test_pages_ask_for_nothing_from_anywhere(site: dict[str, str]) -> None:
    for path, page in site.items():
        assert "<script" not in page, path
        assert "<link" not in page and "@import" not in page and "url(" not in page, path
        assert not re.search(r"(src|href)=\"(https?:)?//", page), path
        assert "default-src 'none'" in page  # the browser refuses any request we missed


def test_text_is_escaped(dashboard: Dashboard) -> None:
    hostile = "<script>alert(1)</script>&"
    view = View(
        "三、逾期未完成事项",
        [Column("ref", "编号"), Column("note", "最新进展", wrap=True)],
        [{"ref": "zbgj-1.1", "note": hostile}],
    )
    page = UnitPage(hostile, hostile, "乡镇", "unit-999", {"red": 1, "yellow": 0, "green": 0}, None, [view])
    rendered = render_site(Dashboard(dashboard.bulletin, dashboard.trend, [page], dashboard.phases))
    unit = rendered["units/unit-999.html"]
    assert "<script" not in unit and "<script" not in rendered["index.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in unit
    assert _text(unit).count(hostile) >= 3  # title, header and the note, shown as text


def test_chart_geometry() -> None:
    bars = stacked({"red": 1, "yellow": 1, "green": 2}, {"red": "红灯", "yellow": "黄灯", "green": "绿灯"})
    assert [(b.light, b.x, b.width) for b in bars] == [("red", 0, 25), ("yellow", 25, 25), ("green", 50, 50)]
    assert stacked({"red": 0, "yellow": 0, "green": 0}, {}) == []
    panel = trend_panel([{"month": "2024-12", "red": 2}, {"month": "2025-01", "red": 4}], "red", "红灯")
    assert (panel.peak, panel.latest) == (4, 4)
    assert [b.height for b in panel.bars] == [panel.height / 2, panel.height]
    assert [label for _, label in panel.ticks] == ["2024-12", "2025-01"]
    import datetime as dt

    phases = [
        {"index": 1, "name": "一", "start": "2024-01-01", "end": "2024-01-31"},
        {"index": 2, "name": "二", "start": "2024-02-01", "end": "2024-03-31"},
    ]
    track = phase_track(phases, dt.date(2024, 2, 1))
    assert [b.light for b in track.bars] == ["past", "current"]
    assert track.bars[0].width == pytest.approx(100 * 31 / 91, abs=0.01)
    assert track.marker == pytest.approx(track.bars[1].x)
    assert phase_track(phases, dt.date(2025, 1, 1)).marker is None


# --- the command ------------------------------------------------------------------------


def test_the_command_writes_the_site(tmp_path: Path, run, site: dict[str, str]) -> None:
    target = tmp_path / "看板"
    code, out, err = run("--data", str(DEMO), "dashboard", "--month", MONTH, "-o", str(target))
    assert code == 0, err
    assert f"{target / 'index.html'}" in out and "第16期" in out
    written = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    assert written == set(site)
    assert (target / "index.html").read_text(encoding="utf-8") == site["index.html"].replace(
        "examples/demo", str(DEMO)
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["dashboard", "--month", MONTH], ["-o DIR"]),
        (["dashboard", "--month", "2023-06", "-o", "{tmp}/x"], ["'2023-06'", "--month 2024-03"]),
        (["dashboard", "--month", "2025-13", "-o", "{tmp}/x"], ["2025-13"]),
        (["dashboard", "--month", MONTH, "-o", "{tmp}/file.txt"], ["file.txt", "not a directory"]),
    ],
)
def test_the_command_refuses_bad_arguments_in_one_line(tmp_path: Path, run, args, words) -> None:
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    code, _, err = run("--data", str(DEMO), *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    for word in words:
        assert word in err
    assert not (tmp_path / "x").exists()


def test_the_numbers_match_status_and_overdue_for_the_month(dashboard: Dashboard, run) -> None:
    import json

    code, out, err = run("--data", str(DEMO), "status", "--month", MONTH, "--format", "json")
    assert code == 0, err
    status = json.loads(out)
    assert dashboard.bulletin["lights"] == status["lights"]
    shown = [(s["title"], s["due"], s["done"], s["overdue"]) for s in dashboard.bulletin["sections"]]
    assert shown == [(s["title"], s["due"], s["done"], s["overdue"]) for s in status["sections"]]
    code, out, _ = run("--data", str(DEMO), "overdue", "--month", MONTH, "--format", "json")
    assert dashboard.bulletin["overdue_total"] == len(json.loads(out)["items"])
    for page in [p for p in dashboard.units if p.unit in ("区应急局", "横沙乡", "城桥镇", "区委政法委")]:
        code, out, _ = run(
            "--data", str(DEMO), "overdue", "--month", MONTH, "--unit", page.unit, "--format", "json"
        )
        assert len(page.views[2].rows) == len(json.loads(out)["items"]), page.unit

"""``safety-plan dashboard``: the month as a static, offline HTML site (``index.html`` and a page
per unit) for an intranet share or ``file://``; the same numbers as that month's bulletin."""

from __future__ import annotations

from safety_plan.commands._data import open_both
from safety_plan.commands.base import OutputFile, Request, Result
from safety_plan.problems import UsageError


def run(request: Request, *, warn_days: int | None = None) -> Result:
    """``warn_days`` None: rules.yaml's ``lights.yellow_days``, as everywhere."""
    if request.output is None:
        raise UsageError("dashboard needs -o DIR, the folder to write index.html and the unit pages into")
    from safety_plan.output.dashboard import render_site
    from safety_plan.reports.dashboard import build_dashboard

    dataset, plan = open_both(request.data.path, request.data.shown)
    dashboard = build_dashboard(dataset, plan, request.month, warn_days, request.data.shown)
    pages = render_site(dashboard)
    index = request.output / "index.html"
    b = dashboard.bulletin
    return Result(
        text=f"已生成 {index}（第{b['issue']}期，截至 {b['as_of']}；{len(pages) - 1} 个单位页面）",
        files=[OutputFile(request.output / name, text) for name, text in pages.items()],
    )

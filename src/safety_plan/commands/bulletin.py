"""``safety-plan bulletin``: the monthly bulletin (月度通报) as Markdown."""

from __future__ import annotations

from pathlib import Path

from safety_plan.commands._data import open_both
from safety_plan.commands.base import Request, Result
from safety_plan.engine.asof import DEFAULT_WARN_DAYS
from safety_plan.output.templating import render_template
from safety_plan.problems import UsageError
from safety_plan.reports.bulletin import build_context
from safety_plan.resources import templates_dir

DEFAULT_TEMPLATE = "bulletin.md.j2"


def run(request: Request, *, template: Path | None = None, warn_days: int = DEFAULT_WARN_DAYS) -> Result:
    if template is not None and not template.is_file():
        raise UsageError(f"--template: file '{template}' not found")
    dataset, plan = open_both(request.data.path, request.data.shown)
    context = build_context(dataset, plan, request.month, warn_days, request.data.shown)
    text = render_template(template or templates_dir() / DEFAULT_TEMPLATE, context)
    written = f"已生成 {request.output}（第{context['issue']}期，截至 {context['as_of']}）"
    return Result.document(request, text, written)

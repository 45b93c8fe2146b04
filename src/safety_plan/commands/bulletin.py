"""``safety-plan bulletin``: the monthly bulletin (月度通报) as Markdown."""

from __future__ import annotations

from pathlib import Path

from safety_plan.arguments import parse_month
from safety_plan.commands._data import open_both
from safety_plan.engine.asof import DEFAULT_WARN_DAYS
from safety_plan.output.files import write_atomic
from safety_plan.output.templating import render_template
from safety_plan.problems import UsageError
from safety_plan.reports.bulletin import build_context
from safety_plan.resources import templates_dir

DEFAULT_TEMPLATE = "bulletin.md.j2"


def run(
    data_dir: Path,
    shown: str,
    month: str,
    output: Path | None,
    template: Path | None,
    warn_days: int = DEFAULT_WARN_DAYS,
) -> str:
    as_of = parse_month(month)
    if template is not None and not template.is_file():
        raise UsageError(f"--template: file '{template}' not found")
    dataset, plan = open_both(data_dir, shown)
    context = build_context(dataset, plan, f"{as_of.year}-{as_of.month:02d}", warn_days, shown)
    text = render_template(template or templates_dir() / DEFAULT_TEMPLATE, context)
    if output is None:
        return text
    if output.parent and not output.parent.exists():
        raise UsageError(f"-o: directory '{output.parent}' not found")
    write_atomic(output, text)
    return f"已生成 {output}（第{context['issue']}期，截至 {context['as_of']}）"

"""``safety-plan bulletin``: the monthly bulletin (月度通报) as Markdown or Word; its one-page
summary (``--summary``); the quarterly or half-yearly progress evaluation (``--period``)."""

from __future__ import annotations

from pathlib import Path

from safety_plan.commands._data import open_both
from safety_plan.commands.base import Request, Result
from safety_plan.output.document import Document
from safety_plan.problems import UsageError

DEFAULT_TEMPLATE = "bulletin.md.j2"


def run(
    request: Request,
    *,
    template: Path | None = None,
    warn_days: int | None = None,
    summary: bool = False,
    period: str | None = None,
) -> Result:
    _check(request, template, summary, period)
    dataset, plan = open_both(request.data.path, request.data.shown)
    if period is not None:
        from safety_plan.reports.review import build_review, review_document

        review = build_review(dataset, plan, request.month, period, warn_days, request.data.shown)
        written = f"已生成 {request.output}（{review['label']}进度评估，截至 {review['as_of']}）"
        return Result.document(request, _render(review_document(review), request.fmt), written)
    from safety_plan.reports.bulletin import build_context

    context = build_context(dataset, plan, request.month, warn_days, request.data.shown)
    what = "摘要" if summary else "月度通报"
    written = f"已生成 {request.output}（第{context['issue']}期{what}，截至 {context['as_of']}）"
    if summary:
        from safety_plan.reports.summary import summary_document

        return Result.document(request, _render(summary_document(context), request.fmt), written)
    if request.fmt == "docx":
        from safety_plan.reports.bulletin_document import bulletin_document

        return Result.document(request, _render(bulletin_document(context), "docx"), written)
    from safety_plan.output.templating import render_template
    from safety_plan.resources import templates_dir

    text = render_template(template or templates_dir() / DEFAULT_TEMPLATE, context)
    return Result.document(request, text, written)


def _check(request: Request, template: Path | None, summary: bool, period: str | None) -> None:
    """Options that cannot go together, refused before any work."""
    if request.fmt == "docx" and request.output is None:
        raise UsageError("--format docx needs -o FILE.docx (a Word file cannot be printed)")
    if summary and period is not None:
        raise UsageError("--summary and --period: choose one (the summary is of a month's bulletin)")
    if template is not None:
        if request.fmt == "docx" or summary or period is not None:
            raise UsageError(
                "--template renders the monthly bulletin as Markdown: not with --format docx, --summary or --period"
            )
        if not template.is_file():
            raise UsageError(f"--template: file '{template}' not found")


def _render(document: Document, fmt: str) -> str | bytes:
    if fmt == "docx":
        from safety_plan.output.docx import render_docx

        return render_docx(document)
    from safety_plan.output.document_md import to_markdown

    return to_markdown(document)

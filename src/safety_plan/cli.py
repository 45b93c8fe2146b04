"""The command line: parses arguments and hands them to the command layer.

Each command here only names its options and passes them, with the command's ``run``, to
``safety_plan.commands.base.execute``, which builds the one ``Request``, runs the command and
writes its ``Result``. Kept thin and cheap to import: each command imports its module only
when it runs, so a query does not pay for Jinja or Rich unless it prints with them.
"""

import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from safety_plan import __version__
from safety_plan.commands.base import Command, DataLocation


class _OneLineErrors(TyperGroup):
    """Usage mistakes that Click catches (a bad choice, a word where a number goes) print as
    one line naming the value, like every other error of ours, instead of a usage box."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        kwargs: dict[str, Any] = {"windows_expand_args": windows_expand_args, **extra}
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        except SystemExit as done:
            # Help into a reader gone away (`--help | head -1`): Click and Rich both exit 1 while
            # handling the BrokenPipeError; ours is quiet 141 like every command's output.
            if isinstance(done.__context__, BrokenPipeError):
                from safety_plan.output.stream import output_failed

                sys.exit(output_failed(done.__context__))
            raise
        except Exception as exc:
            # Click's exceptions, duck-typed: newer Typer vendors Click under a private name.
            message = getattr(exc, "format_message", None)
            if message is None or not hasattr(exc, "exit_code"):
                raise
            text = message()
            if text:  # empty for "no command given", where the help has been shown
                print(f"error: {text}", file=sys.stderr)
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    name="safety-plan",
    help="Track the district's work-safety action plan (安全生产治本攻坚三年行动) kept as YAML: "
    "what is overdue, who owns it, the monthly bulletin (月度通报).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    auto = "auto"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class FileKind(StrEnum):
    measures = "measures"
    units = "units"
    schedule = "schedule"
    progress = "progress"
    rules = "rules"


def _print_version(value: bool) -> None:
    if value:
        print(f"safety-plan {__version__}")
        raise typer.Exit(0)


@app.callback()
def _global(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="SAFETY_PLAN_DATA",
            help="Data directory, or a city's (one with districts.yaml) "
            "(default: ./data when it exists, else the data shipped with the package).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_print_version, help="Print the version and exit."),
    ] = False,
) -> None:
    from safety_plan.resources import default_data_dir

    if data is not None:
        ctx.obj = DataLocation(data, str(data))
    else:
        ctx.obj = DataLocation(*default_data_dir())


_COMMON = frozenset(("month", "as_of", "fmt", "output", "output_is_dir"))


def _run(ctx: typer.Context, command: Command, **parsed: Any) -> None:
    """Hand a command and its parsed arguments to the command layer; exit with its code."""
    from safety_plan.commands.base import Arguments, execute

    common = {k: v for k, v in parsed.items() if k in _COMMON}
    options = {k: v for k, v in parsed.items() if k not in _COMMON}
    raise typer.Exit(execute(command, Arguments(ctx.find_root().obj, **common), options))


def _completing(ctx: typer.Context) -> tuple[Path, str, str | None]:
    """The data directory that completion reads (``--data`` as typed so far, else the default)
    and the ``--district`` already given, if any."""
    root = ctx.find_root()
    typed = getattr(root, "params", {}).get("data")
    loc: DataLocation = (
        DataLocation(Path(typed), str(typed)) if typed else root.obj or DataLocation(*_default())
    )
    return loc.path, loc.shown, getattr(ctx, "params", {}).get("district")


def _complete_units(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for --unit and unit arguments: every unit, group and alias."""
    from safety_plan import completion

    return completion.units(*_completing(ctx), incomplete)


def _complete_refs(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for IDs: measures, deadlines, duties, units."""
    from safety_plan import completion

    return completion.refs(*_completing(ctx), incomplete)


def _complete_plans(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for --plan: the plans' IDs."""
    from safety_plan import completion

    return completion.plans(*_completing(ctx), incomplete)


def _complete_districts(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for --district: a city's district IDs."""
    from safety_plan import completion

    data, shown, _ = _completing(ctx)
    return completion.districts(data, shown, incomplete)


def _default() -> tuple[Path, str]:
    from safety_plan.resources import default_data_dir

    return default_data_dir()


MonthOpt = Annotated[
    str | None,
    typer.Option("--month", "-m", help="As of the last day of this month (YYYY-MM).", show_default=False),
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="As of this day (YYYY-MM-DD).", show_default=False)
]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit",
        "-u",
        help="Only this unit (责任单位) or group, e.g. 区应急局 or 各乡镇.",
        autocompletion=_complete_units,
        show_default=False,
    ),
]
PlanOpt = Annotated[
    str | None,
    typer.Option(
        "--plan",
        "-p",
        help="Only this plan: zbgj or m81.",
        autocompletion=_complete_plans,
        show_default=False,
    ),
]
DistrictOpt = Annotated[
    str | None,
    typer.Option(
        "--district",
        help="With a city's --data (districts.yaml): only this district's ID.",
        autocompletion=_complete_districts,
        show_default=False,
    ),
]
WarnOpt = Annotated[
    int | None,
    typer.Option(
        "--warn-days",
        min=0,
        max=3660,
        help="Yellow light (黄灯) for items due within this many days "
        "(default: rules.yaml's lights.yellow_days, else 30).",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="table, json, csv (UTF-8 with BOM, for Excel) or md.")
]


@app.command()
def check(
    ctx: typer.Context,
    fmt: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            "-f",
            help="text, json, github (workflow annotations) or auto (github under GitHub Actions, "
            "colour on a terminal, plain otherwise).",
        ),
    ] = CheckFormat.auto,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="List the checks (rule IDs in [brackets]) and exit.")
    ] = False,
    district: DistrictOpt = None,
) -> None:
    """Are the data files valid? Every problem as path:line:column; exit 1 on any error."""
    from safety_plan.commands import check as command

    _run(ctx, command.run, fmt=fmt.value, list_rules=list_rules, district=district)


@app.command()
def overdue(
    ctx: typer.Context,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    plan: PlanOpt = None,
    district: DistrictOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """What is overdue (逾期未完成), who owns it, how late. Default: as of today."""
    from safety_plan.commands import overdue as command

    _run(
        ctx, command.run, month=month, as_of=as_of, fmt=fmt.value, unit=unit, plan_id=plan, district=district
    )


@app.command()
def due(
    ctx: typer.Context,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            "-w",
            min=0,
            max=3660,
            help="Look this many days ahead (黄灯 window; default: rules.yaml's lights.yellow_days, else 30).",
            show_default=False,
        ),
    ] = None,
    unit: UnitOpt = None,
    plan: PlanOpt = None,
    district: DistrictOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """What falls due this month and soon (黄灯), still open as of the day. Default: today."""
    from safety_plan.commands import due as command

    _run(
        ctx,
        command.run,
        month=month,
        as_of=as_of,
        fmt=fmt.value,
        within=within,
        unit=unit,
        plan_id=plan,
        district=district,
    )


@app.command()
def owners(
    ctx: typer.Context,
    unit: Annotated[
        str | None,
        typer.Argument(
            help="A unit or group (责任单位), e.g. 城桥镇.",
            autocompletion=_complete_units,
            show_default=False,
        ),
    ] = None,
    measure: Annotated[
        str | None,
        typer.Option(
            "--measure", help="A measure ID, e.g. m81-62: its units instead.", autocompletion=_complete_refs
        ),
    ] = None,
    district: DistrictOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Who owns what: a unit's measures as lead (牵头), support (配合) and via a group; or a measure's units."""
    from safety_plan.commands import owners as command

    _run(ctx, command.run, fmt=fmt.value, unit=unit, measure_id=measure, district=district)


@app.command()
def show(
    ctx: typer.Context,
    ref: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A measure, deadline, duty, unit or group ID.", autocompletion=_complete_refs
        ),
    ],
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    district: DistrictOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """One measure, deadline, duty or unit in full, with its status as of the day (default: today)."""
    from safety_plan.commands import show as command

    _run(ctx, command.run, month=month, as_of=as_of, fmt=fmt.value, ref=ref, district=district)


@app.command(name="list")
def list_(
    ctx: typer.Context,
    plan: PlanOpt = None,
    section: Annotated[
        int | None,
        typer.Option("--section", "-s", help="Only this section (行动) number.", show_default=False),
    ] = None,
    unit: UnitOpt = None,
    district: DistrictOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The measures (措施), filtered by plan, section and owning unit."""
    from safety_plan.commands import listing as command

    _run(ctx, command.run, fmt=fmt.value, plan_id=plan, section=section, unit=unit, district=district)


@app.command()
def units(
    ctx: typer.Context,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    district: DistrictOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Every responsible unit (责任单位) with its load: lead, support and overdue counts."""
    from safety_plan.commands import units as command

    _run(ctx, command.run, month=month, as_of=as_of, fmt=fmt.value, district=district)


@app.command()
def status(
    ctx: typer.Context,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    warn_days: WarnOpt = None,
    district: DistrictOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The dashboard: current phase (阶段), progress by action (行动), red/yellow/green lights."""
    from safety_plan.commands import status as command

    _run(ctx, command.run, month=month, as_of=as_of, fmt=fmt.value, warn_days=warn_days, district=district)


class BulletinFormat(StrEnum):
    md = "md"
    docx = "docx"


class Period(StrEnum):
    quarter = "quarter"
    half_year = "half-year"


@app.command()
def bulletin(
    ctx: typer.Context,
    month: Annotated[
        str, typer.Option("--month", "-m", help="The bulletin's month (YYYY-MM).", show_default=False)
    ],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write to this file (default: print).", show_default=False),
    ] = None,
    fmt: Annotated[
        BulletinFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="md (Markdown) or docx (Word, official layout GB/T 9704; needs -o FILE). "
            "Default: docx when -o ends in .docx, else md.",
            show_default=False,
        ),
    ] = None,
    summary: Annotated[
        bool, typer.Option("--summary", help="A one-page summary for leaders (摘要) instead.")
    ] = False,
    period: Annotated[
        Period | None,
        typer.Option(
            "--period",
            help="The progress evaluation (进度评估) of the quarter or half-year containing --month instead.",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="Render this Jinja template instead (sandboxed; see README).",
            show_default=False,
        ),
    ] = None,
    warn_days: WarnOpt = None,
) -> None:
    """The monthly bulletin (月度通报) as Markdown or Word, with every number traceable to its items."""
    from safety_plan.commands import bulletin as command

    chosen = fmt.value if fmt else "docx" if (output or "").lower().endswith(".docx") else "md"
    _run(
        ctx,
        command.run,
        month=month,
        fmt=chosen,
        output=output,
        template=template,
        warn_days=warn_days,
        summary=summary,
        period=period.value if period else None,
    )


@app.command()
def dashboard(
    ctx: typer.Context,
    month: Annotated[
        str, typer.Option("--month", "-m", help="The dashboard's month (YYYY-MM).", show_default=False)
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Folder for index.html and the unit pages.",
            show_default=False,
        ),
    ] = None,
    warn_days: WarnOpt = None,
) -> None:
    """A static, offline HTML dashboard (工作看板) with charts: the bulletin's numbers, a page per unit."""
    from safety_plan.commands import dashboard as command

    _run(ctx, command.run, month=month, fmt="html", output=output, output_is_dir=True, warn_days=warn_days)


class TaskListFormat(StrEnum):
    md = "md"
    xlsx = "xlsx"


class MatrixFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


OutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Write to this file (default: print).", show_default=False),
]


@app.command()
def tasklist(
    ctx: typer.Context,
    unit: UnitOpt = None,
    month: MonthOpt = None,
    fmt: Annotated[
        TaskListFormat,
        typer.Option("--format", "-f", help="md (Markdown) or xlsx (Excel workbook; needs -o FILE)."),
    ] = TaskListFormat.md,
    output: OutputOpt = None,
) -> None:
    """One unit's task list (任务清单): measures it leads, supports, holds via a group; what is due and overdue."""
    from safety_plan.commands import tasklist as command

    _run(ctx, command.run, month=month, fmt=fmt.value, output=output, unit=unit)


class EscalationFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    docx = "docx"


@app.command()
def escalations(
    ctx: typer.Context,
    month: MonthOpt = None,
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter",
            "-q",
            help="Propose the quarter's 专项督导 visits instead (YYYYQN, e.g. 2025Q2).",
            show_default=False,
        ),
    ] = None,
    visits: Annotated[
        int, typer.Option("--visits", "-n", min=1, max=1000, help="How many units to propose for --quarter.")
    ] = 5,
    unit: UnitOpt = None,
    district: DistrictOpt = None,
    letters: Annotated[
        str | None,
        typer.Option(
            "--letters",
            help="Write one urging letter (督办函 …) per unit and action into this folder.",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="Render md letters with this Jinja template instead (sandboxed; see README).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        EscalationFormat,
        typer.Option(
            "--format",
            "-f",
            help="table, json, csv or md; with --letters: md (default) or docx (official layout).",
        ),
    ] = EscalationFormat.table,
) -> None:
    """The supervision rules (督办, rules.yaml) that fire per unit as of the month's end, with the
    refs behind each, since when and the unit's points this year; or the quarter's visit list."""
    from safety_plan.arguments import parse_quarter
    from safety_plan.commands import escalations as command

    if quarter is not None and (month is not None or letters is not None):
        raise typer.BadParameter("give --quarter alone, without --month or --letters", param_hint="--quarter")
    if quarter is None and month is None:
        raise typer.BadParameter("give the month (YYYY-MM) or --quarter YYYYQN", param_hint="--month")
    if quarter is not None:
        from safety_plan.problems import UsageError

        try:
            parsed = parse_quarter(quarter)
        except UsageError as exc:
            raise typer.BadParameter(str(exc).split(" ", 1)[1], param_hint="--quarter") from None
        year, number = parsed
        month = f"{year}-{3 * number:02d}"
    _run(
        ctx,
        command.run,
        month=month,
        fmt=fmt.value,
        output=letters,
        output_is_dir=True,
        unit=unit,
        quarter=parsed if quarter is not None else None,
        visits=visits,
        letters=letters is not None,
        template=template,
        district=district,
    )


@app.command()
def gantt(
    ctx: typer.Context,
    plan: PlanOpt = None,
    month: MonthOpt = None,
    recurring: Annotated[
        bool, typer.Option("--recurring", help="Also draw each recurring duty (常态任务) as a bar.")
    ] = False,
) -> None:
    """The 挂图作战 timeline: phases and deadlines as a Mermaid gantt chart in Markdown, lit as of the month."""
    from safety_plan.commands import gantt as command

    _run(ctx, command.run, month=month, fmt="md", plan_id=plan, recurring=recurring)


export_app = typer.Typer(
    help="Export the plan for other tools: an iCalendar feed (ics) or the responsibility matrix (matrix).",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")


@export_app.command("ics")
def export_ics(
    ctx: typer.Context,
    unit: UnitOpt = None,
    output: OutputOpt = None,
    remind: Annotated[
        str,
        typer.Option(
            "--remind",
            metavar="DAYS",
            help="Reminders (提醒), in days before each due day at 09:00, comma-separated; 'none' for none.",
        ),
    ] = "3,1",
) -> None:
    """Deadlines and recurring duties as an iCalendar feed (RFC 5545), for calendar apps."""
    from safety_plan.commands import export_ics as command

    _run(ctx, command.run, fmt="ics", output=output, unit=unit, remind=remind)


@export_app.command("matrix")
def export_matrix(
    ctx: typer.Context,
    fmt: Annotated[
        MatrixFormat,
        typer.Option("--format", "-f", help="csv (UTF-8 with BOM, for Excel) or xlsx (needs -o FILE)."),
    ] = MatrixFormat.csv,
    plan: PlanOpt = None,
    output: OutputOpt = None,
) -> None:
    """The responsibility matrix (任务分工表): measures × units, 牵头 / 配合 in the cells."""
    from safety_plan.commands import export_matrix as command

    _run(ctx, command.run, fmt=fmt.value, output=output, plan_id=plan)


@app.command()
def schema(
    ctx: typer.Context,
    kind: Annotated[
        FileKind | None,
        typer.Argument(help="measures, units, schedule, progress or rules (default: all five)."),
    ] = None,
    output_dir: Annotated[
        str | None,
        typer.Option("--output-dir", "-o", help="Write <kind>.schema.json files into this directory."),
    ] = None,
) -> None:
    """JSON Schema of the data files, for editors (yaml-language-server) and other tools."""
    from safety_plan.commands import schema as command

    _run(
        ctx, command.run, fmt="json", output=output_dir, output_is_dir=True, kind=kind.value if kind else None
    )


# --- the monthly reporting round: forms out, filled forms in, who has reported -------------

RequiredMonthOpt = Annotated[
    str, typer.Option("--month", "-m", help="The reporting month (YYYY-MM).", show_default=False)
]


@app.command()
def forms(
    ctx: typer.Context,
    month: RequiredMonthOpt,
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit",
            "-u",
            help="Only this unit (or a group's members); repeat for more. Default: every unit that owes the report.",
            autocompletion=_complete_units,
            show_default=False,
        ),
    ] = None,
    output_dir: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the forms into this directory (default: forms/YYYY-MM/).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Report forms (报送表) out: one .xlsx per unit that must report that month, to fill in Excel, WPS or Calc."""
    from safety_plan.commands import forms as command

    _run(ctx, command.run, month=month, output=output_dir, output_is_dir=True, units=unit or [])


@app.command(name="import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...", help="Filled forms (.xlsx) as `forms` wrote them.", show_default=False
        ),
    ],
    submitted: Annotated[
        str | None,
        typer.Option(
            "--submitted",
            help="The day the reports came in (YYYY-MM-DD), where a form leaves 报送日期 empty.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
) -> None:
    """Filled forms in: each unit's report into progress/YYYY-MM.yaml, all or nothing (errors as FILE!CELL)."""
    from safety_plan.commands import import_forms as command

    _run(ctx, command.run, files=files, submitted=submitted, dry_run=dry_run)


@app.command()
def reports(
    ctx: typer.Context,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    district: DistrictOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Who has reported this month (报送情况): on time, late, not yet (催报名单), on-time rate. Default: this month."""
    from safety_plan.commands import reports as command

    _run(ctx, command.run, month=month, as_of=as_of, fmt=fmt.value, district=district)


def main() -> None:
    """Console entry point: no Python traceback ever reaches a user."""
    from safety_plan.output import stream
    from safety_plan.problems import SafetyPlanError

    stream.configure_streams()  # any encoding, a closed or full stdout: see output/stream.py
    try:
        app()
    except SystemExit as done:
        failed = stream.finish_stdout()
        if failed is not None and not done.code:
            sys.exit(failed)
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except SafetyPlanError as exc:  # standard output closed or full (output.stream.OutputUnavailable)
        stream.write_stderr(f"error: {exc}")
        sys.exit(exc.exit_code)
    except OSError as exc:  # Click's own output (help, usage) into a broken or full stdout
        sys.exit(stream.output_failed(exc) or _internal_error(exc))
    except Exception as exc:  # a bug: say so in one line, keep the traceback for debugging
        _internal_error(exc)


def _internal_error(exc: Exception) -> NoReturn:
    if os.environ.get("SAFETY_PLAN_DEBUG"):
        raise exc
    from safety_plan.output.stream import write_stderr

    write_stderr(
        f"safety-plan: internal error: {type(exc).__name__}: {exc} "
        "(set SAFETY_PLAN_DEBUG=1 to see the traceback, and please report it)"
    )
    sys.exit(70)

"""The command line: parses arguments and dispatches to ``safety_plan.commands``.

Kept thin and cheap to import: each command imports its module only when it runs, so a
query does not pay for Jinja or Rich unless it prints with them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from safety_plan.problems import InvalidDataError, SafetyPlanError

app = typer.Typer(
    name="safety-plan",
    help="Track the district's work-safety action plan (安全生产治本攻坚三年行动) kept as YAML: "
    "what is overdue, who owns it, the monthly bulletin (月度通报).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass(frozen=True)
class DataLocation:
    path: Path
    shown: str


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    auto = "auto"


class FileKind(StrEnum):
    measures = "measures"
    units = "units"
    schedule = "schedule"
    progress = "progress"


@app.callback()
def _global(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="SAFETY_PLAN_DATA",
            help="Data directory (default: ./data when it exists, else the data shipped with the package).",
            show_default=False,
        ),
    ] = None,
) -> None:
    from safety_plan.resources import default_data_dir

    if data is not None:
        ctx.obj = DataLocation(data, str(data))
    else:
        ctx.obj = DataLocation(*default_data_dir())


def _dispatch(action: Callable[[], int]) -> None:
    """Run a command; turn our errors into a one-line message and the documented exit code."""
    try:
        code = action()
    except InvalidDataError as exc:
        from safety_plan.output.problems import format_text

        errors = [p for p in exc.problems if p.is_error]
        typer.echo(format_text(errors[:20]), err=True)
        more = " (first 20 shown)" if len(errors) > 20 else ""
        typer.echo(
            f"error: the data has {len(errors)} error(s){more}; `safety-plan check` lists them", err=True
        )
        raise typer.Exit(exc.exit_code) from None
    except SafetyPlanError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    raise typer.Exit(code)


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
) -> None:
    """Are the data files valid? Every problem as path:line:column; exit 1 on any error."""
    from safety_plan.commands import check as command

    loc: DataLocation = ctx.obj
    _dispatch(lambda: command.run(loc.path, loc.shown, fmt.value))


@app.command()
def schema(
    kind: Annotated[
        FileKind | None, typer.Argument(help="measures, units, schedule or progress (default: all four).")
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option("--output-dir", "-o", help="Write <kind>.schema.json files into this directory."),
    ] = None,
) -> None:
    """JSON Schema of the data files, for editors (yaml-language-server) and other tools."""
    from safety_plan.commands import schema as command

    _dispatch(lambda: command.run(kind.value if kind else None, output_dir))


def main() -> None:
    """Console entry point: no Python traceback ever reaches a user."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line, keep the traceback for debugging
        if os.environ.get("SAFETY_PLAN_DEBUG"):
            raise
        print(
            f"safety-plan: internal error: {type(exc).__name__}: {exc} "
            "(set SAFETY_PLAN_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        sys.exit(70)

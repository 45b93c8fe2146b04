"""After a month is edited or added, only that month is parsed, checked and compiled, and the
plan is the one a full load compiles (``opening.incremental``); any problem in it is reported
exactly as ``check`` reports it."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePath

import pytest

from cli_support import Run, private_cache_and_key
from conftest import CASES, REPO, assemble
from safety_plan import loading, opening
from safety_plan.engine.compile import compile_plan
from safety_plan.engine.types import CompiledPlan
from safety_plan.loading import plain_yaml
from safety_plan.loading.month_shape import accept_month
from safety_plan.month_checks import month_findings
from safety_plan.problems import InvalidDataError, Level
from safety_plan.rules import RULES

DEMO = REPO / "examples" / "demo"
JUNE = "progress/2025-06.yaml"
# 城桥镇's quarterly study meeting, done in June: reported as still in progress instead.
_DONE = "  - ref: m81-8.quarterly\n    status: done\n    done: 2025-06-19\n"
_NOT_YET = "  - ref: m81-8.quarterly\n    status: in_progress\n"


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return private_cache_and_key(monkeypatch, tmp_path)


@pytest.fixture
def demo(tmp_path: Path, private: Path) -> Path:
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    opening.open_plan(data, "demo")  # the cache holds the plan, whole and in parts
    return data


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed from here on: by the name the loader shows, or as ``_plain`` names a
    month file the plain reader read (it is given the bytes alone)."""
    names: list[str] = []
    real = loading.parse_yaml
    real_plain = plain_yaml.read_plain

    def counting(raw: bytes, shown: str, *args: object, **kwargs: object) -> object:
        names.append(shown)
        return real(raw, shown, *args, **kwargs)  # type: ignore[arg-type]

    def counting_plain(raw: bytes) -> dict[str, object] | None:
        data = real_plain(raw)
        if data is not None:
            names.append(_plain(f"progress/{data['month']}.yaml"))
        return data

    monkeypatch.setattr(loading, "parse_yaml", counting)
    monkeypatch.setattr(plain_yaml, "read_plain", counting_plain)
    return names


def _plain(name: str) -> str:
    return f"{name}, read plain"


@pytest.fixture
def statics(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each compiling of the plan's unchanging part (the full path) from here on."""
    from safety_plan.engine import compile as compile_module

    calls: list[object] = []
    real = compile_module.compile_static

    def counting(dataset: object) -> CompiledPlan:
        calls.append(dataset)
        return real(dataset)  # type: ignore[arg-type]

    monkeypatch.setattr(compile_module, "compile_static", counting)
    return calls


def _full(data: Path) -> CompiledPlan:
    result = loading.load_dataset(data)
    assert result.dataset is not None and not result.errors, result.problems
    return compile_plan(result.dataset)


def _same(a: CompiledPlan, b: CompiledPlan) -> None:
    assert a.obligations == b.obligations
    assert a.items == b.items
    assert list(a.items) == list(b.items), "refs in the order the months first name them"
    assert a.reports == b.reports
    assert a.closed_from == b.closed_from
    assert a.reported_by == b.reported_by
    assert (a.names, a.members, a.refs, a.phases) == (b.names, b.members, b.refs, b.phases)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edited_month_alone_is_parsed_and_the_plan_is_the_full_one(
    demo: Path, parsed: list[str], statics: list[object]
) -> None:
    _edit(demo / JUNE, _DONE, _NOT_YET)
    plan = opening.open_plan(demo, "demo")
    assert parsed == [_plain(JUNE)]
    assert statics == [], "the plan's unchanging part comes from the cache"
    _same(plan, _full(demo))
    parsed.clear()
    assert opening.open_plan(demo, "demo").items == plan.items
    assert parsed == [], "the next run reads the whole plan from the cache"


@pytest.mark.parametrize(
    "written",
    [
        "    status: &later in_progress\n",  # an anchor (and the alias below)
        '    status: "in_\\x70rogress"\n',  # an escape in double quotes
        "    status: >-\n      in_progress\n",  # a block scalar
    ],
)
def test_a_month_not_plainly_written_is_read_by_the_loader(
    demo: Path, parsed: list[str], statics: list[object], written: str
) -> None:
    new = _NOT_YET.replace("    status: in_progress\n", written)
    if "&later" in written:
        new += "  - ref: zbgj-1.meeting\n    status: *later\n"
    _edit(demo / JUNE, _DONE, new)
    plan = opening.open_plan(demo, "demo")
    assert parsed == [f"demo/{JUNE}"] and statics == [], "PyYAML reads it, the plan from the parts"
    _same(plan, _full(demo))


def test_a_month_edited_again_after_the_fingerprint_is_never_kept_under_it(
    demo: Path, private: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safety_plan.opening import answers
    from safety_plan.opening.fingerprint import Fingerprint

    _edit(demo / JUNE, _DONE, _NOT_YET)
    real = Fingerprint.of
    taken: list[Fingerprint] = []

    def then_edited(root: Path) -> Fingerprint:  # an edit right after the files were walked
        taken.append(real(root))
        if len(taken) == 1:
            _edit(demo / JUNE, _NOT_YET, _DONE)
        return taken[-1]

    monkeypatch.setattr(Fingerprint, "of", then_edited)
    entries = {p.name: p.read_bytes() for p in private.rglob("*.cache")}
    count = answers.answered(demo, "demo", "test", (), lambda opened: len(opened.plan().obligations))
    monkeypatch.undo()
    assert count > 0
    kept = {p.name: p.read_bytes() for p in private.rglob("*.cache")}
    assert kept == entries, "nothing kept: the month read was not the one fingerprinted"
    _same(opening.open_plan(demo, "demo"), _full(demo))


def test_a_month_with_only_a_warning_is_read_the_light_way_too(
    demo: Path, parsed: list[str], statics: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (demo / JUNE).read_text(encoding="utf-8")
    first = text.index("- unit:")
    end = text.index("- unit:", first + 1)
    report = text[first:end].replace("submitted: 2025-06-25", "submitted: 2025-05-31")  # before its month
    report = re.sub(r"done: 2025-06-(\d\d)", r"done: 2025-05-\1", report)  # and done by then
    assert "2025-05-31" in report
    (demo / JUNE).write_text(text[:first] + report + text[end:], encoding="utf-8")
    found = loading.load_dataset(demo).problems
    assert [p.level for p in found] == [Level.warning] and "before the month" in found[0].message
    parsed.clear()
    monkeypatch.setattr(opening, "load", lambda *_: pytest.fail("a warning needs no full load"))
    plan = opening.open_plan(demo, "demo")
    assert parsed == [_plain(JUNE)] and statics == []
    monkeypatch.undo()
    _same(plan, _full(demo))


def test_after_an_edit_the_whole_plan_is_kept_by_the_next_open_not_the_first(
    demo: Path, private: Path, parsed: list[str], statics: list[object]
) -> None:
    (whole,) = private.glob("*.CompiledPlan.cache")
    before = whole.read_bytes()
    _edit(demo / JUNE, _DONE, _NOT_YET)
    first = opening.open_plan(demo, "demo")
    assert whole.read_bytes() == before, "the month's part is kept, the whole plan not yet"
    again = opening.open_plan(demo, "demo")
    assert parsed == [_plain(JUNE)] and statics == [], "assembled from the parts, none parsed again"
    assert whole.read_bytes() != before, "kept whole by the second open"
    _same(again, first)
    _same(opening.open_plan(demo, "demo"), _full(demo))


def test_the_months_are_kept_with_the_static_plan_and_gathered_again_after_an_edit(
    demo: Path, private: Path, parsed: list[str], statics: list[object]
) -> None:
    """One read for every unchanged month: a full open keeps the months with the static plan,
    not an entry each; a month compiled after an edit has its own entry until the plan is
    next kept whole, which keeps it with the others again."""
    own = private / "files"

    def month_entries() -> list[Path]:
        return sorted(own.glob("*.MonthReports.cache")) if own.exists() else []

    assert month_entries() == [], "a full open keeps the months with the static plan"
    _edit(demo / JUNE, _DONE, _NOT_YET)
    opening.open_plan(demo, "demo")
    (june,) = month_entries()
    opening.open_plan(demo, "demo")  # kept whole, and the parts gathered
    june.unlink()
    (whole,) = private.glob("*.CompiledPlan.cache")
    whole.unlink()
    parsed.clear()
    plan = opening.open_plan(demo, "demo")
    assert parsed == [] and statics == [], "June came with the static plan, as edited"
    _same(plan, _full(demo))


def test_a_new_month_alone_is_parsed(demo: Path, parsed: list[str], statics: list[object]) -> None:
    june = (demo / JUNE).read_text(encoding="utf-8")
    july = june.replace("month: 2025-06", "month: 2025-07").replace(
        "submitted: 2025-06-", "submitted: 2025-07-"
    )
    (demo / "progress" / "2025-07.yaml").write_text(july, encoding="utf-8")
    plan = opening.open_plan(demo, "demo")
    assert parsed == [_plain("progress/2025-07.yaml")]
    assert statics == []
    assert any(month == "2025-07" for month, _ in plan.reports)
    _same(plan, _full(demo))


def test_a_removed_month_needs_no_parsing(demo: Path, parsed: list[str], statics: list[object]) -> None:
    (demo / JUNE).unlink()
    plan = opening.open_plan(demo, "demo")
    assert parsed == [] and statics == []
    _same(plan, _full(demo))


def test_an_edited_plan_is_loaded_whole(demo: Path, parsed: list[str], statics: list[object]) -> None:
    path = demo / "units.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    _same(opening.open_plan(demo, "demo"), _full(demo))
    assert len(statics) == 2  # the open, and _full's own compile_plan
    assert "demo/measures.yaml" not in parsed  # the unchanged files come from their own entries
    assert "demo/units.yaml" in parsed


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        (_DONE, _DONE.replace("quarterly", "quartely"), "progress-report"),
        ("- unit: 城桥镇\n", "- unit: 城桥真\n", "unknown-unit"),
        ("- unit: 城桥镇\n", "- unit: 各乡镇\n", "progress-holder"),
        ("- unit: 堡镇\n", "- unit: 城桥镇\n", "progress-report"),
        ("month: 2025-06", "month: 2025-05", "progress-month"),
        (_DONE, _DONE.replace("status: done", "status: finished"), "schema"),
        # Lists nested 2,000 deep, each at its key's indentation: declined by the plain reader,
        # not recursed into; PyYAML reports the depth.
        (
            "month: 2025-06\n",
            "month: 2025-06\ndeep:\n" + "".join("  " * i + "- b:\n" for i in range(2000)),
            "syntax",
        ),
    ],
)
def test_a_problem_in_the_edited_month_is_reported_as_check_reports_it(
    demo: Path, old: str, new: str, rule: str
) -> None:
    _edit(demo / JUNE, old, new)
    with pytest.raises(InvalidDataError) as raised:
        opening.open_plan(demo, "demo")
    expected = opening.load(demo, "demo").problems
    assert raised.value.problems == expected
    assert rule in {p.rule for p in expected if p.is_error}


def test_two_files_for_one_month_are_reported(demo: Path) -> None:
    shutil.copy(demo / JUNE, demo / "progress" / "2025-06.yml")
    with pytest.raises(InvalidDataError) as raised:
        opening.open_plan(demo, "demo")
    assert any("already reported" in p.message for p in raised.value.problems)


_BAD_MONTH = """month: 2025-07
reports:
- unit: 城桥真
  submitted: 2025-07-20
  items:
  - ref: m81-8.quartely
    status: done
- unit: 各乡镇
  submitted: 2025-07-20
  items:
  - ref: zbgj-1.meeting
    status: in_progress
    done: 2025-07-01
- unit: 堡镇
  submitted: 2025-07-02
  items:
  - ref: zbgj.dispatch
    status: done
    done: 2025-07-09
- unit: 堡镇
  submitted: 2025-06-30
  items: []
"""


def test_every_rule_that_reads_month_files_says_so(tmp_path: Path) -> None:
    """A rule not marked ``reads_progress`` finds the same with or without the month files,
    one of them full of mistakes: otherwise a problem an edited month causes would go unseen
    until the next full load."""
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    (data / "progress" / "2025-07.yaml").write_text(_BAD_MONTH, encoding="utf-8")
    with_months = loading.load_dataset(data, run_rules=False).dataset
    without = loading.load_dataset(data, run_rules=False).dataset
    assert with_months is not None and without is not None
    without.progress_files.clear()
    found_in_month = set()
    for registered in RULES.values():
        problems = list(registered.run(with_months))
        if registered.reads_progress:
            found_in_month |= {p.rule for p in problems if p.path.endswith("2025-07.yaml")}
        else:
            assert problems == list(registered.run(without)), registered.id
    assert found_in_month == {r.id for r in RULES.values() if r.reads_progress} - {"progress-month"}


def test_through_the_cli_an_edited_month_answers_as_a_fresh_load(
    demo: Path, run: Run, monkeypatch: pytest.MonkeyPatch, statics: list[object]
) -> None:
    query = ("--data", str(demo), "overdue", "--month", "2025-06", "--format", "json")
    before = run(*query)
    _edit(demo / JUNE, _DONE, _NOT_YET)
    after = run(*query)
    assert statics == []
    monkeypatch.setenv("SAFETY_PLAN_NO_CACHE", "1")
    assert after == run(*query)
    assert after[0] == 0 and after != before  # the edit shows: 城桥镇's meeting is overdue now


def test_a_compiled_plan_refers_to_each_day_by_one_object() -> None:
    """So that the cache writes each day once (``types.one_day``): a third less to unpickle."""
    plan = _full(DEMO)
    days = [o.due for o in plan.obligations]
    days += [r.submitted for entries in plan.items.values() for r in entries]
    days += [r.done for entries in plan.items.values() for r in entries if r.done is not None]
    assert len({id(day) for day in days}) == len(set(days))


def test_an_edit_run_needs_neither_pydantic_the_models_nor_pyyaml(demo: Path) -> None:
    """The run after one month was edited reads it without them (``loading.plain_yaml``,
    ``loading.month_shape``, ``month_checks``): through the real entry point, and answering
    as a run without cache."""
    _edit(demo / JUNE, _DONE, _NOT_YET)
    code = (
        "import sys\n"
        "from safety_plan.cli import main\n"
        f"sys.argv = ['safety-plan', '--data', {str(demo)!r}, 'overdue', '--month', '2025-06', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "loaded = [m for m in ('pydantic', 'safety_plan.models', 'safety_plan.dataset', 'yaml') if m in sys.modules]\n"
        "print('loaded:', loaded, file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("SAFETY_PLAN_DATA", "SAFETY_PLAN_NO_CACHE")}

    def query(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**env, **extra},
            timeout=60,
        )

    edited = query()
    assert edited.returncode == 0, edited.stderr
    assert edited.stderr.splitlines()[-1] == "loaded: []"
    fresh = query(SAFETY_PLAN_NO_CACHE="1")
    assert fresh.returncode == 0, fresh.stderr
    assert "pydantic" in fresh.stderr  # the check is real: a full load does import it
    assert edited.stdout == fresh.stdout and '"ref": "m81-8.quarterly"' in edited.stdout


_MONTH_RULES = {"progress-month", "progress-report", "progress-holder", "unknown-unit"}


@pytest.mark.parametrize(
    "case",
    sorted(p for kind in ("valid", "warning", "invalid") for p in (CASES / kind).iterdir() if p.is_dir()),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_the_light_check_of_a_month_finds_what_check_finds_there(case: Path, tmp_path: Path) -> None:
    """A month the light reading accepts has a finding exactly when ``check`` reports a problem
    of the rules that read month files in it (two files for one month aside)."""
    data = assemble(case, tmp_path)
    result = loading.load_dataset(data)
    if result.dataset is None:
        return
    facts = result.dataset.reporting_facts
    for path in result.dataset.progress_files:
        parsed = loading.parse_yaml(Path(path).read_bytes(), path, positions=False)
        month = None if parsed.problems else accept_month(parsed.data)
        if month is None:
            continue
        found = list(month_findings(PurePath(path).name, month, facts, dt.date.today()))
        reported = [p for p in result.problems if p.path == path and p.rule in _MONTH_RULES]
        assert [(f.message, f.level) for f in found] == [(p.message, p.level) for p in reported]

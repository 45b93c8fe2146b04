"""The command layer: the one resolver, the one writer for every ``-o``, rule IDs stamped by the
runner, and the conventions (``--version``). Pure functions first, then through the CLI."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from safety_plan import __version__, files
from safety_plan.commands.base import OutputFile
from safety_plan.files import write_atomic
from safety_plan.output.writer import check_output, write_outputs
from safety_plan.problems import UsageError
from safety_plan.resolve import Resolver

DATA = REPO / "data"

# --- the resolver -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(
        names={"区应急局": "区应急局", "区应急管理局": "区应急局", "各乡镇": "各乡镇", "城桥镇": "城桥镇"},
        plans=["zbgj", "m81"],
        refs={"m81-62": "measure", "zbgj-16.1": "deadline", "zbgj.report": "recurring"},
    )


def test_resolver_accepts_ids_and_aliases(resolver: Resolver) -> None:
    assert resolver.unit(" 区应急管理局 ") == "区应急局"
    assert resolver.unit("各乡镇") == "各乡镇"
    assert resolver.plan("m81") == "m81"
    assert resolver.measure("m81-62") == "m81-62"
    assert resolver.ref_or_unit("zbgj-16.1") == ("deadline", "zbgj-16.1")
    assert resolver.ref_or_unit("区应急管理局") == ("unit", "区应急局")
    assert resolver.optional_unit(None) is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: r.unit("区应急"), "--unit: unknown unit '区应急' (did you mean '区应急局'?)"),
        (lambda r: r.plan("zbjg"), "--plan: unknown plan 'zbjg' (did you mean 'zbgj'?)"),
        (lambda r: r.measure("zbgj-16.1"), "--measure: unknown measure 'zbgj-16.1'"),
        (lambda r: r.ref_or_unit("m81-6"), "ID: unknown ID 'm81-6' (did you mean 'm81-62'?)"),
    ],
)
def test_resolver_refuses_with_the_nearest_name(resolver: Resolver, call, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        call(resolver)
    assert str(caught.value).startswith(message)


# --- the one writer -----------------------------------------------------------------------


def test_check_output_refuses_what_cannot_be_a_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "progress").mkdir(parents=True)
    month = data / "progress" / "2025-06.yaml"
    month.write_text("month: 2025-06\n")
    cases = {
        "": "the path is empty",
        "  ": "the path is empty",
        str(tmp_path): "is a directory, not a file",
        str(tmp_path / "missing" / "x.md"): "not found",
        str(month): "is inside the data directory",
        str(data / ".." / "data" / "new.md"): "is inside the data directory",
        "/dev/full": "is not a regular file",
    }
    for raw, expected in cases.items():
        with pytest.raises(UsageError) as caught:
            check_output(raw, data)
        assert expected in str(caught.value), raw
    assert check_output(str(tmp_path / "ok.md"), data) == tmp_path / "ok.md"
    with pytest.raises(UsageError, match="is a file, not a directory"):
        check_output(str(month), tmp_path / "elsewhere", directory=True)


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "read-only"),
        (errno.EPERM, "immutable"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_write_errors_become_one_line(tmp_path: Path, monkeypatch, code: int, why: str) -> None:
    def fail(target: Path, content: str | bytes) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("safety_plan.output.writer.write_atomic", fail)
    with pytest.raises(UsageError) as caught:
        write_outputs([OutputFile(tmp_path / "x.md", "text")], tmp_path / "data")
    assert str(caught.value) == f"-o: cannot write '{tmp_path / 'x.md'}': {why}" or why in str(caught.value)


def test_a_killed_write_leaves_no_temporary_file_behind(tmp_path: Path) -> None:
    target = tmp_path / "bulletin.md"
    dead = tmp_path / ".bulletin.md.999999999.abcd.tmp"  # no such process
    dead.write_text("half")
    mine = tmp_path / f".bulletin.md.{os.getpid()}.efgh.tmp"  # a write in progress: kept
    mine.write_text("half")
    other = tmp_path / ".other.md.999999999.abcd.tmp"  # another file's: not ours to judge
    other.write_text("half")
    write_atomic(target, "whole")
    assert target.read_text() == "whole"
    assert not dead.exists()
    assert mine.exists() and other.exists()
    assert files._running(os.getpid())


def test_a_temporary_is_new_ours_alone_and_named_for_the_sweep(tmp_path: Path, monkeypatch) -> None:
    """``files._new_temporary``: what ``tempfile.mkstemp`` gave, a name already taken is
    never opened (another is drawn), and the sweep recognises the name."""
    target = tmp_path / "entry.cache"
    draws = iter([b"\x00" * 6, b"\x00" * 6, b"\x01" * 6])
    monkeypatch.setattr(files.os, "urandom", lambda n: next(draws))
    taken = tmp_path / f".entry.cache.{os.getpid()}.000000000000.tmp"
    fd, first = files._new_temporary(target)
    os.close(fd)
    assert first == taken and (first.stat().st_mode & 0o777) == 0o600
    fd, second = files._new_temporary(target)  # the first draw again: taken, so drawn anew
    os.close(fd)
    assert second.name == f".entry.cache.{os.getpid()}.010101010101.tmp"
    assert first.read_bytes() == b""


def test_a_write_that_fails_at_once_closes_and_removes_its_temporary(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "entry.cache"
    target.write_text("before")
    opened: list[int] = []
    real_open = files.os.open

    def recording(*args: object, **kwargs: object) -> int:
        fd = real_open(*args, **kwargs)  # type: ignore[arg-type]
        opened.append(fd)
        return fd

    def failing(fd: int, mode: str) -> object:
        raise MemoryError

    monkeypatch.setattr(files.os, "open", recording)
    monkeypatch.setattr(files.os, "fdopen", failing)
    with pytest.raises(MemoryError):
        write_atomic(target, "after")
    monkeypatch.undo()
    assert target.read_text() == "before" and list(tmp_path.iterdir()) == [target]
    with pytest.raises(OSError):
        os.fstat(opened[0])  # closed, not leaked


# --- through the CLI ----------------------------------------------------------------------


def test_bulletin_never_overwrites_a_data_file(tmp_path: Path, run) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "examples" / "demo", data)
    month = data / "progress" / "2025-06.yaml"
    before = month.read_bytes()
    code, _out, err = run("--data", str(data), "bulletin", "--month", "2025-06", "-o", str(month))
    assert code == 2
    assert "is inside the data directory" in err and err.count("\n") == 1
    assert month.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ["bulletin", "--month", "2025-06", "-o", ""],
        ["bulletin", "--month", "2025-06", "-o", "/proc/version"],
        ["bulletin", "--month", "2025-06", "-o", "/nonexistent-dir/x.md"],
        ["schema", "-o", "/proc/version"],
        ["export", "ics", "-o", "/"],
        ["tasklist", "--unit", "城桥镇", "--format", "xlsx", "-o", "/dev/null"],
    ],
)
def test_every_output_option_gives_one_line_and_exit_2(run, args: list[str]) -> None:
    code, _out, err = run("--data", str(DATA), *args)
    assert code == 2, err
    assert err.startswith("error: -o") and err.count("\n") == 1, err
    assert "internal error" not in err


def test_schema_writes_a_folder_through_the_writer(tmp_path: Path, run) -> None:
    target = tmp_path / "schemas" / "nested"
    code, out, err = run("schema", "-o", str(target))
    assert code == 0, err
    from safety_plan.models import FILE_MODELS

    assert sorted(p.name for p in target.iterdir()) == sorted(f"{k}.schema.json" for k in FILE_MODELS)
    assert out.splitlines() == [str(target / f"{k}.schema.json") for k in FILE_MODELS]


def test_version(run) -> None:
    code, out, _ = run("--version")
    assert code == 0
    assert out == f"safety-plan {__version__}\n"


def test_rule_ids_are_stamped_by_the_runner_and_all_listed(run) -> None:
    from safety_plan.commands.check import READING_RULES
    from safety_plan.rules import RULES

    code, out, _ = run("check", "--list-rules")
    assert code == 0
    listed = {line.split()[0] for line in out.splitlines() if not line.startswith(" ")}
    assert "unknown-measure" in listed
    assert listed == set(READING_RULES) | set(RULES)
    source = (REPO / "src" / "safety_plan" / "rules").rglob("*.py")
    assert not any('rule="' in p.read_text(encoding="utf-8") for p in source)


def test_the_rule_list_fits_80_columns_and_each_rule_starts_its_line(run) -> None:  # type: ignore[no-untyped-def]
    from safety_plan.commands.check import READING_RULES
    from safety_plan.output.text import CLOSING, display_width
    from safety_plan.rules import RULES

    code, out, _ = run("check", "--list-rules")  # COLUMNS=80 (conftest)
    assert code == 0
    lines = out.splitlines()
    assert all(display_width(line) <= 80 and line == line.rstrip() for line in lines)
    assert not [line for line in lines if line.lstrip()[0] in CLOSING]  # not "… per plan"
    starts = [line.split("  ", 1)[0] for line in lines if not line.startswith(" ")]
    assert starts == [*READING_RULES, *RULES]
    assert len(lines) > len(starts)  # the long descriptions wrapped, none cut
    assert "".join(out.split()) == "".join(
        "".join(f"{r}{READING_RULES.get(r) or RULES[r].description}".split()) for r in starts
    )

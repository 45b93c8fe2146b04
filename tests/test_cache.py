"""The cache never answers from stale data and never runs what it did not write.

One test per class of the hardening issue: a same-size edit with the old mtime restored, an
edited engine, a planted malicious cache file, a symlinked progress folder; plus the key's
own rules (private, outside the cache). The CLI tests use the real loader (``run``).
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

from cli_support import Run, private_cache_and_key
from conftest import REPO
from safety_plan import opening
from safety_plan.opening import cache, fingerprint

DEMO = REPO / "examples" / "demo"
MONTH = ["--month", "2025-06"]
# The office's February 2025 dispatch meeting: moving its done date out of June keeps the size.
_DONE_IN_JUNE = "    done: 2025-06-06\n    note: 召开治本攻坚月度调度会".encode()
_DONE_IN_MAY = _DONE_IN_JUNE.replace(b"2025-06-06", b"2025-05-06")


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return private_cache_and_key(monkeypatch, tmp_path)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    return data


def _dispatch(run: Run, data: Path) -> tuple[str, int]:
    code, out, err = run("--data", str(data), "overdue", *MONTH, "--unit", "区应急局", "--format", "json")
    assert code == 0, err
    (row,) = [r for r in json.loads(out)["items"] if r["ref"] == "zbgj.dispatch"]
    return row["due"], row["missed"]


def _same_size_edit_keeping_mtime(path: Path) -> None:
    before = path.stat()
    raw = path.read_bytes()
    assert raw.count(_DONE_IN_JUNE) == 1
    path.write_bytes(raw.replace(_DONE_IN_JUNE, _DONE_IN_MAY))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p, rsync -t, a backup do
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


# --- stale data ---------------------------------------------------------------------------


def test_a_same_size_edit_with_the_old_mtime_is_seen(private: Path, demo: Path, run: Run) -> None:
    assert _dispatch(run, demo) == ("2025-02-28", 1)
    assert any(private.iterdir())
    _same_size_edit_keeping_mtime(demo / "progress" / "2025-06.yaml")
    assert _dispatch(run, demo) == ("2025-06-30", 2)


def test_a_symlinked_progress_folder_is_followed(private: Path, demo: Path, tmp_path: Path, run: Run) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.move(demo / "progress", elsewhere)
    (demo / "progress").symlink_to(elsewhere, target_is_directory=True)
    assert _dispatch(run, demo) == ("2025-02-28", 1)
    _same_size_edit_keeping_mtime(elsewhere / "2025-06.yaml")
    assert _dispatch(run, demo) == ("2025-06-30", 2)


def test_a_symlink_loop_and_special_files_are_fingerprinted_without_hanging(demo: Path) -> None:
    before = fingerprint.data_fingerprint(demo)
    (demo / "sources" / "loop").symlink_to(demo, target_is_directory=True)
    looped = fingerprint.data_fingerprint(demo)
    os.mkfifo(demo / "progress" / "pipe.yaml")  # opening it for reading would wait forever
    piped = fingerprint.data_fingerprint(demo)
    assert len({before, looped, piped}) == 3


def test_an_edited_engine_changes_the_key(tmp_path: Path) -> None:
    package = tmp_path / "safety_plan"
    shutil.copytree(Path(opening.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    before = fingerprint.sources_digest(str(package))
    compile_py = package / "engine" / "compile.py"
    stat = compile_py.stat()
    compile_py.write_text(
        compile_py.read_text(encoding="utf-8").replace("def ", "def  ", 1), encoding="utf-8"
    )
    os.utime(compile_py, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint.sources_digest(str(package)) != before


def test_a_plan_built_by_other_code_is_compiled_again(
    private: Path, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safety_plan.engine import compile as compile_module

    compiled: list[object] = []
    real = compile_module.compile_static

    def counting(dataset: Any) -> Any:
        compiled.append(dataset)
        return real(dataset)

    monkeypatch.setattr(compile_module, "compile_static", counting)
    first = opening.open_plan(demo, "demo")
    assert len(compiled) == 1
    assert opening.open_plan(demo, "demo").obligations == first.obligations
    assert len(compiled) == 1, "same files, same code: from the cache"
    monkeypatch.setattr(fingerprint, "code_fingerprint", lambda: "an edited engine")
    opening.open_plan(demo, "demo")
    assert len(compiled) == 2, "edited code: compiled again"


# --- a cache folder others can write ------------------------------------------------------


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_pickle_is_never_run(private: Path, demo: Path, tmp_path: Path, run: Run) -> None:
    expected = _dispatch(run, demo)
    entries = sorted(private.glob("*.cache")) + sorted((private / "files").glob("*.cache"))
    assert len(entries) > 2
    marker = tmp_path / "pwned"
    evil = pickle.dumps(_Payload(marker))
    for entry in entries:
        kind = entry.name.split(".")[1]
        key = fingerprint.data_fingerprint(demo)
        # The old format (a bare pickle), and the new one with a forged or absent MAC.
        for planted in (
            evil,
            cache._MAGIC + b"\0" * 32 + cache._header(key, kind) + evil,
            cache._MAGIC + cache._header(key, kind) + evil,
        ):
            entry.write_bytes(planted)
            assert _dispatch(run, demo) == expected
            assert not marker.exists()
    assert all(entry.read_bytes()[: len(cache._MAGIC)] == cache._MAGIC for entry in entries), "rebuilt"


def test_an_entry_signed_with_another_key_is_rebuilt(
    private: Path, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = opening.open_plan(demo, "demo")
    (entry,) = private.glob("*.CompiledPlan.cache")
    signed_here = entry.read_bytes()
    monkeypatch.setenv("SAFETY_PLAN_CACHE_KEY", str(tmp_path / "other" / "cache.key"))
    assert cache.load(demo, fingerprint.data_fingerprint(demo), type(plan)) is None
    assert opening.open_plan(demo, "demo").obligations == plan.obligations
    assert entry.read_bytes() != signed_here


def test_the_key_is_private_and_made_once(private: Path, demo: Path, tmp_path: Path) -> None:
    opening.open_plan(demo, "demo")
    key = tmp_path / "state" / "cache.key"
    assert key.stat().st_mode & 0o777 == 0o600
    secret = key.read_bytes()
    opening.open_plan(demo, "demo")
    assert key.read_bytes() == secret


def test_a_key_others_can_read_turns_the_cache_off(
    private: Path, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared.key"
    shared.write_bytes(b"k" * 32)
    shared.chmod(0o644)
    monkeypatch.setenv("SAFETY_PLAN_CACHE_KEY", str(shared))
    plan = opening.open_plan(demo, "demo")
    assert plan.obligations
    assert not private.exists() or not any(private.iterdir())


def test_a_key_inside_the_cache_folder_is_refused(
    private: Path, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFETY_PLAN_CACHE_KEY", str(private / "cache.key"))
    assert opening.open_plan(demo, "demo").obligations
    assert not (private / "cache.key").exists()
    assert not private.exists() or not any(private.iterdir())


# --- one pass ------------------------------------------------------------------------------


def test_a_warm_open_walks_the_files_once(private: Path, demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opening.open_both(demo, "demo")
    walks: list[Path] = []
    real = fingerprint.Fingerprint.of

    def counting(root: Path) -> fingerprint.Fingerprint:
        walks.append(root)
        return real(root)

    monkeypatch.setattr(fingerprint.Fingerprint, "of", counting)
    monkeypatch.setattr(opening, "load", lambda *_: pytest.fail("a warm open must not load"))
    dataset, plan = opening.open_both(demo, "demo")
    assert walks == [demo]
    assert dataset.measures and plan.obligations


# --- one entry per file --------------------------------------------------------------------


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import safety_plan.loading as loading
    from safety_plan.loading import plain_yaml

    parsed: list[str] = []
    real = loading.parse_yaml

    def counting(raw: bytes, path: str, **options: Any) -> Any:
        parsed.append(Path(path).name)
        return real(raw, path, **options)

    def counting_plain(raw: bytes) -> dict[str, Any] | None:
        data = real_plain(raw)
        if data is not None:  # a month file the plain reader read (it is given the bytes alone)
            parsed.append(f"{data['month']}.yaml")
        return data

    real_plain = plain_yaml.read_plain
    monkeypatch.setattr(loading, "parse_yaml", counting)
    monkeypatch.setattr(plain_yaml, "read_plain", counting_plain)
    return parsed


def test_editing_one_month_parses_that_file_alone(
    private: Path, demo: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _dispatch(run, demo) == ("2025-02-28", 1)
    parsed = _count_parses(monkeypatch)
    _same_size_edit_keeping_mtime(demo / "progress" / "2025-06.yaml")
    assert _dispatch(run, demo) == ("2025-06-30", 2)
    assert parsed == ["2025-06.yaml"]


def test_a_problem_in_a_cached_file_is_reported_at_its_position(
    private: Path, demo: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """units.yaml changes so that a unit named in a month's reports no longer exists: the
    month comes from the cache without positions, and the problem still names line:column."""
    fresh = run("--data", str(demo), "check", "--format", "text")
    assert fresh[0] == 0
    _dispatch(run, demo)
    units = demo / "units.yaml"
    text = units.read_text(encoding="utf-8")
    assert text.count("- id: 新河镇\n") == 1
    units.write_text(text.replace("- id: 新河镇\n", "- id: 新河镇X\n"), encoding="utf-8")
    parsed = _count_parses(monkeypatch)
    code, out, err = run("--data", str(demo), "overdue", *MONTH, "--format", "json")
    assert code == 1, out
    assert parsed[0] == "units.yaml" and "measures.yaml" not in parsed
    checked = run("--data", str(demo), "check", "--format", "text")
    assert checked[0] == 1
    expected = [line for line in checked[1].splitlines() if "progress/" in line and "新河镇" in line]
    assert expected
    for line in expected:
        assert line in err, line


def test_parsing_without_positions_gives_the_same_values_and_problems() -> None:
    from safety_plan.loading.yaml_source import parse_yaml

    raw = (DEMO / "progress" / "2025-06.yaml").read_bytes() + b"month: 2025-06\n"  # a duplicate key
    with_positions = parse_yaml(raw, "p.yaml")
    without = parse_yaml(raw, "p.yaml", positions=False)
    assert without.data == with_positions.data
    assert without.problems == with_positions.problems and without.problems
    assert with_positions.source_map.values and not without.source_map.values


def test_a_killed_runs_temporaries_in_the_cache_are_removed(private: Path, demo: Path) -> None:
    opening.open_plan(demo, "demo")
    files = private / "files"
    dead = files / ".0123abcd.MeasuresFile.cache.999999999.abcd.tmp"  # no such process
    dead.write_bytes(b"half")
    mine = files / f".4567.MonthReports.cache.{os.getpid()}.efgh.tmp"  # a write in progress: kept
    mine.write_bytes(b"half")
    cache._sweep_once.cache_clear()  # a new run
    (demo / "progress" / "2025-06.yaml").write_bytes(
        (demo / "progress" / "2025-06.yaml").read_bytes() + b"#\n"
    )
    opening.open_plan(demo, "demo")
    assert not dead.exists() and mine.exists()

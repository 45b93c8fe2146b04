"""A query's kept answer (``opening.answers``): read back for the same query on the same files
and code, worked out afresh for anything else, never kept when it would not be exact."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from cli_support import Run, private_cache_and_key
from conftest import REPO
from safety_plan import opening
from safety_plan.opening import answers, fingerprint
from safety_plan.problems import UsageError

DEMO = REPO / "examples" / "demo"
JUNE = ["overdue", "--month", "2025-06", "--format", "json"]


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache folder of the test's own, with a copy of the demo data beside it."""
    shutil.copytree(DEMO, tmp_path / "demo")
    return private_cache_and_key(monkeypatch, tmp_path)


@pytest.fixture
def demo(private: Path) -> Path:
    return private.parent / "demo"


def _no_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opening.Opening, "plan", lambda *_: pytest.fail("the kept answer must do"))


def _overdue(run: Run, data: Path, *extra: str) -> tuple[int, str, str]:
    return run("--data", str(data), *JUNE, *extra)


def test_the_same_query_again_is_answered_without_the_plan(
    private: Path, demo: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _overdue(run, demo)
    assert first[0] == 0 and json.loads(first[1])["items"]
    assert list(private.glob("*.Answer-overdue.cache"))
    _no_plan(monkeypatch)
    assert _overdue(run, demo) == first
    table = run("--data", str(demo), "overdue", "--month", "2025-06")  # another format: the same answer
    assert table[0] == 0 and "逾期未完成事项" in table[1]


def test_another_query_or_an_edited_file_is_answered_afresh(
    private: Path, demo: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    june = _overdue(run, demo)[1]
    may = run("--data", str(demo), "overdue", "--month", "2025-05", "--format", "json")[1]
    assert json.loads(may)["as_of"] == "2025-05-31" != json.loads(june)["as_of"]
    one_unit = _overdue(run, demo, "--unit", "区应急局")[1]
    assert {i["unit"] for i in json.loads(one_unit)["items"]} == {"区应急局"}
    assert _overdue(run, demo)[1] == june, (
        "each query its own key: the June answer was not overwritten wrongly"
    )
    month = demo / "progress" / "2025-06.yaml"
    done_in_june = "    done: 2025-06-06\n    note: 召开治本攻坚月度调度会".encode()
    month.write_bytes(month.read_bytes().replace(done_in_june, done_in_june.replace(b"-06-06", b"-05-06")))
    code, edited, err = _overdue(run, demo)
    assert code == 0, err
    assert edited != june, "an edited month is never answered from the old entry"
    monkeypatch.setenv("SAFETY_PLAN_NO_CACHE", "1")
    assert _overdue(run, demo)[1] == edited


def test_the_answer_equals_one_worked_out_without_the_cache(
    private: Path, demo: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _overdue(run, demo)
    kept = _overdue(run, demo)
    due_kept = [run("--data", str(demo), "due", "--month", "2025-06", "--format", "json") for _ in range(2)]
    monkeypatch.setenv("SAFETY_PLAN_NO_CACHE", "1")
    assert _overdue(run, demo) == kept
    assert due_kept == [run("--data", str(demo), "due", "--month", "2025-06", "--format", "json")] * 2


def _answer(demo: Path, compute: Any, arguments: tuple[answers.Argument, ...] = ("a",)) -> Any:
    return answers.answered(demo, "demo", "test", arguments, compute)


def test_a_refusal_is_kept_and_raised_again_but_no_other_error(private: Path, demo: Path) -> None:
    calls: list[str] = []

    def refuse(opened: Any) -> Any:
        calls.append("refused")
        raise UsageError("--unit: no unit '区应急' (did you mean '区应急局'?)")

    for _ in range(2):
        with pytest.raises(UsageError, match="did you mean '区应急局'"):
            _answer(demo, refuse)
    assert calls == ["refused"], "the second time from the kept refusal"

    def fail(opened: Any) -> Any:
        calls.append("failed")
        raise RuntimeError("a failure")

    for _ in range(2):
        with pytest.raises(RuntimeError):
            _answer(demo, fail, ("b",))
    assert calls == ["refused", "failed", "failed"], "a failure is never kept"


def test_a_unit_one_district_lacks_is_not_looked_for_there_twice(
    private: Path, demo: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = _overdue(run, demo, "--unit", "区应急")
    assert code == 2 and "区应急局" in err
    _no_plan(monkeypatch)
    assert _overdue(run, demo, "--unit", "区应急") == (code, "", err)


def test_an_answer_from_files_that_changed_while_they_were_read_is_not_kept(
    private: Path, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    month = demo / "progress" / "2025-06.yaml"
    real = opening.load

    def load_then_edit(*args: Any, **options: Any) -> Any:
        result = real(*args, **options)
        month.write_bytes(month.read_bytes() + b"\n# edited while the plan was read\n")
        return result

    monkeypatch.setattr(opening, "load", load_then_edit)
    assert _answer(demo, lambda opened: len(opened.plan().obligations)) > 0
    assert not list(private.glob("*.Answer-test.cache")), "not kept under either key"
    monkeypatch.setattr(opening, "load", real)
    assert _answer(demo, lambda opened: "kept") == "kept"
    assert _answer(demo, lambda opened: pytest.fail("kept: not computed again")) == "kept"
    assert _answer(demo, lambda opened: "other arguments", ("b",)) == "other arguments"


def test_an_answer_built_by_other_code_is_worked_out_again(
    private: Path, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _answer(demo, lambda opened: "old code") == "old code"
    monkeypatch.setattr(fingerprint, "code_fingerprint", lambda: "an edited engine")
    assert _answer(demo, lambda opened: "new code") == "new code"


def test_without_the_cache_every_query_is_worked_out(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETY_PLAN_NO_CACHE", "1")
    assert [_answer(demo, lambda opened, n=n: n) for n in range(2)] == [0, 1]


def test_after_one_districts_correction_only_that_district_is_worked_out_again(
    private: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    city = private.parent / "city"
    for district in ("a", "b", "c"):
        shutil.copytree(DEMO, city / district)
    (city / "districts.yaml").write_text(
        "districts:\n" + "".join(f"  - id: {d}\n    name: {d}区\n    data: {d}\n" for d in "abc"),
        encoding="utf-8",
    )
    monkeypatch.setenv("SAFETY_PLAN_JOBS", "1")  # counted here, in this process
    opened: list[str] = []
    real = opening.Opening.plan

    def counting(self: opening.Opening, *args: Any) -> Any:
        opened.append(self.shown)
        return real(self, *args)

    monkeypatch.setattr(opening.Opening, "plan", counting)
    commands = [
        [*JUNE],
        ["status", "--month", "2025-06"],
        ["units", "--month", "2025-06"],
        ["bulletin", "--month", "2025-06"],
        ["reports", "--month", "2025-06"],
        ["escalations", "--month", "2025-06"],
        ["escalations", "--quarter", "2025Q2"],
    ]
    first = [run("--data", str(city), *command) for command in commands]
    assert all(code == 0 for code, _, _ in first), first
    assert opened and set(opened) == {f"{city}/{d}" for d in "abc"}
    opened.clear()
    assert [run("--data", str(city), *command) for command in commands] == first
    assert opened == [], "every district's answers were kept"
    month = city / "b" / "progress" / "2025-06.yaml"
    month.write_bytes(month.read_bytes() + "\n# 更正\n".encode())
    again = [run("--data", str(city), *command) for command in commands]
    assert again == first, "a comment changes no figure"
    assert set(opened) == {f"{city}/b"}, "only the corrected district was opened"

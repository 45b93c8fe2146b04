"""The monthly bulletin: golden output on the demo, every section on the real data, safe
escaping, user templates in the sandbox."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import REPO
from safety_plan.output.render import md_escape

DEMO = str(REPO / "examples" / "demo")
DATA = str(REPO / "data")
GOLDEN = Path(__file__).parent / "golden" / "bulletin-demo-2025-06.md"
SECTIONS = [
    "一、总体进展",
    "二、逾期未完成事项",
    "三、本月到期及下月到期事项",
    "四、报送情况",
    "五、单位排名",
    "六、变化情况",
    "七、下阶段提示",
    "附：数据明细",
]

_md = MarkdownIt("commonmark").enable("table")


@pytest.fixture(autouse=True)
def _private_cache(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETY_PLAN_CACHE", str(shared_cache))


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts, as a CommonMark+GFM-tables parser sees them."""
    result: list[list[list[str]]] = []
    row: list[str] | None = None
    for token in _md.parse(markdown):
        if token.type == "table_open":
            result.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close" and row is not None:
            result[-1].append(row)
            row = None
    return result


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> str:
    """Run from the repository, so the footer names the data as a user there would type it."""
    monkeypatch.chdir(REPO)
    return "examples/demo"


def test_demo_bulletin_matches_the_reviewed_golden_file(run, in_repo: str) -> None:
    code, out, err = run("--data", in_repo, "bulletin", "--month", "2025-06")
    assert code == 0, err
    assert out == GOLDEN.read_text(encoding="utf-8")


def test_readme_excerpt_is_the_real_output() -> None:
    """README's excerpt is lines of the golden bulletin, in order ("…" marks a cut)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```markdown\n# ")
    excerpt = readme[start:].split("\n", 1)[1].split("\n```", 1)[0].splitlines()
    golden = GOLDEN.read_text(encoding="utf-8").splitlines()
    position = 0
    for line in excerpt:
        if line in ("…", ""):
            continue
        assert line in golden[position:], f"README excerpt line not in the bulletin: {line}"
        position = golden.index(line, position) + 1


def test_same_data_and_month_give_byte_identical_output(run) -> None:
    first = run("--data", DEMO, "bulletin", "--month", "2025-05")[1]
    second = run("--data", DEMO, "bulletin", "--month", "2025-05")[1]
    assert first == second and first


@pytest.mark.parametrize("data", [DATA, DEMO], ids=["shipped", "demo"])
def test_every_section_renders_as_valid_tables(data: str, run) -> None:
    code, out, _ = run("--data", data, "bulletin", "--month", "2025-06")
    assert code == 0
    for heading in SECTIONS:
        assert f"## {heading}" in out
    assert "（第16期）" in out  # 2024-03 is the first issue
    parsed = tables(out)
    assert parsed, "the bulletin has tables"
    for table in parsed:
        widths = {len(r) for r in table}
        assert len(widths) == 1, f"a row breaks its table: {table[:3]}"


def test_demo_numbers_come_from_the_engine(run) -> None:
    """The bulletin's overdue total equals `overdue`'s row count for the same month."""
    import json

    overdue = json.loads(run("--data", DEMO, "overdue", "--month", "2025-06", "--format", "json")[1])
    bulletin = run("--data", DEMO, "bulletin", "--month", "2025-06")[1]
    status = json.loads(run("--data", DEMO, "status", "--month", "2025-06", "--format", "json")[1])
    items, red = len(overdue["items"]), status["lights"]["red"]
    assert f"共 {items} 项（未完成 {red} 次，即红灯数），按责任单位列出" in bulletin
    assert f"红灯 {red} 次" in bulletin
    assert red == sum(row.get("missed") or 1 for row in overdue["items"])


def test_a_note_with_pipes_and_line_breaks_does_not_break_a_table(tmp_path: Path, run) -> None:
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    progress = data / "progress" / "2025-06.yaml"
    text = progress.read_text(encoding="utf-8")
    nasty = '"a | b\\nsecond line | <b>x</b> `code` *star* [link](y)"'
    # Replace the first note in the file with the nasty one; the rest stays valid.
    head, sep, tail = text.partition("note: ")
    assert sep
    line_end = tail.index("\n")
    progress.write_text(head + sep + nasty + tail[line_end:], encoding="utf-8")
    code, out, err = run("--data", str(data), "bulletin", "--month", "2025-06")
    assert code == 0, err
    for table in tables(out):
        assert len({len(r) for r in table}) == 1


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_escaped_cells_stay_one_cell_and_keep_their_words(value: str) -> None:
    row = f"| a | {md_escape(value)} | c |"
    parsed = tables(f"| h1 | h2 | h3 |\n| --- | --- | --- |\n{row}\n")
    assert len(parsed) == 1
    assert [len(r) for r in parsed[0]] == [3, 3]
    words = [w for w in value.replace("|", " ").split() if w.isalnum()]
    for word in words:
        assert word in parsed[0][1][1]


def test_output_file_is_written_whole(tmp_path: Path, run, in_repo: str) -> None:
    target = tmp_path / "通报.md"
    code, out, _ = run("--data", in_repo, "bulletin", "--month", "2025-06", "-o", str(target))
    assert code == 0 and "第16期" in out
    assert target.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_failing_render_leaves_the_existing_file_alone(tmp_path: Path, run) -> None:
    target = tmp_path / "bulletin.md"
    target.write_text("old bulletin", encoding="utf-8")
    broken = tmp_path / "broken.md.j2"
    broken.write_text("{{ no_such_name }}\n", encoding="utf-8")
    code, _, err = run(
        "--data", DEMO, "bulletin", "--month", "2025-06", "-o", str(target), "--template", str(broken)
    )
    assert code == 2
    assert target.read_text(encoding="utf-8") == "old bulletin"
    assert f"{broken}:1: template error: 'no_such_name' is undefined" in err
    assert "Traceback" not in err


def test_user_template_sees_the_same_context(tmp_path: Path, run) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text(
        "第{{ issue }}期 {{ as_of }} 逾期{{ overdue_total }} 报送率{{ reporting.rate }}%\n", encoding="utf-8"
    )
    code, out, _ = run("--data", DEMO, "bulletin", "--month", "2025-06", "--template", str(template))
    assert code == 0
    assert out.startswith("第16期 2025-06-30 逾期")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% for x in %}\n", ":1: template syntax error:"),
        ("line one\n{{ ''.__class__.__mro__ }}\n", ":2: template error:"),
        ("{{ sections[0].nope }}\n", ":1: template error:"),
    ],
    ids=["syntax", "sandbox", "undefined-attribute"],
)
def test_template_mistakes_are_one_line_with_file_and_line(
    tmp_path: Path, run, source: str, message: str
) -> None:
    template = tmp_path / "t.md.j2"
    template.write_text(source, encoding="utf-8")
    code, out, err = run("--data", DEMO, "bulletin", "--month", "2025-06", "--template", str(template))
    assert code == 2
    assert out == ""
    assert message in err and str(template) in err
    assert len(err.strip().splitlines()) == 1


def test_bad_month_and_missing_template(run) -> None:
    code, _, err = run("--data", DEMO, "bulletin", "--month", "2025-6x")
    assert code == 2 and "--month '2025-6x'" in err
    code, _, err = run("--data", DEMO, "bulletin", "--month", "2025-06", "--template", "/nope.j2")
    assert code == 2 and "--template: file '/nope.j2' not found" in err

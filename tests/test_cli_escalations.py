"""``escalations`` through the public CLI: the month's list on the demo with the shipped rules
(checked by hand against examples/demo/progress), the quarter's visits, letters, and the
moved-deadline views (show, overdue's original_due, the bulletin's 调整事项)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from conftest import REPO
from test_escalation import LETTER, MOVED, TWO_UNITS, TWO_UNITS_PROGRESS
from tiny_plan import write

DEMO = str(REPO / "examples" / "demo")


def _items(run, *args: str) -> dict:
    code, out, err = run("--data", DEMO, "escalations", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_demo_june_2025_checked_by_hand(run) -> None:
    payload = _items(run, "--month", "2025-06")
    assert payload["as_of"] == "2025-06-30"
    assert all(set(i) >= {"unit", "rule", "action", "refs", "since", "points"} for i in payload["items"])
    by = {(i["unit"], i["rule"]): i for i in payload["items"]}

    # 区统计局's reports (examples/demo/progress): 2025-02 on 02-16 (on time), none for
    # 2025-03, 2025-04 on 04-30 (late), 2025-05 on 06-05 (late), none for 2025-06. So the last
    # two reports up to June were not on time, and up to April (Mar, Apr) already: since April;
    # up to March (Feb on time, Mar missing) not yet. No other unit missed two in a row.
    missed = [i for i in payload["items"] if i["rule"] == "report-missed"]
    assert [(i["unit"], i["refs"], i["since"]) for i in missed] == [
        ("区统计局", ["zbgj.report[2025-05]", "zbgj.report[2025-06]"], "2025-04")
    ]
    assert missed[0]["action"] == "通报批评"

    # 区应急局 holds, as of 2025-06-30 (overdue --unit 区应急局): zbgj-21.1, zbgj-22.drill's 2024
    # occurrence and zbgj-26.1 due 2024-12-31 (181 days), zbgj.dispatch's 2025-02 (due 02-28,
    # 122 days) and zbgj.evaluation's 2025H1 (due 06-30, 0 days: under 30, not a letter's).
    letter = by[("区应急局", "letter")]
    assert letter["refs"] == ["zbgj-21.1", "zbgj-22.drill[2024]", "zbgj-26.1", "zbgj.dispatch[2025-02]"]
    # On 2024-12-31 the three were 0 days late: the letter fires from January.
    assert letter["since"] == "2025-01"
    # 约谈: the letter in 3 of the last 6 months from March (Jan, Feb, Mar).
    assert by[("区应急局", "interview")]["since"] == "2025-03"
    assert by[("区应急局", "interview")]["refs"] == [f"letter@2025-0{m}" for m in range(1, 7)]
    # 橙色督办单: on 01-31 the letter of 01-16 (15 days before) had not fired (16 days late);
    # on 02-28 that of 02-13 had (44 days): since February, the same four still open.
    assert by[("区应急局", "warning")]["since"] == "2025-02"
    assert by[("区应急局", "warning")]["refs"] == letter["refs"]
    # Points 2025: the letter Jan … Jun (6 × −1) and 约谈 Mar … Jun (4 × −2) = −14.
    assert {by[("区应急局", r)]["points"] for r in ("letter", "interview", "warning")} == {-14}
    # 城桥镇 did everything due (the bulletin's ranking: 35 of 35): nothing fires.
    assert not [i for i in payload["items"] if i["unit"] == "城桥镇"]
    assert not any(i["new"] for i in payload["items"])


def test_unit_filter_and_bad_arguments(run) -> None:
    payload = _items(run, "--month", "2025-06", "--unit", "区应急局")
    assert {i["unit"] for i in payload["items"]} == {"区应急局"}
    code, _, err = run("--data", DEMO, "escalations", "--month", "2025-06", "--unit", "区应急")
    assert code == 2 and "did you mean '区应急局'" in err
    for args, message in [
        ((), "give the month"),
        (("--quarter", "2025Q5"), "'2025Q5' is not a quarter"),
        (("--month", "2025-06", "--quarter", "2025Q2"), "--quarter alone"),
        (("--month", "2025-06", "--format", "docx"), "only with --letters"),
        (("--month", "2025-13"), "2025-13"),
    ]:
        code, out, err = run("--data", DEMO, "escalations", *args)
        assert code == 2, args
        assert message in err and "Traceback" not in out + err, err


def test_quarter_visits(run) -> None:
    code, out, err = run("--data", DEMO, "escalations", "--quarter", "2025Q2", "--visits", "3", "-f", "json")
    assert code == 0, err
    payload = json.loads(out)
    assert (payload["quarter"], payload["as_of"], payload["visits"]) == ("2025Q2", "2025-06-30", 3)
    items = payload["items"]
    assert [i["rank"] for i in items] == [1, 2, 3]
    keys = [(i["points"], -i["overdue"], -i["days_overdue"], i["unit"]) for i in items]
    assert keys == sorted(keys)
    assert all(i["reasons"] for i in items)
    # The table fits 80 columns.
    code, out, _ = run("--data", DEMO, "escalations", "--quarter", "2025Q2", "--visits", "3")
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 80


def test_quarter_visits_for_one_unit_say_where_it_stands(run) -> None:
    """--unit with --quarter: that unit's row, ranked among every candidate, not the top N."""
    code, out, err = run("--data", DEMO, "escalations", "--quarter", "2025Q2", "-n", "43", "-f", "json")
    assert code == 0, err
    seventh = json.loads(out)["items"][6]
    code, out, err = run(
        "--data", DEMO, "escalations", "--quarter", "2025Q2", "--unit", seventh["unit"], "-f", "json"
    )
    assert code == 0, err
    assert json.loads(out)["items"] == [seventh]
    code, out, _ = run("--data", DEMO, "escalations", "--quarter", "2025Q2", "--unit", seventh["unit"])
    assert f"专项督导建议名单（{seventh['unit']}）" in out and f"{seventh['unit']} 排第 7 名。" in out
    code, out, _ = run("--data", DEMO, "escalations", "--quarter", "2025Q2", "--unit", "区绩效办")
    assert code == 0 and "区绩效办 本季度没有逾期或触发督办规则，不在候选单位中。" in out


def test_table_fits_80_columns(run) -> None:
    code, out, _ = run("--data", DEMO, "escalations", "--month", "2025-06")
    assert code == 0
    assert "督办事项：截至 2025-06-30" in out
    from rich.cells import cell_len

    assert max(cell_len(line) for line in out.splitlines()) <= 80


def test_letters_for_two_units_md_and_docx(run, tmp_path: Path) -> None:
    data = write(tmp_path, schedule=TWO_UNITS, rules=LETTER, progress=TWO_UNITS_PROGRESS)
    out_dir = tmp_path / "letters"
    code, out, err = run("--data", str(data), "escalations", "--month", "2025-06", "--letters", str(out_dir))
    assert code == 0, err
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == [
        "2025-06_区应急局_橙色督办单.md",
        "2025-06_区应急局_督办函.md",
        "2025-06_堡镇_橙色督办单.md",
        "2025-06_堡镇_督办函.md",
    ]
    assert "已生成 4 份督办文书" in out
    letter = (out_dir / "2025-06_区应急局_督办函.md").read_text(encoding="utf-8")
    assert "**区应急局：**" in letter
    assert "| 1 | demo-2.1 | 测试（一）第2项“第2项” | 建成监测分析系统 | 2025‑04‑01 | 90 | 未报送 |" in letter
    assert "于 2025年7月10日 前" in letter

    code, _, err = run(
        "--data", str(data), "escalations", "--month", "2025-06", "--unit", "堡镇",
        "--letters", str(out_dir / "word"), "--format", "docx",
    )  # fmt: skip
    assert code == 0, err
    word = out_dir / "word" / "2025-06_堡镇_督办函.docx"
    with zipfile.ZipFile(io.BytesIO(word.read_bytes())) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    for text in ("督办函", "堡镇：", "完成风险辨识", "2025年7月10日"):
        assert text in body
    # The due day does not break at its hyphens in the narrow column.
    assert "<w:noBreakHyphen/>" in body


def test_letters_template_is_sandboxed(run, tmp_path: Path) -> None:
    data = write(tmp_path, schedule=TWO_UNITS, rules=LETTER, progress=TWO_UNITS_PROGRESS)
    mine = tmp_path / "mine.md.j2"
    mine.write_text("{{ unit }}：{{ items | length }} 项\n", encoding="utf-8")
    out_dir = tmp_path / "letters"
    args = ["--data", str(data), "escalations", "--month", "2025-06", "--letters", str(out_dir)]
    code, _, err = run(*args, "--template", str(mine))
    assert code == 0, err
    assert (out_dir / "2025-06_堡镇_督办函.md").read_text(encoding="utf-8") == "堡镇：1 项\n"
    mine.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    code, out, err = run(*args, "--template", str(mine))
    assert code == 2 and "mine.md.j2" in err and "Traceback" not in out + err


def test_without_rules_nothing_escalates(run, tmp_path: Path) -> None:
    data = write(tmp_path, schedule=TWO_UNITS)
    code, out, _ = run("--data", str(data), "escalations", "--month", "2025-06", "-f", "json")
    assert (code, json.loads(out)) == (0, {"as_of": "2025-06-30", "items": []})
    code, out, _ = run("--data", str(data), "escalations", "--month", "2025-06")
    assert code == 0 and "没有督办规则" in out


def test_yellow_days_from_rules_is_the_warn_days_default(run, tmp_path: Path) -> None:
    schedule = "deadlines:\n  - {id: demo-2.1, measure: demo-2, due: 2025-07-20, phrase: 7月20日前, what: 建成系统}\n"
    data = write(tmp_path, schedule=schedule, rules="lights: {yellow_days: 15}\n")
    code, out, _ = run("--data", str(data), "status", "--as-of", "2025-07-01", "-f", "json")
    assert code == 0 and json.loads(out)["lights"]["yellow"] == 0  # 19 days ahead > 15
    code, out, _ = run("--data", str(data), "status", "--as-of", "2025-07-05", "-f", "json")
    assert json.loads(out)["lights"]["yellow"] == 1  # 15 days ahead
    code, out, _ = run(
        "--data", str(data), "status", "--as-of", "2025-07-01", "--warn-days", "30", "-f", "json"
    )
    assert json.loads(out)["lights"]["yellow"] == 1  # told otherwise


def test_moved_deadline_in_show_overdue_and_the_bulletin(run, tmp_path: Path) -> None:
    data = write(tmp_path, schedule=MOVED)
    code, out, _ = run("--data", str(data), "overdue", "--month", "2025-01", "-f", "json")
    (item,) = json.loads(out)["items"]
    assert (item["due"], item["days_overdue"], "original_due" in item) == ("2024-12-31", 31, False)
    code, out, _ = run("--data", str(data), "overdue", "--month", "2025-06", "-f", "json")
    assert json.loads(out)["items"] == []
    code, out, _ = run("--data", str(data), "show", "demo-2.1", "--month", "2025-06", "-f", "json")
    shown = json.loads(out)
    assert (shown["due"], shown["original_due"]) == ("2025-12-31", "2024-12-31")
    assert shown["status"][0]["original_due"] == "2024-12-31"
    code, out, _ = run("--data", str(data), "show", "demo-2.1", "--month", "2025-06")
    assert "原定 2024-12-31" in out and "测安委办〔2025〕3号" in out and "尚未生效" in out
    code, out, _ = run("--data", str(data), "bulletin", "--month", "2025-03")
    assert "## 八、调整事项" in out  # no rules: 督办事项 is not there, so it is 八
    assert (
        "| demo-2.1 | 建成监测分析系统 | 2024-12-31 | 2025-12-31 | 2025-03-01 | 测安委办〔2025〕3号 | 待市级系统统一上线 |".replace(
            "-", "\u2011"
        ).replace("demo\u20112.1", "demo-2.1")
        in out
    )
    code, out, _ = run("--data", str(data), "bulletin", "--month", "2025-04")
    assert code == 0
    assert "调整事项" not in out and "督办事项" not in out  # no change that month, no rules


def test_readme_shows_the_shipped_rules_and_a_real_letter(run, tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rules = (REPO / "data" / "rules.yaml").read_text(encoding="utf-8").split("\n", 1)[1].rstrip()
    assert f"```yaml\n{rules}\n```" in readme
    code, _, err = run(
        "--data", DEMO, "escalations", "--month", "2025-06", "--unit", "区应急局", "--letters", str(tmp_path)
    )  # fmt: skip
    assert code == 0, err
    letter = (tmp_path / "2025-06_区应急局_督办函.md").read_text(encoding="utf-8").rstrip()
    assert f"```markdown\n{letter}\n```" in readme

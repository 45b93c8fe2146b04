"""Tiny data sets for the engine tests, written from YAML strings into a temporary folder.

Four measures in one plan ``demo`` (2024-01-01 … 2026-12-31 unless told otherwise):

* ``demo-1`` section 1, owners 区应急局 (lead), 各乡镇 (support)
* ``demo-2`` section 1, owner 区应急局
* ``demo-3`` section 2, owner 各乡镇 (= 城桥镇, 堡镇)
* ``demo-4`` section 2, owners 区团委 (alias 团区委), 区应急局

Groups: 各乡镇 = 城桥镇, 堡镇; 全区 = 各乡镇 and 区应急局 (a group inside a group).
Phases: 第一阶段 2024-01-01 … 2024-12-31, 第二阶段 2025-01-01 … 2026-12-31.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from safety_plan.dataset import Dataset
from safety_plan.engine.asof import Snapshot, snapshot
from safety_plan.engine.compile import compile_plan
from safety_plan.engine.types import CompiledPlan
from safety_plan.loading import load_dataset

TEXTS = {
    1: "党委、政府主要负责人每季度至少召开一次会议，专题研究推进安全生产重大问题。",
    2: "2024年底前建设完善危险化学品等高危企业安全生产监测分析系统。",
    3: "各乡镇牵头组织一次城乡安全风险辨识工作。",
    4: "组织开展青年安全生产示范岗创建活动。",
}
OWNERS = {1: "[区应急局, 各乡镇]", 2: "[区应急局]", 3: "[各乡镇]", 4: "[区团委, 区应急局]"}
SECTIONS = {1: 1, 2: 1, 3: 2, 4: 2}

UNITS = """\
units:
  - {id: 区应急局, kind: government}
  - {id: 区团委, kind: people_org, aliases: [团区委]}
  - {id: 城桥镇, kind: town}
  - {id: 堡镇, kind: town}
groups:
  - {id: 各乡镇, members: [城桥镇, 堡镇]}
  - {id: 全区, members: [各乡镇, 区应急局]}
"""

PHASES = """\
phases:
  - {id: first, name: 第一阶段, start: 2024-01-01, end: 2024-12-31}
  - {id: second, name: 第二阶段, start: 2025-01-01, end: 2026-12-31}
"""


def _measures(start: str, end: str) -> str:
    lines = [
        "plans:",
        "  - id: demo",
        "    title: 测试方案",
        "    short: 测试",
        "    issuer: 测试委员会",
        "    issued: 2024-01-01",
        f"    period: {{start: {start}, end: {end}}}",
        "    source: demo.txt",
        "    sections:",
        "      - {number: 1, label: （一）, title: 开展安全生产责任体系提升行动}",
        "      - {number: 2, label: （二）, title: 开展城市韧性安全能力提升行动}",
        "measures:",
    ]
    for n, text in TEXTS.items():
        lines += [
            f"  - id: demo-{n}",
            "    plan: demo",
            f"    section: {SECTIONS[n]}",
            f"    number: {n}",
            f"    title: 第{n}项",
            f"    text: {text}",
            f"    owners: {OWNERS[n]}",
        ]
    return "\n".join(lines) + "\n"


def write(
    root: Path,
    *,
    schedule: str = "",
    progress: dict[str, str] | None = None,
    period: tuple[str, str] = ("2024-01-01", "2026-12-31"),
    phases: str = PHASES,
    rules: str | None = None,
) -> Path:
    """Write a data folder: ``schedule`` is the deadlines/recurring part (phases are added);
    ``rules`` the ``rules.yaml``, when given."""
    data = root / "data"
    (data / "sources").mkdir(parents=True)
    (data / "progress").mkdir()
    (data / "measures.yaml").write_text(_measures(*period), encoding="utf-8")
    (data / "units.yaml").write_text(UNITS, encoding="utf-8")
    (data / "schedule.yaml").write_text(phases + textwrap.dedent(schedule), encoding="utf-8")
    source = "".join(f"{n}.{text}\n" for n, text in TEXTS.items())
    (data / "sources" / "demo.txt").write_text(source, encoding="utf-8")
    if rules is not None:
        (data / "rules.yaml").write_text(textwrap.dedent(rules), encoding="utf-8")
    for month, text in (progress or {}).items():
        body = f"month: {month}\n" + textwrap.dedent(text)
        (data / "progress" / f"{month}.yaml").write_text(body, encoding="utf-8")
    return data


def dataset(root: Path, **kwargs) -> Dataset:
    """Load a tiny data set and insist it is clean (no errors, no warnings but one kind: a tiny
    schedule need not encode every time phrase of the four texts, phrase-coverage)."""
    result = load_dataset(write(root, **kwargs))
    assert [p for p in result.problems if p.rule != "phrase-coverage"] == []
    assert result.dataset is not None
    return result.dataset


def plan(root: Path, **kwargs) -> CompiledPlan:
    return compile_plan(dataset(root, **kwargs))


def snap(root: Path, as_of: str, warn_days: int = 30, **kwargs) -> Snapshot:
    return snapshot(plan(root, **kwargs), dt.date.fromisoformat(as_of), warn_days)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)

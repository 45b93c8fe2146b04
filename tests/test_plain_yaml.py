"""The plain reader of month files (``loading.plain_yaml``) reads what it reads exactly as the
loader's parser does, value for value and type for type, and declines everything else."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import CASES, REPO
from safety_plan.loading import plain_yaml, yaml_source
from safety_plan.loading.plain_yaml import read_plain

MONTH_FILES = sorted(REPO.glob("examples/*/progress/*.yaml")) + sorted(CASES.glob("*/*/progress/*.yaml"))

BASE = """\
# a comment
month: 2025-06
reports:
- unit: 区应急局
  submitted: 2025-06-24   # on time
  items:
  - ref: demo-2.1
    status: done
    done: 2024-12-20
    note: 已建成，2025年完成验收
  - ref: m81-8.quarterly
    status: not_applicable
    note: '不适用: 本单位无'
- unit: 团区委
  submitted: 2025-06-25
  items: []
"""


INDENTED = """\
month: 2025-06   # as DESIGN.md writes it
reports:
  - unit: 区应急局
    submitted: 2025-06-24
    items:
      - ref: demo-2.1
        status: in_progress
        note: "进度: 过半"

      # a comment between items
      - ref: demo-2.2
        status: done
        done: 2025-06-01
"""


def _typed(value: Any) -> Any:
    """``value`` with every scalar's type beside it: ``1 == True`` and a date is not its text."""
    if isinstance(value, dict):
        return {_typed(k): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def _loader(raw: bytes) -> Any:
    """What the loader's parser makes of ``raw``, or None where it finds a problem."""
    parsed = yaml_source.parse_yaml(raw, "x.yaml", positions=False)
    return None if parsed.problems else parsed.data


def _agrees(text: str) -> bool:
    """The plain reader declines ``text`` or reads it as the loader does; True if it read it."""
    raw = text.encode("utf-8")
    plain = read_plain(raw)
    if plain is None:
        return False
    loaded = _loader(raw)
    assert loaded is not None, f"read plainly, but the loader finds a problem in:\n{text}"
    assert _typed(plain) == _typed(loaded), text
    return True


def test_the_first_characters_are_the_safe_loaders_resolvers() -> None:
    keys = {k for k in yaml.SafeLoader.yaml_implicit_resolvers if k}
    assert frozenset(keys) == plain_yaml._RESOLVED_FROM
    letters = {k for k in keys if k.isalpha()}
    for first in letters:  # only the bool and null resolvers look at a letter
        tags = {tag for tag, _ in yaml.SafeLoader.yaml_implicit_resolvers[first]}
        assert tags <= {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}, first


def test_the_words_are_those_yaml_reads_as_bool_or_null() -> None:
    for word in plain_yaml._WORDS:
        assert yaml.safe_load(f"k: {word}")["k"] in (True, False, None), word
    for word in ("y", "n", "Yes!", "nope", "nulls", "offline", "TrUe", "done", "not_started"):
        assert word not in plain_yaml._WORDS
        assert yaml.safe_load(f"k: {word}")["k"] == word


@pytest.mark.parametrize("path", MONTH_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_month_file_shipped_is_read_as_the_loader_reads_it(path: Path) -> None:
    raw = path.read_bytes()
    plain = read_plain(raw)
    loaded = _loader(raw)
    if plain is None:
        assert "examples" not in path.parts, "the demo's files are plainly written: read, not declined"
    else:
        assert loaded is not None and _typed(plain) == _typed(loaded)


def test_a_plain_file_is_read_with_its_types() -> None:
    data = read_plain(BASE.encode())
    assert data is not None and _agrees(BASE)
    assert data["month"] == "2025-06"
    first = data["reports"][0]
    assert first["submitted"] == dt.date(2025, 6, 24)
    assert first["items"][1]["note"] == "不适用: 本单位无"
    assert data["reports"][1]["items"] == []


@pytest.mark.parametrize(
    "text",
    [
        BASE.replace("\n", "\r\n"),  # Windows line ends
        "\ufeff" + BASE,  # a byte-order mark
        INDENTED,
        BASE.replace("- unit", "  - unit").replace("\n  ", "\n    ").replace("\n    - unit", "\n  - unit"),
        "month: 2025-06\nreports:\n  -   unit: 区应急局\n      submitted: 2025-06-24\n      items:\n",
        "month: 2025-06\nreports:\n\n\n  # later\n",  # null after comments
        "month: \"2025-06\"\nreports: []   # none yet\nnote: 'it''s'\n",
        "month: 2025-06\nnote: 2025年度计划\nother: 3月份\nplain: a:b, c #d\nurl: http://x.cn/a?b=1\n",
        "month: 2025-06\nnote: no problem\nn: nothing\nt: to do\no: ok\n",
    ],
)
def test_plain_variants_are_read_as_the_loader_reads_them(text: str) -> None:
    assert _agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# only a comment\n",
        "- a list\n",
        "  month: 2025-06\n",  # indented top level
        "---\nmonth: 2025-06\n",
        "%YAML 1.1\n---\nmonth: 2025-06\n",
        "month: &m 2025-06\nagain: *m\n",
        "month: !!str 2025-06\n",
        "month: {a: 1}\n",
        "month: [2025-06]\n",
        "note: |\n  two\n  lines\n",
        "note: one\n  continued\n",
        'note: "an \\u escape"\n',
        "note: 'unclosed\n",
        "count: 3\n",
        "when: 2025-06-24 10:00:00\n",
        "when: 2025-02-30\n",  # the loader reports the impossible date
        "done: yes\n",
        "done: ~\n",
        "on: 1\n",
        "a: b\na: c\n",  # a duplicate key: the loader reports it
        "a:\tb\n",
        "a: b\rc: d\n",
        "a: b\x07\n",
        "a: b\u200b\n",
        "a: b\ufffe\n",
        "a: b: c\n",
        "a: b\n- c\n",
        "a:\n- - b\n",
        "a:\n-\n  b: c\n",
        "a: b\n  c: d\n",
        "a:\n    b: 1\n  c: 2\n",
        "key with space: 1\n",
        "a: -1\n",
        "a: .5\n",
        "a: <<\n",
        "a: @b\n",
    ],
)
def test_what_is_not_plainly_written_is_declined(text: str) -> None:
    assert read_plain(text.encode("utf-8")) is None


def test_a_month_written_by_import_is_read_plainly() -> None:
    """``import`` writes month files (``intake.progress_yaml``), quoting a note YAML would read
    otherwise: what it writes is plain, so the run after an import is the quick one."""
    from safety_plan.intake.form_reader import FormReport, ReportedItem
    from safety_plan.intake.progress_yaml import merge_reports
    from safety_plan.vocabulary import Status

    notes = [
        "已完成",
        "yes",
        "2025-06-01",
        "进度: 过半",
        "含'引号'",
        "a #b",
        "100%完成",
        None,
        "- 列表",
        "on",
    ]
    items = tuple(
        ReportedItem(f"zbgj-{i}.meeting", Status.done, dt.date(2025, 6, 3), note)
        for i, note in enumerate(notes)
    )
    report = FormReport("城桥镇.xlsx", "2025-06", "城桥镇", dt.date(2025, 6, 25), items)
    demo = (REPO / "examples" / "demo" / "progress" / "2025-06.yaml").read_text(encoding="utf-8")
    for before in (demo, None):  # a unit's report replaced in a file, and a new file
        written = merge_reports(before, "2025-06", [report], lambda name: name).text
        assert _agrees(written), written


@pytest.mark.parametrize("levels", [40, 2000])
def test_deep_nesting_is_declined_not_recursed_into(levels: int) -> None:
    """Lists at their key's own indentation nest without a block between them: the bound on
    depth holds on that path too, and no depth ends in a RecursionError."""
    lines = ["month: 2025-06", "a:", *("  " * i + "- b:" for i in range(levels))]
    assert read_plain(("\n".join(lines) + " x\n").encode()) is None
    shallow = ["month: 2025-06", "a:", *("  " * i + "- b:" for i in range(8))]
    assert _agrees("\n".join(shallow) + " x\n")


def test_bytes_that_are_not_utf8_are_declined() -> None:
    assert read_plain(b"month: \xff\n") is None


_SNIPPETS = [
    ": ",
    " #",
    "#",
    "'",
    "''",
    '"',
    "\\",
    "-",
    "- ",
    "  ",
    "\n",
    "\n  ",
    "\n- ",
    "\t",
    "\r",
    "\r\n",
    "yes",
    "no",
    "null",
    "~",
    "on",
    "2025-13-01",
    "2025-06",
    "2025-6-1",
    "1",
    "0x1",
    ".5",
    "1e3",
    "1:30",
    "&a ",
    "*a",
    "!!str ",
    "|",
    ">",
    "[",
    "]",
    "[]",
    "{",
    "}",
    ",",
    "?",
    "%",
    "@",
    "`",
    "---",
    "...",
    "\u2028",
    "\ufeff",
    "\x85",
    "é",
    "中",
    "：",
    "a:",
    "ref: x",
    "\n  note: y",
]


def test_mutated_files_are_declined_or_read_as_the_loader_reads_them() -> None:
    """Thousands of files one or two edits away from a plain one: the plain reader never reads
    one otherwise than the loader, nor one the loader finds a problem in."""
    rng = random.Random(14)
    read = 0
    for attempt in range(3000):
        text = (BASE, INDENTED)[attempt % 2]
        for _ in range(rng.choice((1, 1, 2))):
            at = rng.randrange(len(text) + 1)
            cut = rng.choice((0, 0, 1, 2))
            text = text[:at] + rng.choice(_SNIPPETS) + text[at + cut :]
        read += _agrees(text)
    assert read > 600, "most single edits leave the file plain: the reader reads them"

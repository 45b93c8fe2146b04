"""A user's --template is bounded: time, memory, output, value size and macro depth, each
stopped with one line naming the template's file and line (exit 2), never a hang or exit 70."""

from __future__ import annotations

from pathlib import Path

import pytest

from safety_plan.output import bounded_templates
from safety_plan.output.templating import TemplateError, render_template

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"


@pytest.fixture(autouse=True)
def quick_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounded_templates, "MAX_SECONDS", 0.3)
    monkeypatch.setattr(bounded_templates, "MAX_OUTPUT", 100_000)
    monkeypatch.setattr(bounded_templates, "MAX_MEMORY_GROWTH", 64 * 1024 * 1024)


def _render(tmp_path: Path, text: str | bytes, name: str = "t.md.j2") -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return render_template(path, {"month": "2025-06"})


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a\n{% for i in range(10**9) %}{{ i }}{% endfor %}\n", 2, "The sandbox blocks ranges larger than"),
        (
            "a\n\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
            3,
            "template stopped: still running after 0.3 s",
        ),
        ("a\n{{ 'x' * 10**9 }}\n", 2, "template stopped: repeating a value 1,000,000,000 times"),
        ("a\n{{ [0] * 10**9 }}\n", 2, "template stopped: repeating a value"),
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}\nx\n{{ f(1) }}\n", 1, "nested more than 50 deep"),
        ("x\n{{ 'x'.ljust(10**9) }}\n", 2, "a width of 1,000,000,000"),
        ("x\n{{ 'x'|center(10**9) }}\n", 2, "filter 'center' given 1,000,000,000"),
        ("x\n{{ 2 ** (10**9) }}\n", 2, "too large a number"),
    ],
    ids=[
        "range",
        "nested-loops",
        "repeat-text",
        "repeat-list",
        "self-calling-macro",
        "ljust",
        "center",
        "power",
    ],
)
def test_a_runaway_template_is_stopped_at_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        _render(tmp_path, text)
    shown = str(caught.value)
    assert shown.startswith(f"{tmp_path / 't.md.j2'}:{line}: "), shown
    assert message in shown
    assert "\n" not in shown


def test_a_doubling_text_is_stopped_by_the_memory_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memory bound, not the clock: on a loaded machine 0.3 s could run out first."""
    monkeypatch.setattr(bounded_templates, "MAX_SECONDS", 60)
    text = (
        "{% set ns = namespace(s='x') %}\n{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}\n"
    )
    with pytest.raises(TemplateError) as caught:
        _render(tmp_path, text)
    shown = str(caught.value)
    assert shown.startswith(f"{tmp_path / 't.md.j2'}:2: "), shown
    assert "MB of memory" in shown


def test_too_much_output_is_stopped(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="the output passed 100,000 characters"):
        _render(tmp_path, "{% for i in range(100000) %}{{ 'yyyyyyyyyy' }}{% endfor %}")


def test_a_template_not_in_utf8_is_named_at_its_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        _render(
            tmp_path, "标题\n本月 ".encode() + "通报".encode("gbk") + b"\n"
        )  # 0xcd 0xa8 happens to be UTF-8
    assert str(caught.value) == (
        f"{tmp_path / 't.md.j2'}:2:5: template not UTF-8: byte 0xb1 cannot be decoded; save it as UTF-8"
    )


def test_an_included_template_is_named_for_its_own_error(tmp_path: Path) -> None:
    (tmp_path / "part.j2").write_bytes(b"one\n\xff\n")
    with pytest.raises(TemplateError) as caught:
        _render(tmp_path, "ok\n{% include 'part.j2' %}\n")
    assert str(caught.value).startswith(f"{tmp_path / 'part.j2'}:2:1: template not UTF-8")


def test_a_fifo_is_not_read_as_a_template(tmp_path: Path) -> None:
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "t.md.j2")
    with pytest.raises(TemplateError, match="template not read: a named pipe"):
        render_template(tmp_path / "t.md.j2", {})


def test_a_good_template_still_renders_and_the_trace_is_restored(tmp_path: Path) -> None:
    import sys

    before = sys.gettrace()
    text = "{% macro row(n) %}- {{ n }}{% endmacro %}{% for i in range(3) %}{{ row(i) }}\n{% endfor %}{{ month }}"
    assert _render(tmp_path, text) == "- 0\n- 1\n- 2\n2025-06"
    assert sys.gettrace() is before


def test_through_the_cli_exit_2_and_one_line(tmp_path: Path, run) -> None:
    template = tmp_path / "bad.md.j2"
    template.write_text("a\n{{ 'x' * 10**9 }}\n", encoding="utf-8")
    code, out, err = run("--data", str(DEMO), "bulletin", "--month", "2025-06", "--template", str(template))
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [
        f"error: {template}:2: template stopped: repeating a value 1,000,000,000 "
        f"times builds more than 5,000,000 characters or items"
    ]

"""The xlsx exports as LibreOffice Calc prints them: A4 landscape on every page, the header row
on every page, the task list one page wide. Marked ``office`` like the Word tests, whose
LibreOffice helpers these share; .ci/run installs Calc for them."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from test_office import _pages, _text, _to_pdf

pytestmark = pytest.mark.office

DEMO = str(REPO / "examples" / "demo")
A4_LANDSCAPE = (841.89, 595.28)  # points


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(_pages(pdf)), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def test_xlsx_exports_print_on_a4_landscape_with_the_header_on_every_page(tmp_path: Path, run) -> None:
    made = {
        "tasklist": ("--data", DEMO, "tasklist", "-u", "区应急局", "-m", "2025-06", "-f", "xlsx"),
        "matrix": ("--data", DEMO, "export", "matrix", "-f", "xlsx"),
    }
    for name, args in made.items():
        code, _, err = run(*args, "-o", str(tmp_path / f"{name}.xlsx"))
        assert code == 0, err
    _to_pdf([tmp_path / f"{name}.xlsx" for name in made], tmp_path)
    for name in made:
        pdf = tmp_path / f"{name}.pdf"
        sizes = _page_sizes(pdf)
        assert sizes and all(
            abs(w - A4_LANDSCAPE[0]) < 1 and abs(h - A4_LANDSCAPE[1]) < 1 for w, h in sizes
        ), name
        pages = _text(pdf).split("\f")
        pages = [p for p in pages if p.strip()]
        assert len(pages) == len(sizes)
        for number, page in enumerate(pages, start=1):
            assert "编号" in page, f"{name} page {number} has no header row"  # every sheet's header has 编号
            assert re.search(r"第 \d+ 页，共 \d+ 页", page), f"{name} page {number} has no page number"
    tasklist = _text(tmp_path / "tasklist.pdf").split("\f")
    assert len([p for p in tasklist if p.strip()]) <= 6  # one page wide: the three sheets in a few pages

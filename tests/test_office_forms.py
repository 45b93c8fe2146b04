"""Report forms opened in the real program: LibreOffice Calc prints a form to PDF (A4 landscape,
one page for a short form) and saves a filled one again as .xlsx, which the import still reads.
Marked ``office``: .ci/run installs LibreOffice and runs them with ``-m office``."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import REPO

pytestmark = pytest.mark.office


def _calc(args: list[str], out: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None or shutil.which("pdfinfo") is None:
        pytest.skip("LibreOffice and poppler-utils are not installed")
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--headless",
            *args,
            "--outdir",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env={"PATH": "/usr/bin:/bin", "HOME": str(out)},
    )


def test_a_form_prints_on_a4_landscape_and_survives_calc(tmp_path: Path, run) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "examples" / "demo", data)
    forms = tmp_path / "forms"
    code, _, err = run("--data", str(data), "forms", "--month", "2025-07", "-u", "区应急局", "-o", str(forms))
    assert code == 0, err
    form = forms / "2025-07-区应急局.xlsx"

    _calc(["--convert-to", "pdf", str(form)], tmp_path)
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / f"{form.stem}.pdf")], capture_output=True, text=True
    ).stdout
    pages = next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))
    assert pages == "1", info
    width, height = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595), info  # A4, landscape
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / f"{form.stem}.pdf"), "-"], capture_output=True, text=True
    ).stdout
    for title in ("编号", "事项", "截止日期", "当前状态", "本月状态", "完成日期", "进展情况", "zbgj-26.1"):
        assert title in text

    book = load_workbook(form)
    sheet = book.worksheets[0]
    row = next(r for r in range(7, 40) if sheet[f"A{r}"].value == "zbgj-26.1")
    sheet["F4"] = dt.datetime(2025, 7, 22)
    sheet[f"E{row}"], sheet[f"F{row}"] = "已完成", "2025年7月15日"
    book.save(form)
    resaved = tmp_path / "resaved"
    resaved.mkdir()
    _calc(["--convert-to", "xlsx", str(form)], resaved)
    code, out, err = run("--data", str(data), "import", str(resaved / form.name))
    assert code == 0, err
    assert "+ zbgj-26.1 已完成 2025-07-15" in out

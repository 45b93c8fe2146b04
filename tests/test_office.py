"""The Word editions opened in the real program: LibreOffice converts them to PDF (as the office
would print them) and the PDF is read back. Marked ``office``: .ci/run installs LibreOffice
Writer and runs them with ``-m office``; a plain ``pytest`` skips them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.office

DEMO = str(REPO / "examples" / "demo")
DATA = str(REPO / "data")
FONTS = REPO / "src" / "safety_plan" / "output" / "docx" / "fonts.conf"


def _office() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None or shutil.which("pdfinfo") is None:
        pytest.skip("LibreOffice Writer and poppler-utils are not installed")
    return found


def _to_pdf(files: list[Path], out: Path) -> None:
    subprocess.run(
        [
            _office(),
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env={"PATH": "/usr/bin:/bin", "HOME": str(out), "FONTCONFIG_FILE": str(FONTS)},
    )


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_word_editions_open_in_libreoffice_and_print_as_expected(tmp_path: Path, run) -> None:
    made = {
        "bulletin": ("--data", DEMO, "bulletin", "--month", "2025-06"),
        "summary": ("--data", DEMO, "bulletin", "--month", "2025-06", "--summary"),
        "summary-real": ("--data", DATA, "bulletin", "--month", "2025-06", "--summary"),
        "review": ("--data", DEMO, "bulletin", "--month", "2025-06", "--period", "half-year"),
    }
    for name, args in made.items():
        code, _, err = run(*args, "-o", str(tmp_path / f"{name}.docx"))
        assert code == 0, err
    _to_pdf([tmp_path / f"{name}.docx" for name in made], tmp_path)
    bulletin = tmp_path / "bulletin.pdf"
    assert 10 <= _pages(bulletin) <= 40  # the Markdown printed to 95 pages
    text = _text(bulletin)
    for heading in ("一、总体进展", "二、逾期未完成事项", "五、单位排名", "七、下阶段提示"):
        assert heading in text
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)  # page numbers at the foot
    assert _pages(tmp_path / "summary.pdf") == 1
    assert _pages(tmp_path / "summary-real.pdf") == 1
    assert "进度评估" in _text(tmp_path / "review.pdf")

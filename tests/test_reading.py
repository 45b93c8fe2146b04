"""Only regular files are read, within a size bound, and whatever is not read is said.

These cases need files git cannot hold (a FIFO, a link to a device, a file nobody may read),
so they are built here rather than under tests/cases/.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from conftest import CASES, assemble
from safety_plan.loading import files
from safety_plan.loading.files import UnreadableFile, read_data_file


def check(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str], str]:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("--data", "data", "check")
    assert "Traceback" not in out + err
    return code, out.splitlines(), err


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return assemble(CASES / "valid" / "no-progress", tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(data: Path, tmp_path: Path, monkeypatch, run) -> None:
    os.mkfifo(data / "progress" / "2025-06.yaml")
    code, lines, _ = check(run, tmp_path, monkeypatch)
    assert code == 1
    assert lines == [
        "data/progress/2025-06.yaml:1:1: error: not read: a named pipe (FIFO), not a regular file: "
        "only regular files are read [unreadable]"
    ]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_link_to_a_device_is_refused_without_reading_it(data: Path, tmp_path, monkeypatch, run) -> None:
    (data / "units.yaml").unlink()
    (data / "units.yaml").symlink_to("/dev/zero")
    (data / "sources" / "zero.txt").symlink_to("/dev/zero")
    code, lines, _ = check(run, tmp_path, monkeypatch)
    assert code == 1
    assert lines == [
        "data/sources/zero.txt:1:1: error: not read: a device, not a regular file: only regular files are read "
        "[unreadable]",
        "data/units.yaml:1:1: error: not read: a device, not a regular file: only regular files are read "
        "[unreadable]",
    ]


def test_a_dangling_link_is_named(data: Path, tmp_path: Path, monkeypatch, run) -> None:
    (data / "schedule.yaml").unlink()
    (data / "schedule.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    code, lines, _ = check(run, tmp_path, monkeypatch)
    assert code == 1
    assert lines == [
        f"data/schedule.yaml:1:1: error: not read: a symbolic link to '{tmp_path / 'elsewhere.yaml'}', "
        "which does not exist [unreadable]"
    ]


def test_a_file_name_in_the_wrong_case_is_named(data: Path, tmp_path: Path, monkeypatch, run) -> None:
    (data / "units.yaml").rename(data / "Units.yaml")
    code, lines, _ = check(run, tmp_path, monkeypatch)
    assert code == 1
    assert lines == [
        "data/units.yaml:1:1: error: file not found (there is 'Units.yaml': rename it to 'units.yaml') "
        "[missing-file]"
    ]


def test_other_entries_of_progress_are_said_to_be_skipped(data: Path, tmp_path, monkeypatch, run) -> None:
    progress = data / "progress"
    (progress / "README.md").write_text("reports go here\n", encoding="utf-8")
    (progress / "2025").mkdir()
    (progress / ".gitkeep").write_text("", encoding="utf-8")  # hidden: skipped without a word
    code, lines, _ = check(run, tmp_path, monkeypatch)
    assert code == 0  # warnings only
    assert lines == [
        "data/progress/2025:1:1: warning: not read: a folder; only YYYY-MM.yaml files under progress/ are "
        "reports [skipped-file]",
        "data/progress/README.md:1:1: warning: not read: not a YYYY-MM.yaml file; only YYYY-MM.yaml files "
        "under progress/ are reports [skipped-file]",
    ]


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Make ``denied`` unreadable even for root, who ignores permission bits."""
    real_open, real_scandir = os.open, os.scandir

    def refuse(path: object) -> None:
        if Path(os.fsdecode(path)).resolve() == denied.resolve():  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

    def fake_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        refuse(path)
        return real_open(path, *args, **kwargs)

    def fake_scandir(path):  # type: ignore[no-untyped-def]
        refuse(path)
        return real_scandir(path)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)


def test_an_unreadable_file_is_an_error_not_a_crash(data: Path, tmp_path, monkeypatch, run) -> None:
    _deny(monkeypatch, data / "measures.yaml")
    code, lines, _ = check(run, tmp_path, monkeypatch)
    assert code == 1
    assert lines == [
        "data/measures.yaml:1:1: error: not read: cannot read the file: Permission denied [unreadable]"
    ]


def test_an_unreadable_progress_folder_is_not_no_problems(data: Path, tmp_path, monkeypatch, run) -> None:
    _deny(monkeypatch, data / "progress")
    code, lines, _ = check(run, tmp_path, monkeypatch)
    assert code == 1
    assert lines == [
        "data/progress:1:1: error: progress reports not read: cannot list the folder: Permission denied "
        "[unreadable]"
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs permission bits that bind")
def test_real_permission_bits(data: Path, tmp_path, monkeypatch, run) -> None:
    (data / "progress").chmod(0)
    try:
        code, lines, _ = check(run, tmp_path, monkeypatch)
    finally:
        (data / "progress").chmod(0o755)
    assert code == 1
    assert [line.rsplit("[", 1)[1] for line in lines] == ["unreadable]"]


def test_a_file_past_the_size_bound_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 11)
    with pytest.raises(UnreadableFile, match="11 bytes, more than the 10"):
        read_data_file(big)
    big.write_bytes(b"x" * 10)
    assert read_data_file(big) == b"x" * 10


def test_a_folder_is_not_read_as_a_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="folder"):
        read_data_file(tmp_path)

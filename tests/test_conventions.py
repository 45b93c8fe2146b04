"""What a user expects of a project before reading its code: a LICENSE matching pyproject's, the
usual classifiers, a pre-commit snippet in README that works as written, `data/progress/` in a
clone (and read without a word about its placeholder)."""

from __future__ import annotations

import re
import shlex
import tomllib

import yaml

from conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_license_file_is_the_license_pyproject_names() -> None:
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert PYPROJECT["license"] == "MIT"
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text
    assert PYPROJECT["authors"][0]["name"] in text


def test_classifiers_say_what_the_project_is_and_runs_on() -> None:
    classifiers = PYPROJECT["classifiers"]
    assert "Environment :: Console" in classifiers
    assert "Natural Language :: Chinese (Simplified)" in classifiers
    versions = [
        c.rsplit(" ", 1)[1]
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert versions and all(tuple(map(int, v.split("."))) >= (3, 11) for v in versions)
    assert PYPROJECT["requires-python"] == ">=3.11"
    # PEP 639: with a license expression, License :: classifiers are not allowed.
    assert not [c for c in classifiers if c.startswith("License ::")]


def _precommit_snippet() -> dict:  # type: ignore[type-arg]
    block = re.search(r"\*\*pre-commit\.\*\*.*?```yaml\n(.*?)```", README, re.S)
    assert block, "README shows a .pre-commit-config.yaml snippet"
    return yaml.safe_load(block.group(1))


def test_the_readme_precommit_snippet_names_nothing_that_does_not_exist(run) -> None:  # type: ignore[no-untyped-def]
    config = _precommit_snippet()
    (repo,) = config["repos"]
    assert repo["repo"] == "local", "no published repository or tag exists to point rev: at"
    assert "rev" not in repo
    (hook,) = repo["hooks"]
    shipped = {
        h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    assert hook["id"] in shipped
    for key in ("entry", "files", "pass_filenames"):
        assert hook[key] == shipped[hook["id"]][key], key
    assert hook["language"] == "system"  # runs the safety-plan installed where you commit
    files = re.compile(hook["files"])
    for path in ("data/measures.yaml", "data/progress/2025-06.yaml", "data/sources/zbgj.txt"):
        assert files.search(path), path
    assert not files.search("README.md")
    program, *args = shlex.split(hook["entry"])
    assert program == "safety-plan"
    code, out, err = run("--data", str(REPO / "data"), *args)
    assert code == 0, out + err


def test_a_clone_has_data_progress_and_its_placeholder_is_read_silently(run) -> None:  # type: ignore[no-untyped-def]
    progress = REPO / "data" / "progress"
    assert progress.is_dir()
    assert not list(progress.glob("*.yaml")), "the real progress/ holds only real reports: none yet"
    code, out, err = run("--data", str(REPO / "data"), "check")
    assert code == 0, out + err
    assert "skipped-file" not in out + err

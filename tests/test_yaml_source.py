"""The safe YAML reader: the alias-bomb bound applies only where aliases can expand."""

from __future__ import annotations

import pytest
import yaml

from safety_plan.loading import yaml_source
from safety_plan.loading.yaml_source import parse_yaml


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_NODES", 20)


def test_a_large_file_without_aliases_is_just_large(small_limit: None) -> None:
    text = "items:\n" + "".join(f"  - value {i}\n" for i in range(100))
    parsed = parse_yaml(text.encode(), "big.yaml")
    assert parsed.problems == []
    assert len(parsed.data["items"]) == 100


def test_aliases_expanding_past_the_bound_are_refused(small_limit: None) -> None:
    text = "a: &a [1, 2, 3, 4, 5]\nb: [*a, *a, *a, *a, *a]\n"
    parsed = parse_yaml(text.encode(), "bomb.yaml")
    assert parsed.data is None
    assert [p.rule for p in parsed.problems] == ["alias-bomb"]


def test_positions_are_kept_for_values_and_keys() -> None:
    parsed = parse_yaml(b"a:\n  b: [1, 2]\n", "x.yaml")
    assert parsed.source_map.locate(("a", "b", 1)).line == 2
    assert parsed.source_map.locate(("a", "b"), key=True).column == 3
    assert parsed.source_map.locate(("a", "missing")).line == 2  # nearest existing ancestor


@pytest.mark.parametrize(
    ("raw", "where", "rule"),
    [
        (b"a: x\x1by\n", (1, 5), "control-character"),
        (b'a: "x\\ey"\n', (1, 4), "control-character"),  # an escape makes the same character
        (b"a:\n  - ok\n  - b\xc2\x9bc\n", (3, 6), "control-character"),  # C1 (CSI)
        (b"a: x\xe2\x80\xaey\n", (1, 5), "invisible-character"),  # right-to-left override
        (b"a: x\xef\xbb\xbfy\n", (1, 5), "invisible-character"),  # a byte-order mark mid-file
        (b"a: x\x00y\n", (1, 5), "control-character"),
    ],
)
def test_control_and_invisible_characters_are_refused_where_they_stand(
    raw: bytes, where: tuple[int, int], rule: str
) -> None:
    parsed = parse_yaml(raw, "x.yaml")
    assert [(p.line, p.column, p.rule) for p in parsed.problems] == [(*where, rule)]


def test_tab_line_breaks_and_a_leading_byte_order_mark_are_text() -> None:
    parsed = parse_yaml(b"\xef\xbb\xbfa: 1\r\nb: |\n  x\ty\n", "x.yaml")
    assert parsed.problems == []
    assert parsed.data == {"a": 1, "b": "x\ty\n"}


@pytest.mark.parametrize("raw", [b"~\n", b"null\n", b"# only a comment\n~\n", b""])
def test_a_file_of_nothing_is_refused(raw: bytes) -> None:
    parsed = parse_yaml(raw, "x.yaml")
    assert [p.rule for p in parsed.problems] == ["empty-file"]


@pytest.mark.parametrize(("key", "reads"), [("~", "null"), ("null", "null"), ("yes", "true"), ("1.5", "1.5")])
def test_a_key_that_is_not_a_name_is_refused_at_the_key(key: str, reads: str) -> None:
    parsed = parse_yaml(f"a: 1\n{key}: 2\n".encode(), "x.yaml")
    assert [(p.line, p.column, p.message) for p in parsed.problems] == [
        (2, 1, f"key '{key}' reads as {reads}, not as a name (quote it if it is one)")
    ]
    assert parsed.data == {"a": 1}


def test_aliases_repeating_a_long_text_past_the_bound_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_ALIAS_TEXT", 1000)
    note = "长" * 200
    fine = f"a: &n {note}\nb: [*n, *n, *n, *n]\n"  # 800 characters more than the file's own
    assert parse_yaml(fine.encode(), "x.yaml").problems == []
    bomb = f"a: &n {note}\nb: [*n, *n, *n, *n, *n, *n]\n"
    parsed = parse_yaml(bomb.encode(), "x.yaml")
    assert parsed.data is None
    assert [(p.rule, p.message.split(" (")[0]) for p in parsed.problems] == [
        (
            "alias-bomb",
            "aliases repeat text in the document to more than 1,000 characters beyond the file's own",
        )
    ]


def test_a_value_repeated_quoted_and_plain_keeps_each_ones_type() -> None:
    """Tags are looked up per file and value (``_Loader.resolve``): quoting still decides."""
    raw = "a: [2025-06-01, '2025-06-01', 2025-06-01, 12, '12', 12, null, 'null', ~, done, 'done']\n"
    parsed = parse_yaml(raw.encode(), "x.yaml", positions=False)
    assert parsed.data == yaml.load(raw, Loader=yaml.SafeLoader)
    assert [type(v).__name__ for v in parsed.data["a"]] == [
        "date", "str", "date", "int", "str", "int", "NoneType", "str", "NoneType", "str", "str"
    ]  # fmt: skip


def test_plain_values_of_every_first_character_resolve_as_pyyaml_resolves_them() -> None:
    """``_Loader.resolve`` answers "text" without PyYAML's resolvers for a plain value whose
    first character none of them looks at: the tags stay PyYAML's own for every kind of start."""
    values = ["d1三星镇", "区应急局", "done", "yes", "No", "on", "~", "null", "Null", "", "-1", "+2", ".5",
              "0o7", "2025-06-01", "2025-06-01 10:00:00", "<<", "=", "!x", "&x", "*x", "_x", "x: y"]  # fmt: skip
    raw = "".join(f"- {yaml.safe_dump(v, default_style=None).splitlines()[0]}\n" for v in values)
    raw += "".join(f"- {v}\n" for v in values if v and v[0] not in "!&*" and ": " not in v)
    ours = yaml_source._Loader(raw).get_single_node()
    theirs = yaml.compose(raw, Loader=yaml.SafeLoader)  # the pure-Python loader, no lookups of ours
    assert [(n.value, n.tag) for n in ours.value] == [(n.value, n.tag) for n in theirs.value]
    kinds = {n.tag.rsplit(":", 1)[-1] for n in ours.value}
    assert kinds >= {"str", "bool", "null", "int", "float", "timestamp"}


def test_pyyaml_non_printable_is_primed_with_a_pattern_matching_the_same_characters() -> None:
    """``loading.pyyaml``: the cheaper pattern finds exactly what PyYAML's own finds, over every
    code point (``re.UNICODE`` only keeps the cache from answering with the primed one)."""
    import re

    from safety_plan.loading.pyyaml import FORBIDDEN_BY_YAML, PYYAML_NON_PRINTABLE

    every = "".join(map(chr, range(0x110000)))
    original = re.compile(PYYAML_NON_PRINTABLE, re.UNICODE)
    assert original.findall(every) == re.compile(FORBIDDEN_BY_YAML).findall(every)
    # And PyYAML still compiles that pattern (else the priming is a no-op, and costs come back).
    import ast
    import inspect

    written = [
        ast.literal_eval(node.value.args[0])
        for node in ast.walk(ast.parse(inspect.getsource(yaml.reader)))
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "NON_PRINTABLE" for t in node.targets)
        and isinstance(node.value, ast.Call)
    ]
    assert written == [PYYAML_NON_PRINTABLE]


def test_importing_the_loader_first_gives_pyyaml_the_primed_pattern() -> None:
    """As the command does: the loader is imported before anything else imports yaml."""
    import subprocess
    import sys

    code = (
        "import safety_plan.loading.yaml_source, yaml\n"
        "from safety_plan.loading.pyyaml import FORBIDDEN_BY_YAML\n"
        "assert yaml.reader.Reader.NON_PRINTABLE.pattern == FORBIDDEN_BY_YAML\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

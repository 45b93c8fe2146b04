"""PyYAML, imported without compiling the one regular expression of its own it never uses here.

``import yaml`` compiles ``yaml.reader.Reader.NON_PRINTABLE`` in a class body: the check the
pure-Python reader makes for characters YAML forbids, a class of ranges reaching U+10FFFF,
which Python's ``re`` compiles by marking a 64K table one code point at a time. That is 9 ms,
a third of the import, and the import is most of what the run after a month's reports were
corrected does beyond a warm run (PyYAML is not imported at all when the answer is kept).
libyaml reads our files (``yaml_source``) and makes that check in C; the pattern is never used.

Its complement, the few ranges YAML forbids, matches exactly the same characters (a test runs
both over every code point) and compiles in a tenth of the time. It is put in ``re``'s cache
under the original pattern's text just before PyYAML is imported, where ``re.compile`` finds it.
Upstream has had the same fix, compiling the pattern on first use, open since 2018
(yaml/pyyaml#124, #301). If a Python keeps its cache elsewhere, or a PyYAML changes the
pattern, nothing breaks: the original is compiled as before (and a test says so).
"""

from __future__ import annotations

import re
import sys

PYYAML_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
"""``Reader.NON_PRINTABLE``'s pattern, as ``yaml/reader.py`` writes it."""
FORBIDDEN_BY_YAML = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
"""The characters the pattern above matches, listed instead of excluded."""


def _prime_re_cache() -> None:
    cache = getattr(re, "_cache", None)
    if "yaml" not in sys.modules and isinstance(cache, dict):
        cache.setdefault((str, PYYAML_NON_PRINTABLE, 0), re.compile(FORBIDDEN_BY_YAML))


_prime_re_cache()

import yaml  # noqa: E402  (after the cache is primed: that is the point)

__all__ = ["yaml"]

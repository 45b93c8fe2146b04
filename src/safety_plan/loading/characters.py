"""The characters no data file may hold, as ``re`` character-class ranges: shared by the
loader (``yaml_source``, which reports each at its line and column) and the plain reader
(``plain_yaml``, which leaves a file holding any to the loader)."""

CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
"""C0 and C1 control characters and DEL, except tab, line feed and carriage return."""
INVISIBLE = "\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
"""Soft hyphen, zero-width characters, line/paragraph separators, bidirectional controls and
a byte-order mark that is not the file's first character: invisible when printed."""

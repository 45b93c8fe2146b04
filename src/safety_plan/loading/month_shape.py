"""A month file's shape, accepted without Pydantic: the run after one month's reports were
edited reads that file alone, and importing Pydantic and the models would cost it more than
the rest of its work (``opening.incremental``).

Strict where ``models.ProgressFile`` is lax and silent where it would explain: ``accept_month``
gives the same values ``ProgressFile`` gives, or None, and None only means "take the full
path" (the loader then validates the file with the models and reports every problem at its
line and column). It never accepts what the models refuse: exact key sets, exact types
(``type(v) is dt.date``, so no datetime; ``str``, never a number or bytes), the models'
patterns matched whole (Python's ``$`` would match before a trailing newline), and names
without surrounding white space by Python's definition and by Unicode's, which the models'
regular-expression engine uses.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from safety_plan.vocabulary import Status

_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
"""``models.MonthStr``, matched with ``fullmatch``."""
_NAME = re.compile(r"\S(.*\S)?")
"""``models.Name``, matched with ``fullmatch``."""
_WHITE_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
"""Unicode's White_Space property (what ``\\s`` means to the models' Rust regex engine)."""
_STATUSES = {status.value: status for status in Status}

_FILE_KEYS = frozenset({"month", "reports"})
_REPORT_KEYS = frozenset({"unit", "submitted", "items"})
_ITEM_KEYS = frozenset({"ref", "status", "done", "note"})

# The values are named tuples, not dataclasses: this module is imported by the run after an
# edit alone, and a named tuple's class is made in a fraction of a frozen dataclass's time.


class MonthItem(NamedTuple):
    """``models.ProgressItem``'s values."""

    ref: str
    status: Status
    done: dt.date | None
    note: str | None


class MonthReport(NamedTuple):
    """``models.Report``'s values."""

    unit: str
    submitted: dt.date
    items: tuple[MonthItem, ...]


class MonthFile(NamedTuple):
    """``models.ProgressFile``'s values."""

    month: str
    reports: tuple[MonthReport, ...]


class _Refused(Exception):
    """Not a shape this module accepts: the models decide."""


def accept_month(data: Any) -> MonthFile | None:
    """A parsed month file (``loading.parse_yaml``'s data, from a parse without problems) as
    plain values, or None when only the models can say whether and why it is wrong."""
    try:
        return _file(data)
    except _Refused:
        return None


def _file(data: Any) -> MonthFile:
    _keys(data, required=("month",), allowed=_FILE_KEYS)
    month = _text(data["month"])
    if not _MONTH.fullmatch(month):
        raise _Refused
    return MonthFile(month, tuple(_report(r) for r in _list(data.get("reports", []))))


def _report(data: Any) -> MonthReport:
    _keys(data, required=("unit", "submitted"), allowed=_REPORT_KEYS)
    return MonthReport(
        _name(data["unit"]), _date(data["submitted"]), tuple(_item(i) for i in _list(data.get("items", [])))
    )


def _item(data: Any) -> MonthItem:
    _keys(data, required=("ref", "status"), allowed=_ITEM_KEYS)
    status = _STATUSES.get(_text(data["status"]))
    if status is None:
        raise _Refused
    done, note = data.get("done"), data.get("note")
    return MonthItem(
        _text(data["ref"]),
        status,
        None if done is None else _date(done),
        None if note is None else _text(note),
    )


def _keys(data: Any, *, required: tuple[str, ...], allowed: frozenset[str]) -> None:
    if type(data) is not dict or not all(type(k) is str and k in allowed for k in data):
        raise _Refused
    if not all(k in data for k in required):
        raise _Refused


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise _Refused
    return value


def _text(value: Any) -> str:
    """``models.Text``: a non-empty string."""
    if type(value) is not str or not value:
        raise _Refused
    return value


def _name(value: Any) -> str:
    """``models.Name``: a non-empty string with no white space at either end."""
    text = _text(value)
    if not _NAME.fullmatch(text) or text[0] in _WHITE_SPACE or text[-1] in _WHITE_SPACE:
        raise _Refused
    return text


def _date(value: Any) -> dt.date:
    """``models.Date``: a real YAML date, not a date and time."""
    if type(value) is not dt.date:
        raise _Refused
    return value

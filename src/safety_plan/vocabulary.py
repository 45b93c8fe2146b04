"""The plan's fixed vocabularies: unit kinds, frequencies, due-day shifts, statuses.

Plain enums in a module of their own so that the engine and the cache can use them without
importing Pydantic (which costs more start-up time than a whole query).
"""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    party = "party"
    """党委机关: 区委办公室, 区委组织部, 区纪委监委 …"""
    government = "government"
    """区政府工作部门 and offices."""
    town = "town"
    """乡镇: the 16 towns and 2 townships."""
    enterprise = "enterprise"
    judicial = "judicial"
    people_org = "people_org"
    """人民团体: 区总工会, 团区委, 区妇联."""
    vertical = "vertical"
    """Vertically managed offices: 崇明海事局, 区气象局, 宝山邮政管理局 …"""
    coordination = "coordination"
    """Offices of coordinating bodies: 区安委会办公室, 区重大办, 区绩效办 …"""


class Every(StrEnum):
    month = "month"
    quarter = "quarter"
    half_year = "half-year"
    year = "year"


class Adjust(StrEnum):
    """How a due day that is not a working day in mainland China moves."""

    none = "none"
    previous = "previous"
    next = "next"


class Status(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    blocked = "blocked"
    not_applicable = "not_applicable"


__all__ = ["Adjust", "Every", "Status", "UnitKind"]

"""The Chinese words the office reads for the engine's states."""

from __future__ import annotations

STATUS_ZH = {
    "not_started": "未开始",
    "in_progress": "推进中",
    "done": "已完成",
    "blocked": "受阻",
    "not_applicable": "不适用",
    "not_reported": "未报送",
    "on_time": "按时报送",
    "late": "逾期报送",
    "missing": "未报送",
}

ROLE_ZH = {"lead": "牵头", "support": "配合"}
"""A measure owner's role: the first owner leads (牵头), the others support (配合)."""

KIND_ZH = {"deadline": "限时任务", "recurring": "常态任务"}

EVERY_ZH = {"month": "每月", "quarter": "每季度", "half-year": "每半年", "year": "每年"}
"""A recurring duty's frequency (``Every`` values) as the documents write it."""

UNIT_KIND_ZH = {
    "party": "党委机关",
    "government": "政府部门",
    "town": "乡镇",
    "enterprise": "企业",
    "judicial": "司法机关",
    "people_org": "人民团体",
    "vertical": "垂直管理",
    "coordination": "议事协调",
}
"""A unit's kind (``UnitKind`` values) as the office names it."""

LIGHT_ZH = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}


def status_zh(status: str) -> str:
    return STATUS_ZH.get(status, status)


def percent(share: float | None) -> str:
    """A share as the office writes it (38%), or — when nothing was due."""
    return "—" if share is None else f"{share:.0%}"

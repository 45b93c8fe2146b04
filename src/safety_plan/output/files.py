"""Kept for a while so older imports work: the atomic writer lives in ``safety_plan.files``."""

from safety_plan.files import write_atomic

__all__ = ["write_atomic"]

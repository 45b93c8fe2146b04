"""Kept so commands written before ``safety_plan.opening`` still import from here."""

from safety_plan.opening import load, open_both, open_dataset, open_plan

__all__ = ["load", "open_both", "open_dataset", "open_plan"]

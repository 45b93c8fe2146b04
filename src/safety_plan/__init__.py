"""safety-plan: track a district's work-safety action plan kept as plain YAML."""

__version__ = "0.1.0"

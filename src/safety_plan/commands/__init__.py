"""One small module per command: each takes parsed arguments and returns an exit code.

The CLI (``safety_plan.cli``) only parses arguments and dispatches here.
"""

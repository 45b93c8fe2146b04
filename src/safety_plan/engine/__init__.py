"""Pure logic over the plan: schedule arithmetic, obligations, the as-of engine, queries.

Nothing here reads files or prints. ``compile`` turns a validated ``Dataset`` into a
``CompiledPlan`` of plain values (cheap to cache); ``asof.Snapshot`` evaluates it on a day.
"""

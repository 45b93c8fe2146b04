"""Reports built on the as-of engine: each a pure context builder a template renders."""

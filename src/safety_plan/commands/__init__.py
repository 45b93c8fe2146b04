"""One small module per command (as pre-commit has): each takes one request, returns one result.

How a command is built (``base.py`` is the layer itself):

* ``cli.py`` declares the command's options and calls ``_run(ctx, command.run, ...)`` with the
  common arguments (``month``, ``as_of``, ``fmt``, ``output``, ``output_is_dir``) and the
  command's own options as keywords. It does nothing else.
* ``base.execute`` builds the ``Request`` (data location, as-of day, format, a checked ``-o``
  target) before any work, calls ``run(request, **options)``, writes the ``Result``'s files
  through the one writer (``output.writer``) and prints its text; our errors become one line
  and their exit code there.
* ``run(request: Request, *, option=...) -> Result`` opens the data with ``_data.open_plan`` /
  ``open_dataset`` / ``open_both``, resolves what the user typed with ``resolve.Resolver``
  (units, plans, IDs, with the one "did you mean"), asks the engine, and renders at the edge
  (``output.render`` for the query formats). A document that may go to ``-o`` returns
  ``Result.document(request, content, written=...)``; a folder of files returns
  ``Result(files=[OutputFile(...), ...])`` with ``output_is_dir=True`` in the CLI.
* It never prints, writes files or exits itself, so tests can call it directly.
"""

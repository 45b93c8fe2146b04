"""The monthly reporting round-trip: report forms out to the units, filled forms back in.

* ``contents``: what goes on one unit's form for a month (from the as-of engine);
* ``layout``: where everything sits on the sheet, shared by the writer and the reader;
* ``form_writer``: the form as .xlsx bytes;
* ``form_reader``: a filled form read and validated, problems as ``FILE!CELL: message`` values;
* ``progress_yaml``: reports merged into ``progress/YYYY-MM.yaml``, comments and order kept.

Everything here is pure (bytes and text in, values out); the commands do the file work.
"""

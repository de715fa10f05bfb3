"""Plan spreadsheets: export a plan to CSV or XLSX, and read staffing lines back from either.

- `columns`: the file format (columns, sheets, limits from the model) and how cells are written and read.
- `export`: the plan as CSV or XLSX (staffing, demand and assumptions).
- `reader`: an uploaded file into rows, and `parse_upload` into staffing lines.
- `validation`: each row checked against the catalogue and the plan, with no database queries.
- `xlsx_guard`: the limits an XLSX file must keep before any of it is parsed.
- `preview`: what an import would change, and the preview kept until it is applied.

The only database read is `validation.load_roles()` (one query); callers pass it, and the pay years with pay
tables (`planning.selectors.pay_years()`), to `parse_upload`.

An XLSX file is checked by `xlsx_guard` (zip directory, then each sheet's cells, streamed) before openpyxl parses it.
"""

"""Plan spreadsheets: export a plan to CSV or XLSX, and read staffing lines back from either.

- `columns`: the file format (columns, sheets, limits from the model) and how cells are written and read.
- `export`: the plan as CSV or XLSX (staffing, demand and assumptions).
- `reader`: an uploaded file into rows, and `parse_upload` into staffing lines.
- `validation`: each row checked against the catalogue and the plan, with no database queries.
- `preview`: what an import would change, and the preview kept until it is applied.

The only database read is `validation.load_roles()` (one query), which callers pass to `parse_upload`.
"""

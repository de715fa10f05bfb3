"""Plan spreadsheets: export a whole plan to CSV or XLSX, and read it back from either.

- `columns`: the file format (columns, sheets, limits from the model) and how cells are written and read.
- `export`: the plan as CSV or XLSX (staffing with declared capabilities, demand and assumptions).
- `reader`: an uploaded file into rows, and `parse_upload` into a plan.
- `validation`: every row of every part checked by the plan editor's rules, all or nothing.
- `xlsx_guard`: the limits an XLSX file must keep before any of it is parsed.
- `matching`: which of the plan's staffing lines each imported row is (for the preview and the history).
- `preview`: what an import would change, and the preview kept until it is applied.

Checking a file reads the catalogue's roles (`validation.load_roles()`) and declarable capabilities
(`planning.role_options.declarable()`) once each, and, when the file has assumptions, the pay tables the plan form
offers; callers pass the first two and the pay years with pay tables (`planning.selectors.pay_years()`) to
`parse_upload`. No query is made a row.

An XLSX file is checked by `xlsx_guard` (zip directory, then each sheet's cells, streamed) before openpyxl parses it.
"""

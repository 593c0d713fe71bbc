"""The one way to write a CSV file for people to open in a spreadsheet.

Excel, LibreOffice and Google Sheets run a cell that starts with = + - @ (or with
a tab, carriage return or line feed in front of one, or their full-width forms)
as a formula: a name typed as `=HYPERLINK(...)` becomes a link in the
coordinator's spreadsheet. Every CSV export (meetings' attendance, courses'
acknowledgements and PARS file) writes through `write_csv`, which prefixes such
text cells with an apostrophe (OWASP's "CSV injection" advice). Numbers, dates
and other non-text values are written as they are.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def spreadsheet_safe(value: Any) -> Any:
    """`value`, with an apostrophe in front when a spreadsheet would run it."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in FORMULA_TRIGGERS or value.lstrip()[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def write_csv(stream, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """Write `header` and `rows` to `stream` (a file or an HttpResponse), guarded."""
    writer = csv.writer(stream)
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue()

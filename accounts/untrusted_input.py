"""The one way to parse a body someone sent us: JSON and CSV with size and depth limits.

Every view or service that parses a request body or an uploaded file (the readings
upload, the lecture player's progress reports, Jitsi's event-sync webhook) calls
these helpers, so a hostile body gets a `BodyRefused` with a sentence a person can
read (the caller answers 400) instead of a RecursionError, a csv.Error or an
exhausted worker. It lives in accounts because every app may import accounts.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.refusals import Refusal

# Deeper than any body we accept needs (a readings file is a list of flat objects,
# a Jitsi event two levels), far below Python's recursion limit.
MAX_JSON_DEPTH = 20
# A CSV cell longer than this is not a reading or a name; csv's own limit (128 KB)
# raises csv.Error, which we turn into a sentence before reaching it.
MAX_CSV_FIELD_CHARS = 10_000

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


class BodyRefused(Refusal, ValueError):
    """A body we will not parse; `message` is a full sentence for the sender."""

    code = "body_refused"


@dataclass(frozen=True)
class CsvTable:
    fieldnames: list[str]
    rows: list[dict[str, str]]


def _too_large(max_bytes: int) -> BodyRefused:
    return BodyRefused(
        _("The data is too large: at most %(kb)d KB is accepted.")
        % {"kb": max(1, max_bytes // 1024)}
    )


def _check_size(length: int, max_bytes: int) -> None:
    if length > max_bytes:
        raise _too_large(max_bytes)


def _check_depth(text: str, max_depth: int) -> None:
    # Counting brackets outside strings needs no recursion, and it stops at the
    # first bracket too deep, so 200,000 opening brackets cost next to nothing.
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > max_depth:
            raise BodyRefused(
                _("The data is nested too deeply: at most %(depth)d levels.")
                % {"depth": max_depth}
            )


def _refuse_constant(name: str):
    raise BodyRefused(
        _("The data holds %(name)s, which is not a number.") % {"name": name}
    )


def parse_json(
    data: bytes | str, *, max_bytes: int, max_depth: int = MAX_JSON_DEPTH
) -> Any:
    """Parse JSON of at most `max_bytes` and `max_depth`; NaN and Infinity refused."""
    _check_size(len(data), max_bytes)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BodyRefused(_("The data must be UTF-8 text.")) from None
    _check_depth(data, max_depth)
    try:
        return json.loads(data, parse_constant=_refuse_constant)
    except BodyRefused:
        raise
    except json.JSONDecodeError as exc:
        raise BodyRefused(
            _("The data is not valid JSON (line %(line)d, column %(column)d).")
            % {"line": exc.lineno, "column": exc.colno}
        ) from None
    except (ValueError, RecursionError):
        # ValueError: an integer of more than 4,300 digits (Python's own limit).
        raise BodyRefused(_("The data holds a number that is too long.")) from None


def request_json(request: HttpRequest, *, max_bytes: int) -> Any:
    """The request's body as JSON, refused before reading when it is too large."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    _check_size(declared, max_bytes)
    try:
        body = request.body
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE, length undeclared
        raise _too_large(max_bytes) from None
    return parse_json(body, max_bytes=max_bytes)


def parse_csv(
    text: str, *, max_rows: int, max_field_chars: int = MAX_CSV_FIELD_CHARS
) -> CsvTable:
    """Read a CSV with a header row; stops at `max_rows` + 1 rows or a long cell."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        fieldnames = list(reader.fieldnames or [])
        _check_cells(fieldnames, max_field_chars, line=1)
        for row in reader:
            _check_cells(row.values(), max_field_chars, line=reader.line_num)
            rows.append(row)
            if len(rows) > max_rows:
                raise BodyRefused(
                    _(
                        "The file holds more than %(limit)d rows; at most %(limit)d "
                        "can be uploaded at once. Please split it."
                    )
                    % {"limit": max_rows}
                )
    except csv.Error as exc:
        # csv counts a line only once it is read whole, so the bad one is the next.
        line = reader.line_num + 1
        if "field limit" in str(exc):  # a cell longer than csv's own 128 KB limit
            raise _too_long(line, max_field_chars) from None
        raise BodyRefused(
            _("The CSV file could not be read (line %(line)d).") % {"line": line}
        ) from None
    return CsvTable(fieldnames, rows)


def _too_long(line: int, max_chars: int) -> BodyRefused:
    return BodyRefused(
        _("Line %(line)d of the CSV file has a value longer than %(limit)d characters.")
        % {"line": line, "limit": max_chars}
    )


def _check_cells(cells, max_chars: int, *, line: int) -> None:
    for cell in cells:
        # DictReader puts surplus cells in a list under the None key.
        values = cell if isinstance(cell, list) else [cell]
        if any(isinstance(v, str) and len(v) > max_chars for v in values):
            raise _too_long(line, max_chars)

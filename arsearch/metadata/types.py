"""Typed metadata: the declared type of each field, a value checked against it, and the
number a value of a number or date field is compared by.

Three types: ``keyword`` (an exact string, or a list of them: several values),
``number`` (an ``int`` or ``float``) and ``date`` (a ``datetime.date`` or
``datetime.datetime``, or an ISO-8601 string, kept as the date it reads). A field that
is not declared keeps any JSON value, and is a keyword field where its value is a
string or a list of strings."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import regex

from ..errors import DocumentError

KEYWORD, NUMBER, DATE = "keyword", "number", "date"
#: The types a field may be declared with.
TYPES = (KEYWORD, NUMBER, DATE)

#: Names a metadata field may not have: the document's own fields.
RESERVED = frozenset({"id", "text", "title", "body"})

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_DAY = 86_400.0

# YYYY, YYYY-MM, YYYY-MM-DD, then an optional time (what datetime.fromisoformat reads).
_PARTIAL = regex.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def check_declarations(fields: Any) -> dict[str, str]:
    """``fields`` (``{"date": "date", ...}``) checked: a ``TypeError`` or ``ValueError``
    that says what to give."""
    if not isinstance(fields, Mapping):
        raise TypeError(f"fields must be a dict of field name to type, not {type(fields).__name__}")
    out = {}
    for name, kind in fields.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"a field name must be a non-empty str, not {name!r}")
        if name in RESERVED:
            raise ValueError(f"{name!r} is a document's own field: give the metadata field another name")
        if kind not in TYPES:
            raise ValueError(f"field {name!r}: type must be one of {', '.join(TYPES)}, not {kind!r}")
        out[name] = kind
    return out


def key_of(value: Any) -> float:
    """The number a number or date value sorts and compares by: itself, or a date's
    seconds since 1970 (UTC; a date is its midnight, a naive datetime is taken as UTC)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return (value - _EPOCH).total_seconds()
    if isinstance(value, dt.date):
        return (value - _EPOCH.date()).days * _DAY
    return float(value)


def parse_date(text: str) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    """An ISO-8601 date as the first and the last instant it covers (as values):
    ``2018`` covers the year, ``2018-03`` the month, ``2018-03-01`` the day and a
    datetime itself. A ``ValueError`` otherwise."""
    text = text.strip()
    m = _PARTIAL.fullmatch(text)
    try:
        if m is not None:
            year, month, day = int(m[1]), m[2], m[3]
            if day is not None:
                first = dt.date(year, int(month), int(day))
                return first, first
            if month is not None:
                first = dt.date(year, int(month), 1)
                nxt = dt.date(year + int(month) // 12, int(month) % 12 + 1, 1)
                return first, nxt - dt.timedelta(days=1)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return value, value
    raise ValueError(f"{text!r} is not an ISO-8601 date: write it as 2018-03-01 (or 2018-03, 2018, 2018-03-01T10:30)")


def parse_day(text: str) -> dt.date | dt.datetime:
    """An ISO-8601 string naming one date (or one instant), as that value: what a date
    field keeps of a document's string. A month or a year names no document's date: a
    ``ValueError``, as for anything that is not an ISO date."""
    first, last = parse_date(text)
    if first != last:
        raise ValueError(f"{text!r} is a period, not a date: give the day (2018-03-01)")
    return first


def end_key(value: dt.date | dt.datetime | float) -> float:
    """The last key a value covers: a date's whole day (the float just below the next
    midnight's, exact at any magnitude), anything else itself."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return math.nextafter(key_of(value) + _DAY, -math.inf)
    return key_of(value)


def checked_value(doc_id: str, name: str, value: Any, kind: str | None) -> Any:
    """``value`` of a document's field ``name`` declared ``kind`` (None: undeclared), as
    it is kept: a date of an ISO string, anything else as given. A value of the wrong type
    is a :class:`DocumentError` naming the document, the field and what was expected."""
    if kind is None or value is None:
        return value
    if kind == KEYWORD:
        if isinstance(value, str) or (isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)):
            return list(value) if isinstance(value, tuple) else value
        expected = "a str or a list of str"
    elif kind == NUMBER:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return value
        expected = "a finite int or float"
    else:
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return parse_day(value)
            except ValueError:
                pass
        expected = "a datetime.date, a datetime.datetime or an ISO-8601 date string (2018-03-01)"
    raise DocumentError(
        f"document {doc_id!r}: field {name!r} is declared {kind} and needs {expected}, "
        f"not {value!r}: fix the value (nothing of this batch was written)"
    )


def keyword_values(value: Any) -> list[str]:
    """The keyword values of a stored value: a str, the strings of a list, else none. An
    empty string is no value (an empty CSV cell): it is neither counted nor filtered on."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v]
    return []

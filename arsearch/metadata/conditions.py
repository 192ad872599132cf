"""What a search asks of metadata: filter conditions (from ``filter=`` or the query
language), sort keys and facet fields, each checked against the fields' types.

A condition on a number or date field is a set of inclusive ranges of keys
(:func:`arsearch.metadata.types.key_of`); on a keyword field, a set of values. A
document meets a condition when one of its values does (a negated one: when none does).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..pipeline.chars import HEH, TEH_MARBUTA
from ..pipeline.entities import KINDS as ENTITY_FIELDS
from ..pipeline.entities import canonical
from .types import KEYWORD, NUMBER, end_key, key_of, parse_date

_INF = math.inf


@dataclass(frozen=True)
class Condition:
    field: str
    kind: str  # the field's type
    values: tuple[str, ...] = ()  # keyword: any of these
    ranges: tuple[tuple[float, float], ...] = ()  # number, date: within any of these (inclusive)
    negated: bool = False


def _known(name: Any, types: Mapping[str, str], what: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"{what} field names must be str, not {type(name).__name__}")
    if name not in types:
        known = ", ".join(sorted(types)) or "none"
        raise ValueError(
            f"unknown field {name!r} in {what}: declare it (Index(fields={{{name!r}: 'keyword'}})) "
            f"or use one of the index's fields ({known})"
        )
    return types[name]


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isnan(v)


def _span(name: str, kind: str, value: Any) -> tuple[float, float]:
    """The keys a single value of a number or date field covers."""
    if kind == NUMBER:
        if not _is_number(value):
            raise ValueError(f"field {name!r} holds numbers: filter it with an int or float, not {value!r}")
        return float(value), float(value)
    first, last = _date_span(name, value)
    return key_of(first), end_key(last)


def _date_span(name: str, value: Any):
    if isinstance(value, str):
        return parse_date(value)
    if isinstance(value, dt.date):
        return value, value
    raise ValueError(f"field {name!r} holds dates: filter it with a date, a datetime or an ISO string, not {value!r}")


def _bound(name: str, kind: str, value: Any, high: bool) -> float:
    if value is None:
        return _INF if high else -_INF
    if kind == NUMBER:
        return _span(name, kind, value)[1 if high else 0]
    first, last = _date_span(name, value)
    return end_key(last) if high else key_of(first)


def condition(name: str, kind: str, value: Any, negated: bool = False) -> Condition:
    """The condition ``{name: value}`` of ``filter=`` on a field of type ``kind``:
    a value (equal), a list (any of), a tuple ``(low, high)`` (inclusive, None open)."""
    if kind == KEYWORD:
        if isinstance(value, str):
            return Condition(name, kind, values=(value,), negated=negated)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return Condition(name, kind, values=tuple(value), negated=negated)
        if isinstance(value, tuple):
            raise ValueError(f"field {name!r} is a keyword field: a range (low, high) needs a number or date field")
        raise ValueError(f"field {name!r} is a keyword field: filter it with a str or a non-empty list of str, "
                         f"not {value!r}")
    if isinstance(value, tuple):
        if len(value) != 2 or value == (None, None):
            raise ValueError(f"field {name!r}: a range is a tuple (low, high) with at most one None, not {value!r}")
        low, high = _bound(name, kind, value[0], False), _bound(name, kind, value[1], True)
        return Condition(name, kind, ranges=((low, high),), negated=negated)
    if isinstance(value, list):
        if not value:
            raise ValueError(f"field {name!r}: give at least one value in the list")
        return Condition(name, kind, ranges=tuple(_span(name, kind, v) for v in value), negated=negated)
    return Condition(name, kind, ranges=(_span(name, kind, value),), negated=negated)


def conditions(filter: Any, types: Mapping[str, str]) -> tuple[Condition, ...]:
    """The conditions of ``filter=`` (``{field: value}``, all of which must hold)."""
    if filter is None:
        return ()
    if not isinstance(filter, Mapping):
        raise TypeError(f"filter must be a dict of field name to value, not {type(filter).__name__}")
    return tuple(condition(name, _known(name, types, "filter"), value) for name, value in filter.items())


# --- the query language: source:x, category:(a OR b), date:a..b, views:>100 ---------
def _number(text: str) -> float:
    value = float(text)  # reads Arabic-Indic digits too
    if math.isnan(value):
        raise ValueError(text)
    return value


def _text_range(name: str, kind: str, text: str) -> tuple[float, float]:
    """One written value of a number or date field: ``x``, ``a..b`` (an end may be
    left out), ``>x``, ``>=x``, ``<x``, ``<=x``."""
    def low_high(t: str):
        if kind == NUMBER:
            v = _number(t)
            return v, v
        first, last = parse_date(t)
        return key_of(first), end_key(last)

    try:
        if ".." in text:
            a, _, b = text.partition("..")
            if not a.strip() and not b.strip():
                raise ValueError(text)
            return (low_high(a)[0] if a.strip() else -_INF), (low_high(b)[1] if b.strip() else _INF)
        for op in (">=", "<=", ">", "<"):
            if text.startswith(op):
                low, high = low_high(text[len(op):])
                if op == ">=":
                    return low, _INF
                if op == "<=":
                    return -_INF, high
                if op == ">":
                    return math.nextafter(high, _INF), _INF
                return -_INF, math.nextafter(low, -_INF)
        return low_high(text)
    except ValueError:
        example = "views:>100, views:10..20" if kind == NUMBER else "date:2018-03-01..2018-05-31, date:>2018"
        raise ValueError(f"{name}:{text} is not a {kind} or a range of them (write e.g. {example})") from None


def written_condition(name: str, kind: str, texts: tuple[str, ...], negated: bool) -> Condition:
    """The condition of ``name:value`` (or ``name:(a OR b)``) written in a query."""
    if kind == KEYWORD:
        return Condition(name, kind, values=texts, negated=negated)
    return Condition(name, kind, ranges=tuple(_text_range(name, kind, t) for t in texts), negated=negated)


# --- sorting and facets --------------------------------------------------------------
def sort_keys(sort: Any, types: Mapping[str, str]) -> tuple[tuple[str, bool], ...]:
    """``sort=`` as ``(field, descending)`` pairs: ``"date"``, ``"-date"`` or a list."""
    if sort is None:
        return ()
    items = [sort] if isinstance(sort, str) else sort
    if not isinstance(items, (list, tuple)) or not all(isinstance(s, str) for s in items):
        raise TypeError('sort must be a field name ("date"), "-" and a name for descending ("-date"), or a list of them')
    out = []
    for s in items:
        descending = s.startswith("-")
        name = s[1:] if descending else s
        _known(name, types, "sort")
        out.append((name, descending))
    return tuple(out)


def facet_fields(facets: Any, facet_limit: Any, types: Mapping[str, str]) -> tuple[str, ...]:
    """``facets=`` checked: a list of field names."""
    if not isinstance(facet_limit, int) or isinstance(facet_limit, bool) or facet_limit < 1:
        raise ValueError("facet_limit must be a positive int")
    if facets is None:
        return ()
    if not isinstance(facets, (list, tuple)):
        raise TypeError(f'facets must be a list of field names (["source"]), not {type(facets).__name__}')
    for name in facets:
        _known(name, types, "facets")
    return tuple(dict.fromkeys(facets))


def entity_conditions(conds: tuple[Condition, ...]) -> tuple[Condition, ...]:
    """The conditions on an index's entity fields (``people``, ``places``, ``orgs``) with
    each value also read as names found in the text are kept there
    (:func:`arsearch.pipeline.entities.canonical`: normalized, clitics off), so that
    ``places:بالقاهره`` finds the value القاهرة (and a value a document gave as written)."""
    def readings(value: str) -> tuple[str, ...]:
        kept = canonical(value)  # a final ة typed as ه (القاهره) may be kept as written: القاهرة
        return value, kept, " ".join(w[:-1] + TEH_MARBUTA if w.endswith(HEH) else w for w in kept.split())

    return tuple(replace(c, values=tuple(dict.fromkeys(w for v in c.values for w in readings(v))))
                 if c.field in ENTITY_FIELDS and c.values else c for c in conds)

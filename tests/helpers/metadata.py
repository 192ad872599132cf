"""A small corpus with typed metadata, and the oracle the application-search tests
check ``Index.search(filter=, sort=, offset=, facets=)`` against.

The documents are generated from a fixed list of Arabic words (``random.Random`` with
a fixed seed); each carries ``source`` (five values, one of them rare, a few documents
none), ``category`` (none, one value or a list of two), ``date`` (missing, a date, a
datetime or an ISO string, over 2016-2019, many documents sharing a day), ``views``
(int or float, some missing) and an undeclared ``lang``. The oracle never asks
arsearch about metadata: what each document holds is read from the dicts built here
(:class:`Meta`), and a search's expected hits are the unfiltered search's hits
restricted or re-sorted in Python.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

FIELDS = {"source": "keyword", "category": "keyword", "date": "date", "views": "number"}

WORDS = ("حفتر", "دمشق", "بغداد", "الحكومة", "الوفاق", "الاقتصاد", "الرياضة", "المطر", "النفط",
         "السوق", "المدينة", "الجيش", "البرلمان", "الشركة", "الكتاب", "المدرسة", "الطريق", "البحر")
#: Found in most documents (the broad query), and a two-word name (all-word matches
#: first, then partial ones, in mode "auto").
BROAD = "الحكومة"
NAME = "حفتر دمشق"

SOURCES = ("skynews", "bbc", "الجزيرة", "reuters")
RARE_SOURCE = "BBC Arabic"  # two documents only; a space in it (quoted in the query language)
CATEGORIES = ("economy", "politics", "sport", "weather")
# Few days, so that many documents share one (ties in a sort by date).
DAYS = (dt.date(2016, 2, 29), dt.date(2016, 11, 5), dt.date(2017, 6, 15), dt.date(2018, 3, 1),
        dt.date(2018, 5, 31), dt.date(2018, 12, 31), dt.date(2019, 1, 1), dt.date(2019, 7, 20))
VIEWS = (0, 5, 10, 20, 99, 100, 101, 150, 200, 12.5, 100.5, 3.25)


@dataclass(frozen=True)
class Meta:
    """What a document holds, as the oracle reads it."""

    id: str
    sources: tuple[str, ...]
    categories: tuple[str, ...]
    date: dt.datetime | None  # a date is its midnight
    stored_date: dt.date | None  # the value kept (a date or a datetime; an ISO string parsed)
    views: float | None
    lang: str | None


def _text(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 11))]
    if rng.random() < 0.7:
        words.insert(rng.randint(0, len(words)), BROAD)
    return " ".join(words)


def _date(rng: random.Random) -> Any:
    """A date value as a document gives it: None, a date, a datetime (never at midnight)
    or an ISO string of either."""
    day = rng.choice(DAYS)
    r = rng.random()
    if r < 0.15:
        return None
    if r < 0.6:
        return day
    moment = dt.datetime.combine(day, dt.time(rng.randint(1, 23), rng.choice((0, 15, 30, 45))))
    if r < 0.85:
        return moment
    return day.isoformat() if r < 0.93 else moment.isoformat(timespec="minutes")


def build_documents(n: int = 60, seed: int = 2018) -> list[dict]:
    """``n`` documents a0, a1, ... (dicts for ``Index.add_many``)."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        doc: dict[str, Any] = {"id": f"a{i}", "text": _text(rng)}
        if i in (7, 41):
            doc["source"] = RARE_SOURCE
        elif i % 17 != 3:  # a few documents without a source
            doc["source"] = rng.choice(SOURCES)
        r = rng.random()
        if r < 0.45:
            doc["category"] = rng.choice(CATEGORIES)
        elif r < 0.75:
            doc["category"] = rng.sample(CATEGORIES, 2)
        date = _date(rng)
        if date is not None:
            doc["date"] = date
        if rng.random() < 0.85:
            doc["views"] = rng.choice(VIEWS)
        if rng.random() < 0.5:
            doc["lang"] = rng.choice(("ar", "en"))
        if rng.random() < 0.3:
            doc["title"] = " ".join(rng.sample(WORDS, 2))
        docs.append(doc)
    return docs


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)


def _moment(value: dt.date | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time())


def keywords(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def meta_of(doc: dict) -> Meta:
    stored = _as_date(doc.get("date"))
    views = doc.get("views")
    return Meta(doc["id"], keywords(doc.get("source")), keywords(doc.get("category")), _moment(stored), stored,
                None if views is None else float(views), doc.get("lang"))


# --- conditions, in Python --------------------------------------------------------
def period(value: Any) -> tuple[dt.datetime, dt.datetime]:
    """The instants ``[start, end)`` a date filter value covers: a date its day, a
    datetime itself, ``"2018"`` the year, ``"2018-03"`` the month, ``"2018-03-01"`` the day."""
    if isinstance(value, dt.datetime):
        return value, value + dt.timedelta(microseconds=1)
    if isinstance(value, dt.date):
        start = _moment(value)
        return start, start + dt.timedelta(days=1)
    parts = value.split("-")
    if len(parts) == 1:
        return dt.datetime(int(value), 1, 1), dt.datetime(int(value) + 1, 1, 1)
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        return dt.datetime(year, month, 1), dt.datetime(year + month // 12, month % 12 + 1, 1)
    return period(dt.date.fromisoformat(value))


def holds(meta: Meta, field: str, value: Any) -> bool:
    """Whether the document meets ``{field: value}`` as ``filter=`` documents it."""
    if isinstance(value, list):
        return any(holds(meta, field, v) for v in value)
    if field in ("source", "category", "lang"):
        return value in {"source": meta.sources, "category": meta.categories, "lang": (meta.lang,)}[field]
    if field == "views":
        if meta.views is None:
            return False
        if isinstance(value, tuple):
            low, high = value
            return (low is None or meta.views >= low) and (high is None or meta.views <= high)
        return meta.views == value
    assert field == "date", field
    if meta.date is None:
        return False
    if isinstance(value, tuple):
        low, high = value
        return (low is None or meta.date >= period(low)[0]) and (high is None or meta.date < period(high)[1])
    start, end = period(value)
    return start <= meta.date < end


def meets(meta: Meta, filter: dict) -> bool:
    return all(holds(meta, field, value) for field, value in filter.items())


# --- the oracle: the unfiltered hits, restricted, re-sorted, cut, counted ------------
def rows(hits: Iterable) -> list[tuple[str, float, bool]]:
    """``(id, score, partial)`` of each hit, in order: what is compared to the bit."""
    return [(h.id, h.score, h.partial) for h in hits]


def restricted(full: Sequence, metas: dict[str, Meta], keep: Callable[[Meta], bool]) -> list:
    return [h for h in full if keep(metas[h.id])]


def _sort_value(meta: Meta, field: str, descending: bool) -> Any:
    if field == "date":
        return meta.date
    if field == "views":
        return meta.views
    values = {"source": meta.sources, "category": meta.categories, "lang": (meta.lang,) if meta.lang else ()}[field]
    if not values:
        return None
    return max(values) if descending else min(values)


def python_sorted(full: Sequence, metas: dict[str, Meta], spec: str | list[str]) -> list:
    """``full`` (in relevance order) sorted by ``spec`` as ``sort=`` documents it: stable
    (ties keep the relevance order), documents without a value last either way."""
    out = list(full)
    for item in reversed([spec] if isinstance(spec, str) else spec):
        descending = item.startswith("-")
        field = item.lstrip("-")

        def key(h, field=field, descending=descending):
            value = _sort_value(metas[h.id], field, descending)
            present = value is not None
            # missing last either way: reverse=True puts (False, None) after (True, v)
            return (present, value) if descending else (not present, value)

        out.sort(key=key, reverse=descending)
    return out


def _field_values(m: Meta, field: str) -> list:
    if field == "source":
        return list(m.sources)
    if field == "category":
        return list(m.categories)
    if field == "lang":
        return [m.lang] if m.lang else []
    if field == "views":
        return [m.views] if m.views is not None else []
    return [m.stored_date] if m.stored_date is not None else []


def facet_oracle(ids: Iterable[str], metas: dict[str, Meta], field: str, limit: int = 20) -> list[tuple]:
    """``(value, count)`` over the documents ``ids``: largest count first; a keyword's ties
    by how many of all the documents (``metas``) hold it, then by value; a number's or
    date's ties by value."""
    counts: Counter = Counter(v for i in ids for v in _field_values(metas[i], field))
    held: Counter = Counter(v for m in metas.values() for v in set(_field_values(m, field)))
    keyword = field in ("source", "category", "lang")

    def order(item):
        value, count = item
        return -count, -held[value] if keyword else 0, (_moment(value) if field == "date" else value)

    return sorted(counts.items(), key=order)[:limit]


# --- the index ---------------------------------------------------------------------
@dataclass
class Corpus:
    """An index of documents and what each holds (by id)."""

    ix: Any
    docs: list[dict]
    metas: dict[str, Meta]

    def full(self, query: str, **kwargs) -> Any:
        """Every hit of ``query`` (one page holding them all)."""
        return self.ix.search(query, limit=10_000, **kwargs)


def build_corpus(docs: list[dict] | None = None, **index_kwargs) -> Corpus:
    """An index (in memory unless ``path=``) of ``docs`` (default: :func:`build_documents`),
    the metadata fields declared (:data:`FIELDS`), added in one commit."""
    from arsearch import Index

    docs = build_documents() if docs is None else docs
    ix = Index(fields=FIELDS, **index_kwargs)
    ix.add_many(docs)
    return Corpus(ix, docs, {d["id"]: meta_of(d) for d in docs})

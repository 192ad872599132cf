"""The index: one class around a Whoosh index, on disk or in memory."""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
import weakref
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from whoosh import fields as wf
from whoosh import index as windex
from whoosh import query as wq
from whoosh import scoring
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import LockError

from .analysis import ArabicAnalyzer
from .errors import (
    ArsearchError,
    DocumentError,
    IndexLockedError,
    IndexNotFoundError,
    SchemaMismatchError,
    StorageError,
)
from .pipeline import DEFAULT_CONFIG, VIEWS, AnalysisConfig, analyze
from .query import FIELDS, MODES, ParsedQuery, _auto_distance, parse_query
from .snippets import Highlighter

__all__ = ["Index", "Hit", "Document", "SCHEMA_VERSION"]

#: Bumped whenever the schema (fields, views) changes.
SCHEMA_VERSION = 1
_META_FILE = "arsearch.json"
# Analysis fingerprint: a change in what these words analyze to means the analyzer
# changed, and an index built by the old one must be rebuilt.
_PROBE = (
    "وَالحُكُومَاتُ لِحَفْتَرَ بِدِمَشْقَ وَبِالْمُخَابَرَاتِ فَلَسْطِينِيُّونَ مَسْئُولٌ مسؤولون "
    "ٱلْكِتَٰبُ هَٰذَا وليد بنغازي مصراتة ومصراتة كتابهم سيارتها الإرهاب ١٢٣ ﻻ ک ی Latin ǅ"
)


def analyzer_version(config: AnalysisConfig) -> str:
    """A short fingerprint of what ``config``'s analysis produces."""
    terms = [analyze(_PROBE, view, config) for view in VIEWS]
    digest = hashlib.sha256(json.dumps([terms, sorted(config.protected)]).encode()).hexdigest()
    return f"{config.stemmer}-{digest[:12]}"


def build_schema(config: AnalysisConfig) -> wf.Schema:
    schema = wf.Schema(
        id=wf.ID(stored=True, unique=True),
        title=wf.STORED(),
        text=wf.STORED(),
        fields=wf.STORED(),
    )
    for f in FIELDS:
        for view in VIEWS:
            schema.add(f"{f}_{view}", wf.TEXT(analyzer=ArabicAnalyzer(view, config), phrase=True))
    return schema


@dataclass(frozen=True)
class Document:
    """A stored document, as :meth:`Index.get` returns it."""

    id: str
    text: str
    title: str | None
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class Hit:
    """One search result: an immutable value that outlives the searcher.

    ``snippet`` is built the first time it is read (fragments of the original text,
    harakat and all, with the matched words marked); ``partial`` is true for a
    document that matched only some of the query's words (``mode="auto"``).
    """

    id: str
    score: float
    title: str | None
    fields: Mapping[str, Any]
    partial: bool = False
    _text: str = field(default="", repr=False, compare=False)
    _highlighter: Highlighter | None = field(default=None, repr=False, compare=False)

    @cached_property
    def snippet(self) -> str:
        if self._highlighter is None:
            return ""
        return self._highlighter.snippet(self._text)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": round(self.score, 6),
            "title": self.title,
            "snippet": self.snippet,
            "fields": dict(self.fields),
            "partial": self.partial,
        }


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean_text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be stored as UTF-8; each becomes U+FFFD (offsets keep).
        value = _SURROGATE.sub("\ufffd", value)
    return value


class Index:
    """An arsearch index: ``Index()`` in memory, ``Index(path)`` on disk (created if missing).

    Writers wait up to ``lock_timeout`` seconds for another writer, then raise
    :class:`IndexLockedError`. With ``durable=True`` every commit is fsynced (segment
    files, table of contents, directory). Searching from several threads is safe:
    each thread gets its own searcher, reopened when the index changes (Whoosh's
    ``Searcher.refresh()`` is never used).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        config: AnalysisConfig | None = None,
        create: bool = True,
        lock_timeout: float = 10.0,
        durable: bool = False,
    ):
        if config is not None and not isinstance(config, AnalysisConfig):
            raise TypeError("config must be an arsearch.AnalysisConfig")
        self.path = Path(path) if path is not None else None
        self.lock_timeout = float(lock_timeout)
        self.durable = durable
        self._local = threading.local()
        self._searchers: weakref.WeakSet = weakref.WeakSet()
        self._lock = threading.Lock()
        self._closed = False
        if self.path is None:
            self.config = config or DEFAULT_CONFIG
            self._storage = RamStorage()
            self._ix = self._storage.create_index(build_schema(self.config))
        else:
            self._ix = self._open_disk(config, create)

    # --- opening -----------------------------------------------------------------
    def _meta(self, config: AnalysisConfig) -> dict[str, Any]:
        return {
            "format": "arsearch-index",
            "schema_version": SCHEMA_VERSION,
            "analyzer": analyzer_version(config),
            "config": {**asdict(config), "protected": sorted(config.protected)},
        }

    def _open_disk(self, config: AnalysisConfig | None, create: bool):
        path = self.path
        meta_path = path / _META_FILE
        if path.exists() and not path.is_dir():
            raise IndexNotFoundError(f"{path} is a file, not an index directory: give a directory")
        exists = path.is_dir() and windex.exists_in(str(path))
        if not exists:
            if not create:
                raise IndexNotFoundError(
                    f"no arsearch index at {path}: build one with `arsearch index FILES --index {path}`"
                )
            if path.is_dir() and any(path.iterdir()):
                raise IndexNotFoundError(f"{path} is not empty and holds no index: choose an empty or new directory")
            self.config = config or DEFAULT_CONFIG
            try:
                path.mkdir(parents=True, exist_ok=True)
                meta = self._meta(self.config)
                self._write_meta(meta_path, meta)
                ix = FileStorage(str(path)).create_index(build_schema(self.config))
            except OSError as e:
                raise StorageError(f"cannot create an index at {path}: {e.strerror or e}") from e
            self._storage = ix.storage
            return ix
        try:
            stored = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise SchemaMismatchError(
                f"{path} holds a Whoosh index that arsearch did not build (no readable {_META_FILE}): "
                "rebuild it with `arsearch index`"
            ) from e
        stored_config = AnalysisConfig(**{**stored.get("config", {}), "protected": frozenset(stored.get("config", {}).get("protected", ()))})
        self.config = config or stored_config
        expected = self._meta(self.config)
        for key in ("schema_version", "analyzer"):
            if stored.get(key) != expected[key]:
                raise SchemaMismatchError(
                    f"index at {path} was built with {key.replace('_', ' ')} {stored.get(key)!r}, "
                    f"this arsearch uses {expected[key]!r}: rebuild the index (arsearch index … --index NEWDIR), "
                    "terms of the two are never mixed"
                )
        ix = windex.open_dir(str(path))
        self._storage = ix.storage
        return ix

    def _write_meta(self, meta_path: Path, meta: dict[str, Any]) -> None:
        tmp = meta_path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(meta, f, ensure_ascii=False, indent=1)
            f.flush()
            if self.durable:
                os.fsync(f.fileno())
        os.replace(tmp, meta_path)

    # --- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close every searcher this index opened. Idempotent."""
        self._closed = True
        for s in list(self._searchers):
            try:
                s.close()
            except Exception:  # noqa: BLE001 - closing is best effort
                pass
        self._local = threading.local()

    def _check_open(self) -> None:
        if self._closed:
            raise ArsearchError("this Index is closed: open a new one")

    def __repr__(self) -> str:
        where = str(self.path) if self.path else "memory"
        return f"Index({where!r}{', closed' if self._closed else ''})"

    # --- writing -------------------------------------------------------------------
    def _writer(self):
        self._check_open()
        try:
            return self._ix.writer(timeout=self.lock_timeout, delay=0.05)
        except LockError as e:
            raise IndexLockedError(
                f"another writer held the index lock for {self.lock_timeout:g} s: "
                "wait for it to finish, or raise lock_timeout"
            ) from e
        except OSError as e:
            raise StorageError(f"cannot open a writer on {self.path}: {e.strerror or e}") from e

    def _commit(self, writer) -> None:
        try:
            writer.commit()
        except OSError as e:
            self._cancel(writer)
            raise StorageError(
                f"the commit failed ({e.strerror or e}); the index is as it was before this batch: "
                "free disk space and add the documents again"
            ) from e
        if self.durable and self.path is not None:
            self._fsync()

    @staticmethod
    def _cancel(writer) -> None:
        try:
            writer.cancel()
        except Exception:  # noqa: BLE001 - cancelling after a failure is best effort
            pass

    def _fsync(self) -> None:
        gen = self._ix.latest_generation()
        for name in os.listdir(self.path):
            if name.endswith((".seg", ".toc", ".trm", ".pst", ".vps", ".fdt", ".fln", ".sto", ".dcl")) or name == _META_FILE or str(gen) in name:
                fd = os.open(self.path / name, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        dfd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)

    @staticmethod
    def _doc_fields(doc_id: Any, text: Any, title: Any, fields: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(doc_id, str):
            raise TypeError(f"document id must be str, not {type(doc_id).__name__}")
        if not doc_id.strip():
            raise DocumentError("document id is empty: give every document a non-empty id")
        try:
            doc_id.encode("utf-8")
        except UnicodeEncodeError as e:
            raise DocumentError("document id holds a lone surrogate: ids must be valid Unicode") from e
        text = _clean_text(text, "document text")
        if title is not None:
            title = _clean_text(title, "title")
        try:
            json.dumps(dict(fields))
        except (TypeError, ValueError) as e:
            raise TypeError(f"metadata fields must be JSON-serializable: {e}") from e
        out = {"id": doc_id, "text": text, "title": title, "fields": dict(fields)}
        for view in VIEWS:
            out[f"body_{view}"] = text
            out[f"title_{view}"] = title or ""
        return out

    def add(self, id: str, text: str, *, title: str | None = None, **fields: Any) -> None:
        """Add one document and commit. An existing ``id`` is replaced."""
        doc = self._doc_fields(id, text, title, fields)
        self._write([doc])

    def add_many(self, docs: Iterable[Mapping[str, Any]], *, progress: bool = False) -> int:
        """Add documents (dicts with ``id``, ``text``, optional ``title`` and metadata) in
        one commit. If any document is refused, nothing of the batch is added.
        Returns the number of documents added."""
        prepared = []
        for n, d in enumerate(docs):
            if not isinstance(d, Mapping):
                raise TypeError(f"document {n} must be a dict, not {type(d).__name__}")
            d = dict(d)
            if "id" not in d or "text" not in d:
                raise DocumentError(f"document {n} needs 'id' and 'text' keys")
            doc_id, text, title = d.pop("id"), d.pop("text"), d.pop("title", None)
            prepared.append(self._doc_fields(doc_id, text, title, d))
        self._write(prepared, progress=progress)
        return len(prepared)

    def _write(self, docs: list[dict[str, Any]], progress: bool = False) -> None:
        writer = self._writer()
        try:
            items: Iterable = docs
            if progress:
                from tqdm import tqdm

                items = tqdm(docs, unit="doc", desc="indexing")
            for doc in items:
                writer.update_document(**doc)
        except BaseException:
            self._cancel(writer)
            raise
        self._commit(writer)

    def delete(self, id: str) -> bool:
        """Delete the document ``id``; returns whether it existed."""
        if not isinstance(id, str):
            raise TypeError(f"document id must be str, not {type(id).__name__}")
        writer = self._writer()
        try:
            n = writer.delete_by_term("id", id)
        except BaseException:
            self._cancel(writer)
            raise
        self._commit(writer)
        return bool(n)

    def optimize(self) -> None:
        """Merge all segments into one (faster searches after many small commits)."""
        writer = self._writer()
        try:
            writer.commit(optimize=True)
        except OSError as e:
            self._cancel(writer)
            raise StorageError(f"optimize failed ({e.strerror or e}); the index is intact") from e

    # --- reading ---------------------------------------------------------------------
    def _searcher(self):
        """This thread's searcher, reopened when the index generation changed."""
        self._check_open()
        gen = self._ix.latest_generation()
        cached = getattr(self._local, "searcher", None)
        if cached is not None and cached[0] == gen:
            return cached[1]
        searcher = self._ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
        self._searchers.add(searcher)
        if cached is not None:
            cached[1].close()
        self._local.searcher = (gen, searcher)
        return searcher

    def __len__(self) -> int:
        return self._searcher().doc_count()

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and self._searcher().document_number(id=id) is not None

    def get(self, id: str) -> Document | None:
        """The stored document ``id``, or None."""
        if not isinstance(id, str):
            raise TypeError(f"document id must be str, not {type(id).__name__}")
        s = self._searcher()
        docnum = s.document_number(id=id)
        if docnum is None:
            return None
        stored = s.stored_fields(docnum)
        return Document(stored["id"], stored.get("text", ""), stored.get("title"), stored.get("fields") or {})

    def ids(self) -> Iterator[str]:
        """Every document id."""
        s = self._searcher()
        for _, stored in s.iter_docs():
            yield stored["id"]

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        mode: str = "auto",
        strict: bool = False,
        match_diacritics: bool = False,
        markers: tuple[str, str] = ("[", "]"),
        escape_html: bool = False,
    ) -> list[Hit]:
        """Search; see :mod:`arsearch.query` for the query language.

        ``mode``: ``"all"`` (every word must match), ``"any"`` (best partial matches,
        more matched words first) or ``"auto"`` (all-word matches first, then partial
        ones up to ``limit``, marked ``partial``). ``match_diacritics``: words written
        with harakat in the query match only words vocalized the same way.
        ``markers`` wrap matched words in snippets; ``escape_html`` escapes the rest.
        """
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ValueError("limit must be a positive int")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        parsed = parse_query(query, self.config, strict)
        if parsed.empty:
            return []
        searcher = self._searcher()
        highlighter = Highlighter(parsed.highlight, self.config, markers, escape_html)
        if parsed.expands:
            highlighter = highlighter.with_terms(_expanded_terms(parsed.any, searcher))
        check = _diacritics_check(parsed) if match_diacritics and parsed.vocalized else None
        fetch = limit if check is None else max(limit * 20, 500)
        hits: list[Hit] = []
        seen: set[int] = set()
        runs = [(parsed.all, False)]
        if mode == "any":
            runs = [(parsed.any, False)]
        elif mode == "auto" and parsed.any is not parsed.all and parsed.n_positive > 1:
            runs.append((parsed.any, True))
        for q, partial in runs:
            if len(hits) >= limit:
                break
            results = searcher.search(q, limit=fetch + len(seen))
            for r in results:
                if r.docnum in seen:
                    continue
                seen.add(r.docnum)
                stored = searcher.stored_fields(r.docnum)
                text = stored.get("text", "")
                if check is not None and not check(text):
                    continue
                hits.append(
                    Hit(stored["id"], float(r.score), stored.get("title"), stored.get("fields") or {},
                        partial, text, highlighter)
                )
                if len(hits) >= limit:
                    break
        return hits

    def suggest(self, query: str) -> str | None:
        """A spelling the index knows for a query that finds nothing (did you mean)."""
        parsed = parse_query(query, self.config, False)
        if not parsed.words:
            return None
        searcher = self._searcher()
        out, changed = [], False
        reader = searcher.reader()
        for word in parsed.words:
            if reader.frequency("body_exact", word) or reader.frequency("title_exact", word):
                out.append(word)
                continue
            best = None
            for dist in range(1, _auto_distance(word) + 1):
                cands = list(reader.terms_within("body_exact", word, dist, prefix=0 if len(word) < 4 else 1))
                if cands:
                    best = max(cands, key=lambda t: reader.frequency("body_exact", t))
                    break
            if best is None:
                out.append(word)
            else:
                out.append(best)
                changed = True
        return " ".join(out) if changed else None

    def stats(self) -> dict[str, Any]:
        """Documents, distinct terms per view and size on disk."""
        s = self._searcher()
        reader = s.reader()
        terms = {view: sum(1 for _ in reader.lexicon(f"body_{view}")) for view in VIEWS}
        size = None
        if self.path is not None:
            size = sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())
        return {
            "documents": s.doc_count(),
            "terms": terms,
            "segments": len(reader.leaf_readers()),
            "size_bytes": size,
            "analyzer": analyzer_version(self.config),
            "path": str(self.path) if self.path else None,
        }


def _expanded_terms(q, searcher) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {v: set() for v in VIEWS}
    reader = searcher.reader()
    for leaf in q.leaves():
        if isinstance(leaf, (wq.Prefix, wq.FuzzyTerm)):
            view = leaf.fieldname.rpartition("_")[2]
            for _, text in leaf.expanded_terms(reader):
                out[view].add(text.decode("utf-8") if isinstance(text, bytes) else text)
    return {v: frozenset(t) for v, t in out.items()}


def _diacritics_check(parsed: ParsedQuery):
    from .snippets import vocalized_key
    from .tokenizer import iter_tokens

    wanted = {vocalized_key(w) for w in parsed.vocalized}

    def check(text: str) -> bool:
        found = {vocalized_key(t.text) for t in iter_tokens(text)} & wanted
        return found == wanted

    return check

"""The index's schema and format: its fields, their names, what a document becomes in
them, and the ``arsearch.json`` stamp that tells whether an index can be opened.

A text field is indexed once per view of the analysis and once as word pairs; its
fields are named ``{field}_{view}`` (:func:`field_name`): ``body_exact``,
``body_clitic``, ``body_stem``, ``body_pair`` and the same for ``title``."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from whoosh import fields as wf
from whoosh.columns import VarBytesColumn

from .analysis.fields import PairField, ViewField
from .errors import DocumentError
from .metadata import DATE, checked_value
from .pipeline.entities import entities as named_entities
from .pipeline.tokenizer import iter_tokens
from .pipeline.views import VIEWS, AnalysisConfig, token_terms

#: The text fields of a document: a word without a field name is searched in both.
FIELDS = ("title", "body")
#: The view of the word-pair fields (``body_pair``): not a view of the analysis.
PAIR = "pair"


def field_name(field: str, view: str) -> str:
    """The name of the index field holding ``field`` in ``view``: ``body_stem``."""
    return f"{field}_{view}"


def view_of(name: str) -> str:
    """The view of an index field's name: ``body_stem`` → ``stem``."""
    return name.rpartition("_")[2]


def field_of(name: str) -> str:
    """The document field of an index field's name: ``body_stem`` → ``body``."""
    return name.rpartition("_")[0]


#: Bumped whenever the schema (fields, views) changes.
SCHEMA_VERSION = 2


#: The stamp beside the Whoosh files: format, schema version, analyzer, configuration.
META_FILE = "arsearch.json"


# Analysis fingerprint: a change in what these words analyze to means the analyzer
# changed, and an index built by the old one must be rebuilt.
_PROBE = (
    "وَالحُكُومَاتُ لِحَفْتَرَ بِدِمَشْقَ وَبِالْمُخَابَرَاتِ فَلَسْطِينِيُّونَ مَسْئُولٌ مسؤولون "
    "ٱلْكِتَٰبُ هَٰذَا هـٰذا أهـٰكذا ٱلْعَـٰلَمِينَ وليد بنغازي مصراتة ومصراتة كتابهم سيارتها الإرهاب ١٢٣ ﻻ ک ی Latin ǅ "
    "كتاب لجنة للجنة برلمان وزير وكالة فئات فؤاد على علي وعلى"
)


def analyzer_version(config: AnalysisConfig) -> str:
    """A short fingerprint of what ``config``'s analysis produces: every term of every
    view (each reading of a word) of a probe text."""
    terms = [[token_terms(view, config)(t.text) for t in iter_tokens(_PROBE)] for view in VIEWS]
    digest = hashlib.sha256(json.dumps([terms, sorted(config.protected)]).encode()).hexdigest()
    return f"{config.stemmer}-{digest[:12]}"


def build_schema(config: AnalysisConfig, text_column: bool = True, hit_column: bool = True,
                 compact_positions: bool = True) -> wf.Schema:
    """The index's fields. What a hit shows is read from columns, without the
    decompression and unpickling of the stored fields (which, with decoding the text,
    took about a third of a rare word's search): the text as UTF-8 in a column of its
    own, and the id, title and metadata in another (``hit``, see :func:`hit_bytes`);
    the stored fields keep them too, for :meth:`Index.get` and :meth:`Index.ids`.
    ``text_column=False``: the text among the stored fields, ``hit_column=False``: no
    ``hit`` column, and ``compact_positions=False``: Whoosh's pickled positions instead
    of :class:`arsearch.codec.CompactPositions`, as indexes built before kept them."""
    schema = wf.Schema(
        id=wf.ID(stored=True, unique=True),
        title=wf.STORED(),
        text=wf.COLUMN(VarBytesColumn()) if text_column else wf.STORED(),
        fields=wf.STORED(),
    )
    if hit_column:
        schema.add("hit", wf.COLUMN(VarBytesColumn()))
    for f in FIELDS:
        for view in VIEWS:
            # Phrases are searched in the exact and clitic views only: the stem view
            # keeps frequencies, not positions (same scores, a third fewer positions).
            schema.add(field_name(f, view), ViewField(view, config, phrase=view != "stem", compact=compact_positions))
        # Adjacent word pairs, documents only: fast phrases (see arsearch.analysis.pairs).
        schema.add(field_name(f, PAIR), PairField(config))
    return schema


#: A lone surrogate: not valid Unicode, cannot be stored as UTF-8 nor be a term.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean_text(value: Any, what: str) -> tuple[str, bytes]:
    """The text to index and its UTF-8, which is what is stored: pickling the string
    itself would leave a UTF-8 copy attached to it, held as long as the caller holds
    the document (a corpus in memory would grow by half of its size)."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    try:
        return value, value.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be stored as UTF-8; each becomes U+FFFD (offsets keep).
        value = LONE_SURROGATE.sub("\ufffd", value)
        return value, value.encode("utf-8")


def hit_bytes(doc_id: str, title: bytes | None, fields: Mapping[str, Any]) -> bytes:
    """What the ``hit`` column keeps of a document: its id, title (UTF-8) and metadata."""
    return pickle.dumps((doc_id, title, dict(fields) or None), protocol=pickle.HIGHEST_PROTOCOL)


def index_meta(config: AnalysisConfig) -> dict[str, Any]:
    """What ``arsearch.json`` holds for an index analysed with ``config``."""
    return {
        "format": "arsearch-index",
        "schema_version": SCHEMA_VERSION,
        "analyzer": analyzer_version(config),
        "config": {**asdict(config), "protected": sorted(config.protected)},
    }


def write_meta(meta_path: Path, meta: dict[str, Any], durable: bool) -> None:
    """Write ``arsearch.json`` by rename, so that it is whole or absent."""
    tmp = meta_path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
        f.flush()
        if durable:
            os.fsync(f.fileno())
    os.replace(tmp, meta_path)


def document_fields(doc_id: Any, text: Any, title: Any, fields: Mapping[str, Any],
                    declared: Mapping[str, str] | None = None, entities: bool = False) -> dict[str, Any]:
    """The Whoosh fields of one document, checked: a bad id is a :class:`DocumentError`,
    a wrong type a ``TypeError``, a metadata value that does not fit its field's declared
    type (``declared``) a :class:`DocumentError` (:func:`arsearch.metadata.checked_value`).

    ``entities``: the people, places and organizations named in the title and text
    (:mod:`arsearch.pipeline.entities`) are added as the keyword fields ``people``,
    ``places`` and ``orgs``, each a list, left out when empty; a document that gives one of
    these fields itself keeps its own value.

    The text (and the title) is handed to each of its view fields as one ``str`` object:
    the fields analyse it once between them (:mod:`arsearch.analysis.fields`)."""
    if not isinstance(doc_id, str):
        raise TypeError(f"document id must be str, not {type(doc_id).__name__}")
    if not doc_id.strip():
        raise DocumentError("document id is empty: give every document a non-empty id")
    try:
        doc_id.encode("utf-8")
    except UnicodeEncodeError as e:
        raise DocumentError("document id holds a lone surrogate: ids must be valid Unicode") from e
    text, stored_text = _clean_text(text, "document text")
    stored_title = None
    if title is not None:
        title, stored_title = _clean_text(title, "title")
    if entities:
        found = named_entities(title, text)
        fields = {**{kind: values for kind, values in found.items() if values}, **fields}
    if declared:
        fields = {name: checked_value(doc_id, name, value, declared.get(name)) for name, value in fields.items()}
    try:
        json.dumps({name: value for name, value in fields.items() if (declared or {}).get(name) != DATE})
    except (TypeError, ValueError) as e:
        raise TypeError(f"metadata fields must be JSON-serializable (a date needs a field declared 'date'): {e}") from e
    out = {"id": doc_id, "text": stored_text, "title": stored_title, "fields": dict(fields),
           "hit": hit_bytes(doc_id, stored_title, fields)}
    for view in (*VIEWS, PAIR):
        out[field_name("body", view)] = text
        out[field_name("title", view)] = title or ""
    return out

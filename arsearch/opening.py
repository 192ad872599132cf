"""Opening an index folder: creating it (under the write lock, as processes may race
to), or checking that its ``arsearch.json`` stamp matches this arsearch's schema and
analyzer before Whoosh opens it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage

from .errors import (
    IndexLockedError,
    IndexNotFoundError,
    SchemaMismatchError,
    StorageError,
)
from .pipeline.entities import KINDS as ENTITY_FIELDS
from .pipeline.views import DEFAULT_CONFIG, AnalysisConfig
from .schema import META_FILE, build_schema, index_meta, write_meta
from .writing.durability import (
    CREATE_LEFTOVERS,
    LOCK_NAME,
    TOC_TEMP,
    acquire,
    fsync_path,
    retry_vanished,
)


def open_on_disk(path: Path, config: AnalysisConfig | None, *, create: bool, lock_timeout: float,
                 durable: bool) -> tuple[Any, AnalysisConfig]:
    """The Whoosh index at ``path`` and its analysis configuration (``config``, or the one
    the index was built with), created if missing and ``create``; refused with a clear
    error if it is not an arsearch index or was built by another analyzer."""
    if path.exists() and not path.is_dir():
        raise IndexNotFoundError(f"{path} is a file, not an index directory: give a directory")
    exists = path.is_dir() and retry_vanished(lambda: windex.exists_in(str(path)))
    if not exists:
        if not create:
            raise IndexNotFoundError(
                f"no arsearch index at {path}: build one with `arsearch index FILES --index {path}`"
            )
        # Another process may be creating the index meanwhile: what a creation writes is no
        # stranger's, and an index that appeared since the first look is opened.
        if path.is_dir() and any(p.name not in CREATE_LEFTOVERS and not TOC_TEMP.match(p.name) for p in path.iterdir()) \
                and not retry_vanished(lambda: windex.exists_in(str(path))):
            raise IndexNotFoundError(f"{path} is not empty and holds no index: choose an empty or new directory")
        created = _create_on_disk(path, config, lock_timeout, durable)
        if created is not None:
            return created
        # Another process created the index while this one waited for the lock: open it.
    stored = read_meta(path)
    settings = stored.get("config", {})
    stored_config = AnalysisConfig(**{**settings, "protected": frozenset(settings.get("protected", ()))})
    config = config or stored_config
    expected = index_meta(config)
    for key in ("schema_version", "analyzer"):
        if stored.get(key) != expected[key]:
            raise SchemaMismatchError(
                f"index at {path} was built with {key.replace('_', ' ')} {stored.get(key)!r}, "
                f"this arsearch uses {expected[key]!r}: rebuild the index (arsearch index … --index NEWDIR), "
                "terms of the two are never mixed"
            )
    return retry_vanished(lambda: windex.open_dir(str(path))), config

def read_meta(path: Path) -> dict[str, Any]:
    """The ``arsearch.json`` stamp of the index at ``path``."""
    try:
        return json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SchemaMismatchError(
            f"{path} holds a Whoosh index that arsearch did not build (no readable {META_FILE}): "
            "rebuild it with `arsearch index`"
        ) from e


def with_entities(declared: dict[str, str], entities: bool | None) -> dict[str, str]:
    """``declared`` with the entity fields (``people``, ``places``, ``orgs``) declared
    ``keyword`` when ``entities`` is on; another type given for one of them is refused."""
    if entities is not None and not isinstance(entities, bool):
        raise TypeError(f"entities must be True, False or None, not {type(entities).__name__}")
    if not entities:
        return declared
    for name in ENTITY_FIELDS:
        if declared.get(name, "keyword") != "keyword":
            raise ValueError(
                f"field {name!r} holds the entities found in each document (entities=True), so it is a "
                f"keyword field, not {declared[name]!r}: rename your field, or leave entities off"
            )
    return {**declared, **dict.fromkeys(ENTITY_FIELDS, "keyword")}


class Declarations:
    """An index's declared metadata fields (``declared``) and whether it finds entities
    (``entities``), read again from its stamp when another :class:`arsearch.Index` or
    process has declared more since."""

    def __init__(self, path: Path | None, declared: dict[str, str], entities: bool = False):
        self.path, self.declared, self.entities = path, declared, entities
        self._stamp: tuple[int, int] | None = None

    def now(self) -> dict[str, str]:
        if self.path is not None:
            try:
                st = os.stat(self.path / META_FILE)
            except OSError:
                return self.declared
            stamp = (st.st_mtime_ns, st.st_ino)  # the stamp is replaced, never rewritten in place
            if stamp != self._stamp:
                meta = read_meta(self.path)
                self.declared, self.entities = meta.get("fields") or {}, bool(meta.get("entities"))
                self._stamp = stamp
        return self.declared


def declare_fields(path: Path, ix, declared: dict[str, str], lock_timeout: float, durable: bool,
                   entities: bool | None = None) -> Declarations:
    """The declarations of the index at ``path`` with ``declared`` added and, when
    ``entities`` is True, entity finding switched on (both kept in its stamp, written under
    the write lock); a field declared before with another type is refused, and so is
    ``entities=False`` on an index that finds them."""
    meta = read_meta(path)
    if entities is False and meta.get("entities"):
        raise ValueError(
            f"the index at {path} finds entities in every document it adds (it was built with entities=True): "
            "open it with entities=None to keep them, or build a new index without them"
        )
    entities = bool(entities or meta.get("entities"))
    declared = with_entities(declared, entities)
    stored = meta.get("fields") or {}
    for name, kind in declared.items():
        if stored.get(name, kind) != kind:
            raise ValueError(
                f"field {name!r} of the index at {path} is declared {stored[name]!r}, not {kind!r}: "
                "a field keeps its type; build a new index to change it"
            )
    if all(name in stored for name in declared) and entities == bool(meta.get("entities")):
        return Declarations(path, stored, entities)
    lock = ix.lock(LOCK_NAME)
    if not acquire(lock, lock_timeout):
        raise IndexLockedError(
            f"another writer held the lock of {path} for {lock_timeout:g} s while the fields were "
            "being declared: try again, or give a longer lock_timeout"
        )
    try:
        meta = read_meta(path)
        merged = {**(meta.get("fields") or {}), **declared}
        write_meta(path / META_FILE, {**meta, "fields": merged, **({"entities": True} if entities else {})}, durable)
    except OSError as e:
        raise StorageError(f"cannot declare the fields of {path}: {e.strerror or e}") from e
    finally:
        lock.release()
    return Declarations(path, merged, entities)


def _create_on_disk(path: Path, config: AnalysisConfig | None, lock_timeout: float, durable: bool):
    """Create the index under the write lock, as processes may race to create the
    same one; None if another process created it first."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        storage = FileStorage(str(path))
        lock = storage.lock(LOCK_NAME)
        if not acquire(lock, lock_timeout):
            raise IndexLockedError(
                f"another process held the lock of {path} for {lock_timeout:g} s while "
                "creating the index: try again, or give a longer lock_timeout"
            )
        try:
            if windex.exists_in(str(path)):
                return None
            config = config or DEFAULT_CONFIG
            write_meta(path / META_FILE, index_meta(config), durable)
            ix = storage.create_index(build_schema(config))
            if durable:
                for name in storage.list():
                    if name.endswith(".toc"):
                        fsync_path(path / name)
                fsync_path(path)
                fsync_path(path.parent)
        finally:
            lock.release()
    except OSError as e:
        raise StorageError(f"cannot create an index at {path}: {e.strerror or e}") from e
    return ix, config


"""Documents from files: plain text (one document a file), JSON Lines and CSV/TSV, any
of them gzipped, and folders of them.

What cannot be read (a line that is not UTF-8, malformed JSON, a record without an id
or text) is skipped and reported to ``warn``; the rest is read. ``arsearch index`` prints
the reports as warnings."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import regex

from .metadata import DATE, NUMBER
from .metadata.types import parse_day

TEXT_SUFFIXES = (".txt", ".md")


JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


CSV_SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz")


class Fields(NamedTuple):
    """Which fields of a JSON or CSV record hold the id, the text and the title; the
    record's other scalar fields become the document's metadata."""

    id_field: str = "id"
    text_field: str = "text"
    title_field: str = "title"
    #: ``(name, type)`` of the declared metadata fields: a CSV cell (or a JSON string)
    #: of a number field is read as a number; a value that does not read skips the record.
    types: tuple[tuple[str, str], ...] = ()


DEFAULT_FIELDS = Fields()
Warn = Callable[[str], None]


def print_warning(message: str) -> None:
    """Report a skipped part of the input on standard error."""
    print(f"arsearch: warning: {message}", file=sys.stderr)


class Problem(Exception):
    """A part of an input that was skipped: reported, the rest is indexed."""


def _open_text(path: Path):
    raw = gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")
    # Bytes that are not UTF-8 become lone surrogates, found row by row (see _undecodable).
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _undecodable(values) -> bool:
    return any(isinstance(v, str) and regex.search(r"[\udc80-\udcff]", v) for v in values)


def _read_text_file(path: Path, root: Path) -> Iterator[dict]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise Problem(f"{path}:{line}: not UTF-8 (byte {e.start}); file skipped, convert it to UTF-8") from e
    title = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    doc_id = path.relative_to(root).as_posix() if root.is_dir() else path.name
    yield {"id": doc_id, "text": text, "title": title, "source": str(path)}


def _read_jsonl(path: Path, fields: Fields, warn: Warn) -> Iterator[dict]:
    # Read bytes and decode line by line: one line that is not UTF-8 is skipped, not the rest.
    raw = gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")
    with raw as f:
        lineno = 0
        for data in f:
            lineno += 1
            try:
                line = data.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as e:
                warn(f"{path}:{lineno}: not UTF-8 (byte {e.start + 1} of the line); line skipped")
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as e:
                warn(f"{path}:{lineno}: malformed JSON ({e.msg}); line skipped")
                continue
            doc = _record(obj, fields, f"{path}:{lineno}", warn)
            if doc is not None:
                yield doc


def _read_csv(path: Path, fields: Fields, warn: Warn) -> Iterator[dict]:
    delimiter = "\t" if ".tsv" in path.name else ","
    with _open_text(path) as f:
        reader = csv.DictReader(f, delimiter=delimiter)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                warn(f"{path}:{reader.line_num + 1}: not UTF-8; the rest of the file is skipped")
                return
            except csv.Error as e:
                warn(f"{path}:{reader.line_num}: malformed CSV ({e}); the rest of the file is skipped")
                return
            if _undecodable([*row.values(), *row.keys()]):
                warn(f"{path}:{reader.line_num}: not UTF-8; row skipped")
                continue
            doc = _record(row, fields, f"{path}:{reader.line_num}", warn)
            if doc is not None:
                yield doc


def _record(obj, fields: Fields, where: str, warn: Warn) -> dict | None:
    if not isinstance(obj, dict):
        warn(f"{where}: not a JSON object; skipped")
        return None
    doc_id, text = obj.get(fields.id_field), obj.get(fields.text_field)
    if doc_id is None or not str(doc_id).strip():
        warn(f"{where}: no {fields.id_field!r} field; skipped (choose it with --id-field)")
        return None
    if not isinstance(text, str):
        warn(f"{where}: no text in {fields.text_field!r}; skipped (choose it with --text-field)")
        return None
    title = obj.get(fields.title_field)
    meta = {
        k: v
        for k, v in obj.items()
        if k not in (fields.id_field, fields.text_field, fields.title_field)
        and (isinstance(v, (str, int, float, bool)) or (isinstance(v, list) and all(isinstance(x, str) for x in v)))
    }
    types = dict(fields.types)
    for name, value in meta.items():
        kind = types.get(name)
        if kind is None or value == "":
            continue
        try:
            meta[name] = _typed(value, kind)
        except ValueError:
            warn(f"{where}: {name}={value!r} is not a {kind}; skipped (fix the value or the field's type)")
            return None
    meta = {k: v for k, v in meta.items() if not (v == "" and k in types)}  # an empty cell: no value
    return {"id": str(doc_id), "text": text, "title": title if isinstance(title, str) else None, **meta}


def _typed(value, kind: str):
    """A record's value read as the field's declared type (a ``ValueError`` if it does not)."""
    if kind == NUMBER:
        if isinstance(value, bool):
            raise ValueError(value)
        if isinstance(value, str):
            text = value.strip()
            value = int(text) if regex.fullmatch(r"[-+]?\d+", text) else float(text)
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(text)
        return value
    if kind == DATE:
        if not isinstance(value, str):
            raise ValueError(value)
        parse_day(value)  # kept as written: the index reads it as the date it names
        return value
    return [str(v) for v in value] if isinstance(value, list) else str(value)


def read_documents(sources: Sequence[str], fields: Fields = DEFAULT_FIELDS, warn: Warn = print_warning) -> Iterator[dict]:
    """The documents of ``sources`` (files or folders), as :meth:`arsearch.Index.add_many`
    takes them: ``.jsonl``/``.ndjson`` and ``.csv``/``.tsv`` (gzipped too) hold one a record,
    read through ``fields``; any other file given by name, and the ``.txt``/``.md`` files
    of a folder, are one document each (id: the path, title: the first line)."""
    for source in sources:
        root = Path(source)
        if not root.exists():
            warn(f"{source}: no such file or directory; skipped")
            continue
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            name = path.name.lower()
            try:
                if name.endswith(JSONL_SUFFIXES):
                    yield from _read_jsonl(path, fields, warn)
                elif name.endswith(CSV_SUFFIXES):
                    yield from _read_csv(path, fields, warn)
                elif name.endswith(TEXT_SUFFIXES) or not root.is_dir():
                    yield from _read_text_file(path, root)
            except Problem as e:
                warn(str(e))
            except OSError as e:
                warn(f"{path}: cannot read ({e.strerror or e}); skipped")

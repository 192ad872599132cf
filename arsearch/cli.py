"""The ``arsearch`` command: index, search, stats, analyze."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import Sequence

import regex

from . import __version__
from .errors import ArsearchError
from .index import Index
from .ingest import Fields, read_documents
from .metadata import TYPES
from .pipeline.entities import KINDS, find_entities
from .pipeline.latin import fold_latin
from .pipeline.lexicon import is_stopword, stopwords
from .pipeline.normalization import normalize
from .pipeline.stemming import STEMMERS
from .pipeline.tokenizer import tokenize
from .pipeline.views import VIEWS, AnalysisConfig
from .query.builder import MODES
from .query.clauses import apostrophe_word
from .snippets import Snippet, is_html, mark

__all__ = ["main"]


def cmd_index(args) -> int:
    from tqdm import tqdm

    start = time.perf_counter()
    added = 0
    declared = dict(args.field or ())
    with Index(args.index, lock_timeout=args.lock_timeout, durable=args.durable, fields=declared,
               entities=args.entities or None) as ix:
        batch: list[dict] = []
        bar = tqdm(unit="doc", desc="indexing", disable=args.quiet or None, file=sys.stderr)
        fields = Fields(args.id_field, args.text_field, args.title_field, tuple(ix.fields.items()))
        for doc in read_documents(args.sources, fields):
            batch.append(doc)
            if len(batch) >= args.batch_size:
                added += ix.add_many(batch, procs=args.procs)
                bar.update(len(batch))
                batch = []
        if batch:
            added += ix.add_many(batch, procs=args.procs)
            bar.update(len(batch))
        bar.close()
        total = len(ix)
    elapsed = time.perf_counter() - start
    rate = added / elapsed if elapsed > 0 else 0.0
    print(f"indexed {added} documents in {elapsed:.1f} s ({rate:.0f} docs/s); the index at {args.index} holds {total}")
    return 0


#: How a terminal shows a matched word: bold red (SGR), as grep does.
COLOR_MARKERS = ("\x1b[1;31m", "\x1b[0m")
#: What marks a matched word in text output without colour: the API's default.
PLAIN_MARKERS = ("[", "]")
#: What marks a matched word in JSON output, whose titles and snippets are HTML.
JSON_MARKERS = ("<b>", "</b>")
# Control characters of a document (an escape sequence above all) would act on a
# terminal, or pass for a colour marker: each is shown as one character, offsets kept.
_CONTROL = regex.compile(r"\p{Cc}")
# a run of letters, apostrophes and hyphens: a Latin name as a query reads it (Sha'ban)
_LATIN_CHUNK = regex.compile(r"[\p{L}\p{M}'’‘ʿʾ`´ʼ-]+")


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    # https://no-color.org: NO_COLOR set and not empty turns colour off.
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _for_terminal(snippet: Snippet) -> Snippet:
    return snippet._replace(text=_terminal_text(snippet.text))


def _terminal_text(text: str) -> str:
    return _CONTROL.sub(lambda m: " " if m[0].isspace() else "\ufffd", text)


def _field_type(text: str) -> tuple[str, str]:
    """``--field NAME=TYPE``."""
    name, sep, kind = text.partition("=")
    if not sep or not name or kind not in TYPES:
        raise argparse.ArgumentTypeError(f"{text!r}: write NAME=TYPE, TYPE one of {', '.join(TYPES)} (date=date)")
    return name, kind


def _filter(text: str) -> tuple[str, str]:
    """``--filter NAME=VALUE``."""
    name, sep, value = text.partition("=")
    if not sep or not regex.fullmatch(r"[A-Za-z_]+", name) or not value:
        raise argparse.ArgumentTypeError(
            f"{text!r}: write NAME=VALUE (source=skynews, date=2018-03-01..2018-05-31, views=>100); "
            "NAME is letters and _"
        )
    return name, value


def _filter_query(filters: Sequence[tuple[str, str]], types: dict[str, str]) -> str:
    """``--filter`` options as the query language's filters: the values of one field
    are alternatives (any of them), fields must all hold."""
    by_field: dict[str, list[str]] = {}
    for name, value in filters:
        if name not in types:
            known = ", ".join(sorted(types)) or "none"
            raise ValueError(f"--filter {name}=…: the index has no field {name!r} (its fields: {known})")
        by_field.setdefault(name, []).append(value)
    parts = []
    for name, values in by_field.items():
        if types[name] == "keyword":
            values = ['"' + v.replace('"', "") + '"' for v in values]
        parts.append(f"{name}:({' OR '.join(values)})")
    return " ".join(parts)


def _shown(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def cmd_search(args) -> int:
    options = dict(limit=args.limit, mode=args.mode, strict=args.strict, match_diacritics=args.match_diacritics,
                   latin_names=args.latin_names, spelling_variants=args.spelling_variants,
                   offset=(args.page - 1) * args.limit, facets=args.facet or None)
    if args.sort:
        options["sort"] = ["-" + s.removesuffix(":desc") if s.endswith(":desc") else s.removesuffix(":asc")
                           for s in args.sort]
    if args.json and not args.plain:
        options.update(markers=tuple(args.markers or JSON_MARKERS), escape_html=True)
    if args.index is None:
        from .seeds import seed_index

        ix = seed_index()
    else:
        ix = Index(args.index, create=False)
    query = args.query
    if args.filter:
        query = f"{query} {_filter_query(args.filter, ix.metadata_fields())}"
    hits = ix.search(query, **options)
    suggestion = ix.suggest(args.query) if not hits.total else None
    if args.json:
        out = {
            "query": args.query,
            "markup": "plain" if args.plain else "html",
            "total": hits.total,
            "offset": hits.offset,
            "hits": [h.as_dict(plain=args.plain) for h in hits],
        }
        if args.facet:
            out["facets"] = {name: [[v, n] for v, n in counts] for name, counts in hits.facets.items()}
        if suggestion:
            out["suggestion"] = suggestion
        print(json.dumps(out, ensure_ascii=False, indent=1, default=_shown))
        return 0
    if not hits:
        if hits.total:
            print(f"{hits.total} results; page {args.page} is past the last one")
            return 0
        where = " with these filters" if args.filter else ""
        print(f"no results for {args.query!r}{where}" + (f"; did you mean: {suggestion}" if suggestion else ""))
        return 0
    last = hits.offset + len(hits)
    print(f"{hits.total} result{'s' if hits.total != 1 else ''}" + (
        f" (page {args.page}: {hits.offset + 1}-{last})" if hits.offset or last < hits.total else ""))
    markers = tuple(args.markers) if args.markers else COLOR_MARKERS if _use_color(args.color) else PLAIN_MARKERS
    escape = is_html(markers)
    for rank, h in enumerate(hits, 1):
        flag = " (partial match)" if h.partial else ""
        title = mark(_for_terminal(h.plain_title), markers, escape) if h.title else h.id
        print(f"{rank}. {title}  [{h.id}]  score {h.score:.3f}{flag}")
        print(f"   {mark(_for_terminal(h.plain_snippet), markers, escape)}")
    for name, counts in hits.facets.items():
        shown = " · ".join(f"{_terminal_text(_shown(v))} {n}" for v, n in counts) or "(none)"
        print(f"{name}: {shown}")
    return 0


def cmd_stats(args) -> int:
    with Index(args.index, create=False) as ix:
        stats = ix.stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=1))
    else:
        print(f"documents: {stats['documents']}")
        for view, n in stats["terms"].items():
            print(f"terms ({view}): {n}")
        print(f"segments: {stats['segments']}")
        print(f"size on disk: {stats['size_bytes'] / 1e6:.2f} MB")
        print(f"analyzer: {stats['analyzer']}")
    return 0


def cmd_entities(args) -> int:
    """``analyze --entities``: each mention found, as written and as its canonical value."""
    mentions = find_entities(args.text)
    if args.json:
        found = {kind: list(dict.fromkeys(m.value for m in mentions if m.kind == kind)) for kind in KINDS}
        out = {"mentions": [m._asdict() | {"text": args.text[m.start:m.end]} for m in mentions], "entities": found}
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    if not mentions:
        print("(no people, places or organizations found)")
    for m in mentions:
        print(f"{m.start:>5}-{m.end:<5} {m.kind:<7} {_terminal_text(m.value)}\t({_terminal_text(args.text[m.start:m.end])})")
    return 0


def cmd_analyze(args) -> int:
    if args.entities:
        return cmd_entities(args)
    config = AnalysisConfig(stemmer=args.stemmer)
    stop = stopwords()
    rows = []
    written = [(m.start(), m.end(), m.group()) for m in _LATIN_CHUNK.finditer(args.text)]
    for t in tokenize(args.text):
        norm = normalize(t.text)
        row = {"token": t.text, "start": t.start, "end": t.end, "position": t.position, "normalized": norm}
        if not norm:
            row["note"] = "no letters"
        elif is_stopword(t.text, norm, stop):
            row["note"] = "stopword: not indexed"
        else:
            terms = {v: config.written_view_terms(t.text, norm, v) for v in VIEWS}
            row["terms"] = {v: t[0] for v, t in terms.items()}
            if any(len(t) > 1 for t in terms.values()):
                # a first ب ك ل و read as a proclitic and as the word's own letter
                row["readings"] = {v: list(t) for v, t in terms.items()}
        if fold_latin(t.text) is not None:
            # a name written with an apostrophe (Sha'ban) is looked up whole, as a search reads it
            word = next((w for s, e, w in written if s <= t.start < e and apostrophe_word(w)), t.text)
            row["latin"] = [[words, round(weight, 3)] for words, weight in _latin_index(args).latin_terms(word)]
        rows.append(row)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        readings = row.get("readings", {k: [t] for k, t in row.get("terms", {}).items()})
        views = ("  ".join(f"{v}={'|'.join(t)}" for v, t in readings.items())
                 if "terms" in row else f"({row['note']})")
        if "latin" in row:  # the Arabic words of the index this Latin name may write
            views += "  latin=" + ("|".join(f"{w}:{x:.2f}" for w, x in row["latin"]) or "(none in this index)")
        print(f"{row['position']:>3} {row['start']:>5}-{row['end']:<5} {row['token']}\t{views}")
    return 0


def _latin_index(args) -> Index:
    """The index whose words a Latin name is matched against: --index, or the bundled seed."""
    if getattr(args, "_latin_index", None) is None:
        if args.index is None:
            from .seeds import seed_index

            args._latin_index = seed_index()
        else:
            args._latin_index = Index(args.index, create=False)
    return args._latin_index


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arsearch", description="Full-text search for Arabic.")
    parser.add_argument("--version", action="version", version=f"arsearch {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="index text, JSONL or CSV files and folders")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="files or folders (searched recursively)")
    p.add_argument("--index", required=True, metavar="DIR", help="index directory (created if missing)")
    p.add_argument("--id-field", default="id", help="JSONL/CSV field holding the document id (default: id)")
    p.add_argument("--text-field", default="text", help="JSONL/CSV field holding the text (default: text)")
    p.add_argument("--title-field", default="title", help="JSONL/CSV field holding the title (default: title)")
    p.add_argument("--batch-size", type=int, default=2000, help="documents per commit (default: 2000)")
    p.add_argument("--lock-timeout", type=float, default=30.0, help="seconds to wait for another writer")
    p.add_argument("--durable", action="store_true", help="fsync every commit (survives power loss, slower)")
    p.add_argument("--procs", type=int, default=1,
                   help="processes that analyze and write each batch (default: 1; each adds a segment)")
    p.add_argument("--entities", action="store_true",
                   help="find the people, places and organizations of each document: keyword fields people, places, "
                        "orgs to filter and facet on (kept with the index)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--field", action="append", type=_field_type, metavar="NAME=TYPE",
                   help="declare a metadata field's type: keyword, number or date (date=date, views=number); "
                        "kept with the index. Undeclared text fields are keywords")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", help="search an index (default: the bundled seed article)")
    p.add_argument("query")
    p.add_argument("--index", metavar="DIR", help="index directory (default: the bundled seeds)")
    p.add_argument("--limit", type=int, default=10, help="hits per page (default: 10)")
    p.add_argument("--page", type=int, default=1, help="which page of --limit hits to show (default: 1)")
    p.add_argument("--filter", action="append", type=_filter, metavar="NAME=VALUE",
                   help="only documents whose field NAME has VALUE: source=skynews, date=2018-03-01..2018-05-31, "
                        "views=>100; repeat a NAME for any of several values, different NAMEs must all hold")
    p.add_argument("--sort", action="append", metavar="FIELD",
                   help="order by a field instead of relevance: --sort date (oldest first), --sort=-date or "
                        "--sort date:desc (newest first); ties by relevance")
    p.add_argument("--facet", action="append", metavar="FIELD",
                   help="count the matches by each value of FIELD (repeat for several fields)")
    p.add_argument("--no-latin-names", dest="latin_names", action="store_false",
                   help="search a word in Latin script only as written, not also as the Arabic name it may write")
    p.add_argument("--spelling-variants", action="store_true",
                   help="an Arabic name also finds the other spellings the index holds (ترمب: ترامب)")
    p.add_argument("--mode", choices=MODES, default="auto")
    p.add_argument("--strict", action="store_true", help="refuse malformed queries instead of guessing")
    p.add_argument("--match-diacritics", action="store_true", help="vocalized query words match only that vocalization")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object; its titles and snippets are HTML, safe in a page: the text "
                        "escaped, matched words in <b>...</b> (or --markers)")
    p.add_argument("--plain", action="store_true",
                   help="with --json: titles and snippets as plain text, unescaped, with the [start, end] "
                        "offsets of the matched words (title_matches, snippet_matches)")
    p.add_argument("--markers", nargs=2, metavar=("OPEN", "CLOSE"),
                   help="put around matched words (default: bold colour on a terminal, else [ and ]); "
                        "markers that are HTML tags, e.g. '<mark>' '</mark>', escape the text")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="show matched words in bold colour: auto (default) on a terminal unless NO_COLOR "
                        "is set; not with --markers or --json (a document's control characters show as U+FFFD)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("stats", help="documents, terms and size of an index")
    p.add_argument("--index", required=True, metavar="DIR")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("analyze", help="show how text is tokenized, normalized and stemmed")
    p.add_argument("text")
    p.add_argument("--stemmer", choices=STEMMERS, default="light")
    p.add_argument("--entities", action="store_true",
                   help="show the people, places and organizations found in the text (as arsearch index --entities does)")
    p.add_argument("--index", metavar="DIR",
                   help="for a name in Latin script (Haftar): the index whose Arabic words it is matched "
                        "against (default: the bundled seeds)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_analyze)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "limit", 1) is not None and getattr(args, "limit", 1) < 1:
        parser.error("--limit must be at least 1")
    if getattr(args, "page", 1) < 1:
        parser.error("--page must be at least 1")
    if getattr(args, "batch_size", 1) < 1:
        parser.error("--batch-size must be at least 1")
    if getattr(args, "procs", 1) < 1:
        parser.error("--procs must be at least 1")
    if getattr(args, "plain", False) and not args.json:
        parser.error("--plain goes with --json (text output marks matches with --markers or colour)")
    if getattr(args, "plain", False) and args.markers:
        parser.error("--plain gives the offsets of matched words, not markers: leave out --markers")
    if getattr(args, "markers", None) and args.color == "always":
        parser.error("--markers and --color always both say how to mark matches: choose one")
    try:
        return args.func(args)
    except (ArsearchError, ValueError, TypeError) as e:
        print(f"arsearch: error: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader stopped early (arsearch search … | head): not an error. What is still
        # buffered goes to devnull, so flushing it at exit raises nothing either.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + int(signal.SIGPIPE) if hasattr(signal, "SIGPIPE") else 1
    except OSError as e:
        print(f"arsearch: error: {e.strerror or e}: {getattr(e, 'filename', '') or ''}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("arsearch: interrupted; everything committed so far is kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""How fast does arsearch index and answer Arabic queries, next to what users would pick?

One command, every engine measured in the same run on the same documents and queries::

    python benchmarks/speed.py --corpus ../shared/data/corpus/arabic_news.jsonl.gz --docs 20000

Engines (each warm, its searcher reused, each returning the top-10 ids and no snippets):

- ``arsearch``: :class:`arsearch.Index` on disk;
- ``arsearch-plain``: the same index and parsed queries through Whoosh's own search and
  ``Phrase`` (arsearch before its speed-ups: no word pairs, no ``arsearch.topk``);
- ``whoosh``: stock Whoosh (same version), one ``TEXT`` field (``StandardAnalyzer``) over
  title and text;
- ``fts5``: SQLite FTS5 from Python's ``sqlite3``, ``unicode61 remove_diacritics 2``,
  ranked by its bm25;
- ``tantivy``: tantivy-py fed arsearch's analyzed terms (the ``clitic`` view: normalized,
  stopwords and proclitics removed), space-joined, with tantivy's whitespace tokenizer.

Query kinds, drawn with a fixed seed from the documents being indexed: single terms
(frequent, middle, rare document frequency), two-term AND (two words of one document),
2-3-word phrases (a run of one document), names with clitics (a frequent word pair whose
first word the corpus writes with و / ب / ل, queried as a phrase in that form), fuzzy
(a middle word with one letter replaced, distance 1) and prefix (the first letters of a
middle word). A warm-up pass runs a second draw of queries (another seed), so arsearch's
parsed-query cache never holds a measured query. Engines are interleaved query by query.

Figures: p50/p95/p99 latency and QPS per kind; indexing docs/s in one process and in
two; index size on disk; peak RSS of the indexing process (each engine builds in its own
subprocess); ratios to stock Whoosh and to tantivy; a latency plot (``speed.png``).
``--scaling`` adds a run over growing corpora (articles, then paragraphs: one per line of
an article) with a log-log plot of latency and index size against corpus size.
"""

from __future__ import annotations

import argparse
import gzip
import inspect
import json
import multiprocessing as mp
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "corpus" / "arabic_news.jsonl.gz"
DEFAULT_OUT = REPO / "benchmarks" / "out"

KINDS = ("term_freq", "term_mid", "term_rare", "and2", "and2_auto", "phrase", "name", "fuzzy", "prefix")
ENGINES = ("arsearch", "arsearch-plain", "whoosh", "fts5", "tantivy")
CLITICS = ("و", "ب", "ل")


# --- the corpus ---------------------------------------------------------------------
def load_docs(path: Path, n: int, paragraphs: bool = False) -> list[dict]:
    """The first ``n`` articles (or, with ``paragraphs``, their paragraphs: the corpus
    writes one paragraph per line, 437k in all; blank lines would split it into 87k)."""
    docs: list[dict] = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if not paragraphs:
                docs.append({"id": str(d["id"]), "title": d.get("title") or "", "text": d["text"]})
            else:
                for i, para in enumerate(p for p in d["text"].splitlines() if p.strip()):
                    docs.append({"id": f"{d['id']}#{i}", "title": d.get("title") or "" if i == 0 else "", "text": para})
                    if len(docs) >= n:
                        break
            if len(docs) >= n:
                break
    return docs


# --- the queries --------------------------------------------------------------------
@dataclass(frozen=True)
class Q:
    kind: str
    words: tuple[str, ...]  # surface words, as the corpus writes them


def draw_queries(docs: list[dict], per_kind: int, seed: int) -> dict[str, list[Q]]:
    """Queries of every kind, drawn deterministically from ``docs``."""
    from arsearch import normalize
    from arsearch.stemming import stopwords
    from arsearch.tokenizer import iter_tokens

    rng = random.Random(seed)
    stop = stopwords()
    sample = docs if len(docs) <= 5000 else random.Random(0).sample(docs, 5000)
    df: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    clitic_forms: dict[str, str] = {}
    tokenized = []

    def ok(w: str) -> bool:
        return len(w) >= 2 and not w.isdigit() and normalize(w) not in stop and any("\u0621" <= ch <= "\u064a" for ch in w)

    for d in sample:
        words = [t.text for t in iter_tokens(d["text"])]
        tokenized.append(words)
        df.update(set(w for w in words if ok(w)))
        for a, b in zip(words, words[1:]):
            if ok(a) and ok(b):
                pairs[(a, b)] += 1
            if len(a) > 3 and a[0] in CLITICS and ok(a[1:]) and ok(b):
                clitic_forms.setdefault(f"{a[1:]} {b}", a)
    ranked = [w for w, _ in df.most_common()]
    bands = {
        "term_freq": ranked[: max(50, len(ranked) // 200)],
        "term_mid": [w for w in ranked if 20 <= df[w] <= 200],
        "term_rare": [w for w in ranked if 2 <= df[w] <= 3],
    }
    out: dict[str, list[Q]] = defaultdict(list)
    for kind, band in bands.items():
        out[kind] = [Q(kind, (rng.choice(band),)) for _ in range(per_kind)]
    mid = bands["term_mid"]
    while len(out["and2"]) < per_kind:
        words = [w for w in rng.choice(tokenized) if ok(w)]
        if len(set(words)) >= 2:
            a, b = rng.sample(sorted(set(words)), 2)
            out["and2"].append(Q("and2", (a, b)))
    out["and2_auto"] = [Q("and2_auto", q.words) for q in out["and2"]]
    while len(out["phrase"]) < per_kind:
        words = rng.choice(tokenized)
        k = rng.choice((2, 3))
        if len(words) <= k:
            continue
        i = rng.randrange(len(words) - k)
        run = tuple(words[i : i + k])
        if ok(run[0]) and ok(run[-1]):
            out["phrase"].append(Q("phrase", run))
    names = [(a, b) for (a, b), n in pairs.most_common(5000) if n >= 3 and f"{a} {b}" in clitic_forms]
    for _ in range(per_kind):
        a, b = rng.choice(names)
        out["name"].append(Q("name", (clitic_forms[f"{a} {b}"], b)))
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    for _ in range(per_kind):
        w = rng.choice([m for m in mid if len(m) >= 4] or mid)
        i = rng.randrange(1, len(w))
        out["fuzzy"].append(Q("fuzzy", (w[:i] + rng.choice(letters) + w[i + 1 :],)))
        p = rng.choice([m for m in mid if len(m) >= 5] or mid)
        out["prefix"].append(Q("prefix", (p[: rng.choice((3, 4))],)))
    return {k: out[k] for k in KINDS}


# --- the engines --------------------------------------------------------------------
class Engine:
    name = ""

    def __init__(self, path: Path):
        self.path = path

    def build(self, docs: list[dict], procs: int) -> None:
        raise NotImplementedError

    def open(self) -> None:
        raise NotImplementedError

    def search(self, q: Q) -> list[str] | None:
        """Top-10 ids, or None when the engine has no such query kind."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())


class ArsearchEngine(Engine):
    name = "arsearch"

    def build(self, docs, procs):
        import arsearch

        with arsearch.Index(self.path / "ix") as ix:
            kwargs = {"procs": procs} if procs > 1 else {}
            if kwargs and "procs" not in inspect.signature(ix.add_many).parameters:
                raise NotImplementedError("arsearch has no multi-process indexing")
            ix.add_many(docs, **kwargs)

    def open(self):
        import arsearch

        self.ix = arsearch.Index(self.path / "ix", create=False)

    def search(self, q):
        w = q.words
        if q.kind in ("phrase", "name"):
            text, mode = '"' + " ".join(w) + '"', "all"
        elif q.kind == "fuzzy":
            text, mode = w[0] + "~1", "all"
        elif q.kind == "prefix":
            text, mode = w[0] + "*", "all"
        else:
            text, mode = " ".join(w), "auto" if q.kind == "and2_auto" else "all"
        return [h.id for h in self.ix.search(text, limit=10, mode=mode)]

    def close(self):
        self.ix.close()


class ArsearchPlainEngine(ArsearchEngine):
    """arsearch's index and parsed queries, searched the way arsearch did before its
    speed-ups: Whoosh's own top-k search and Whoosh's ``Phrase`` (no word pairs, no
    :mod:`arsearch.topk`). Shares the ``arsearch`` index; ids only, like the others."""

    name = "arsearch-plain"

    def build(self, docs, procs):
        raise NotImplementedError("searches the arsearch index")

    def search(self, q):
        from arsearch.phrases import without_pairs
        from arsearch.query import parse_query

        w = q.words
        if q.kind in ("phrase", "name"):
            text = '"' + " ".join(w) + '"'
        elif q.kind == "fuzzy":
            text = w[0] + "~1"
        elif q.kind == "prefix":
            text = w[0] + "*"
        else:
            text = " ".join(w)
        parsed = parse_query(text, self.ix.config)
        if parsed.empty:
            return []
        searcher = self.ix._searcher()
        runs = [parsed.all]
        if q.kind == "and2_auto" and parsed.any is not parsed.all:
            runs.append(parsed.any)
        ids: list[str] = []
        for query in runs:
            for r in searcher.search(without_pairs(query), limit=10):
                stored = searcher.stored_fields(r.docnum)
                if stored["id"] not in ids:
                    ids.append(stored["id"])
            if len(ids) >= 10:
                break
        return ids[:10]


class WhooshEngine(Engine):
    name = "whoosh"

    def schema(self):
        from whoosh import fields
        from whoosh.analysis import StandardAnalyzer

        return fields.Schema(id=fields.ID(stored=True), content=fields.TEXT(analyzer=StandardAnalyzer()))

    def build(self, docs, procs):
        from whoosh import index

        (self.path / "ix").mkdir()
        ix = index.create_in(str(self.path / "ix"), self.schema())
        w = ix.writer(procs=procs, multisegment=procs > 1, limitmb=256)
        for d in docs:
            w.add_document(id=d["id"], content=d["title"] + "\n" + d["text"])
        w.commit()

    def open(self):
        from whoosh import index

        self.ix = index.open_dir(str(self.path / "ix"))
        self.searcher = self.ix.searcher()
        self.analyzer = self.ix.schema["content"].analyzer

    def terms(self, words):
        return [t.text for w in words for t in self.analyzer(w)]

    def search(self, q):
        from whoosh import query as wq

        if q.kind == "prefix":
            query = wq.Prefix("content", q.words[0].lower())
        else:
            terms = self.terms(q.words)
            if not terms:
                return []
            if q.kind in ("phrase", "name"):
                query = wq.Phrase("content", terms) if len(terms) > 1 else wq.Term("content", terms[0])
            elif q.kind == "fuzzy":
                query = wq.FuzzyTerm("content", terms[0], maxdist=1, prefixlength=1)
            else:
                query = wq.And([wq.Term("content", t) for t in terms])
        return [r["id"] for r in self.searcher.search(query, limit=10)]

    def close(self):
        self.searcher.close()


class Fts5Engine(Engine):
    name = "fts5"

    def build(self, docs, procs):
        if procs > 1:
            raise NotImplementedError("SQLite writes from one process")
        con = sqlite3.connect(self.path / "fts.db")
        con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')")
        con.executemany("INSERT INTO docs(id, body) VALUES (?, ?)", ((d["id"], d["title"] + "\n" + d["text"]) for d in docs))
        con.commit()
        con.close()

    def open(self):
        self.con = sqlite3.connect(self.path / "fts.db")

    @staticmethod
    def quote(w: str) -> str:
        return '"' + w.replace('"', '""') + '"'

    def search(self, q):
        if q.kind == "fuzzy":
            return None
        if q.kind == "prefix":
            match = self.quote(q.words[0]) + "*"
        elif q.kind in ("phrase", "name"):
            match = self.quote(" ".join(q.words))
        else:
            match = " AND ".join(self.quote(w) for w in q.words)
        rows = self.con.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", (match,))
        return [r[0] for r in rows]

    def close(self):
        self.con.close()


class TantivyEngine(Engine):
    name = "tantivy"
    VIEW = "clitic"

    def schema(self):
        import tantivy

        sb = tantivy.SchemaBuilder()
        sb.add_text_field("id", stored=True, tokenizer_name="raw")
        sb.add_text_field("body", tokenizer_name="whitespace", index_option="position")
        return sb.build()

    def build(self, docs, procs):
        import tantivy
        from arsearch import analyze

        (self.path / "ix").mkdir()
        ix = tantivy.Index(self.schema(), path=str(self.path / "ix"))
        w = ix.writer(heap_size=100_000_000 * procs, num_threads=procs)
        for d in docs:
            body = " ".join(analyze(d["title"] + "\n" + d["text"], self.VIEW))
            w.add_document(tantivy.Document(id=d["id"], body=body))
        w.commit()
        w.wait_merging_threads()

    def open(self):
        import tantivy

        self.ix = tantivy.Index.open(str(self.path / "ix"))
        self.schema_ = self.ix.schema
        self.searcher = self.ix.searcher()

    def search(self, q):
        import tantivy
        from arsearch import analyze, normalize

        s = self.schema_
        if q.kind == "prefix":
            query = tantivy.Query.regex_query(s, "body", re.escape(normalize(q.words[0])) + ".*")
        else:
            terms = [t for w in q.words for t in analyze(w, self.VIEW)]
            if not terms:
                return []
            if q.kind in ("phrase", "name") and len(terms) > 1:
                query = tantivy.Query.phrase_query(s, "body", terms)
            elif q.kind == "fuzzy":
                query = tantivy.Query.fuzzy_term_query(s, "body", terms[0], distance=1)
            else:
                query = tantivy.Query.boolean_query(
                    [(tantivy.Occur.Must, tantivy.Query.term_query(s, "body", t)) for t in terms]
                )
        hits = self.searcher.search(query, 10).hits
        return [self.searcher.doc(addr)["id"][0] for _, addr in hits]


ENGINE_CLASSES = {e.name: e for e in (ArsearchEngine, ArsearchPlainEngine, WhooshEngine, Fts5Engine, TantivyEngine)}


def _cpu_seconds() -> float:
    # this process and its finished children (Whoosh's procs=2 workers); tantivy's
    # threads are in the process's own time
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_rss_kb() -> int:
    """This process's peak resident memory since it started its program: VmHWM (Linux),
    which exec resets, unlike ru_maxrss, which keeps the high-water mark of the process
    that spawned this one."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _build_child(engine: str, path: str, corpus: str, n: int, paragraphs: bool, procs: int, conn) -> None:
    try:
        docs = load_docs(Path(corpus), n, paragraphs)
        base = _peak_rss_kb()
        cpu = _cpu_seconds()
        t = time.perf_counter()
        ENGINE_CLASSES[engine](Path(path)).build(docs, procs)
        seconds = time.perf_counter() - t
        cpu = _cpu_seconds() - cpu
        peak = _peak_rss_kb()
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if procs > 1 else 0  # indexing workers
        conn.send({"seconds": seconds, "cpu_seconds": cpu, "docs": len(docs), "peak_rss_mb": max(peak, kids) / 1024,
                   "build_rss_mb": (max(peak, kids) - base) / 1024})
    except NotImplementedError as e:
        conn.send({"skipped": str(e)})
    except Exception as e:  # noqa: BLE001 - reported in the parent's table
        conn.send({"error": f"{type(e).__name__}: {e}"})


def build(engine: str, path: Path, args, n: int, paragraphs: bool, procs: int) -> dict:
    """Build one engine's index in a fresh process: time, docs/s, peak RSS."""
    path.mkdir(parents=True)
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_build_child, args=(engine, str(path), str(args.corpus), n, paragraphs, procs, child))
    p.start()
    child.close()
    result = parent.recv() if parent.poll(24 * 3600) else {"error": "no answer"}
    p.join()
    if "seconds" in result:
        result["docs_per_s"] = result["docs"] / result["seconds"]
        result["docs_per_cpu_s"] = result["docs"] / result["cpu_seconds"]
        result["size_mb"] = ENGINE_CLASSES[engine](path).size() / 2**20
    return result


# --- measuring ------------------------------------------------------------------------
def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def measure(engines: dict[str, Engine], queries: dict[str, list[Q]], warmup: dict[str, list[Q]]) -> dict:
    """Latencies in ms per engine and kind, engines interleaved query by query."""
    for kind, qs in warmup.items():
        for q in qs:
            for e in engines.values():
                e.search(q)
    lat: dict[str, dict[str, list[float]]] = {n: defaultdict(list) for n in engines}
    nhits: dict[str, dict[str, list[int]]] = {n: defaultdict(list) for n in engines}
    order = list(engines)
    clock = time.perf_counter
    for kind, qs in queries.items():
        for i, q in enumerate(qs):
            rot = order[i % len(order):] + order[: i % len(order)]
            for name in rot:
                t = clock()
                ids = engines[name].search(q)
                dt = clock() - t
                if ids is not None:
                    lat[name][kind].append(dt * 1000)
                    nhits[name][kind].append(len(ids))
    out: dict = {}
    for name in engines:
        out[name] = {}
        for kind, xs in lat[name].items():
            out[name][kind] = {
                "p50": percentile(xs, 0.5), "p95": percentile(xs, 0.95), "p99": percentile(xs, 0.99),
                "qps": 1000 / statistics.mean(xs), "n": len(xs),
                "mean_hits": statistics.mean(nhits[name][kind]),
            }
    return out


def run_size(args, n: int, paragraphs: bool, engines: list[str], per_kind: int, procs_list, workdir: Path) -> dict:
    docs = load_docs(args.corpus, n, paragraphs)
    queries = draw_queries(docs, per_kind, args.seed)
    warmup = draw_queries(docs, max(20, per_kind // 5), args.seed + 1)
    builds: dict = defaultdict(dict)
    opened: dict[str, Engine] = {}
    for procs in procs_list:
        for name in engines:
            if name == "arsearch-plain":
                continue  # searches the arsearch index
            path = workdir / f"{name}-{n}-{int(paragraphs)}-p{procs}"
            print(f"  building {name} ({len(docs)} docs, {procs} proc) …", file=sys.stderr, flush=True)
            builds[name][procs] = build(name, path, args, n, paragraphs, procs)
            print(f"    {builds[name][procs]}", file=sys.stderr, flush=True)
            if procs == 1 and "seconds" in builds[name][procs]:
                e = ENGINE_CLASSES[name](path)
                e.open()
                opened[name] = e
            elif procs != 1:
                shutil.rmtree(path, ignore_errors=True)
    if "arsearch-plain" in engines and "arsearch" in opened:
        plain = ArsearchPlainEngine(opened["arsearch"].path)
        plain.open()
        opened["arsearch-plain"] = plain
    print("  querying …", file=sys.stderr, flush=True)
    latency = measure(opened, queries, warmup)
    for e in opened.values():
        e.close()
    return {"docs": len(docs), "builds": builds, "latency": latency,
            "examples": {k: [" ".join(q.words) for q in v[:3]] for k, v in queries.items()}}


# --- reporting ------------------------------------------------------------------------
def _f(x: float | None, digits: int = 2) -> str:
    if x is None:
        return "n/a"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}" if x >= 0.1 else f"{x:.3f}"


def table(result: dict) -> str:
    lat, builds = result["latency"], result["builds"]
    names = list(lat)
    lines = [f"### Query latency, {result['docs']:,} documents (ms; ratio = engine p50 / other p50)", ""]
    lines.append("| kind | engine | p50 | p95 | p99 | QPS | hits | p50 ÷ whoosh | p99 ÷ whoosh | p50 ÷ tantivy |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        for name in names:
            s = lat[name].get(kind)
            if s is None:
                continue
            w = lat.get("whoosh", {}).get(kind)
            t = lat.get("tantivy", {}).get(kind)
            lines.append(
                f"| {kind} | {name} | {_f(s['p50'])} | {_f(s['p95'])} | {_f(s['p99'])} | {s['qps']:,.0f} | "
                f"{s['mean_hits']:.1f} | {_f(s['p50'] / w['p50']) + '×' if w else 'n/a'} | "
                f"{_f(s['p99'] / w['p99']) + '×' if w else 'n/a'} | {_f(s['p50'] / t['p50']) + '×' if t else 'n/a'} |"
            )
    lines += ["", f"### Indexing, {result['docs']:,} documents", ""]
    lines.append("| engine | docs/s (1 proc) | docs/s (2 procs) | ÷ whoosh (1 proc) | docs per CPU-s (1 proc) | ÷ whoosh (CPU) | size MB | peak RSS MB | RSS growth while indexing MB |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    w1 = builds.get("whoosh", {}).get(1, {})
    for name, b in builds.items():
        one, two = b.get(1, {}), b.get(2, {})
        if "docs_per_s" not in one:
            lines.append(f"| {name} | {one.get('error') or one.get('skipped')} |")
            continue
        two_s = _f(two["docs_per_s"], 1) if "docs_per_s" in two else (two.get("skipped") or two.get("error", "n/a")) if two else "not run"
        lines.append(
            f"| {name} | {_f(one['docs_per_s'], 1)} | {two_s} | "
            f"{_f(one['docs_per_s'] / w1['docs_per_s']) + '×' if 'docs_per_s' in w1 else 'n/a'} | "
            f"{_f(one['docs_per_cpu_s'], 1)} | {_f(one['docs_per_cpu_s'] / w1['docs_per_cpu_s']) + '×' if 'docs_per_cpu_s' in w1 else 'n/a'} | "
            f"{_f(one['size_mb'], 1)} | {_f(one['peak_rss_mb'], 0)} | {_f(one['build_rss_mb'], 0)} |"
        )
    return "\n".join(lines)


def plot_latency(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lat = result["latency"]
    names = list(lat)
    fig, ax = plt.subplots(figsize=(12, 5))
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        xs, p50, p99 = [], [], []
        for k, kind in enumerate(KINDS):
            if kind in lat[name]:
                xs.append(k + i * width)
                p50.append(lat[name][kind]["p50"])
                p99.append(lat[name][kind]["p99"])
        ax.bar(xs, p50, width, label=f"{name} p50")
        ax.scatter(xs, p99, marker="_", s=150, color="black", zorder=3)
    ax.set_xticks([k + 0.4 - width / 2 for k in range(len(KINDS))], KINDS, rotation=20)
    ax.set_yscale("log")
    ax.set_ylabel("latency, ms (bars p50, ticks p99; log)")
    ax.set_title(f"Top-10 query latency, {result['docs']:,} Arabic news documents")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_scaling(runs: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    names = list(runs[0]["latency"])
    for name in names:
        xs = [r["docs"] for r in runs]
        for kind, style in (("term_mid", "-"), ("and2", "--"), ("phrase", ":")):
            ys = [r["latency"][name].get(kind, {}).get("p50") for r in runs]
            if all(y is not None for y in ys):
                axes[0].plot(xs, ys, style, marker="o", label=f"{name} {kind}")
            ys = [r["latency"][name].get(kind, {}).get("p99") for r in runs]
            if all(y is not None for y in ys):
                axes[1].plot(xs, ys, style, marker="o", label=f"{name} {kind}")
        ys = [r["builds"][name].get(1, {}).get("size_mb") for r in runs]
        if all(y is not None for y in ys):
            axes[2].plot(xs, ys, marker="o", label=name)
    for ax, title in zip(axes, ("p50 latency, ms", "p99 latency, ms", "index size, MB")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("documents")
        ax.set_title(title)
        ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--docs", type=int, default=20_000, help="articles to index (default 20000)")
    ap.add_argument("--queries", type=int, default=300, help="queries per kind (default 300)")
    ap.add_argument("--engines", default=",".join(ENGINES), help="comma-separated subset of " + ",".join(ENGINES))
    ap.add_argument("--no-procs2", action="store_true", help="skip the two-process indexing runs")
    ap.add_argument("--scaling", action="store_true",
                    help="also run 10k, 20k, 70k articles and 437k paragraphs (long; see README)")
    ap.add_argument("--scaling-sizes", default="10000,20000,70000,p437000",
                    help="sizes for --scaling; a 'p' prefix means paragraphs")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--workdir", type=Path, default=None, help="where indexes are built (default: a temp dir)")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        ap.error(f"no corpus at {args.corpus}: give --corpus PATH.jsonl.gz")
    engines = [e for e in args.engines.split(",") if e]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        ap.error(f"unknown engines {sorted(unknown)}; choose from {ENGINES}")
    args.out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="arsearch-speed-", dir=args.workdir))
    try:
        procs = (1,) if args.no_procs2 else (1, 2)
        print(f"main run: {args.docs} articles, {args.queries} queries per kind", file=sys.stderr)
        result = run_size(args, args.docs, False, engines, args.queries, procs, workdir)
        text = table(result)
        plot_latency(result, args.out / "speed.png")
        (args.out / "speed.md").write_text(text + "\n", encoding="utf-8")  # before the long scaling runs
        print(text, flush=True)
        report = {"main": result}
        if args.scaling:
            runs = []
            sizes = args.scaling_sizes.split(",")
            if str(args.docs) not in sizes:
                runs.append(result)  # the main run is one point of the curve
            for size in sizes:
                paragraphs = size.startswith("p")
                n = int(size.lstrip("p"))
                print(f"scaling run: {n} {'paragraphs' if paragraphs else 'articles'}", file=sys.stderr)
                runs.append(run_size(args, n, paragraphs, engines, max(50, args.queries // 3), (1,), workdir))
                runs.sort(key=lambda r: r["docs"])
                shutil.rmtree(workdir, ignore_errors=True)
                workdir.mkdir()
            report["scaling"] = runs
            plot_scaling(runs, args.out / "speed_scaling.png")
            text += "\n\n## Scaling\n"
            for r in runs:
                text += "\n" + table(r) + "\n"
        (args.out / "speed.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        (args.out / "speed.md").write_text(text + "\n", encoding="utf-8")
        if args.scaling:
            print(text[text.index("## Scaling"):])
        print(f"\nwrote {args.out / 'speed.md'}, speed.json, speed.png", file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

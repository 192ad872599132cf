"""Does arsearch rank the right documents first? Measured on real relevance judgments.

One command, every variant measured in the same run (what the README's tables come from)::

    python benchmarks/relevance.py --data ../shared/data --out benchmarks/results --runs /tmp/relevance-runs
    python benchmarks/relevance.py --collections anercorp-multiform arcd   # a subset

**Tuning sets.** Every collection below uses the queries that arsearch's ranking was chosen
on: the ANERcorp entity queries (multiform and clean) and the ARCD train questions (the
parameters of ``arsearch.query.RANKINGS``, ``LEAD_WORDS`` and the framing words were picked by
their scores here). Their figures are development figures, not an estimate of how arsearch
ranks other queries.

**Dev and held-out parts.** Each collection's queries are split by a hash of the query id
(:func:`part`): about 30 % are "held-out", the rest "dev"; the same query id falls in the same
part in every collection (ANERcorp multiform and clean share ids, and so do the ARCD ones).
The split was made after the current parameters were chosen, so the held-out part is held
out only from choices made from now on: a parameter is chosen on the dev part, and the
held-out part says whether the choice carries over. Every measure is given for both parts and
for all queries.

Collections (formats in ``../shared/data/README.md``):

- ``anercorp-multiform`` and ``anercorp-clean``: ANERcorp entity queries (people, places,
  organizations) against its 5,084 news sentences; a sentence is relevant at grade ≥ 2;
- ``arcd``: the 693 ARCD train questions against its 460 Wikipedia paragraphs;
- ``arcd+news20k``: the same with the 20,000 news distractor paragraphs added (slow to index);
- ``arcd-titled`` and ``arcd+news20k-titled``: the same with each paragraph's title indexed
  too: its Wikipedia article's (``doc_titles.tsv``), and for a news paragraph its article's
  (from the speed corpus, ``corpus/arabic_news.jsonl.gz``; the distractor's id is
  ``news-<article id>-p<n>``). arsearch gets the title as its title field; a baseline, being
  one field, gets it before the text;
- ``arcd-articles`` and ``arcd-articles+news``: the same questions against whole articles,
  to see a ranking for passages on documents of very different lengths: ARCD's paragraphs
  joined per Wikipedia article (``arcd-a<n>``; an article is relevant if its judged
  paragraph is in it), and with the whole news articles the distractor paragraphs come from
  (their texts from the speed corpus). No targets of their own.

Variants: plain-BM25 baselines (k1 1.2, one Whoosh field, the query's terms OR-ed), differing
only in the analyzer after arsearch's tokenizer: ``raw tokens`` (nothing), ``normalized``
(arsearch's normalizer), ``light10`` (Lucene's Arabic normalizer and stemmer, see
``light10.py``), ``light10+stop`` (the same after Lucene's Arabic stop filter and its
stopword list: what Lucene's ``ArabicAnalyzer`` and the Elasticsearch/OpenSearch ``arabic``
analyzer run, arsearch's tokenizer standing in for Lucene's ``StandardTokenizer``) and
``tashaphyne`` (normalize, then Tashaphyne's light stem). Each baseline runs at every b of
:data:`B_GRID`; the table gives it at Lucene's default b 0.75 and at the b with the best
MRR@10 on the collection's dev part (the search arsearch's own b had), reported on both parts.
Then arsearch itself: ``arsearch`` is ``Index.search(mode="auto")`` as shipped, and the rows
below it are ablations, each changing one thing; an ablation row also counts the held-out
queries whose reciprocal rank (MRR@10) it raises or lowers against ``arsearch``.

Measures, from ir-measures, averaged over every query of the part (a query that returns
nothing scores 0): MRR@10, nDCG@10, Recall@100 and MAP, on the top 100 of each query.
Judgments are binarized at the collection's grade before scoring. The table
(``relevance.md``), every row with every b as JSON (``relevance.json``) and a plot
(``relevance.png``) go to ``--out``; each variant's TREC run file (score = 101 - rank, so
re-scoring keeps arsearch's order) to ``--runs``, if given.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import ir_measures
from _common import DEFAULT_DATA, REPO, commit, news_articles  # benchmarks/_common.py
from ir_measures import AP, RR, R, nDCG
from light10 import Light10Filter, lucene_stop_filter
from tashaphyne.stemming import ArabicLightStemmer
from whoosh import fields as wf
from whoosh import query as wq
from whoosh import scoring
from whoosh.analysis import Filter
from whoosh.filedb.filestore import RamStorage

import arsearch
import arsearch.pipeline.stemming
import arsearch.query
import arsearch.query.builder
import arsearch.query.ranking
from arsearch.analysis import ArabicNormalizeFilter, ArabicTokenizer
from arsearch.pipeline import AnalysisConfig, clear_caches

DEPTH = 100
MEASURES = {"MRR@10": RR @ 10, "nDCG@10": nDCG @ 10, "R@100": R @ 100, "MAP": AP}
#: The BM25 b values each baseline runs at; Lucene's default 0.75 is one of them.
B_GRID = (0.3, 0.5, 0.75, 1.0)
DEFAULT_B = 0.75
#: The share of each collection's queries held out (:func:`part`).
HELD_OUT = 0.3
PARTS = ("dev", "held-out", "all")
#: Targets for arsearch's default on all queries: collection → {measure: minimum}.
TARGETS = {
    "anercorp-multiform": {"MRR@10": 0.93, "R@100": 0.97},
    "anercorp-clean": {"MRR@10": 0.95, "R@100": 0.995},
    "arcd": {"MRR@10": 0.82},
    "arcd+news20k": {"MRR@10": 0.68},
}
TARGETS.update({f"{name}-titled": TARGETS[name] for name in ("arcd", "arcd+news20k")})

csv.field_size_limit(sys.maxsize)


# --- collections --------------------------------------------------------------------
def part(qid: str) -> str:
    """``"held-out"`` for about :data:`HELD_OUT` of query ids, ``"dev"`` for the rest: a
    fixed function of the id (SHA-256), so the split never changes between runs."""
    fraction = int.from_bytes(hashlib.sha256(qid.encode("utf-8")).digest()[:8], "big") / 2**64
    return "held-out" if fraction < HELD_OUT else "dev"


@dataclass
class Collection:
    name: str
    corpus: str  # collections with the same corpus share one index per variant
    docs: Callable[[], list[tuple[str, str, str | None]]]  # (id, text, title or None)
    queries: list[tuple[str, str]]
    qrels: dict[str, dict[str, int]]  # binarized: 1 = relevant


def _rows(path: Path, header: bool) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        if header:
            next(reader)
        yield from reader


def _qrels(path: Path, min_grade: int) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        qid, _, docid, grade = line.split()
        out[qid][docid] = int(int(grade) >= min_grade)
    return dict(out)


def _article_titles(corpus: Path) -> dict[str, str]:
    """The speed corpus's article titles by article id."""
    return {d["id"]: d.get("title") for d in news_articles(corpus)}


def load_collections(data: Path, names: list[str]) -> list[Collection]:
    aner = data / "eval" / "entity" / "anercorp"
    arcd = data / "eval" / "qa" / "arcd"

    def aner_docs():
        return [(r[0], r[2], None) for r in _rows(aner / "docs.tsv", header=False)]

    def arcd_articles(news: bool):
        articles: dict[str, list[str]] = {}
        for r in _rows(arcd / "docs.tsv", header=False):
            articles.setdefault(_article_of(r[0]), []).append(r[1])
        docs = [(a, "\n\n".join(texts), None) for a, texts in articles.items()]
        if news:
            distractors = _rows(arcd / "docs_distractors.tsv", header=False)
            wanted = {_article_of(r[0].removeprefix("news-")) for r in distractors}
            docs += [(f"news-{d['id']}", d["text"], None)
                     for d in news_articles(data / "corpus" / "arabic_news.jsonl.gz") if d["id"] in wanted]
        return docs

    def arcd_docs(titled: bool, news: bool):
        titles = dict(_rows(arcd / "doc_titles.tsv", header=False)) if titled else {}
        docs = [(r[0], r[1], titles.get(r[0])) for r in _rows(arcd / "docs.tsv", header=False)]
        if news:
            articles = _article_titles(data / "corpus" / "arabic_news.jsonl.gz") if titled else {}
            docs += [(r[0], r[1], articles.get(_article_of(r[0].removeprefix("news-"))))
                     for r in _rows(arcd / "docs_distractors.tsv", header=False)]
        if titled:
            untitled = sum(t is None for _, _, t in docs)
            print(f"# {untitled:,} of {len(docs):,} paragraphs have no title", file=sys.stderr)
        return docs

    out = []
    for name in names:
        if name.startswith("anercorp-"):
            which = name.removeprefix("anercorp-")
            queries = [(r[0], r[1]) for r in _rows(aner / f"queries_{which}.tsv", header=True)]
            out.append(Collection(name, "anercorp", aner_docs, queries, _qrels(aner / "qrels.tsv", 2)))
        else:
            queries = [(r[0], r[2]) for r in _rows(arcd / "queries.tsv", header=True) if r[1] == "train"]
            qrels = _qrels(arcd / "qrels.tsv", 1)
            if name.startswith("arcd-articles"):
                qrels = {q: _articles_judged(judged) for q, judged in qrels.items()}
                out.append(Collection(name, name, partial(arcd_articles, name.endswith("+news")), queries, qrels))
                continue
            titled, news = name.endswith("-titled"), "+news20k" in name
            docs = partial(arcd_docs, titled, news)
            out.append(Collection(name, name, docs, queries, qrels))
    return out


def _article_of(paragraph_id: str) -> str:
    """``arcd-a012-p03`` → ``arcd-a012``; ``<article id>-p<n>`` → ``<article id>``."""
    return paragraph_id.rpartition("-p")[0]


def _articles_judged(judged: dict[str, int]) -> dict[str, int]:
    """A question's judgments of paragraphs as judgments of their articles: an article is
    relevant if one of its judged paragraphs is."""
    out: dict[str, int] = {}
    for paragraph, relevant in judged.items():
        article = _article_of(paragraph)
        out[article] = max(out.get(article, 0), relevant)
    return out


COLLECTIONS = ("anercorp-multiform", "anercorp-clean", "arcd", "arcd+news20k", "arcd-titled",
               "arcd+news20k-titled", "arcd-articles", "arcd-articles+news")


# --- baselines: plain BM25 on one field ---------------------------------------------
class TashaphyneFilter(Filter):
    """Tashaphyne's light stem of each (normalized) token, the word itself if it gives none."""

    def __init__(self):
        self._stemmer = ArabicLightStemmer()

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __getstate__(self):
        return {}

    def __setstate__(self, state):
        self._stemmer = ArabicLightStemmer()

    def __call__(self, tokens):
        cache: dict[str, str] = {}
        for t in tokens:
            stem = cache.get(t.text)
            if stem is None:
                stem = cache[t.text] = self._stemmer.light_stem(t.text) or t.text
            t.text = stem
            yield t


def baseline_analyzers():
    return {
        "raw tokens": lambda: ArabicTokenizer(),
        "normalized": lambda: ArabicTokenizer() | ArabicNormalizeFilter(),
        "light10": lambda: ArabicTokenizer() | Light10Filter(),
        "light10+stop": lambda: ArabicTokenizer() | lucene_stop_filter() | Light10Filter(),
        "tashaphyne": lambda: ArabicTokenizer() | ArabicNormalizeFilter() | TashaphyneFilter(),
    }


class Bm25Engine:
    """Plain BM25 over one Whoosh field: the query's analyzed terms, OR-ed; one searcher
    per b of :data:`B_GRID` over the one index."""

    def __init__(self, make_analyzer, docs):
        self.analyzer = make_analyzer()
        schema = wf.Schema(id=wf.ID(stored=True), body=wf.TEXT(analyzer=self.analyzer))
        self.ix = RamStorage().create_index(schema)
        w = self.ix.writer(limitmb=512)
        for docid, text, title in docs:
            w.add_document(id=docid, body=text if title is None else f"{title}\n{text}")
        w.commit()
        self.searchers = {b: self.ix.searcher(weighting=scoring.BM25F(B=b, K1=1.2)) for b in B_GRID}

    def runner(self, b: float):
        searcher = self.searchers[b]

        def search(text: str, k: int) -> list[str]:
            terms = list(dict.fromkeys(t.text for t in self.analyzer(text)))
            if not terms:
                return []
            q = wq.Or([wq.Term("body", t) for t in terms])
            return [searcher.stored_fields(h.docnum)["id"] for h in searcher.search(q, limit=k)]

        return search


# --- arsearch -----------------------------------------------------------------------
def _clear_query_caches() -> None:
    arsearch.query.parse_query.cache_clear()
    arsearch.query.builder.relatives_of.cache_clear()


@contextmanager
def patched(module, attrs: dict):
    """Set module attributes for an ablation, and restore them (and the query cache)."""
    saved = {k: getattr(module, k) for k in attrs}
    for k, v in attrs.items():
        setattr(module, k, v)
    _clear_query_caches()
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(module, k, v)
        _clear_query_caches()


@contextmanager
def protected_names(shipped: bool):
    """With ``shipped`` false, the shipped protected-names list (``arsearch/data/protected.txt``)
    reads as empty, in indexing and in queries alike, until the block ends."""
    if shipped:
        yield
        return
    original = arsearch.pipeline.stemming.word_list

    def word_list(name: str) -> frozenset[str]:
        return frozenset() if name == "protected.txt" else original(name)

    arsearch.pipeline.stemming.word_list = word_list
    clear_caches()
    _clear_query_caches()
    try:
        yield
    finally:
        arsearch.pipeline.stemming.word_list = original
        clear_caches()
        _clear_query_caches()


class ArsearchEngine:
    def __init__(self, config: AnalysisConfig, docs):
        self.ix = arsearch.Index(config=config)
        self.ix.add_many({"id": d, "text": t, "title": title} for d, t, title in docs)
        self.ix.optimize()

    def runner(self, mode: str = "auto", options: tuple = ()):
        def search(text: str, k: int) -> list[str]:
            return [h.id for h in self.ix.search(text, limit=k, mode=mode, **dict(options))]

        return search


@dataclass(frozen=True)
class ArsearchVariant:
    name: str
    config: AnalysisConfig = field(default_factory=AnalysisConfig)
    mode: str = "auto"
    patches: tuple = ()  # ((attribute of arsearch.query.ranking, value), ...)
    protected: bool = True  # the shipped protected-names list in use
    options: tuple = ()  # ((keyword of Index.search, value), ...)


def arsearch_variants() -> list[ArsearchVariant]:
    """arsearch as shipped, then ablations: each changes one thing of the default."""
    from dataclasses import replace

    from arsearch.query import RANKINGS, Ranking

    name, question = RANKINGS["name"], RANKINGS["question"]
    first_cut = Ranking((1.0, 0.6, 0.4))  # before this benchmark: one ranking for every query

    def rankings(**kinds):
        return (("RANKINGS", {"name": name, "question": question, **kinds}),)

    light = AnalysisConfig()
    # The framing words without the bare article, which is no word (a question cut off after ال).
    no_framing = (("QUESTION_FRAME_WORDS", ("ال",)),)
    return [
        ArsearchVariant("arsearch"),
        ArsearchVariant("arsearch mode=any", light, "any"),
        ArsearchVariant("arsearch mode=all", light, "all"),
        ArsearchVariant("arsearch first cut (one ranking)", light, "auto",
                        rankings(name=first_cut, question=first_cut) + (("DROP_QUESTION_WORDS", False),)),
        ArsearchVariant("- no protected names", light, "auto", protected=False),
        ArsearchVariant("- names: b 0.75", light, "auto", rankings(name=replace(name, b=0.75))),
        ArsearchVariant("- names: no proximity", light, "auto", rankings(name=replace(name, proximity=0.0))),
        ArsearchVariant("- names: BM25+ delta 1", light, "auto", rankings(name=replace(name, delta=1.0))),
        ArsearchVariant("- names: exact view only", light, "auto",
                        rankings(name=replace(name, views=(1.0, 1e-6, 1e-6)))),
        ArsearchVariant("- questions: tiered", light, "auto", rankings(question=replace(question, tiered=True))),
        ArsearchVariant("- questions: no coord", light, "auto", rankings(question=replace(question, coord=0.0))),
        ArsearchVariant("- questions: name views", light, "auto",
                        rankings(question=replace(question, views=name.views))),
        ArsearchVariant("- questions: keep interrogatives", light, "auto", (("DROP_QUESTION_WORDS", False),)),
        ArsearchVariant("- questions: keep framing words", light, "auto", no_framing),
        ArsearchVariant("- questions: no verb forms", light, "auto",
                        rankings(question=replace(question, verb_forms=0.0))),
        ArsearchVariant("- questions: no lead bonus", light, "auto", rankings(question=replace(question, lead=0.0))),
        ArsearchVariant("- questions: no relatives of the root", light, "auto",
                        rankings(question=replace(question, derived=0.0))),
        ArsearchVariant("- questions: BM25 b 0.75 (no delta)", light, "auto",
                        rankings(question=replace(question, b=0.75, delta=0.0))),
        ArsearchVariant("- questions: BM25 b 1 (no delta)", light, "auto", rankings(question=replace(question, delta=0.0))),
        ArsearchVariant("- questions: b 0.75", light, "auto", rankings(question=replace(question, b=0.75))),
        ArsearchVariant("- questions: BM25+ delta 1", light, "auto", rankings(question=replace(question, delta=1.0))),
        ArsearchVariant("- questions: title 1.5 (the names')", light, "auto",
                        rankings(question=replace(question, title=name.title))),
        ArsearchVariant("arsearch before framing words, verb forms, lead", light, "auto",
                        rankings(question=replace(question, verb_forms=0.0, lead=0.0, derived=0.0)) + no_framing),
        ArsearchVariant("arsearch stemmer=tashaphyne", AnalysisConfig(stemmer="tashaphyne")),
        ArsearchVariant("+ Arabic spelling variants (off by default)", light, "auto",
                        options=(("spelling_variants", True),)),
    ]


# --- running and scoring --------------------------------------------------------------
@dataclass
class Row:
    collection: str
    variant: str
    scores: dict[str, dict[str, float]]  # part → measure → mean
    index_s: float
    query_ms: float
    empty: int
    b: float | None = None  # a baseline's BM25 b
    per_query: dict[str, float] = field(default_factory=dict, repr=False)  # qid → RR@10


def run_queries(search, queries, k) -> tuple[dict[str, list[str]], float, int]:
    run, empty = {}, 0
    start = time.perf_counter()
    for qid, text in queries:
        run[qid] = search(text, k)
        empty += not run[qid]
    ms = (time.perf_counter() - start) * 1000 / max(len(queries), 1)
    return run, ms, empty


def score(run: dict[str, list[str]], coll: Collection) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Each measure's mean over each part's judged queries, and each query's RR@10."""
    qids = [q for q, _ in coll.queries if q in coll.qrels]
    qrels = [ir_measures.Qrel(q, d, g) for q in qids for d, g in coll.qrels[q].items()]
    scored = [ir_measures.ScoredDoc(q, d, float(DEPTH + 1 - i)) for q in qids for i, d in enumerate(run.get(q, []))]
    by_measure = {m: name for name, m in MEASURES.items()}
    values: dict[str, dict[str, float]] = {name: {q: 0.0 for q in qids} for name in MEASURES}
    for metric in ir_measures.iter_calc(list(MEASURES.values()), qrels, scored):
        values[by_measure[metric.measure]][metric.query_id] = metric.value
    members = {p: [q for q in qids if p == "all" or part(q) == p] for p in PARTS}
    means = {p: {name: sum(values[name][q] for q in qs) / len(qs) if qs else 0.0 for name in MEASURES}
             for p, qs in members.items()}
    return means, values["MRR@10"]


def write_run(path: Path, run: dict[str, list[str]], tag: str) -> None:
    with path.open("w", encoding="utf-8") as f:
        for qid, docs in run.items():
            for i, d in enumerate(docs):
                f.write(f"{qid} Q0 {d} {i + 1} {DEPTH + 1 - i} {tag}\n")


def evaluate(collections: list[Collection], variant_filter, runs_dir: Path | None) -> list[Row]:
    rows: list[Row] = []
    if runs_dir:
        runs_dir.mkdir(parents=True, exist_ok=True)
    by_corpus: dict[str, list[Collection]] = defaultdict(list)
    for c in collections:
        by_corpus[c.corpus].append(c)
    for corpus, colls in by_corpus.items():
        docs = colls[0].docs()
        print(f"# {corpus}: {len(docs):,} documents", file=sys.stderr)
        engines = []  # (variant name, b, index seconds, search function, patches, protected)
        for name, make in baseline_analyzers().items():
            if not variant_filter(name):
                continue
            t0 = time.perf_counter()
            eng = Bm25Engine(make, docs)
            secs = time.perf_counter() - t0
            engines += [(name, b, secs, eng.runner(b), {}, True) for b in B_GRID]
        built: dict[tuple[AnalysisConfig, bool], tuple[ArsearchEngine, float]] = {}
        for v in arsearch_variants():
            if not variant_filter(v.name):
                continue
            key = (v.config, v.protected)
            if key not in built:
                t0 = time.perf_counter()
                with protected_names(v.protected):
                    built[key] = (ArsearchEngine(v.config, docs), time.perf_counter() - t0)
            eng, secs = built[key]
            engines.append((v.name, None, secs, eng.runner(v.mode, v.options), dict(v.patches), v.protected))
        for coll in colls:
            for name, b, secs, search, patches, protected in engines:
                with protected_names(protected), patched(arsearch.query.ranking, patches):
                    run, ms, empty = run_queries(search, coll.queries, DEPTH)
                label = name if b is None else f"{name} b {b}"
                if runs_dir:
                    tag = "_".join(re.findall(r"[\w.]+", label.replace("=", "-")))
                    write_run(runs_dir / f"{coll.name}.{tag}.trec", run, tag)
                means, rr = score(run, coll)
                rows.append(Row(coll.name, name, means, secs, ms, empty, b, rr))
                print(f"  {coll.name:20s} {label:40s} "
                      + "  ".join(f"{p} " + " ".join(f"{v:.3f}" for v in means[p].values()) for p in PARTS)
                      + f"  ({ms:.1f} ms/q)", file=sys.stderr)
    return rows


# --- reporting -----------------------------------------------------------------------
BASELINES = tuple(baseline_analyzers())


def chosen_b(rows: list[Row]) -> dict[tuple[str, str], float]:
    """(collection, baseline) → the b of :data:`B_GRID` with the best dev MRR@10 (the
    lower b on a tie)."""
    best: dict[tuple[str, str], Row] = {}
    for r in rows:
        if r.b is None:
            continue
        key = (r.collection, r.variant)
        if key not in best or r.scores["dev"]["MRR@10"] > best[key].scores["dev"]["MRR@10"]:
            best[key] = r
    return {key: r.b for key, r in best.items()}


def shown_rows(rows: list[Row]) -> list[tuple[str, Row]]:
    """The rows the table shows, labelled: each baseline at b 0.75 and at its chosen b,
    then arsearch's rows in order."""
    chosen = chosen_b(rows)
    out = []
    for r in rows:
        if r.b is None:
            out.append((r.variant, r))
        elif r.b == DEFAULT_B:
            out.append((f"{r.variant} (b 0.75)", r))
            b = chosen[(r.collection, r.variant)]
            tuned = next(t for t in rows if t.collection == r.collection and t.variant == r.variant and t.b == b)
            out.append((f"{r.variant} (b {b:g}, chosen on dev)", tuned))
    return out


def _cell(scores: dict[str, float]) -> str:
    return " / ".join(f"{scores[m]:.3f}" for m in MEASURES)


def table(rows: list[Row], header: str = "") -> str:
    lines = [header] if header else []
    for coll in dict.fromkeys(r.collection for r in rows):
        sub = [r for r in rows if r.collection == coll]
        shown = shown_rows(sub)
        counts = {p: len([q for q in sub[0].per_query if p == "all" or part(q) == p]) for p in PARTS}
        best = {p: max((r.scores[p]["MRR@10"] for r in sub if r.b is not None), default=0.0) for p in PARTS}
        default = next((r for r in sub if r.variant == "arsearch"), None)
        targets = TARGETS.get(coll, {})
        lines.append(f"\n### {coll}: a tuning set (targets for arsearch on all queries: "
                     + (", ".join(f"{m} ≥ {v}" for m, v in targets.items()) or "none") + ")\n")
        lines.append(f"Each cell is {' / '.join(MEASURES)}. Parts: dev {counts['dev']} queries, "
                     f"held-out {counts['held-out']}, all {counts['all']}.\n")
        lines.append("| variant | dev | held-out | all | held-out MRR@10 / best baseline's"
                     " | held-out queries up / down vs arsearch | index s | ms/query | empty |")
        lines.append("|---|---|---|---|---:|---:|---:|---:|---:|")
        for label, r in shown:
            ratio = f"{r.scores['held-out']['MRR@10'] / best['held-out']:.3f}" if best["held-out"] else "-"
            updown = "-"
            if default is not None and r.b is None and r is not default:
                diffs = [r.per_query[q] - default.per_query[q] for q in r.per_query if part(q) == "held-out"]
                updown = f"+{sum(d > 1e-9 for d in diffs)} / −{sum(d < -1e-9 for d in diffs)}"
            name = f"**{label}**" if r is default else label
            lines.append(f"| {name} | " + " | ".join(_cell(r.scores[p]) for p in PARTS)
                         + f" | {ratio} | {updown} | {r.index_s:.1f} | {r.query_ms:.1f} | {r.empty} |")
        if default and targets:
            verdict = ", ".join(
                f"{m} {default.scores['all'][m]:.3f} {'≥' if default.scores['all'][m] >= v else '<'} {v} "
                f"({'met' if default.scores['all'][m] >= v else 'MISSED'})"
                for m, v in targets.items()
            )
            lines.append(f"\narsearch default vs targets (all queries): {verdict}")
        grid = ", ".join(
            f"{name} "
            + " ".join(f"{r.b:g}:{r.scores['dev']['MRR@10']:.3f}" for r in sub if r.variant == name and r.b is not None)
            for name in BASELINES if any(r.variant == name for r in sub)
        )
        if grid:
            lines.append(f"\nBaselines' dev MRR@10 at each b: {grid}")
    return "\n".join(lines)


def to_json(rows: list[Row]) -> list[dict]:
    chosen = chosen_b(rows)
    return [{"collection": r.collection, "variant": r.variant, "b": r.b,
             "b_chosen_on_dev": r.b is not None and chosen[(r.collection, r.variant)] == r.b,
             "scores": r.scores, "index_s": round(r.index_s, 2), "ms_per_query": round(r.query_ms, 2),
             "empty": r.empty} for r in rows]


def plot(rows: list[Row], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colls = list(dict.fromkeys(r.collection for r in rows))
    bars = [("dev", "MRR@10"), ("held-out", "MRR@10"), ("dev", "R@100"), ("held-out", "R@100")]
    fig, axes = plt.subplots(len(colls), 1, figsize=(16, 4.0 * len(colls)), squeeze=False)
    for ax, coll in zip(axes[:, 0], colls):
        sub = shown_rows([r for r in rows if r.collection == coll])
        width = 0.8 / len(bars)
        for j, (p, m) in enumerate(bars):
            xs = [i + j * width for i in range(len(sub))]
            ax.bar(xs, [r.scores[p][m] for _, r in sub], width, label=f"{m} {p}")
        for m, v in TARGETS.get(coll, {}).items():
            ax.axhline(v, linestyle="--", linewidth=0.8, color="grey")
            ax.text(len(sub) - 0.2, v, f"target {m} (all queries)", fontsize=7, va="bottom", ha="right")
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(sub))])
        ax.set_xticklabels([label for label, _ in sub], rotation=25, ha="right", fontsize=7)
        ax.set_ylim(0, 1.05)
        ax.set_title(f"{coll} (a tuning set; held-out: about {HELD_OUT:.0%} of its queries)")
        ax.legend(fontsize=7, ncol=len(bars), loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data directory (holds eval/)")
    p.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out",
                   help="where relevance.md, relevance.json and relevance.png go")
    p.add_argument("--runs", type=Path, help="where each variant's TREC run file goes (default: none written)")
    p.add_argument("--collections", nargs="+", choices=COLLECTIONS, default=list(COLLECTIONS))
    p.add_argument("--variants", nargs="+", metavar="NAME",
                   help="only variants whose name contains one of these (default: all)")
    args = p.parse_args(argv)
    if not (args.data / "eval").is_dir():
        p.error(f"no eval/ under {args.data}: pass --data pointing at the shared data directory")
    args.out.mkdir(parents=True, exist_ok=True)

    def wanted(name: str) -> bool:
        return not args.variants or any(v in name for v in args.variants)

    rows = evaluate(load_collections(args.data, args.collections), wanted, args.runs)
    command = " ".join(["python benchmarks/relevance.py", *(argv if argv is not None else sys.argv[1:])])
    header = (f"# Relevance: arsearch and plain-BM25 baselines\n\n`{command}` on `{commit()}`. Every "
              f"collection here is a tuning set: its queries are the ones arsearch's ranking was chosen "
              f"on. The held-out part (about {HELD_OUT:.0%} of each collection's queries, by a hash of "
              f"the query id) was split off after those choices: it is held out from choices made from "
              f"now on, such as each baseline's b (chosen on dev).")
    text = table(rows, header)
    print(text)
    (args.out / "relevance.md").write_text(text + "\n", encoding="utf-8")
    (args.out / "relevance.json").write_text(
        json.dumps({"command": command, "commit": commit(), "held_out_share": HELD_OUT, "b_grid": B_GRID,
                    "rows": to_json(rows)}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    plot(rows, args.out / "relevance.png")
    print(f"\nrelevance.md, relevance.json and relevance.png written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

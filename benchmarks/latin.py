"""Does a name typed in Latin script (Haftar) find its Arabic documents (حفتر) through ``Index.search``?

End to end, on one index and in one run, arsearch's Latin names against no Latin support
and a letter-by-letter romanization with fuzzy matching. One command::

    python benchmarks/latin.py --corpus ../shared/data/corpus/arabic_news.jsonl.gz \\
        --names ../shared/data/eval/translit/names_dev.tsv --out benchmarks/results

Protocol:

- **index**: one :class:`arsearch.Index` on disk in a temporary folder, one ``add_many``:
  the first ``--docs`` articles of the news corpus (id, title, text: real vocabulary as
  distractors) and, for each distinct gold Arabic spelling of the names file (every form
  of every row), one short document ``gold-N``: the spelling and a fixed neutral sentence
  (:data:`FILLER`);
- **queries**: each row's Latin name, searched once per method with ``limit=10`` (the
  default ``mode="auto"``); ``--limit-queries N`` takes N rows drawn with ``--seed``;
- **success at k**: a top-k hit whose title and text (``Index.get``) hold one of the row's
  gold spellings as whole words, after ``arsearch.tokenize`` and ``arsearch.normalize`` of
  both (a multi-word spelling as the same run of words). Recall@1/5/10 per type (PER,
  LOC) and over all rows; Recall@1/10 also by how many news articles hold the row's gold
  (:data:`HELD_SLICES`: a famous name, or one only its gold document holds);
- **methods**, on the same index: ``arsearch`` (``latin_names=True``, the default);
  ``no Latin support`` (``latin_names=False``: the Latin words as written);
  ``romanize+fuzzy``: every clitic-view term of the index written one Latin string per
  Arabic letter (``latin_core.romanize``), and for each Latin word (``latin_words``,
  folded by ``fold_latin``) the 5 terms whose romanization has the best ``fuzz.ratio``
  (document frequency breaking ties), searched as the Arabic query ``(a OR b …) (c OR d …)``;
  and, as a reference and no competitor, the row's gold spellings typed in Arabic
  (``a OR b``): what the index and the success measure allow;
- **alternatives per unit**: how many Arabic alternatives ``latin_alternatives`` gives each
  name unit of a query (at most 5; one alternative may be two words, Abdelaziz: عبد العزيز),
  on a fresh index after the recall pass, timed; a query's gold is **among them** when every
  word of one of its gold spellings, in a clitic-view reading, is a word of its alternatives,
  which splits arsearch's misses into those of the alternatives and those of the ranking;
- **latency**: per method, p50/p95 of the searches of the recall pass (the fuzzy
  baseline's expansion timed apart). Then the target's own pass, on a fresh ``Index``
  before any other search: the one-word rows (one Latin word, a one-word first gold form),
  each searched once in Latin and once as that gold form in Arabic, interleaved query by
  query, after a warm-up over ``--warmup`` other rows; the Arabic list is rotated by half,
  so a row's two queries are far apart and neither warms the other's postings for it. The
  first Arabic and the first Latin query on the fresh index (the Latin one builds the key
  groups of the index's terms) are timed apart;
- **Arabic queries unchanged**: ``--unchanged`` Arabic queries (gold spellings and the
  100 most frequent body terms), each searched with and without ``latin_names``: the
  number whose ids, scores or totals differ.

``latin.md``, ``latin.json`` and ``latin.png`` (Recall@1 and @10 per method and type) go to
``--out``. The first misses are printed only: they are rows of the evaluation set.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import functools
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from _common import commit, news_articles  # benchmarks/_common.py
from latin_core import romanize

import arsearch
from arsearch import normalize, tokenize
from arsearch.pipeline.latin import fold_latin, latin_words
from arsearch.pipeline.lexicon import stopwords
from arsearch.query.clauses import latin_units
from arsearch.schema import FIELDS, field_name
from arsearch.topk.names import latin_alternatives

KS = (1, 5, 10)
LIMIT = 10
TYPES = ("PER", "LOC", "all")
#: The text of a gold document after its spelling: "the name appeared in this report".
FILLER = "ورد الاسم في هذا الخبر"
FUZZY_TERMS = 5
FREQUENT_WORDS = 100
#: The letters of a normalized Arabic word (no ى ة أ إ آ ؤ ئ: normalization folds them).
ARABIC_LETTERS = frozenset("ابتثجحخدذرزسشصضطظعغفقكلمنهويء")
REFERENCE = "Arabic typed (reference)"
METHODS = ("arsearch", "no Latin support", "romanize+fuzzy", REFERENCE)
#: The issue's targets for arsearch, over all rows.
TARGETS = {"R@1": 0.75, "R@10": 0.95}


# --- the data -----------------------------------------------------------------------
def words_of(text: str) -> tuple[str, ...]:
    """``text`` as the normalized words success is judged on."""
    return tuple(w for w in (normalize(t.text) for t in tokenize(text)) if w)


def read_names(path: Path, limit: int | None, seed: int) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    if limit is not None and limit < len(rows):
        keep = set(random.Random(seed).sample(range(len(rows)), limit))
        rows = [row for i, row in enumerate(rows) if i in keep]
    for row in rows:
        row["forms"] = row["arabic_forms"].split("|")
        row["gold"] = [" " + " ".join(words_of(form)) + " " for form in row["forms"]]
        row["units"] = latin_words(row["latin"])
    return rows


def documents(corpus: Path, n: int, spellings: list[str]) -> Iterator[dict]:
    for i, article in enumerate(news_articles(corpus)):
        if i >= n:
            break
        yield {"id": str(article["id"]), "title": article.get("title") or "", "text": article["text"]}
    for i, spelling in enumerate(spellings):
        yield {"id": f"gold-{i}", "text": f"{spelling} {FILLER}"}


class Judge:
    """Whether a hit holds a row's gold spelling: each document's words, read once."""

    def __init__(self, ix: arsearch.Index):
        self.ix = ix
        self.words: dict[str, str] = {}

    def holds(self, doc_id: str, row: dict) -> bool:
        text = self.words.get(doc_id)
        if text is None:
            doc = self.ix.get(doc_id)
            text = self.words[doc_id] = " " + " ".join(words_of(f"{doc.title or ''}\n{doc.text}")) + " "
        return any(gold.strip() and gold in text for gold in row["gold"])

    def first_rank(self, hits, row: dict) -> float:
        """The rank of the first hit holding a gold spelling (inf: none in the top 10)."""
        return next((k for k, hit in enumerate(hits, 1) if self.holds(hit.id, row)), math.inf)


# --- the fuzzy baseline ---------------------------------------------------------------
class RomanizeFuzzy:
    """Each Latin word to the 5 index terms whose letter-by-letter romanization is nearest
    (rapidfuzz's ``fuzz.ratio``), searched as ``(a OR b …) (c OR d …)``."""

    def __init__(self, ix: arsearch.Index):
        from rapidfuzz import fuzz, process

        self.fuzz, self.process = fuzz, process
        reader = ix._searcher().reader()
        df: dict[str, int] = {}
        for f in FIELDS:
            for btext, info in reader.iter_field(field_name(f, "clitic")):
                term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                df[term] = max(df.get(term, 0), info.doc_frequency())
        self.df = {term: n for term, n in df.items() if romanize(term)}
        self.terms = list(self.df)
        self.romanized = [romanize(term) for term in self.terms]
        self.kept: dict[str, tuple[str, ...]] = {}

    def nearest(self, unit: str) -> tuple[str, ...]:
        if unit not in self.kept:
            folded = (fold_latin(unit) or "").replace("-", "").replace("'", "").replace(" ", "")
            hits = self.process.extract(folded, self.romanized, scorer=self.fuzz.ratio, limit=50) if folded else []
            hits.sort(key=lambda h: (-round(h[1], 6), -self.df[self.terms[h[2]]], self.terms[h[2]]))
            self.kept[unit] = tuple(self.terms[h[2]] for h in hits[:FUZZY_TERMS])
        return self.kept[unit]

    def query(self, latin: str) -> str:
        groups = [self.nearest(unit) for unit in latin_words(latin)]
        groups = [g for g in groups if g]
        if len(groups) == 1:
            return " OR ".join(groups[0])
        return " ".join("(" + " OR ".join(g) + ")" for g in groups)


# --- measuring ------------------------------------------------------------------------
def percentile(xs: list[float], p: float) -> float:
    return float(np.percentile(xs, p)) if xs else math.nan


def timed_search(ix: arsearch.Index, query: str, **kwargs) -> tuple[list, float]:
    start = time.perf_counter()
    hits = ix.search(query, limit=LIMIT, **kwargs) if query else []
    return hits, (time.perf_counter() - start) * 1000


def one_word(row: dict) -> bool:
    return len(row["latin"].split()) == 1 and len(row["units"]) == 1 and len(row["forms"][0].split()) == 1


def latency_pass(ix: arsearch.Index, rows: list[dict], warmup: int) -> dict:
    """One-word Latin queries against their gold forms in Arabic, on a fresh index."""
    measured = [row for row in rows if one_word(row)]
    others = [row for row in rows if not one_word(row)]
    while len(others) < warmup + 2 and len(measured) > 2:
        others.append(measured.pop())
    warm = others[: warmup + 2]
    _, first_arabic = timed_search(ix, warm[0]["forms"][0])
    _, first_latin = timed_search(ix, warm[1]["latin"])
    for row in warm[2:]:
        timed_search(ix, row["latin"])
        timed_search(ix, row["forms"][0])
    n = len(measured)
    latin_ms, arabic_ms = [], []
    for i in range(n):
        latin_ms.append(timed_search(ix, measured[i]["latin"])[1])
        arabic_ms.append(timed_search(ix, measured[(i + n // 2) % n]["forms"][0])[1])
    p50_latin, p50_arabic = statistics.median(latin_ms), statistics.median(arabic_ms)
    return {
        "n": n, "warmup": len(warm) - 2,
        "latin_p50": p50_latin, "latin_p95": percentile(latin_ms, 95),
        "arabic_p50": p50_arabic, "arabic_p95": percentile(arabic_ms, 95),
        "ratio_p50": p50_latin / p50_arabic,
        "first_arabic_ms": first_arabic, "first_latin_ms": first_latin,
    }


def recall_pass(ix: arsearch.Index, rows: list[dict], fuzzy: RomanizeFuzzy) -> dict:
    judge = Judge(ix)
    ranks: dict[str, list[float]] = {m: [] for m in METHODS}
    times: dict[str, list[float]] = {m: [] for m in METHODS}
    expansion_ms: list[float] = []
    for row in rows:
        for method in METHODS:
            kwargs = {}
            if method == "romanize+fuzzy":
                start = time.perf_counter()
                query = fuzzy.query(row["latin"])
                expansion_ms.append((time.perf_counter() - start) * 1000)
            elif method == REFERENCE:
                query = " OR ".join(f'"{form}"' if " " in form.strip() else form for form in row["forms"])
            else:
                query = row["latin"]
                kwargs = {"latin_names": method == "arsearch"}
            hits, ms = timed_search(ix, query, **kwargs)
            ranks[method].append(judge.first_rank(hits, row))
            times[method].append(ms)
    return {"ranks": ranks, "times": times, "expansion_ms": expansion_ms}


#: How often the news articles hold a row's gold spelling: the slices the recall is also told by.
HELD_SLICES = (("only its gold document", 0, 0), ("1 to 9 articles", 1, 9), ("10 articles or more", 10, math.inf))


def held_by_articles(ix: arsearch.Index, rows: list[dict], spellings: list[str]) -> list[int]:
    """Per row, in how many of the news articles its likeliest-held gold spelling stands: the
    body's exact view counts documents holding each word, the gold documents' own counted
    out; a spelling of several words counts as its rarest word (an upper bound). A famous
    name (Assad, Gaza) is held often; a name the corpus never writes only by its gold
    document."""
    reader = ix._searcher().reader()
    body = field_name("body", "exact")
    in_gold = Counter(w for spelling in spellings for w in set(words_of(spelling)))

    def articles(word: str) -> int:
        return max(reader.doc_frequency(body, word) - in_gold[word], 0)

    return [max((min(articles(w) for w in words) for words in map(words_of, row["forms"]) if words), default=0)
            for row in rows]


def _held(found: dict, phrase: str) -> bool:
    return bool(found.get(phrase))


def alternatives(ix: arsearch.Index, rows: list[dict]) -> dict:
    """arsearch's alternatives, on a fresh index: how many each name unit gets, per type,
    how many are two words or more, the time to find them (per unit), and whether a
    row's gold spelling is among them (every word of a spelling, in one of its clitic-view
    readings: كافوري or افوري, is a clitic-view term of a word of an alternative of the
    query). The units are the search's: a place's name of several words the exonym table
    gives is one, when the index holds it (each unit the syntax names is timed, as the search
    finds them all)."""
    searcher = ix._searcher()
    clitic = functools.partial(ix.config.view_term, view="clitic")
    counts: dict[str, list[int]] = defaultdict(list)
    several, ms, offered = 0, [], []
    for row in rows:
        words = set()
        found_for = {}
        for unit in latin_units(row["latin"]):  # as the search finds them: a place's phrase and its words
            start = time.perf_counter()
            found_for[unit] = latin_alternatives(searcher, unit, clitic)
            ms.append((time.perf_counter() - start) * 1000)
        for unit in latin_units(row["latin"], phrases=functools.partial(_held, found_for)):
            found = found_for[unit]
            counts[row["type"]].append(len(found))
            counts["all"].append(len(found))
            several += sum(len(alt) > 1 for alt, _ in found)
            words.update(t for alt, _ in found for w in alt for t in ix.config.view_terms(w, "clitic"))
        offered.append(any(gold and all(words.intersection(ix.config.view_terms(w, "clitic")) for w in gold)
                           for gold in (words_of(form) for form in row["forms"])))
    return {"counts": counts, "several": several, "ms": ms, "offered": offered}


def unchanged(ix: arsearch.Index, rows: list[dict], n: int, seed: int) -> dict:
    """How many Arabic queries the Latin support changes (ids, scores or totals)."""
    reader = ix._searcher().reader()
    body = field_name("body", "exact")
    frequent = sorted(((info.doc_frequency(), t.decode("utf-8") if isinstance(t, bytes) else t)
                       for t, info in reader.iter_field(body)), reverse=True)
    stop = stopwords()
    words = [t for _, t in frequent if len(t) >= 3 and set(t) <= ARABIC_LETTERS and t not in stop][:FREQUENT_WORDS]
    spellings = sorted({form for row in rows for form in row["forms"]})
    queries = random.Random(seed).sample(spellings, min(max(n - len(words), 0), len(spellings))) + words
    differ = []
    for q in queries:
        with_latin, without = ix.search(q, limit=LIMIT), ix.search(q, limit=LIMIT, latin_names=False)
        if ([(h.id, h.score) for h in with_latin] != [(h.id, h.score) for h in without]
                or with_latin.total != without.total):
            differ.append(q)
    for q in differ[:10]:  # console only: gold spellings are rows of the evaluation set
        print(f"changed\t{q}")
    return {"queries": len(queries), "gold_spellings": len(queries) - len(words), "frequent_words": len(words),
            "differ": len(differ)}


# --- the report -----------------------------------------------------------------------
def recall_table(result: dict) -> list[str]:
    lines = [
        "| method | type | n | R@1 | R@5 | R@10 | alternatives per unit | gold among them | search p50 ms | p95 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for method in METHODS:
        for kind in TYPES:
            cell = result["recall"][method][kind]
            alt = result["alternatives"].get(method, {}).get(kind)
            offered = result["gold_offered"][kind] if method == "arsearch" else None
            lat = result["latency"][method][kind]
            lines.append(f"| {method} | {kind} | {cell['n']} | {cell['R@1']:.3f} | {cell['R@5']:.3f} | "
                         f"{cell['R@10']:.3f} | {'' if alt is None else f'{alt:.2f}'} | "
                         f"{'' if offered is None else f'{offered:.3f}'} | {lat['p50']:.1f} | {lat['p95']:.1f} |")
    return lines


def report(result: dict) -> str:
    run, lat, unc = result["run"], result["one_word_latency"], result["unchanged"]
    fuzzy_exp = result["latency"]["romanize+fuzzy"]["expansion"]
    alt, misses = result["alternatives_detail"], result["misses"]
    segments = f"{result['index']['segments']} segment{'s' if result['index']['segments'] > 1 else ''}"
    lines = [
        "# Latin names end to end: `Index.search` with limit=10",
        "",
        f"Run on {run['date']} at commit {run['commit']}: `{run['command']}` "
        f"({run['cpus']} CPUs, 1-minute load average {run['load'][0]:.1f} at the start, {run['load'][1]:.1f} at the end; "
        f"{run['seconds'] / 60:.1f} min in all).",
        "",
        f"Index: {result['index']['articles']:,} news articles and {result['index']['gold_docs']:,} gold documents "
        f"(one per distinct gold spelling: the spelling and \"{FILLER}\"), built in "
        f"{result['index']['build_s']:.0f} s ({segments}). "
        f"Queries: the {result['queries']} rows of `{run['names']}`. A query succeeds at k when a top-k hit's title "
        "and text hold one of its gold spellings as whole words (normalized). "
        f"Targets for arsearch: R@10 ≥ {TARGETS['R@10']}, R@1 ≥ {TARGETS['R@1']}.",
        "",
        "### Recall",
        "",
        *recall_table(result),
        "",
        f"- *{REFERENCE}*: the row's gold spellings themselves searched in Arabic (`a OR b`), not a competitor: "
        "what the index and the success measure allow (the clitic view writes العباس and عباس alike, so a "
        "document holding عباس may outrank the one holding العباس).",
        f"- *alternatives per unit*: arsearch's Arabic alternatives per Latin name unit ({alt['units']} units; "
        f"{alt['zero']} with none, at most {alt['max']}; {alt['two_words']} alternatives of two words, Abdelaziz: "
        f"عبد العزيز); romanize+fuzzy adds {FUZZY_TERMS} terms per word by construction. *gold among them*: the "
        "share of queries with every word of a gold spelling among the words of their alternatives (compared in "
        "the clitic view: الكيب holds كيب); a place's name the exonym table gives in several words (East Jerusalem) "
        "is one unit when the index holds it.",
        f"- Misses of arsearch at 10: {misses['n']}; {misses['gold_offered']} of them had the gold among their "
        f"alternatives (lost in the ranking of the hits), {misses['n'] - misses['gold_offered']} had not.",
        "- *search p50/p95*: the recall pass, every method on the same warm index (arsearch's alternatives "
        f"found in the timed search). Finding one unit's alternatives on a fresh reader: p50 {alt['p50_ms']:.2f} ms, "
        f"p95 {alt['p95_ms']:.2f} ms. romanize+fuzzy's expansion, apart: p50 {fuzzy_exp['p50']:.1f} ms, "
        f"p95 {fuzzy_exp['p95']:.1f} ms per query over {result['fuzzy_vocabulary']:,} romanized clitic-view terms.",
        "",
        "### By how often the articles hold the name",
        "",
        "| gold spelling held by | n | arsearch R@1 | arsearch R@10 | Arabic typed R@1 | Arabic typed R@10 |",
        "|---|---:|---:|---:|---:|---:|",
        *(f"| {name} | {cell['n']} | {cell['arsearch R@1']:.3f} | {cell['arsearch R@10']:.3f} | "
          f"{cell[REFERENCE + ' R@1']:.3f} | {cell[REFERENCE + ' R@10']:.3f} |"
          for name, cell in result["held_slices"].items()),
        "",
        f"How many of the {result['index']['articles']:,} news articles hold a row's gold spelling (the body's exact "
        "view, the gold documents counted out; a spelling of several words by its rarest word). A name the articles "
        "write often is what a user of a news archive most often looks for; the gold documents make every row "
        "findable, so most rows are names the corpus never writes.",
        "",
        "### One-word queries: Latin against Arabic, same index",
        "",
        "| queries | n | p50 ms | p95 ms |",
        "|---|---:|---:|---:|",
        f"| Latin (one word, arsearch) | {lat['n']} | {lat['latin_p50']:.2f} | {lat['latin_p95']:.2f} |",
        f"| Arabic (its first gold form) | {lat['n']} | {lat['arabic_p50']:.2f} | {lat['arabic_p95']:.2f} |",
        "",
        f"Latin p50 ÷ Arabic p50: **{lat['ratio_p50']:.2f}×** (target ≤ 3×). Fresh index, each query once, "
        f"interleaved, after a warm-up of {lat['warmup']} other rows in both scripts. One-time costs on the fresh "
        f"index: its first Arabic query {lat['first_arabic_ms']:.0f} ms, then its first Latin query "
        f"{lat['first_latin_ms']:.0f} ms (grouping the index's terms by consonant keys, once per process).",
        "",
        "### Arabic queries unchanged",
        "",
        f"{unc['queries']} Arabic queries ({unc['gold_spellings']} gold spellings, {unc['frequent_words']} most "
        f"frequent body terms), searched with and without `latin_names`: **{unc['differ']}** differ in ids, scores "
        "or totals.",
    ]
    return "\n".join(lines)


def plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    width = 0.8 / len(METHODS)
    for ax, k in zip(axes, ("R@1", "R@10")):
        for i, method in enumerate(METHODS):
            values = [result["recall"][method][kind][k] for kind in TYPES]
            ax.bar([x + i * width for x in range(len(TYPES))], values, width, label=method)
        ax.set_xticks([x + width * (len(METHODS) - 1) / 2 for x in range(len(TYPES))], TYPES)
        ax.axhline(TARGETS[k], color="black", linestyle="--", linewidth=0.8)
        ax.set_title(f"{k}, {result['queries']} Latin names (dashed: the target)")
        ax.set_ylim(0, 1)
    axes[0].set_ylabel("share of queries")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, loc="lower center", ncol=len(METHODS))
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(path, dpi=100)
    plt.close(fig)


def summarize(rows: list[dict], passed: dict, alts: dict, lat: dict, unc: dict, fuzzy: RomanizeFuzzy,
              index: dict, run: dict, held: list[int]) -> dict:
    def of(kind: str) -> list[int]:
        return [i for i, row in enumerate(rows) if kind == "all" or row["type"] == kind]

    recall: dict = {}
    latency: dict = {}
    for method in METHODS:
        recall[method], latency[method] = {}, {}
        for kind in TYPES:
            ranks = [passed["ranks"][method][i] for i in of(kind)]
            times = [passed["times"][method][i] for i in of(kind)]
            recall[method][kind] = {"n": len(ranks), **{f"R@{k}": sum(r <= k for r in ranks) / max(len(ranks), 1)
                                                          for k in KS}}
            latency[method][kind] = {"p50": percentile(times, 50), "p95": percentile(times, 95)}
    exp = passed["expansion_ms"]
    latency["romanize+fuzzy"]["expansion"] = {"p50": percentile(exp, 50), "p95": percentile(exp, 95)}
    slices = {}
    for name, low, high in HELD_SLICES:
        ids = [i for i, n in enumerate(held) if low <= n <= high]
        slices[name] = {"n": len(ids), **{f"{method} R@{k}": sum(passed["ranks"][method][i] <= k for i in ids)
                                           / max(len(ids), 1) for method in ("arsearch", REFERENCE) for k in (1, 10)}}
    counts, offered = alts["counts"], alts["offered"]
    missed = [i for i, rank in enumerate(passed["ranks"]["arsearch"]) if rank > LIMIT]
    return {
        "run": run, "index": index, "queries": len(rows), "recall": recall, "latency": latency,
        "alternatives": {"arsearch": {kind: statistics.mean(counts[kind]) for kind in TYPES if counts[kind]},
                         "no Latin support": dict.fromkeys(TYPES, 0.0),
                         "romanize+fuzzy": dict.fromkeys(TYPES, float(FUZZY_TERMS))},
        "gold_offered": {kind: sum(offered[i] for i in of(kind)) / max(len(of(kind)), 1) for kind in TYPES},
        "alternatives_detail": {"units": len(counts["all"]), "zero": sum(n == 0 for n in counts["all"]),
                                "max": max(counts["all"]), "two_words": alts["several"],
                                "p50_ms": percentile(alts["ms"], 50), "p95_ms": percentile(alts["ms"], 95)},
        "misses": {"n": len(missed), "gold_offered": sum(offered[i] for i in missed)}, "held_slices": slices,
        "fuzzy_vocabulary": len(fuzzy.terms), "one_word_latency": lat, "unchanged": unc,
    }


def show_misses(ix: arsearch.Index, rows: list[dict], ranks: list[float], offered: list[bool], n: int) -> None:
    """Print the first ``n`` misses of arsearch at 10: console only, they are rows of the
    evaluation set."""
    misses = [(row, hit) for row, rank, hit in zip(rows, ranks, offered) if rank > LIMIT]
    for row, hit in misses[:n]:
        terms = " ".join(f"{t}:{w:.2f}" for t, w in ix.latin_terms(row["latin"]))
        top = " ".join(h.id for h in ix.search(row["latin"], limit=3))
        print(f"miss\t{row['type']}\t{row['latin']}\t{row['arabic_forms']}\t"
              f"{'gold offered' if hit else 'gold not offered'}\t{terms}\ttop: {top}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--names", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=20000, help="news articles to index (default 20000)")
    parser.add_argument("--limit-queries", type=int, help="this many rows of --names, drawn with --seed (default: all)")
    parser.add_argument("--procs", type=int, default=1, help="processes that build the index")
    parser.add_argument("--warmup", type=int, default=50, help="rows searched before the timed one-word pass")
    parser.add_argument("--unchanged", type=int, default=300, help="Arabic queries checked for changes")
    parser.add_argument("--misses", type=int, default=20, help="print this many misses of arsearch")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="write latin.md, latin.json and latin.png here (a folder)")
    parser.add_argument("--workdir", type=Path, help="where the index is built (default: a temp dir)")
    args = parser.parse_args(argv)
    for path in (args.corpus, args.names):
        if not path.exists():
            parser.error(f"no file at {path}")

    started, load = time.perf_counter(), os.getloadavg()[0]
    command = " ".join(["python", "benchmarks/latin.py", *(argv if argv is not None else sys.argv[1:])])
    rows = read_names(args.names, args.limit_queries, args.seed)
    spellings = list(dict.fromkeys(form for row in rows for form in row["forms"]))
    workdir = Path(tempfile.mkdtemp(prefix="arsearch-latin-", dir=args.workdir))
    try:
        start = time.perf_counter()
        with arsearch.Index(workdir / "ix") as ix:
            ix.add_many(documents(args.corpus, args.docs, spellings), procs=args.procs)
            segments = ix.stats()["segments"]
        build_s = time.perf_counter() - start
        print(f"index: {args.docs} articles + {len(spellings)} gold documents in {build_s:.0f} s", file=sys.stderr)

        with arsearch.Index(workdir / "ix", create=False) as ix:  # fresh: nothing searched yet
            lat = latency_pass(ix, rows, args.warmup)
        print(f"one-word latency: Latin {lat['latin_p50']:.2f} ms, Arabic {lat['arabic_p50']:.2f} ms", file=sys.stderr)

        with arsearch.Index(workdir / "ix", create=False) as ix:
            fuzzy = RomanizeFuzzy(ix)
            passed = recall_pass(ix, rows, fuzzy)
            unc = unchanged(ix, rows, args.unchanged, args.seed)
            held = held_by_articles(ix, rows, spellings)
        with arsearch.Index(workdir / "ix", create=False) as ix:  # no alternative kept on its reader
            alts = alternatives(ix, rows)
            show_misses(ix, rows, passed["ranks"]["arsearch"], alts["offered"], args.misses)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    run = {"command": command, "date": datetime.date.today().isoformat(), "commit": commit(),
           "cpus": os.cpu_count(), "load": [load, os.getloadavg()[0]], "names": args.names.name,
           "seconds": time.perf_counter() - started}
    index = {"articles": args.docs, "gold_docs": len(spellings), "build_s": build_s, "segments": segments}
    result = summarize(rows, passed, alts, lat, unc, fuzzy, index, run, held)
    text = report(result)
    print(text)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "latin.md").write_text(text + "\n", encoding="utf-8")
        (args.out / "latin.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        plot(result, args.out / "latin.png")
        print(f"wrote {args.out / 'latin.md'}, latin.json, latin.png", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

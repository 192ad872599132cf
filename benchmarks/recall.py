"""Does a bare word find the documents that write it with the article?

A user types لجنة, برلمان or وزير and expects the articles that say اللجنة, البرلمان,
الوزير. A first ب ك ل و may be a proclitic (لحفتر) or the word's own letter (لجنة), so
this is where an Arabic analyzer can lose most of a word's documents. One command::

    python benchmarks/recall.py --corpus ../shared/data/corpus/arabic_news.jsonl.gz \\
        --docs 20000 --out benchmarks/results

Protocol, on the first ``--docs`` articles of the speed corpus (title and text):

- the words are chosen from the corpus at run time, never from a list: every token
  ال+X (or وال+X) with X of three letters or more and no stopword counts for X, by
  the articles holding it; the **ambiguous** set is the ``--per-letter`` most frequent X
  beginning with each of ب ك ل و; the **control** set the ``4 × --per-letter`` most
  frequent X beginning with any other letter; the **proclitic + ال** set the ``--per-letter``
  most frequent X that begin with و ف ب or ك and then ال (الوالدة: والدة, which a bare query
  may read as و + ال + ده);
- X's query is the commonest written form of its ال+X tokens without the ال (اللجنة →
  لجنة), searched as a bare word with ``Index.search(mode="all")`` and no limit;
- the documents to find are those holding ال+X or وال+X (normalized tokens);
- recall of a word is the share of them found; the table gives each set's mean, its
  lowest word and the words under 0.97;
- the top ten of each ambiguous query are checked for documents that hold no form of X:
  no token made of proclitics (و ف ب ك ل ال and their chains), X less its last two letters
  (three at least: its ending may change), and anything after. Such a document in the top
  ten (تاب for كتاب) is counted and named; ``--show`` lists what the top ten of given words
  matched.

The index is built on disk in a temporary folder; the table also gives its build time,
size and distinct terms per view, and the median time of each word's first query (its
top ten, ``mode="auto"``, as a user runs it) and of the query returning every match as
hits. The run's table goes to ``--out`` as ``recall.md`` and ``recall.json``, with a plot
``recall.png``. The same script measures any installed arsearch, so one version can be
run against another on the same words.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from _common import news_articles  # benchmarks/_common.py

from arsearch import Index, normalize, tokenize
from arsearch.pipeline.lexicon import stopwords

AMBIGUOUS_LETTERS = "بكلو"
# A word may begin with one of these and then ال (والدة, بالون, فالنتاين, كالسيوم).
ARTICLE_LIKE_LETTERS = "وفبك"
ARTICLE_LIKE = "proclitic + ال (و ف ب ك)"
ARTICLE = "ال"
TARGET = 0.97
# Proclitic chains a form of X may begin with (normalized): conjunction, preposition, article.
_CHAINS = sorted({c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ك", "ل") for a in ("", "ال")} | {"لل", "ولل", "فلل"},
                 key=len, reverse=True)


def load_articles(corpus: Path, n: int) -> list[dict]:
    return [{"id": d["id"], "title": d.get("title") or "", "text": d.get("text") or ""}
            for d in itertools.islice(news_articles(corpus), n)]


def choose_words(docs: list[dict], per_letter: int) -> tuple[list[dict], list[dict], list[dict], dict[str, set[str]]]:
    """The ambiguous, control and proclitic + ال words, each with its query and the documents
    to find."""
    stop = stopwords()
    holders: dict[str, set[str]] = defaultdict(set)  # X -> ids of articles holding ال+X or وال+X
    surface: dict[str, Counter] = defaultdict(Counter)
    tokens_of: dict[str, set[str]] = {}
    for d in docs:
        tokens = set()
        for t in tokenize(d["title"] + "\n" + d["text"]):
            word = normalize(t.text)
            if not word:
                continue
            tokens.add(word)
            for lead in ("و" + ARTICLE, ARTICLE):
                if word.startswith(lead):
                    x = word[len(lead):]
                    if len(x) >= 3 and x not in stop and word not in stop:
                        holders[x].add(d["id"])
                        if lead == ARTICLE:
                            surface[x][t.text[len(ARTICLE):] if normalize(t.text[:2]) == ARTICLE else x] += 1
                    break
        tokens_of[d["id"]] = tokens
    ranked = sorted(holders, key=lambda x: (-len(holders[x]), x))

    def entry(x: str) -> dict:
        query = surface[x].most_common(1)[0][0] if surface[x] else x
        return {"word": x, "query": query, "relevant": sorted(holders[x])}

    ambiguous = []
    for letter in AMBIGUOUS_LETTERS:
        ambiguous += [entry(x) for x in ranked if x[0] == letter][:per_letter]
    control = [entry(x) for x in ranked if x[0] not in AMBIGUOUS_LETTERS][: per_letter * len(AMBIGUOUS_LETTERS)]
    article_like = [entry(x) for x in ranked if x[0] in ARTICLE_LIKE_LETTERS and x[1:3] == ARTICLE][:per_letter]
    return ambiguous, control, article_like, tokens_of


def holds_form(tokens: set[str], x: str) -> bool:
    """Whether a document holds X with proclitics and any ending (كتاب، الكتاب، وكتابه،
    لبنانيون for لبنانية): a token made of a proclitic chain and X less its last two
    letters (three letters at least), then anything."""
    head = x[: max(3, len(x) - 2)]
    for t in tokens:
        i = t.find(head)
        if i >= 0 and t[:i] in _CHAINS:
            return True
    return False


def measure(ix: Index, words: list[dict], n_docs: int, tokens_of: dict[str, set[str]] | None) -> list[dict]:
    rows = []
    for w in words:
        t0 = time.perf_counter()
        ix.search(w["query"], limit=10)  # what a user runs: the top ten, mode="auto"
        top10 = time.perf_counter() - t0
        t0 = time.perf_counter()
        hits = ix.search(w["query"], mode="all", limit=n_docs)
        elapsed = time.perf_counter() - t0
        found = {h.id for h in hits}
        relevant = set(w["relevant"])
        row = {**{k: w[k] for k in ("word", "query")}, "relevant": len(relevant), "found": len(relevant & found),
               "matches": len(found), "recall": len(relevant & found) / len(relevant), "ms": 1000 * elapsed,
               "top10_ms": 1000 * top10}
        if tokens_of is not None:
            row["off_top10"] = [h.id for h in hits[:10] if not holds_form(tokens_of[h.id], w["word"])]
        rows.append(row)
    return rows


def top_forms(ix: Index, word: str) -> list[str]:
    """The words marked in each of the top ten hits' snippets (or ``-`` for none)."""
    out = []
    for h in ix.search(word, mode="all", limit=10, markers=("\x02", "\x03")):
        marked = [m.split("\x03")[0] for m in h.snippet.split("\x02")[1:]]
        out.append("/".join(dict.fromkeys(marked)) or "-")
    return out


def summary(rows: list[dict]) -> dict:
    recalls = [r["recall"] for r in rows]
    low = min(rows, key=lambda r: r["recall"])
    return {
        "words": len(rows),
        "mean_recall": statistics.fmean(recalls),
        "micro_recall": sum(r["found"] for r in rows) / sum(r["relevant"] for r in rows),
        "lowest": f"{low['query']} {low['recall']:.3f}",
        "under_target": [f"{r['query']} {r['recall']:.2f}" for r in rows if r["recall"] < TARGET],
        "off_top10": sum(len(r.get("off_top10", [])) for r in rows),
        "median_ms": statistics.median(r["ms"] for r in rows),
        "median_top10_ms": statistics.median(r["top10_ms"] for r in rows),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=Path("../shared/data/corpus/arabic_news.jsonl.gz"))
    p.add_argument("--docs", type=int, default=20_000, help="articles indexed (default: 20000)")
    p.add_argument("--per-letter", type=int, default=15, help="ambiguous words per letter ب ك ل و (default: 15)")
    p.add_argument("--out", type=Path, default=None, help="where recall.md, recall.json and recall.png go")
    p.add_argument("--label", default="arsearch", help="the name of this run's column (e.g. a version)")
    p.add_argument("--show", nargs="*", default=[], metavar="WORD",
                   help="bare words whose top ten are listed: the word each hit matched, as written")
    args = p.parse_args()
    if not args.corpus.exists():
        print(f"recall.py: no corpus at {args.corpus}: give --corpus", file=sys.stderr)
        return 2

    docs = load_articles(args.corpus, args.docs)
    ambiguous, control, article_like, tokens_of = choose_words(docs, args.per_letter)
    print(f"# {len(docs):,} articles; {len(ambiguous)} ambiguous words (ب ك ل و), {len(control)} controls, "
          f"{len(article_like)} beginning with a proclitic and ال")
    with tempfile.TemporaryDirectory() as folder:
        ix = Index(Path(folder) / "ix")
        t0 = time.perf_counter()
        ix.add_many(docs)
        index_s = time.perf_counter() - t0
        stats = ix.stats()
        print(f"# indexed in {index_s:.1f} s ({args.label})")
        result = {"label": args.label, "docs": len(docs), "index_s": index_s, "size_bytes": stats["size_bytes"],
                  "terms": stats["terms"], "analyzer": stats["analyzer"],
                  "sets": {"ambiguous (ب ك ل و)": measure(ix, ambiguous, len(docs), tokens_of),
                           "control (other letters)": measure(ix, control, len(docs), None),
                           ARTICLE_LIKE: measure(ix, article_like, len(docs), tokens_of)}}
        result["shown"] = {w: top_forms(ix, w) for w in args.show}
        ix.close()
    result["summary"] = {name: summary(rows) for name, rows in result["sets"].items()}

    terms = ", ".join(f"{v} {n:,}" for v, n in result["terms"].items())
    lines = [f"## Recall of bare words, {len(docs):,} articles ({args.label})", "",
             f"Index ({result['analyzer']}): built in {result['index_s']:.1f} s, "
             f"{result['size_bytes'] / 1e6:.1f} MB on disk; distinct body terms: {terms}.", "",
             "| set | words | mean recall | micro recall | lowest | words under 0.97 | top-10 hits holding no form of the word "
             "| median ms: top ten, all matches |",
             "|---|---|---|---|---|---|---|---|"]
    for name, s in result["summary"].items():
        off = "(not checked)" if name.startswith("control") else str(s["off_top10"])
        lines.append(f"| {name} | {s['words']} | {s['mean_recall']:.3f} | {s['micro_recall']:.3f} | {s['lowest']} | "
                     f"{len(s['under_target'])} | {off} | {s['median_top10_ms']:.1f}, {s['median_ms']:.1f} |")
    lines += ["", "Words under 0.97: " + ("; ".join(itertools.chain(*(s["under_target"] for s in result["summary"].values())))
                                           or "none")]
    offenders = [f"{r['query']} ({len(r['off_top10'])})" for name in ("ambiguous (ب ك ل و)", ARTICLE_LIKE)
                 for r in result["sets"][name] if r["off_top10"]]
    lines += ["", "Ambiguous queries with a top-10 hit holding no form of the word: " + (", ".join(offenders) or "none")]
    if result["shown"]:
        lines += ["", "| query | the top ten: the words marked in each hit's snippet |", "|---|---|"]
        lines += [f"| {w} | {' · '.join(forms)} |" for w, forms in result["shown"].items()]
    lines += ["", "| word | query | relevant | found | recall | matches | ms |", "|---|---|---|---|---|---|---|"]
    for rows in result["sets"].values():
        for r in rows:
            lines.append(f"| {r['word']} | {r['query']} | {r['relevant']} | {r['found']} | {r['recall']:.3f} | "
                         f"{r['matches']} | {r['ms']:.1f} |")
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "recall.md").write_text(table + "\n", encoding="utf-8")
        (args.out / "recall.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            print("# matplotlib missing: no plot (pip install '.[bench]')", file=sys.stderr)
            return 0
        fig, ax = plt.subplots(figsize=(7, 3.5))
        for name, rows in result["sets"].items():
            ax.hist([r["recall"] for r in rows], bins=20, range=(0, 1), alpha=0.6, label=name)
        ax.axvline(TARGET, color="k", linestyle="--", linewidth=1)
        ax.set_xlabel(f"recall of a bare word ({args.label})")
        ax.set_ylabel("words")
        ax.legend()
        fig.tight_layout()
        fig.savefig(args.out / "recall.png", dpi=120)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

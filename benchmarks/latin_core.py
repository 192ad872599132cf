"""Does a Latin name (Haftar, Misurata) find its Arabic term among a news vocabulary?

Measures the pure core of ``arsearch.pipeline.latin`` (keys, alignment ranking, exonyms)
without an index. One command::

    python benchmarks/latin_core.py --corpus ../shared/data/corpus/arabic_news.jsonl.gz \\
        --names ../shared/data/eval/translit/names_dev.tsv --out benchmarks/results

Protocol:

- **vocabulary**: the ``--vocab`` terms with the highest document frequency among the first
  ``--docs`` articles (title and text, ``arsearch.tokenize`` then ``normalize``), plus every
  word of every gold Arabic form (normalized), each with its document frequency (1 if the
  corpus never has it);
- a Latin query is cut into words (``latin_words``); each word's **candidates** are the
  vocabulary terms sharing a key with it (``latin_keys`` ∩ ``arabic_keys``), plus, with
  exonyms, the table's names for it; ``rank_candidates`` orders them;
- **multi-word names**: a gold form is found at k when it has as many words as the query
  (after cutting joined parts with ``split_joined``, Abdelaziz → abd al-aziz, or joining the
  Latin words into one when the form has one word) and each Arabic word is in the top k of its
  Latin word; a form that cannot be paired so is scored on the last words of both. A whole
  query the exonym table knows ranks the table's names first;
- Recall@k: the share of queries with a gold form found at k, for PER, LOC and all;
  "cands" is the mean number of candidates per Latin word, "returned" the mean number
  ``rank_candidates`` gives (at most 5);
- baselines in the same run: **romanize+fuzzy**, each vocabulary term written one Latin
  string per letter and ranked by normalized Indel similarity (rapidfuzz's ``fuzz.ratio``,
  difflib's measure) to the Latin word, frequency breaking ties; **keys+freq**, the same
  candidates as the core ranked by frequency alone;
- time: mean µs per Latin word for its keys, and for ranking its candidates.

Tune on ``names_dev.tsv`` only; no word of it may ship in the package.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from _common import news_articles  # benchmarks/_common.py

from arsearch import normalize, tokenize
from arsearch.pipeline import latin

KS = (1, 5, 10)
RETURNED = 5

_ROMAN = dict(zip("ابتثجحخدذرزسشصضطظعغفقكلمنهويء",
                  ["a", "b", "t", "th", "j", "h", "kh", "d", "dh", "r", "z", "s", "sh", "s", "d", "t", "z", "",
                   "gh", "f", "q", "k", "l", "m", "n", "h", "w", "y", ""]))


def romanize(term: str) -> str:
    """The naive baseline: one Latin string per Arabic letter."""
    return "".join(_ROMAN.get(ch, "") for ch in term)


def document_frequencies(corpus: Path, docs: int, cache: Path | None) -> Counter:
    if cache is not None and cache.exists():
        return Counter(json.loads(cache.read_text(encoding="utf-8")))
    df: Counter = Counter()
    for i, article in enumerate(news_articles(corpus)):
        if i >= docs:
            break
        text = f"{article.get('title', '')}\n{article.get('text', '')}"
        df.update({normalize(tok.text) for tok in tokenize(text)})
    if cache is not None:
        cache.write_text(json.dumps(df, ensure_ascii=False), encoding="utf-8")
    return df


def read_names(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows:
        row["forms"] = [normalize(form).split() for form in row["arabic_forms"].split("|")]
    return rows


def pairings(words: list[str], form: list[str]) -> list[list[tuple[str, str]]]:
    """Ways of pairing the Latin ``words`` with the Arabic words of ``form``."""
    out = []
    if len(words) == len(form):
        out.append(list(zip(words, form)))
    if len(words) < len(form):
        split = [p for w in words for p in (latin.split_joined(w) or (w,))]
        if len(split) == len(form):
            out.append(list(zip(split, form)))
    if len(words) > 1 and len(form) == 1:
        out.append([("".join(words), form[0])])
    return out or [[(words[-1], form[-1])]]


class Ranker:
    """One method: a Latin word to its ranked Arabic terms (best first, at most 10)."""

    def __init__(self, name: str, rank: Callable[[str], list[str]]):
        self.name, self.rank, self.cache = name, rank, {}

    def __call__(self, word: str) -> list[str]:
        if word not in self.cache:
            self.cache[word] = self.rank(word)
        return self.cache[word]


def first_rank(row: dict, ranker: Ranker, exonyms: bool) -> float:
    """The best k at which a gold form of ``row`` is found (inf if not in the top 10)."""
    words = latin.latin_words(row["latin"])
    if not words:
        return math.inf
    best = math.inf
    if exonyms:
        table = latin.latin_exonyms(row["latin"])
        for form in row["forms"]:
            if " ".join(form) in table:
                best = min(best, table.index(" ".join(form)) + 1)
    for form in row["forms"]:
        for pairs in pairings(words, form):
            ranks = []
            for word, gold in pairs:
                ranked = ranker(word)
                ranks.append(ranked.index(gold) + 1 if gold in ranked else math.inf)
            best = min(best, max(ranks))
    return best


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--names", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--vocab", type=int, default=50000)
    parser.add_argument("--df-cache", type=Path, help="keep the corpus's document frequencies here (JSON)")
    parser.add_argument("--out", type=Path, help="write latin_core.md here (a folder)")
    parser.add_argument("--misses", type=int, default=15, help="list this many misses of the core")
    args = parser.parse_args(list(argv) if argv is not None else None)

    from rapidfuzz import fuzz, process

    df = document_frequencies(args.corpus, args.docs, args.df_cache)
    rows = read_names(args.names)
    vocab = dict(df.most_common(args.vocab))
    for row in rows:
        for form in row["forms"]:
            for word in form:
                vocab.setdefault(word, max(df.get(word, 0), 1))
    by_key: dict[str, list[str]] = defaultdict(list)
    for term in vocab:
        for key in latin.arabic_keys(term):
            by_key[key].append(term)

    timings = {"keys": [], "rank": []}
    counts = {"cands": [], "returned": []}

    def candidates(word: str, exonyms: bool) -> list[tuple[str, int]]:
        terms = {term for key in latin.latin_keys(word) for term in by_key.get(key, ())}
        if exonyms:
            terms.update(e for e in latin.latin_exonyms(word) if " " not in e)
        return [(term, vocab.get(term, 1)) for term in terms]

    def core(exonyms: bool) -> Callable[[str], list[str]]:
        def rank(word: str) -> list[str]:
            found = candidates(word, exonyms)
            ranked = latin.rank_candidates(word, found, limit=10, exonyms=exonyms)
            if exonyms:
                start = time.perf_counter()
                latin.latin_keys.__wrapped__(word)
                middle = time.perf_counter()
                latin.rank_candidates(word, found, limit=RETURNED)
                end = time.perf_counter()
                timings["keys"].append((middle - start) * 1e6)
                timings["rank"].append((end - middle) * 1e6)
                counts["cands"].append(len(found))
                counts["returned"].append(min(len(ranked), RETURNED))
            return [term for term, _ in ranked]
        return rank

    def by_frequency(word: str) -> list[str]:
        found = candidates(word, exonyms=False)
        return [t for t, _ in sorted(found, key=lambda item: (-item[1], item[0]))[:10]]

    terms = list(vocab)
    romanized = [romanize(term) for term in terms]

    def fuzzy(word: str) -> list[str]:
        folded = (latin.fold_latin(word) or "").replace("-", "").replace("'", "")
        if not folded:
            return []
        hits = process.extract(folded, romanized, scorer=fuzz.ratio, limit=50)
        hits.sort(key=lambda h: (-round(h[1], 6), -vocab[terms[h[2]]]))
        return [terms[h[2]] for h in hits[:10]]

    methods = [
        ("core+exonyms", Ranker("core+exonyms", core(True)), True),
        ("core (no exonyms)", Ranker("core", core(False)), False),
        ("keys+freq", Ranker("keys+freq", by_frequency), False),
        ("romanize+fuzzy", Ranker("romanize+fuzzy", fuzzy), False),
    ]
    results: dict[str, dict[str, list[float]]] = {}
    for name, ranker, exonyms in methods:
        started = time.perf_counter()
        per_type: dict[str, list[float]] = defaultdict(list)
        for row in rows:
            rank = first_rank(row, ranker, exonyms)
            per_type[row["type"]].append(rank)
            per_type["all"].append(rank)
        results[name] = per_type
        print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)

    lines = [
        f"`python benchmarks/latin_core.py --docs {args.docs} --vocab {args.vocab}` on `{args.names.name}` "
        f"({len(rows)} queries), vocabulary {len(vocab):,} terms, {len(by_key):,} keys",
        "",
        "| method | type | n | R@1 | R@5 | R@10 |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, per_type in results.items():
        for kind in ("PER", "LOC", "all"):
            ranks = per_type[kind]
            cells = " | ".join(f"{sum(r <= k for r in ranks) / len(ranks):.3f}" for k in KS)
            lines.append(f"| {name} | {kind} | {len(ranks)} | {cells} |")
    lines += [
        "",
        f"Core, per Latin word ({len(counts['cands'])} words): {statistics.mean(counts['cands']):.1f} candidates "
        f"sharing a key (median {statistics.median(counts['cands']):.0f}, max {max(counts['cands'])}), "
        f"{statistics.mean(counts['returned']):.2f} returned; keys {statistics.mean(timings['keys']):.1f} µs, "
        f"ranking {statistics.mean(timings['rank']):.0f} µs "
        f"(p95 {sorted(timings['rank'])[int(0.95 * len(timings['rank']))]:.0f} µs).",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "latin_core.md").write_text(text + "\n", encoding="utf-8")
    # The misses name rows of the evaluation set: printed only, never written to --out.
    ranker = methods[0][1]
    misses = [row for row, rank in zip(rows, results["core+exonyms"]["all"]) if rank > 10]
    step = max(len(misses) // max(args.misses, 1), 1)
    for row in misses[::step][: args.misses]:
        tops = "; ".join(f"{w}: {' '.join(ranker(w)[:3])}" for w in latin.latin_words(row["latin"]))
        print(f"miss\t{row['type']}\t{row['latin']}\t{row['arabic_forms']}\t{tops}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How well, and how fast, does arsearch's analysis conflate Arabic words?

One command, every competitor measured in the same run::

    python benchmarks/stemming.py --data ../shared/data --out benchmarks/out

prints, and writes to ``--out`` as ``stemming.md`` and ``stemming.png``:

1. pair-F1, recall and precision of each stemmer on the UD-PUD and Farasa pair files
   (``eval/stem/pairs_*.tsv``): arsearch's light stemmer, tashaphyne (through arsearch,
   and raw as the data README measures it), Snowball Arabic, the light10 reference
   of ``benchmarks/light10.py`` (Lucene's rules) and no stemming;
2. the same for arsearch's light stemmer under each ``hamza_seats`` policy, and how many
   spelling variants (مسؤول / مسئول) of the news corpus each policy merges;
3. the share of the diacritised WikiNews pairs whose two sides analyze to the same terms;
4. analyzer throughput on the first ``--docs`` news articles, with a warm, a cold and no
   term cache, against Whoosh's ``StandardAnalyzer`` on the same text.

Pair metric (data README): a word is a distinct surface form, its lemma the most frequent
``lemma_key`` it carries; of the pairs of words sharing a lemma, recall is the share
that get one stem; of the pairs getting one stem, precision is the share that share a
lemma. Pairs are counted per group (n choose 2), never enumerated.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from math import comb
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

import snowballstemmer
from tashaphyne.stemming import ArabicLightStemmer
from whoosh.analysis import StandardAnalyzer

from arsearch import analyze, normalize, stem
from arsearch.analysis import ArabicAnalyzer, ArabicNormalizeFilter, ArabicStopFilter, ArabicTokenizer, ViewFilter
from arsearch.normalization import HAMZA_SEAT_POLICIES
from arsearch.pipeline import clear_caches
from arsearch.stemming import light_stem, protected_words, stopwords
from arsearch.tokenizer import iter_tokens
from light10 import light10  # benchmarks/light10.py, the Lucene/light10 reference

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"

Stemmer = Callable[[str], str]


def competitors() -> dict[str, Stemmer]:
    snowball = snowballstemmer.stemmer("arabic")
    tashaphyne = ArabicLightStemmer()
    return {
        "arsearch light": stem,
        "tashaphyne (via arsearch)": lambda w: stem(w, "tashaphyne"),
        "tashaphyne (raw word)": lambda w: tashaphyne.light_stem(w) or w,
        "snowball arabic": snowball.stemWord,
        "light10 (reference)": light10,
        "no stemming (normalize)": lambda w: stem(w, "none"),
    }


# ---------------------------------------------------------------------------------
# Pair-F1


class PairScore(NamedTuple):
    f1: float
    recall: float
    precision: float
    words: int


def load_pairs(path: Path) -> list[tuple[str, str]]:
    """Distinct surface forms, each with its most frequent lemma_key."""
    lemmas: dict[str, Counter[str]] = defaultdict(Counter)
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            lemmas[row["surface"]][row["lemma_key"]] += 1
    return [(surface, counts.most_common(1)[0][0]) for surface, counts in lemmas.items()]


def _pairs(groups: Iterable[int]) -> int:
    return sum(comb(n, 2) for n in groups)


def pair_score(words: list[tuple[str, str]], stemmer: Stemmer) -> PairScore:
    stems = [(stemmer(surface), lemma) for surface, lemma in words]
    gold = _pairs(Counter(lemma for _, lemma in stems).values())
    predicted = _pairs(Counter(s for s, _ in stems).values())
    agreed = _pairs(Counter(stems).values())
    recall = agreed / gold if gold else 0.0
    precision = agreed / predicted if predicted else 0.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return PairScore(f1, recall, precision, len(words))


# ---------------------------------------------------------------------------------
# WikiNews: diacritised and plain spellings must give the same terms


def wikinews_agreement(path: Path) -> dict[str, tuple[float, float, list[tuple[str, str]]]]:
    """Per view: (share of rows, share of word occurrences, a few disagreeing rows)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = [(r["diacritised"], r["plain"], int(r["count"])) for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    out = {}
    for view in ("exact", "stem"):
        same = same_weight = total_weight = 0
        bad = []
        for vocalized, plain, count in rows:
            total_weight += count
            if analyze(vocalized, view) == analyze(plain, view):
                same += 1
                same_weight += count
            elif len(bad) < 5:
                bad.append((vocalized, plain))
        out[view] = (same / len(rows), same_weight / total_weight, bad)
    return out


# ---------------------------------------------------------------------------------
# Hamza seats: what each policy merges in real text


def seat_variants(texts: list[str]) -> dict[str, tuple[int, int, list[str]]]:
    """Per policy: word types of the corpus merged with another spelling, their
    occurrences, and the most frequent merged groups (to judge whether they are one word)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(normalize(t.text, hamza_seats="keep") for t in iter_tokens(text))
    out = {}
    for policy in HAMZA_SEAT_POLICIES:
        classes: dict[str, list[str]] = defaultdict(list)
        for word in counts:
            classes[normalize(word, hamza_seats=policy)].append(word)
        groups = sorted((ws for ws in classes.values() if len(ws) > 1), key=lambda ws: -sum(counts[w] for w in ws))
        merged = [w for ws in groups for w in ws]
        examples = ["=".join(sorted(ws, key=lambda w: -counts[w])) for ws in groups[:4]]
        out[policy] = (len(merged), sum(counts[w] for w in merged), examples)
    return out


# ---------------------------------------------------------------------------------
# Throughput


def read_docs(path: Path, limit: int) -> list[str]:
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            docs.append(f"{doc.get('title') or ''}\n{doc.get('text') or ''}")
            if len(docs) >= limit:
                break
    return docs


def analyze_uncached(text: str) -> list[str]:
    """The default analysis with no cache at all: every token normalized and stemmed."""
    stop, protected = stopwords(), protected_words()
    terms = []
    for token in iter_tokens(text):
        word = normalize(token.text)
        if word and word not in stop:
            terms.append(light_stem(word, protected))
    return terms


def _consume(analyzer, docs: list[str]) -> int:
    n = 0
    for doc in docs:
        for _ in analyzer(doc):
            n += 1
    return n


def throughput(docs: list[str], repeat: int) -> list[tuple[str, float]]:
    """(label, CPU seconds) per analyzer, best of ``repeat`` runs over the same documents.

    CPU time of this process, not wall time, and the analyzers take turns within each
    round: a machine busy with something else slows every row alike.
    """
    standard = StandardAnalyzer()
    exact = ArabicAnalyzer("exact")
    arabic = ArabicAnalyzer("stem")
    step_by_step = ArabicTokenizer() | ArabicNormalizeFilter() | ArabicStopFilter() | ViewFilter("stem")
    nothing = lambda: None  # noqa: E731
    contenders: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        ("whoosh StandardAnalyzer", lambda: _consume(standard, docs), nothing),
        ("arsearch exact view, warm cache", lambda: _consume(exact, docs), nothing),
        ("arsearch stem view, warm cache", lambda: _consume(arabic, docs), nothing),
        ("arsearch stem view, cold cache", lambda: _consume(arabic, docs), clear_caches),
        ("arsearch stem view, unfused filters, warm", lambda: _consume(step_by_step, docs), nothing),
        ("arsearch.analyze (no Whoosh), warm", lambda: [analyze(d) for d in docs], nothing),
        ("arsearch stem, no cache (pure functions)", lambda: [analyze_uncached(d) for d in docs], nothing),
    ]
    best = {label: float("inf") for label, _, _ in contenders}
    for label, run, _ in contenders:  # warm every cache once
        run()
    for _ in range(repeat):
        for label, run, before in contenders:
            before()
            start = time.process_time()
            run()
            best[label] = min(best[label], time.process_time() - start)
    return list(best.items())


# ---------------------------------------------------------------------------------
# Report


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def plot(path: Path, scores: dict[str, dict[str, PairScore]], speed: list[tuple[str, float]], tokens: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 5))
    names = list(next(iter(scores.values())))
    width = 0.8 / len(scores)
    for i, (file, per_stemmer) in enumerate(scores.items()):
        xs = [j + i * width for j in range(len(names))]
        ax1.bar(xs, [per_stemmer[n].f1 for n in names], width, label=file)
    ax1.set_xticks([j + width * (len(scores) - 1) / 2 for j in range(len(names))])
    ax1.set_xticklabels(names, rotation=30, ha="right", fontsize=8)
    ax1.set_ylabel("pair-F1")
    ax1.set_title("Stemmers: pair-F1 (higher is better)")
    ax1.legend()
    labels = [label for label, _ in speed]
    ax2.barh(labels, [tokens / seconds / 1000 for _, seconds in speed])
    ax2.set_xlabel("thousand tokens / s")
    ax2.set_title("Analyzer throughput")
    ax2.invert_yaxis()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data directory (default: %(default)s)")
    parser.add_argument("--corpus", type=Path, help="news corpus (default: DATA/corpus/arabic_news.jsonl.gz)")
    parser.add_argument("--docs", type=int, default=5000, help="news articles to analyze for throughput (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds, best kept (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out", help="where to write stemming.md and stemming.png")
    args = parser.parse_args(argv)
    corpus = args.corpus or args.data / "corpus" / "arabic_news.jsonl.gz"
    pair_files = {"PUD": args.data / "eval/stem/pairs_pud.tsv", "Farasa": args.data / "eval/stem/pairs_farasa.tsv"}
    wikinews = args.data / "eval/normalization/wikinews_word_pairs.tsv"
    for path in [corpus, wikinews, *pair_files.values()]:
        if not path.exists():
            parser.error(f"{path} not found; point --data (or --corpus) at the shared data directory")
    args.out.mkdir(parents=True, exist_ok=True)
    report: list[str] = ["# arsearch analysis benchmark", ""]

    def emit(text: str = "") -> None:
        print(text, flush=True)
        report.append(text)

    # 1. stemmers on the pair files
    words = {name: load_pairs(path) for name, path in pair_files.items()}
    stemmers = competitors()
    scores = {file: {name: pair_score(w, fn) for name, fn in stemmers.items()} for file, w in words.items()}
    best_rival = {file: max(s["snowball arabic"].f1, s["tashaphyne (raw word)"].f1, s["tashaphyne (via arsearch)"].f1) for file, s in scores.items()}
    emit("## Stemmers: pair-F1 / recall / precision")
    emit()
    header = ["stemmer"] + [f"{file} F1 / R / P ({len(w)} words)" for file, w in words.items()]
    rows = [[name] + [f"{scores[file][name].f1:.3f} / {scores[file][name].recall:.3f} / {scores[file][name].precision:.3f}" for file in words] for name in stemmers]
    rows.append(["arsearch light − best of Snowball, tashaphyne"] + [f"{scores[file]['arsearch light'].f1 - best_rival[file]:+.3f} (target ≥ +0.030)" for file in words])
    emit(markdown_table(header, rows))
    emit()

    # 2. hamza seats
    docs = read_docs(corpus, args.docs)
    variants = seat_variants(docs)
    emit("## Hamza seats (ؤ ئ): arsearch light stemmer under each policy")
    emit()
    rows = []
    for policy in HAMZA_SEAT_POLICIES:
        fn = lambda w, p=policy: light_stem(normalize(w, hamza_seats=p))  # noqa: E731
        cells = [policy]
        for file, w in words.items():
            s = pair_score(w, fn)
            cells.append(f"{s.f1:.3f} / {s.recall:.3f} / {s.precision:.3f}")
        merged_types, merged_tokens, examples = variants[policy]
        cells.append(f"{merged_types} types, {merged_tokens} occurrences")
        cells.append(" ".join(examples) or "-")
        rows.append(cells)
    emit(markdown_table(["hamza_seats"] + [f"{file} F1 / R / P" for file in words] + [f"spellings merged in {args.docs} news articles", "most frequent merges"], rows))
    emit()

    # 3. WikiNews
    agreement = wikinews_agreement(wikinews)
    emit("## WikiNews diacritised vs plain: same terms")
    emit()
    rows = [[view, f"{rows_share:.2%}", f"{weight_share:.2%}", " ".join(f"{a}≠{b}" for a, b in bad) or "-"] for view, (rows_share, weight_share, bad) in agreement.items()]
    emit(markdown_table(["view", "rows", "occurrences", "first disagreements"], rows))
    emit()

    # 4. throughput
    tokens = sum(1 for d in docs for _ in iter_tokens(d))
    speed = throughput(docs, args.repeat)
    reference = dict(speed)["whoosh StandardAnalyzer"]
    emit(f"## Throughput: {len(docs)} news articles, {tokens} tokens (best of {args.repeat})")
    emit()
    rows = [[label, f"{tokens / seconds:,.0f}", f"{seconds:.2f}", f"{reference / seconds:.0%}"] for label, seconds in speed]
    emit(markdown_table(["analyzer", "tokens/s", "seconds", "vs StandardAnalyzer"], rows))
    emit()
    emit(f"Tokens are arsearch.tokenize words of the same text for every row; Python {sys.version.split()[0]}.")

    (args.out / "stemming.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    plot(args.out / "stemming.png", {f: {n: s for n, s in per.items()} for f, per in scores.items()}, speed, tokens)
    print(f"\nwrote {args.out / 'stemming.md'} and {args.out / 'stemming.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

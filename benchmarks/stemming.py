"""How well, and how fast, does arsearch's analysis conflate Arabic words?

One command, every competitor measured in the same run::

    python benchmarks/stemming.py --data ../shared/data --docs 2000 --out benchmarks/results

prints, and writes to ``--out`` as ``stemming.md`` and ``stemming.png``:

1. pair-F1, recall and precision of each stemmer on the UD-PUD and Farasa pair files
   (``eval/stem/pairs_*.tsv``): arsearch's light stemmer, tashaphyne (through arsearch,
   and raw as the data README measures it), Snowball Arabic, the light10 reference
   of ``benchmarks/light10.py`` (Lucene's rules) and no stemming;
2. the same for arsearch's light stemmer under each ``hamza_seats`` policy, and how many
   spelling variants (مسؤول / مسئول) of the news corpus each policy merges;
3. symmetry with the article, which pair-F1 cannot see (it scores one stem per word):
   of the gold words without the article (no ال, وال, بال, لل…) of at least 3 letters,
   the share whose bare form ``w`` and article form ``ال`` + ``w`` meet: for arsearch,
   share a term in some view (:meth:`arsearch.pipeline.AnalysisConfig.view_terms`, every
   reading of a first ب ك ل و), and with its first reading alone (what pair-F1 scores);
   for the others, get one stem. Given for the attested pairs (``ال`` + ``w`` is a gold
   word of the same lemma) and for every bare word;
4. the share of the diacritised WikiNews pairs whose two sides analyze to the same terms;
5. analyzer throughput on the first ``--docs`` news articles, against Whoosh's
   ``StandardAnalyzer`` on the same text: with no term cache, a cold one (emptied before
   each round) and a warm one, warmed before each round on the *next* ``--docs`` articles,
   never on the measured ones, so that it holds what indexing earlier text leaves in it.

Pair metric (data README): a word is a distinct surface form, its lemma the most frequent
``lemma_key`` it carries; of the pairs of words sharing a lemma, recall is the share
that get one stem; of the pairs getting one stem, precision is the share that share a
lemma. Pairs are counted per group (n choose 2), never enumerated.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from math import comb
from pathlib import Path
from typing import NamedTuple

import snowballstemmer
from _common import DEFAULT_DATA, REPO, news_articles  # benchmarks/_common.py
from light10 import light10  # benchmarks/light10.py, the Lucene/light10 reference
from tashaphyne.stemming import ArabicLightStemmer
from whoosh.analysis import StandardAnalyzer

from arsearch import analyze, normalize, stem
from arsearch.analysis import ArabicAnalyzer, ArabicNormalizeFilter, ArabicStopFilter, ArabicTokenizer, ViewFilter
from arsearch.pipeline import DEFAULT_CONFIG, VIEWS, AnalysisConfig, clear_caches
from arsearch.pipeline.lexicon import stopwords
from arsearch.pipeline.normalization import HAMZA_SEAT_POLICIES
from arsearch.pipeline.stemming import light_stem, protected_words
from arsearch.pipeline.tokenizer import iter_tokens

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
# Symmetry with the article: does a bare word meet its ال form?

# A word already holding the article, after a conjunction or preposition or not: والحكومه، لل…
_HAS_ARTICLE = re.compile("^(?:[وف]?[بك]?ال|[وف]?لل)")
ARTICLE = "ال"


class Symmetry(NamedTuple):
    attested: list[str]  # bare words whose article form is a gold word of the same lemma
    every: list[str]  # every bare word


def load_symmetry_words(words: list[tuple[str, str]]) -> Symmetry:
    """Of a gold file's distinct words (surface, lemma), those of ≥ 3 letters (normalized)
    without the article: every one, and those whose ال form is in the file with the same
    lemma (a real pair: لجنة / اللجنة)."""
    lemma_of = {surface: lemma for surface, lemma in words}
    bare = [w for w, _ in words if len(normalize(w)) >= 3 and not _HAS_ARTICLE.match(normalize(w))]
    attested = [w for w in bare if lemma_of.get(ARTICLE + w) == lemma_of[w]]
    return Symmetry(attested, bare)


def arsearch_meet(word: str, config: AnalysisConfig = DEFAULT_CONFIG) -> bool:
    """Whether ``word`` and ال + ``word`` share a term in some view, every reading counted."""
    word = normalize(word)
    return any(set(config.view_terms(word, v)) & set(config.view_terms(ARTICLE + word, v)) for v in VIEWS)


def arsearch_meet_first_reading(word: str, config: AnalysisConfig = DEFAULT_CONFIG) -> bool:
    """The same with each word's first reading alone (the stem pair-F1 scores)."""
    word = normalize(word)
    return any(config.view_term(word, v) == config.view_term(ARTICLE + word, v) for v in VIEWS)


def share_meeting(words: list[str], meet: Callable[[str], bool]) -> float:
    return sum(map(meet, words)) / max(len(words), 1)


# ---------------------------------------------------------------------------------
# WikiNews: diacritised and plain spellings must give the same terms


def wikinews_agreement(path: Path) -> dict[str, tuple[float, float, list[tuple[str, str]]]]:
    """Per view: (share of rows, share of word occurrences, a few disagreeing rows)."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = [(r["diacritised"], r["plain"], int(r["count"])) for r in reader]
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


def read_docs(path: Path, limit: int, skip: int = 0) -> list[str]:
    """Title and text of ``limit`` news articles, after the first ``skip``."""
    docs = []
    for i, doc in enumerate(news_articles(path)):
        if i < skip:
            continue
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


def throughput(docs: list[str], warm_docs: list[str], repeat: int) -> list[tuple[str, float]]:
    """(label, CPU seconds) per analyzer, best of ``repeat`` runs over ``docs``.

    A warm cache is emptied and warmed on ``warm_docs`` (other articles) before each
    timed run, so it never starts out holding the measured text's vocabulary; a cold one
    is emptied. CPU time of this process, not wall time, and the analyzers take turns
    within each round: a machine busy with something else slows every row alike.
    """
    standard = StandardAnalyzer()
    exact = ArabicAnalyzer("exact")
    arabic = ArabicAnalyzer("stem")
    step_by_step = ArabicTokenizer() | ArabicNormalizeFilter() | ArabicStopFilter() | ViewFilter("stem")
    nothing = lambda: None  # noqa: E731

    def warmed(analyzer) -> Callable[[], object]:
        def before() -> None:
            clear_caches()
            _consume(analyzer, warm_docs)

        return before

    contenders: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        ("whoosh StandardAnalyzer", lambda: _consume(standard, docs), nothing),
        ("arsearch exact view, warm cache", lambda: _consume(exact, docs), warmed(exact)),
        ("arsearch stem view, warm cache", lambda: _consume(arabic, docs), warmed(arabic)),
        ("arsearch stem view, cold cache", lambda: _consume(arabic, docs), clear_caches),
        ("arsearch stem view, unfused filters, warm", lambda: _consume(step_by_step, docs), warmed(step_by_step)),
        ("arsearch.analyze (no Whoosh), warm", lambda: [analyze(d) for d in docs],
         lambda: (clear_caches(), [analyze(d) for d in warm_docs])),
        ("arsearch stem, no cache (pure functions)", lambda: [analyze_uncached(d) for d in docs], nothing),
    ]
    best = {label: float("inf") for label, _, _ in contenders}
    for _ in range(repeat):
        for label, run, before in contenders:
            before()
            start = time.process_time()
            run()
            best[label] = min(best[label], time.process_time() - start)
    clear_caches()
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
    parser.add_argument("--docs", type=int, default=2000, help="news articles to analyze for throughput (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds, best kept (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out",
                        help="where to write stemming.md and stemming.png")
    args = parser.parse_args(argv)
    corpus = args.corpus or args.data / "corpus" / "arabic_news.jsonl.gz"
    pair_files = {"PUD": args.data / "eval/stem/pairs_pud.tsv", "Farasa": args.data / "eval/stem/pairs_farasa.tsv"}
    wikinews = args.data / "eval/normalization/wikinews_word_pairs.tsv"
    for path in [corpus, wikinews, *pair_files.values()]:
        if not path.exists():
            parser.error(f"{path} not found; point --data (or --corpus) at the shared data directory")
    args.out.mkdir(parents=True, exist_ok=True)
    command = " ".join(["python benchmarks/stemming.py", *(argv if argv is not None else sys.argv[1:])])
    report: list[str] = ["# arsearch analysis benchmark", "", f"`{command}`", ""]

    def emit(text: str = "") -> None:
        print(text, flush=True)
        report.append(text)

    # 1. stemmers on the pair files
    words = {name: load_pairs(path) for name, path in pair_files.items()}
    stemmers = competitors()
    scores = {file: {name: pair_score(w, fn) for name, fn in stemmers.items()} for file, w in words.items()}
    rivals = ("snowball arabic", "tashaphyne (raw word)", "tashaphyne (via arsearch)")
    best_rival = {file: max(s[name].f1 for name in rivals) for file, s in scores.items()}
    emit("## Stemmers: pair-F1 / recall / precision")
    emit()
    header = ["stemmer"] + [f"{file} F1 / R / P ({len(w)} words)" for file, w in words.items()]
    def cell(s: PairScore) -> str:
        return f"{s.f1:.3f} / {s.recall:.3f} / {s.precision:.3f}"

    rows = [[name] + [cell(scores[file][name]) for file in words] for name in stemmers]
    margins = [f"{scores[file]['arsearch light'].f1 - best_rival[file]:+.3f} (target ≥ +0.030)" for file in words]
    rows.append(["arsearch light − best of Snowball, tashaphyne"] + margins)
    emit(markdown_table(header, rows))
    emit()

    # 2. symmetry with the article
    bare = {name: load_symmetry_words(w) for name, w in words.items()}
    meets: dict[str, Callable[[str], bool]] = {
        "arsearch light (every reading, some view)": arsearch_meet,
        "arsearch light (first reading only)": arsearch_meet_first_reading,
    }
    meets.update({name: lambda w, fn=fn: fn(w) == fn(ARTICLE + w) for name, fn in stemmers.items() if name != "arsearch light"})
    emit("## Symmetry: a bare word meets its ال form")
    emit()
    emit("Gold words of ≥ 3 letters without the article: the share whose bare form w and ال + w share a term "
         "(arsearch: in some view; the others: get one stem). Attested: w whose ال form is a gold word of the "
         "same lemma (لجنة / اللجنة); every word: ال + w made up, a non-word when w already has a proclitic (وقال).")
    emit()
    header = ["stemmer"] + [f"{file}: attested ({len(b.attested)}) / every word ({len(b.every)})" for file, b in bare.items()]
    rows = [[name] + [f"{share_meeting(b.attested, meet):.1%} / {share_meeting(b.every, meet):.1%}" for b in bare.values()]
            for name, meet in meets.items()]
    emit(markdown_table(header, rows))
    emit()

    # 3. hamza seats
    docs = read_docs(corpus, args.docs)
    warm_docs = read_docs(corpus, args.docs, skip=args.docs)
    variants = seat_variants(docs)
    emit("## Hamza seats (ؤ ئ): arsearch light stemmer under each policy")
    emit()
    rows = []
    for policy in HAMZA_SEAT_POLICIES:
        fn = lambda w, p=policy: light_stem(normalize(w, hamza_seats=p))  # noqa: E731
        cells = [policy]
        for w in words.values():
            s = pair_score(w, fn)
            cells.append(f"{s.f1:.3f} / {s.recall:.3f} / {s.precision:.3f}")
        merged_types, merged_tokens, examples = variants[policy]
        cells.append(f"{merged_types} types, {merged_tokens} occurrences")
        cells.append(" ".join(examples) or "-")
        rows.append(cells)
    header = ["hamza_seats"] + [f"{file} F1 / R / P" for file in words]
    emit(markdown_table(header + [f"spellings merged in {args.docs} news articles", "most frequent merges"], rows))
    emit()

    # 4. WikiNews
    agreement = wikinews_agreement(wikinews)
    emit("## WikiNews diacritised vs plain: same terms")
    emit()
    rows = [[view, f"{rows_share:.2%}", f"{weight_share:.2%}", " ".join(f"{a}≠{b}" for a, b in bad) or "-"]
            for view, (rows_share, weight_share, bad) in agreement.items()]
    emit(markdown_table(["view", "rows", "occurrences", "first disagreements"], rows))
    emit()

    # 5. throughput
    tokens = sum(1 for d in docs for _ in iter_tokens(d))
    speed = throughput(docs, warm_docs, args.repeat)
    reference = dict(speed)["whoosh StandardAnalyzer"]
    emit(f"## Throughput: {len(docs)} news articles, {tokens} tokens (best of {args.repeat})")
    emit()
    emit(f"A warm cache is warmed before each round on {len(warm_docs)} other articles (the next ones of the "
         "corpus), never on the measured ones.")
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

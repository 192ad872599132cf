"""Entity facets: are the people, places and organizations an index finds the right ones,
and what do they cost? One command::

    python benchmarks/entities.py --out benchmarks/results

Protocol (ANERcorp, ``--anercorp``: ``docs.tsv``, ``queries.tsv``, ``qrels.tsv``; free for
research, read here, never shipped nor used to build anything):

- **gold**: the entities of a sentence are the ``queries.tsv`` entities (PER, LOC, ORG) with a
  grade-2 row for it in ``qrels.tsv``;
- **a value matches a gold name** when their words, normalized and with proclitics off
  (``strip_proclitics``: ال too), are equal or one holds the other as whole words in order;
- **mentions**: per sentence and type, precision = share of the values found that match a
  gold name of that type in the sentence, recall = share of its gold names matched by a
  value; summed over sentences (micro), with F1;
- **facets**: the sentences are indexed with ``Index(entities=True)``; each gold entity with
  ≥ 5 judged sentences is searched (``limit=10``, ``facets=["people", "places", "orgs"]``,
  every match counted). Per type, P@5 = share of the top five facet values that match a gold
  entity of that type in the matched sentences, R@5 = share of the five most frequent gold
  entities of that type in the matched sentences (ties by name) matched by a top-five value;
  a query with no value (P) or no gold entity (R) of a type is left out of that type's mean.
  Targets: mean P@5 ≥ 0.85, mean R@5 ≥ 0.60 (means over the three types). Ties by name make
  R@5 reward facets that also order ties by name, so **R@5, ties shared** is beside it: every
  gold entity counted as often as the fifth is eligible, and the top five values are credited
  with as many of those as the five places leave, so no order of equal counts is favoured;
- **baselines**, same run and measures: the lists alone (``mode="lists"``: every listed name
  is a mention), the rules alone (``mode="rules"``: titles and heads, no list of names); their
  facets are counted over the same match sets as the index's and ordered as the index orders
  them (largest count, then the value more sentences hold, then by value);
- **speed** (``--corpus``, the news corpus, first ``--docs`` articles): indexing on disk with
  and without ``entities=True`` (docs/s, their ratio; target ≥ 0.7×; both indexes built in
  turn, :data:`INDEXING_CHUNKS` chunks of articles each, each chunk timed), and on the index with
  entities, the ``--words`` most frequent words (document frequency, chosen at run time)
  searched with and without the three facets: p50 of ``--repeat`` runs each after one
  warm-up (target: with ≤ 2× without).

Writes ``entities.md`` and ``entities.json`` (and ``entities.png``) to ``--out``.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import DEFAULT_DATA, commit, news_articles

from arsearch import Index, normalize
from arsearch.pipeline.entities import KINDS, MODES, entities
from arsearch.pipeline.stemming import strip_proclitics
from arsearch.pipeline.tokenizer import iter_tokens

TYPES = {"PER": "people", "LOC": "places", "ORG": "orgs"}
MODE_NAMES = {"both": "arsearch (lists + rules)", "lists": "lists alone", "rules": "rules alone"}
TARGET_P, TARGET_R, TARGET_INDEXING, TARGET_FACETS = 0.85, 0.60, 0.7, 2.0


def words(name: str) -> tuple[str, ...]:
    return tuple(strip_proclitics(w) for w in normalize(name).split())


def holds(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return n > 0 and any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def matches(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return holds(a, b) or holds(b, a)


def load(folder: Path) -> tuple[dict[str, str], dict[str, tuple[str, str]], dict[str, set[str]]]:
    """Sentences by id, entities by id (name, type) and each sentence's gold entity ids."""
    with open(folder / "docs.tsv", encoding="utf-8") as f:
        docs = {row[0]: row[2] for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}
    with open(folder / "queries.tsv", encoding="utf-8") as f:
        ents = {row["qid"]: (row["query"], row["type"]) for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}
    gold: dict[str, set[str]] = collections.defaultdict(set)
    with open(folder / "qrels.tsv", encoding="utf-8") as f:
        for line in f:
            qid, _, docid, grade = line.split()
            if int(grade) >= 2 and qid in ents:
                gold[docid].add(qid)
    return docs, ents, gold


def mention_scores(found: dict[str, dict[str, list[str]]], ents, gold) -> dict[str, dict[str, float]]:
    out = {}
    for etype, kind in TYPES.items():
        n_found = ok_found = n_gold = ok_gold = 0
        for docid, values in found.items():
            names = [words(ents[q][0]) for q in gold.get(docid, ()) if ents[q][1] == etype]
            mine = [words(v) for v in values[kind]]
            n_found += len(mine)
            ok_found += sum(any(matches(v, g) for g in names) for v in mine)
            n_gold += len(names)
            ok_gold += sum(any(matches(v, g) for v in mine) for g in names)
        p = ok_found / n_found if n_found else 0.0
        r = ok_gold / n_gold if n_gold else 0.0
        out[kind] = {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0, "found": n_found, "gold": n_gold}
    return out


def top_counts(ids: list[str], found: dict[str, dict[str, list[str]]], held: collections.Counter, kind: str,
               k: int = 5) -> list[str]:
    """The top ``k`` values of ``kind`` over ``ids`` as the index orders its facets: largest
    count, ties to the value more documents of the whole collection hold (``held``), then by value."""
    counts = collections.Counter(v for d in ids for v in found[d][kind])
    return [v for v, _ in sorted(counts.items(), key=lambda kv: (-kv[1], -held[kv[0]], kv[0]))[:k]]


def shared_recall(counts: collections.Counter, values: list[tuple[str, ...]], ents) -> float:
    """R@5 with ties shared: the gold entities counted more often than the fifth must be
    among ``values``; of those counted as often as the fifth, as many as the places left."""
    order = sorted(counts.values(), reverse=True)
    need = min(5, len(order))
    cut = order[need - 1]
    shown = [q for q in counts if any(matches(v, words(ents[q][0])) for v in values)]
    above = sum(counts[q] > cut for q in shown)
    at = sum(counts[q] == cut for q in shown)
    return (above + min(at, need - sum(n > cut for n in order))) / need


def facet_scores(per_query: list[tuple[list[str], dict[str, list[str]]]], ents, gold) -> dict[str, dict[str, float]]:
    """``per_query``: each query's matched sentence ids and top-five values per kind."""
    out = {}
    for etype, kind in TYPES.items():
        ps, rs, shared = [], [], []
        for ids, top in per_query:
            counts = collections.Counter(q for d in ids for q in gold.get(d, ()) if ents[q][1] == etype)
            names = [words(ents[q][0]) for q in counts]
            best = [words(ents[q][0]) for q, _ in sorted(counts.items(), key=lambda kv: (-kv[1], ents[kv[0]][0]))[:5]]
            values = [words(v) for v in top[kind][:5]]
            if values:
                ps.append(sum(any(matches(v, g) for g in names) for v in values) / len(values))
            if best:
                rs.append(sum(any(matches(v, g) for v in values) for g in best) / len(best))
                shared.append(shared_recall(counts, values, ents))
        out[kind] = {"P@5": statistics.fmean(ps) if ps else 0.0, "R@5": statistics.fmean(rs) if rs else 0.0,
                     "R@5 shared": statistics.fmean(shared) if shared else 0.0,
                     "queries_P": len(ps), "queries_R": len(rs)}
    return out


def quality(args) -> dict:
    docs, ents, gold = load(args.anercorp)
    found = {mode: {d: entities(text, mode=mode) for d, text in docs.items()} for mode in MODES}
    held = {mode: {kind: collections.Counter(v for values in found[mode].values() for v in values[kind])
                   for kind in KINDS} for mode in MODES}
    result: dict = {"sentences": len(docs), "mentions": {m: mention_scores(found[m], ents, gold) for m in MODES}}
    judged = collections.Counter(q for qs in gold.values() for q in qs)
    queries = [q for q, n in judged.items() if n >= 5]
    with Index(entities=True) as ix:
        ix.add_many({"id": d, "text": t} for d, t in docs.items())
        runs: dict[str, list] = {m: [] for m in MODES}
        differ = 0
        for q in sorted(queries):
            res = ix.search(ents[q][0], limit=10, facets=list(KINDS), facet_limit=5)
            ids = [h.id for h in ix.search(ents[q][0], limit=max(res.total, 1))] if res.total else []
            index_top = {kind: [v for v, _ in res.facets[kind]] for kind in KINDS}
            for mode in MODES:
                top = index_top if mode == "both" else {kind: top_counts(ids, found[mode], held[mode][kind], kind)
                                                        for kind in KINDS}
                runs[mode].append((ids, top))
            differ += index_top != {kind: top_counts(ids, found["both"], held["both"][kind], kind) for kind in KINDS}
    result["facet_queries"] = len(queries)
    result["facets_differ_from_extractor"] = differ  # a check: the index's facets are the extractor's values
    result["facets"] = {m: facet_scores(runs[m], ents, gold) for m in MODES}
    return result


#: The indexing runs alternate this many chunks of the articles between the two indexes.
INDEXING_CHUNKS = 4


def speed(args) -> dict:
    articles = []
    for a in news_articles(args.corpus):
        articles.append({"id": a["id"], "title": a.get("title") or None, "text": a["text"]})
        if len(articles) >= args.docs:
            break
    out: dict = {"docs": len(articles)}
    with tempfile.TemporaryDirectory() as tmp:
        # both indexes built side by side, a chunk of articles each in turn, so that a drift of
        # the machine's speed during the run weighs on both alike (not on the second built)
        ixs = {label: Index(Path(tmp) / label, entities=flag) for label, flag in (("without", False), ("with", True))}
        spent = dict.fromkeys(ixs, 0.0)
        size = -(-len(articles) // INDEXING_CHUNKS)
        for i in range(0, len(articles), size):
            for label, ix in ixs.items():
                start = time.perf_counter()
                ix.add_many(articles[i:i + size])
                spent[label] += time.perf_counter() - start
        for label, ix in ixs.items():
            start = time.perf_counter()
            ix.close()
            spent[label] += time.perf_counter() - start
            out[f"index_{label}_s"] = spent[label]
        out["indexing_ratio"] = out["index_without_s"] / out["index_with_s"]  # speed with ÷ speed without
        df = collections.Counter()
        for a in articles:
            df.update({normalize(t.text) for t in iter_tokens(a["text"])})
        from arsearch.pipeline.lexicon import stopwords

        stop = stopwords()
        frequent = [w for w, _ in df.most_common() if w not in stop and len(w) >= 3 and w.isalpha()][:args.words]
        timings: dict[str, list[float]] = {"plain": [], "facets": []}
        totals = {}
        with Index(Path(tmp) / "with") as ix:
            for w in frequent:
                for label, facets in (("plain", None), ("facets", list(KINDS))):
                    ix.search(w, facets=facets)  # warm-up
                    for _ in range(args.repeat):
                        start = time.perf_counter()
                        r = ix.search(w, facets=facets)
                        totals[w] = r.total
                        timings[label].append(time.perf_counter() - start)
        out["words"] = {w: totals[w] for w in frequent}
        out["p50_plain_ms"] = statistics.median(timings["plain"]) * 1000
        out["p50_facets_ms"] = statistics.median(timings["facets"]) * 1000
        out["facets_ratio"] = out["p50_facets_ms"] / out["p50_plain_ms"]
    return out


def report(res: dict, argv: list[str]) -> str:
    lines = [f"`python benchmarks/entities.py {' '.join(argv)}` at commit {res['commit']} "
             f"({res['cpus']} CPUs, Python {res['python']})", ""]
    q = res.get("quality")
    if q:
        lines += [f"### Mentions, ANERcorp ({q['sentences']:,} sentences; micro-averaged per type)", "",
                  "| extractor | type | found | gold | P | R | F1 |", "|---|---|---:|---:|---:|---:|---:|"]
        for mode in MODES:
            for kind, s in q["mentions"][mode].items():
                lines.append(f"| {MODE_NAMES[mode]} | {kind} | {s['found']:,} | {s['gold']:,} | {s['P']:.3f} | "
                             f"{s['R']:.3f} | {s['F1']:.3f} |")
        lines += ["", f"### Facet quality, {q['facet_queries']} gold entities with ≥ 5 judged sentences "
                  f"(targets: mean P@5 ≥ {TARGET_P}, mean R@5 ≥ {TARGET_R})", "",
                  "| extractor | people P@5 | people R@5 | places P@5 | places R@5 | orgs P@5 | orgs R@5 | "
                  "mean P@5 | mean R@5 | mean R@5, ties shared |", "|---|" + "---:|" * 9]
        for mode in MODES:
            f = q["facets"][mode]
            mp = statistics.fmean(f[k]["P@5"] for k in KINDS)
            mr = statistics.fmean(f[k]["R@5"] for k in KINDS)
            ms = statistics.fmean(f[k]["R@5 shared"] for k in KINDS)
            cells = " | ".join(f"{f[k]['P@5']:.3f} | {f[k]['R@5']:.3f}" for k in KINDS)
            lines.append(f"| {MODE_NAMES[mode]} | {cells} | **{mp:.3f}** | **{mr:.3f}** | {ms:.3f} |")
        lines += ["", "Queries with a value / with a gold entity of the type (P@5 / R@5 denominators): "
                  + ", ".join(f"{k} {q['facets']['both'][k]['queries_P']}/{q['facets']['both'][k]['queries_R']}"
                              for k in KINDS)
                  + f". Index facets differing from the extractor's counts: {q['facets_differ_from_extractor']}."]
    s = res.get("speed")
    if s:
        lines += ["", f"### Speed, the first {s['docs']:,} news articles (one process, on disk)", "",
                  "| measure | without entities | with entities | ratio | target |", "|---|---:|---:|---:|---|",
                  f"| indexing, docs/s | {s['docs'] / s['index_without_s']:.0f} | {s['docs'] / s['index_with_s']:.0f} | "
                  f"{s['indexing_ratio']:.2f}× | ≥ {TARGET_INDEXING}× |",
                  f"| search p50, ms ({len(s['words'])} frequent words, plain vs three facets) | "
                  f"{s['p50_plain_ms']:.2f} | {s['p50_facets_ms']:.2f} | {s['facets_ratio']:.2f}× | ≤ {TARGET_FACETS}× |",
                  "", "Words (matches): " + ", ".join(f"{w} ({n:,})" for w, n in s["words"].items()) + "."]
    return "\n".join(lines) + "\n"


def plot(res: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    f = res["quality"]["facets"]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharey=True)
    for ax, measure, target in zip(axes, ("P@5", "R@5"), (TARGET_P, TARGET_R)):
        for n, mode in enumerate(MODES):
            ax.bar([x + n * 0.27 for x in range(3)], [f[mode][k][measure] for k in KINDS], 0.27, label=MODE_NAMES[mode])
        ax.axhline(target, color="k", ls="--", lw=0.8)
        ax.set_xticks([x + 0.27 for x in range(3)], KINDS)
        ax.set_title(f"facet {measure} (target {target})")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--anercorp", type=Path, default=DEFAULT_DATA / "eval" / "entity" / "anercorp")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_DATA / "corpus" / "arabic_news.jsonl.gz")
    parser.add_argument("--docs", type=int, default=20_000, help="news articles for the speed runs")
    parser.add_argument("--words", type=int, default=5, help="frequent words searched for the facet timing")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--out", type=Path, help="folder for entities.md, .json, .png")
    args = parser.parse_args(argv)

    res: dict = {"commit": commit(), "cpus": os.cpu_count(), "python": platform.python_version()}
    if not args.no_quality:
        res["quality"] = quality(args)
    if not args.no_speed:
        res["speed"] = speed(args)
    text = report(res, argv)
    print(text)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "entities.md").write_text(text, encoding="utf-8")
        (args.out / "entities.json").write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
        if "quality" in res:
            plot(res, args.out / "entities.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Scores and the markdown report of the relevance harness."""

from __future__ import annotations

from dataclasses import dataclass, field

import ir_measures
from ir_measures import RR, Qrel, R, ScoredDoc, nDCG

MEASURES = {"nDCG@10": nDCG @ 10, "MRR@10": RR @ 10, "R@100": R @ 100}
NO_RESULT = "__no_result__"

Ranking = list[tuple[str, float]]
Key = tuple[str, str, str]  # (collection, form, system)


def evaluate(qrels: dict[str, dict[str, int]], run: dict[str, Ranking]) -> dict[str, float]:
    """Mean nDCG@10, MRR@10 and R@100 over every judged query; a query with no hits scores 0.

    Each query without hits gets one unjudged placeholder document, so the mean stays over all
    judged queries whatever the evaluator does with queries missing from a run. Scores are
    replaced by rank positions because pytrec_eval re-sorts by score and breaks ties by docid:
    the order evaluated is the order the system returned.
    """
    judgements = [Qrel(q, d, rel) for q, docs in qrels.items() for d, rel in docs.items()]
    scored = [ScoredDoc(qid, NO_RESULT, 0.0) for qid in qrels if not run.get(qid)]
    for qid in qrels:
        ranking = run.get(qid, [])
        scored.extend(
            ScoredDoc(qid, d, float(len(ranking) - i)) for i, (d, _) in enumerate(ranking)
        )
    means = ir_measures.calc_aggregate(list(MEASURES.values()), judgements, scored)
    return {label: float(means[measure]) for label, measure in MEASURES.items()}


@dataclass
class Timed:
    """Wall time of one step, with what it covered."""

    seconds: float
    note: str = ""
    queries: int = 0


@dataclass
class Results:
    """Everything the report shows."""

    command: str
    date: str
    cpus: int | None
    scale: str
    systems: list[str]
    forms: list[str]
    jobs: int = 1
    notes: list[str] = field(default_factory=list)
    corpora: dict[str, str] = field(default_factory=dict)  # index -> description
    builds: dict[tuple[str, str], Timed] = field(default_factory=dict)  # (index, system)
    batches: dict[Key, Timed] = field(default_factory=dict)
    collections: dict[str, str] = field(default_factory=dict)  # reported collection -> description
    scores: dict[Key, dict[str, float]] = field(default_factory=dict)


def render(results: Results) -> str:
    """The whole report as markdown."""
    parts = [_header(results), _builds(results), _batch_times(results)]
    parts += [_collection_table(results, name) for name in results.collections]
    parts.append(_summary(results))
    return "\n\n".join(parts) + "\n"


def _header(results: Results) -> str:
    lines = [
        "# Relevance: dvsearch and its peers",
        "",
        f"- command: `{results.command}`",
        f"- date: {results.date}; CPUs (`os.cpu_count()`): {results.cpus}; scale: {results.scale}",
        f"- dvsearch batches ran {results.jobs} at a time, each in its own process; the peers ran"
        " in process, one batch at a time",
    ]
    lines += [f"- {note}" for note in results.notes]
    lines += [f"- index `{name}`: {text}" for name, text in results.corpora.items()]
    lines += [f"- collection `{name}`: {text}" for name, text in results.collections.items()]
    return "\n".join(lines)


def _builds(results: Results) -> str:
    rows = ["## Build times (s)", "", _row(["index", *results.systems]), _rule(results.systems)]
    for index in results.corpora:
        cells = [_timed(results.builds.get((index, s))) for s in results.systems]
        rows.append(_row([index, *cells]))
    return "\n".join(rows)


def _timed(timed: Timed | None) -> str:
    if timed is None:
        return "–"
    return f"{timed.seconds:.1f}" + (f" ({timed.note})" if timed.note else "")


def _batch_times(results: Results) -> str:
    ran = {(c, s) for c, _, s in results.batches}
    columns = [(c, s) for c in results.collections for s in results.systems if (c, s) in ran]
    header = [f"{c} {s}" for c, s in columns]
    rows = ["## Batch times (s per batch, ms per query)", "", _row(["form", *header])]
    rows.append(_rule(header))
    for form in results.forms:
        cells = [_batch_cell(results.batches.get((c, form, s))) for c, s in columns]
        rows.append(_row([form, *cells]))
    return "\n".join(rows)


def _batch_cell(timed: Timed | None) -> str:
    if timed is None:
        return "–"
    per_query = 1000 * timed.seconds / timed.queries if timed.queries else 0.0
    return f"{timed.seconds:.1f} ({per_query:.0f})"


def _collection_table(results: Results, collection: str) -> str:
    header = [f"{s} {m}" for s in results.systems for m in MEASURES]
    rows = [f"## {collection}", "", _row(["form", *header]), _rule(header)]
    for form in results.forms:
        cells = [
            _score(results, (collection, form, s), m) for s in results.systems for m in MEASURES
        ]
        rows.append(_row([form, *cells]))
    return "\n".join(rows)


def _score(results: Results, key: Key, measure: str) -> str:
    scores = results.scores.get(key)
    return "–" if scores is None else f"{scores[measure]:.3f}"


def _summary(results: Results) -> str:
    lines = ["## Summary", ""]
    peers = [s for s in results.systems if s != "dvsearch"]
    if "dvsearch" not in results.systems:
        return "\n".join([*lines, "dvsearch was not run."])
    for collection in results.collections:
        lines.append(f"- **{collection}**: {_verdict(results, collection, peers)}")
    return "\n".join(lines)


def _verdict(results: Results, collection: str, peers: list[str]) -> str:
    """Where dvsearch is not ahead of every peer on nDCG@10, and how well accentless queries do."""
    behind = [cell for form in results.forms if (cell := _behind(results, collection, form, peers))]
    names = " and ".join(peers) or "no peer"
    if behind:
        verdict = f"dvsearch is not ahead of {names} on nDCG@10 in " + "; ".join(behind)
    else:
        verdict = f"dvsearch is ahead of {names} on nDCG@10 in every form"
    written = _ndcg(results, collection, "written", "dvsearch")
    accentless = _ndcg(results, collection, "no_accents", "dvsearch")
    if written and accentless is not None:
        verdict += f". Its no_accents nDCG@10 is {100 * accentless / written:.1f}% of written"
    return verdict + "."


def _behind(results: Results, collection: str, form: str, peers: list[str]) -> str:
    """``written: 0.907 vs fts5 0.974`` when a peer scores at least as well, else ``""``."""
    ours = _ndcg(results, collection, form, "dvsearch")
    if ours is None:
        return ""
    theirs = [(peer, _ndcg(results, collection, form, peer)) for peer in peers]
    ahead = [f"{peer} {score:.3f}" for peer, score in theirs if score is not None and score >= ours]
    return f"{form}: {ours:.3f} vs {', '.join(ahead)}" if ahead else ""


def _ndcg(results: Results, collection: str, form: str, system: str) -> float | None:
    scores = results.scores.get((collection, form, system))
    return None if scores is None else scores["nDCG@10"]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rule(columns: list[str]) -> str:
    return "| --- " + "| ---: " * len(columns) + "|"

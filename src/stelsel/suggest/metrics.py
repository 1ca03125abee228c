"""Ranking metrics over one ranked list and the set of relevant items (the stated links)."""

from __future__ import annotations

from statistics import mean

NAMES = ("hit@1", "hit@5", "mrr", "recall@5", "recall@10", "map")


def per_query(ranking: list[str], relevant: set[str]) -> dict[str, float]:
    """hit@k: a relevant item in the first k; mrr: 1 / rank of the first relevant; recall@k: share of
    the relevant items in the first k; map: average precision at the rank of each relevant item
    (a relevant item missing from the ranking adds precision 0)."""
    if not relevant:
        raise ValueError("a query needs at least one relevant item")
    ranks = sorted(i for i, item in enumerate(ranking, start=1) if item in relevant)
    first = ranks[0] if ranks else None
    ap = sum((n / r) for n, r in enumerate(ranks, start=1)) / len(relevant)
    top = lambda k: sum(1 for r in ranks if r <= k)  # noqa: E731
    return {
        "hit@1": float(first == 1), "hit@5": float(first is not None and first <= 5),
        "mrr": 1.0 / first if first else 0.0,
        "recall@5": top(5) / len(relevant), "recall@10": top(10) / len(relevant), "map": ap,
    }


def average(rows: list[dict[str, float]]) -> dict[str, float]:
    return {name: round(mean(r[name] for r in rows), 4) if rows else 0.0 for name in NAMES}

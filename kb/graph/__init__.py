"""The entity graph: entities as nodes, tracked claims and co-mentions as edges, and graph metrics."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from typing import Iterable

import networkx as nx
import numpy as np
import sqlite_utils

from kb.contract import CLAIM_TYPES, SYMMETRIC_CLAIM_TYPES
from kb.errors import KBError
from kb.store import graphdata
from kb.store.graphdata import save_metrics  # noqa: F401  (API: compute_metrics, then save)
from kb.store.lookup import find_entity
from kb.store.values import parse_json_list as _json_list

LAYERS = ("claims", "mentions", "all")
CO_MENTION = "co_mention"
CO_MENTION_KEY = "co-mention"
SYMMETRIC_TYPES = SYMMETRIC_CLAIM_TYPES | {CO_MENTION}
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_SAMPLES = 500


def build_graph(db: sqlite_utils.Database, *, entity: str | None = None, depth: int = 1,
                types: Iterable[str] | None = None, since: str | dt.date | None = None, min_sources: int = 1,
                layer: str = "claims", include_wrong: bool = False) -> nx.MultiDiGraph:
    """A MultiDiGraph of entities with one edge per tracked claim (and/or co-mention pair), filtered.

    Filters narrowing the edges (`types`, `since`, `min_sources` > 1) also drop entities left without
    edges; without them every entity is a node. `entity` keeps the ego graph of radius `depth`. Claims an
    analyst reviewed wrong are left out unless `include_wrong`.
    """
    if layer not in LAYERS:
        raise KBError(f"unknown graph layer {layer!r}; use one of: {', '.join(LAYERS)}")
    if depth < 0:
        raise KBError(f"--depth must be 0 or more, got {depth}")
    if min_sources < 1:
        raise KBError(f"--min-sources must be 1 or more, got {min_sources}")
    since = _check_since(since)
    type_set = _check_types(db, types)
    focus = find_entity(db, entity)["id"] if entity is not None else None

    G = nx.MultiDiGraph(name="kb entity graph", layer=layer)
    for key, value in (("entity", focus), ("depth", depth if focus else None),
                       ("types", sorted(type_set) if type_set is not None else None),
                       ("since", since), ("min_sources", min_sources if min_sources > 1 else None)):
        if value is not None:
            G.graph[key] = value
    _add_entity_nodes(db, G)
    if layer in ("claims", "all"):
        _add_claim_edges(db, G, type_set, since, min_sources, include_wrong)
    if layer in ("mentions", "all") and (type_set is None or CO_MENTION in type_set):
        _add_co_mention_edges(db, G, since, min_sources)
    if type_set is not None or since is not None or min_sources > 1:
        G.remove_nodes_from([n for n in list(nx.isolates(G)) if n != focus])
    if focus is not None:
        keep = _reachable(G, focus, depth)
        # In place, which keeps G's order (G.subgraph(keep) would iterate the set: order varying per run).
        G.remove_nodes_from([n for n in G if n not in keep])
    return G


def compute_metrics(G: nx.MultiDiGraph) -> dict[str, dict]:
    """Per node: degree, weighted_degree, pagerank, betweenness and Louvain community, deterministically."""
    nodes = sorted(G.nodes, key=str)
    if not nodes:
        return {}
    H = _undirected_projection(G, nodes)
    k = None if len(nodes) < EXACT_BETWEENNESS_LIMIT else min(BETWEENNESS_SAMPLES, len(nodes))
    betweenness = betweenness_centrality(H, k=k, seed=0)
    communities = nx.community.louvain_communities(H, weight="weight", seed=0)
    ordered = sorted(communities, key=lambda c: (-len(c), min(str(n) for n in c)))
    community = {n: i for i, members in enumerate(ordered) for n in members}
    pagerank = _pagerank(G, nodes)
    return {n: {"degree": int(G.degree(n)), "weighted_degree": float(G.degree(n, weight="weight")),
                "pagerank": pagerank[n], "betweenness": float(betweenness[n]), "community": community[n]}
            for n in nodes}


def refresh_metrics(db: sqlite_utils.Database) -> dict:
    """Build the full graph (claims and co-mentions), compute and store metrics; return summary counts."""
    G = build_graph(db, layer="all")
    metrics = compute_metrics(G)
    save_metrics(db, metrics)
    kinds = [d.get("claim_type") for _, _, d in G.edges(data=True)]
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "claim_edges": sum(1 for k in kinds if k != CO_MENTION),
        "co_mention_edges": sum(1 for k in kinds if k == CO_MENTION),
        "isolated": sum(1 for _ in nx.isolates(G)),
        "communities": len({m["community"] for m in metrics.values()}),
        "betweenness": "exact" if G.number_of_nodes() < EXACT_BETWEENNESS_LIMIT else "approximate",
    }


def _add_entity_nodes(db: sqlite_utils.Database, G: nx.MultiDiGraph) -> None:
    metrics = graphdata.stored_metrics(db)
    for r in graphdata.entity_nodes(db):
        attrs = {"name": r["name"], "type": r["type"], "aliases": _json_list(r["aliases"]),
                 "mentions": r["mentions"], "articles": r["articles"], "claims": r["claims"]}
        for key in ("name_ja", "wikidata", "country", "latitude", "longitude"):
            if r[key] is not None:
                attrs[key] = r[key]
        attrs.update(metrics.get(r["id"], {}))
        G.add_node(r["id"], **attrs)


def _add_claim_edges(db: sqlite_utils.Database, G: nx.MultiDiGraph, type_set: set[str] | None,
                     since: str | None, min_sources: int, include_wrong: bool = False) -> None:
    conflicts: dict[str, set[str]] = {}
    for a, b in graphdata.conflict_pairs(db):
        conflicts.setdefault(a, set()).add(b)
        conflicts.setdefault(b, set()).add(a)
    for r in graphdata.claim_edges(db, types=type_set, since=since, min_sources=min_sources,
                                   include_wrong=include_wrong):
        for end in (r["subject_id"], r["object_id"]):
            if end not in G:
                # Claims should only point at stored entities; keep the edge visible if one does not.
                G.add_node(end, name=end, type="unknown", aliases=[], mentions=0, articles=0, claims=0)
        details = _json_obj(r["details"])
        G.add_edge(r["subject_id"], r["object_id"], key=r["id"], claim_type=r["type"], claim_id=r["id"],
                   summary=r["summary"], modality=r["modality"], polarity=r["polarity"],
                   sources=r["sources"], evidence_count=r["evidence_count"],
                   first_seen=r["first_seen"], last_seen=r["last_seen"],
                   amount_min=r["amount_min"], amount_max=r["amount_max"], currency=r["currency"],
                   unit=r["unit"], period=r["period"],
                   approximate=None if r["approximate"] is None else bool(r["approximate"]),
                   bound=r["bound"], amount_usd=r["amount_usd"], attributed_to=r["attributed_to_id"],
                   conflicts=r["conflicts"], conflicts_with=sorted(conflicts.get(r["id"], ())),
                   details=details or None, symmetric=r["type"] in SYMMETRIC_TYPES,
                   # Corroboration: a claim reported by more articles ties its entities more strongly.
                   weight=float(max(r["sources"] or 0, 1)))
    if type_set is None or "investment" in type_set:
        _add_investment_edges(db, G, since, min_sources, include_wrong)


def _add_investment_edges(db: sqlite_utils.Database, G: nx.MultiDiGraph, since: str | None,
                          min_sources: int, include_wrong: bool = False) -> None:
    """Investments are nodes too: investor -> investment (invests) -> target (investment_target)."""
    for r in graphdata.investment_claims(db, since=since, min_sources=min_sources, include_wrong=include_wrong):
        if r["investment_id"] not in G or r["subject_id"] not in G:
            continue
        common = dict(claim_id=r["id"], summary=r["summary"], modality=r["modality"], polarity=r["polarity"],
                      sources=r["sources"], first_seen=r["first_seen"], last_seen=r["last_seen"],
                      amount_usd=r["amount_usd"], weight=float(max(r["sources"] or 0, 1)))
        G.add_edge(r["subject_id"], r["investment_id"], key=f"{r['id']}:invests", claim_type="invests", **common)
        if r["object_id"] and r["object_id"] in G:
            G.add_edge(r["investment_id"], r["object_id"], key=f"{r['id']}:target", claim_type="investment_target",
                       **common)


def _add_co_mention_edges(db: sqlite_utils.Database, G: nx.MultiDiGraph, since: str | None,
                          min_sources: int) -> None:
    for r in graphdata.co_mention_pairs(db, since=since, min_sources=min_sources):
        if r["u"] not in G or r["v"] not in G:
            continue
        G.add_edge(r["u"], r["v"], key=CO_MENTION_KEY, claim_type=CO_MENTION, weight=float(r["passages"]),
                   passages=r["passages"], sources=r["sources"], first_seen=r["first_seen"],
                   last_seen=r["last_seen"], symmetric=True)


def _reachable(G: nx.MultiDiGraph, focus: str, depth: int) -> set:
    """Nodes within `depth` hops of `focus`, edges followed both ways (nx.ego_graph(undirected=True)
    would copy the whole graph to an undirected one first)."""
    seen, frontier = {focus}, [focus]
    for _ in range(depth):
        following = []
        for n in frontier:
            for m in (*G.successors(n), *G.predecessors(n)):
                if m not in seen:
                    seen.add(m)
                    following.append(m)
        frontier = following
    return seen


def betweenness_centrality(H: nx.Graph, *, k: int | None = None, seed: int = 0) -> dict:
    """Normalized unweighted betweenness of an undirected graph, equal to
    nx.betweenness_centrality(H, k=k, seed=seed) (same sampled sources, same rescaling), ~50x faster:
    Brandes' algorithm with each BFS level processed as numpy arrays."""
    nodes = list(H)
    n = len(nodes)
    if k is not None and k >= n:
        k = None
    index = {node: i for i, node in enumerate(nodes)}
    sources = range(n) if k is None else [index[x] for x in random.Random(seed).sample(nodes, k)]
    degree = np.array([len(H[u]) for u in nodes], dtype=np.int64)
    indptr = np.concatenate(([0], np.cumsum(degree)))
    indices = np.fromiter((index[v] for u in nodes for v in H[u]), dtype=np.int64, count=int(indptr[-1]))
    total = np.zeros(n)
    for s in sources:
        total += _dependencies(s, n, indptr, indices)
    N = n - 1  # endpoints excluded: v is never the target
    if N < 2:
        return {node: float(total[i]) for i, node in enumerate(nodes)}
    if k is None:
        scale = np.full(n, 1.0 / (N * (N - 1)))
    else:
        scale = np.full(n, 1.0 / (k * (N - 1)))
        scale[list(sources)] = 1.0 / ((k - 1) * (N - 1)) if k > 1 else math.nan
    return {node: float(total[i] * scale[i]) for i, node in enumerate(nodes)}


def _dependencies(s: int, n: int, indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Brandes' dependency of source `s` on every node (BFS forward, accumulation backward, level by level)."""
    dist = np.full(n, -1, dtype=np.int64)
    sigma = np.zeros(n)
    dist[s], sigma[s] = 0, 1.0
    frontier, depth, levels = np.array([s], dtype=np.int64), 0, []
    while frontier.size:
        counts = indptr[frontier + 1] - indptr[frontier]
        size = int(counts.sum())
        if size == 0:
            break
        offsets = np.repeat(indptr[frontier] - (np.cumsum(counts) - counts), counts) + np.arange(size)
        succ, pred = indices[offsets], np.repeat(frontier, counts)
        fresh = np.unique(succ[dist[succ] == -1])
        dist[fresh] = depth + 1
        on_path = dist[succ] == depth + 1
        pred, succ = pred[on_path], succ[on_path]
        if not succ.size:
            break
        sigma += np.bincount(succ, weights=sigma[pred], minlength=n)
        levels.append((pred, succ))
        frontier, depth = fresh, depth + 1
    delta = np.zeros(n)
    for pred, succ in reversed(levels):
        delta += np.bincount(pred, weights=sigma[pred] / sigma[succ] * (1.0 + delta[succ]), minlength=n)
    delta[s] = 0.0
    return delta


def _undirected_projection(G: nx.MultiDiGraph, nodes: list) -> nx.Graph:
    """Simple undirected graph; parallel edges (both directions) merged, weights summed; no self-loops."""
    weights: dict[tuple, list[float]] = {}
    for u, v, d in G.edges(data=True):
        if u != v:
            weights.setdefault((u, v) if str(u) <= str(v) else (v, u), []).append(_weight(d))
    H = nx.Graph()
    H.add_nodes_from(nodes)
    # fsum and sorted pairs: the same graph gives the same projection whatever its edge order.
    H.add_weighted_edges_from((u, v, math.fsum(ws)) for (u, v), ws in
                              sorted(weights.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))))
    return H


def _pagerank(G: nx.MultiDiGraph, nodes: list, *, alpha: float = 0.85, max_iter: int = 100,
              tol: float = 1.0e-6) -> dict:
    """Weighted PageRank as nx.pagerank defines it, in numpy (nx.pagerank needs scipy, which kb does
    not depend on). Symmetric edges (partnerships, co-mentions) count in both directions."""
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    src, dst, wts = [], [], []
    for u, v, d in G.edges(data=True):
        w = _weight(d)
        src.append(index[u]), dst.append(index[v]), wts.append(w)
        if d.get("symmetric") and u != v:
            src.append(index[v]), dst.append(index[u]), wts.append(w)
    s, t, w = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), np.array(wts, dtype=float)
    out = np.bincount(s, weights=w, minlength=n)
    share = np.divide(w, out[s], out=np.zeros_like(w), where=out[s] > 0)
    dangling = out == 0
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * np.bincount(t, weights=last[s] * share, minlength=n)
        x += (alpha * last[dangling].sum() + 1.0 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            break
    return {node: float(x[i]) for node, i in index.items()}


def _weight(data: dict) -> float:
    w = data.get("weight", 1.0)
    return float(w) if isinstance(w, (int, float)) and w >= 0 else 1.0


def _check_since(since: str | dt.date | None) -> str | None:
    if since is None or since == "":
        return None
    if isinstance(since, dt.date):
        return since.isoformat()
    try:
        dt.date.fromisoformat(since[:10])
    except ValueError:
        raise KBError(f"--since {since!r} is not an ISO date; use YYYY-MM-DD, e.g. 2025-01-31") from None
    return since


def _check_types(db: sqlite_utils.Database, types: Iterable[str] | None) -> set[str] | None:
    if types is None:
        return None
    if isinstance(types, str):
        types = [types]
    wanted = {t.strip().lower().replace("-", "_") for t in types if t and t.strip()}
    if not wanted:
        return None
    known = set(CLAIM_TYPES) | {CO_MENTION} | graphdata.claim_types(db)
    unknown = sorted(wanted - known)
    if unknown:
        raise KBError(f"--type {', '.join(unknown)}: unknown claim type; use one of: {', '.join(sorted(known))}")
    return wanted


def _json_obj(raw) -> dict:
    if raw in (None, ""):
        return {}
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return {"text": raw}
    return value if isinstance(value, dict) else {"value": value}

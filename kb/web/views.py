"""Route handlers for /-/kb/…: entity graph (page + JSON), claim and article pages, search, vis-network."""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

from datasette import Response
from datasette.utils import tilde_encode
from datasette.utils.asgi import BadRequest, NotFound

from kb.store import web as web_sql
from kb.store.fts import SearchQueryError, parse_query, search_match
from kb.web.display import format_amount
from kb.web.graphdata import DEFAULT_COLOR, TYPE_COLORS, choose_entity, entity_neighbourhood, suggest_entities
from kb.web.searchrewrite import MAX_SEARCH_CHARS
from kb.web.textmarks import context_window, mark_segments, marked_ranges, parse_ranges, snippet

VIS_VERSION_DIR = ("templates", "lib", "vis-9.1.2")
SEARCH_PAGE_SIZE = 20
SEARCH_MAX_PAGE_SIZE = 100
EVIDENCE_LIMIT = 200


@lru_cache(maxsize=4)
def vis_file(filename: str) -> bytes:
    """A vis-network asset from the installed pyvis package (served locally: no CDN)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("pyvis is not installed; pip install pyvis==0.3.2")
    return Path(spec.submodule_search_locations[0], *VIS_VERSION_DIR, filename).read_bytes()


def claim_url(datasette, claim_id) -> str:
    """URL of the claim page."""
    return datasette.urls.path(f"/-/kb/claim/{tilde_encode(str(claim_id))}")


def article_url(datasette, article_id, start=None, end=None) -> str:
    """URL of the article page, highlighting text[start:end] when given."""
    url = datasette.urls.path(f"/-/kb/article/{tilde_encode(str(article_id))}")
    if start is not None and end is not None:
        url += f"?hl={int(start)}-{int(end)}#hl"
    return url


def graph_url(datasette, entity, depth=1) -> str:
    """URL of the entity graph page."""
    return datasette.urls.path("/-/kb/graph") + "?" + urlencode({"entity": entity, "depth": depth})


def entity_url(datasette, db_name, entity_id) -> str:
    """URL of an entity's row page."""
    return datasette.urls.row(db_name, "entities", tilde_encode(str(entity_id)))


async def kb_database(datasette, request):
    """The database with kb tables (`?db=` picks one when several are served)."""
    wanted = request.args.get("db")
    names = [wanted] if wanted else [n for n in datasette.databases if not n.startswith("_")]
    for name in names:
        db = datasette.databases.get(name)
        if db is not None and await db.table_exists("claims"):
            await datasette.ensure_permissions(request.actor, [("view-database", name), "view-instance"])
            return db
    raise NotFound("No kb database is being served: run 'kb ingest' and 'kb serve --db PATH'")


async def _render(datasette, request, template, context, status=200):
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


async def _rows(db, sql, params=None) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params or [])).rows]


def _depth(request) -> int:
    try:
        return max(0, min(int(request.args.get("depth", "1")), 3))
    except ValueError:
        return 1


def _decode(value: str) -> str:
    from datasette.utils import tilde_decode
    return tilde_decode(value)


async def graph_page(datasette, request):
    """/-/kb/graph?entity=NAME&depth=1: the entity's neighbourhood drawn with vis-network."""
    db = await kb_database(datasette, request)
    query = request.args.get("entity", "").strip()
    depth, co = _depth(request), request.args.get("co", "1") != "0"
    context = {"db_name": db.name, "query": query, "depth": depth, "co": co, "entity": None,
               "legend": sorted(TYPE_COLORS.items()), "default_color": DEFAULT_COLOR, "suggestions": [],
               "ambiguous": False, "graph_base": datasette.urls.path("/-/kb/graph"),
               "vis_js": datasette.urls.path("/-/kb/static/vis-network.min.js"),
               "vis_css": datasette.urls.path("/-/kb/static/vis-network.css"),
               "page_js": datasette.urls.static_plugins("kb", "kb-graph.js"),
               "page_css": datasette.urls.static_plugins("kb", "kb.css")}
    choice = await db.execute_fn(lambda conn: choose_entity(conn, query)) if query else None
    entity = choice.entity if choice else None
    status = 200
    if entity is None:
        context["ambiguous"] = bool(choice and choice.ambiguous)  # then the suggestions are the candidates
        context["suggestions"] = (choice.offers if choice else
                                  await db.execute_fn(lambda conn: suggest_entities(conn, query)))
        status = 404 if query else 200
    else:
        context["entity"] = entity
        context["entity_url"] = entity_url(datasette, db.name, entity["id"])
        context["entity_color"] = TYPE_COLORS.get(entity["type"], DEFAULT_COLOR)
        context["json_url"] = datasette.urls.path("/-/kb/graph.json") + "?" + urlencode(
            {"entity": entity["id"], "depth": depth, "co": int(co), "db": db.name})
    return await _render(datasette, request, "kb_graph.html", context, status)


async def graph_json(datasette, request):
    """/-/kb/graph.json?entity=NAME&depth=1&co=1: nodes and edges for the graph page."""
    db = await kb_database(datasette, request)
    query = request.args.get("entity", "").strip()
    depth, co = _depth(request), request.args.get("co", "1") != "0"
    choice = await db.execute_fn(lambda conn: choose_entity(conn, query)) if query else None
    entity = choice.entity if choice else None
    if entity is None:
        suggestions = (choice.offers if choice else
                       await db.execute_fn(lambda conn: suggest_entities(conn, query)))
        body = {"ok": False, "error": f"No entity matches {query!r}"}
        if choice and choice.ambiguous:
            body = {"ok": False, "error": f"{query!r} matches several entities; pass one of their ids",
                    "ambiguous": True}
        body["suggestions"] = [{"id": s["id"], "name": s["name"], "type": s["type"]} for s in suggestions]
        return Response.json(body, status=404)
    data = await db.execute_fn(lambda conn: entity_neighbourhood(conn, entity["id"], depth=depth, co_mentions=co))
    for node in data["nodes"]:
        node["url"] = entity_url(datasette, db.name, node["id"])
        node["graph_url"] = graph_url(datasette, node["id"], depth)
    for edge in data["edges"]:
        if edge.get("claim_id"):
            edge["url"] = claim_url(datasette, edge["claim_id"])
    return Response.json({"ok": True, "entity": entity, **data})


async def vis_static(request):
    """vis-network JS/CSS from the installed pyvis package."""
    filename = request.url_vars["filename"]
    content_type = "text/css" if filename.endswith(".css") else "application/javascript"
    try:
        body = vis_file(filename)
    except FileNotFoundError as exc:
        raise NotFound(str(exc))
    return Response(body, content_type=f"{content_type}; charset=utf-8",
                    headers={"cache-control": "max-age=86400"})


def evidence_view(row: dict) -> dict:
    """An evidence row with the quote marked inside its paragraph of the stored article text."""
    text, start, end = row.pop("article_text") or "", row["start"], row["end"]
    row["offsets_ok"] = text[start:end] == row["quote"]
    if not row["offsets_ok"] and row["quote"] and row["quote"] in text:
        start = text.index(row["quote"])
        end = start + len(row["quote"])
    lo, hi = context_window(text, start, end)
    row["segments"] = mark_segments(text[lo:hi], [(start, end)], offset=lo)
    row["cut_before"], row["cut_after"] = lo > 0, hi < len(text)
    return row


async def claim_page(datasette, request):
    """/-/kb/claim/<id>: the claim, its conflicts and every evidence quote marked in its article."""
    db = await kb_database(datasette, request)
    claim_id = _decode(request.url_vars["claim_id"])
    rows = await _rows(db, web_sql.CLAIM_SQL, {"id": claim_id})
    if not rows:
        raise NotFound(f"No claim with id {claim_id!r}")
    claim = rows[0]
    try:
        details = json.loads(claim.get("details") or "{}")
    except ValueError:
        details = {"details": claim.get("details")}
    if isinstance(details, dict):
        details = {k: v if isinstance(v, (str, int, float)) or v is None else json.dumps(v, ensure_ascii=False)
                   for k, v in details.items()}
    conflicts = await _rows(db, web_sql.CONFLICTS_SQL, {"id": claim_id})
    for c in conflicts:
        c["amount"], c["url"] = format_amount(c), claim_url(datasette, c["id"])
    evidence = [evidence_view(r)
                for r in await _rows(db, web_sql.EVIDENCE_SQL, {"id": claim_id, "limit": EVIDENCE_LIMIT})]
    for e in evidence:
        e["article_url"] = article_url(datasette, e["article_id"], e["start"], e["end"])
    context = {
        "db_name": db.name, "claim": claim, "amount": format_amount(claim), "conflicts": conflicts,
        "evidence": evidence, "details": details if isinstance(details, dict) else {"details": details},
        "row_url": datasette.urls.row(db.name, "claims", tilde_encode(claim_id)),
        "subject_url": claim["subject_id"] and graph_url(datasette, claim["subject_id"]),
        "object_url": claim["object_id"] and graph_url(datasette, claim["object_id"]),
        "page_css": datasette.urls.static_plugins("kb", "kb.css"),
    }
    return await _render(datasette, request, "kb_claim.html", context)


async def article_page(datasette, request):
    """/-/kb/article/<id>?hl=start-end: the stored article text with the given ranges marked."""
    db = await kb_database(datasette, request)
    article_id = _decode(request.url_vars["article_id"])
    rows = await _rows(db, web_sql.ARTICLE_SQL, {"id": article_id})
    if not rows:
        raise NotFound(f"No article with id {article_id!r}")
    article = rows[0]
    text = article.pop("text") or ""
    ranges = parse_ranges(request.args.get("hl"), limit=len(text))
    claims = await _rows(db, web_sql.ARTICLE_CLAIMS_SQL, {"id": article_id})
    for c in claims:
        c["url"] = claim_url(datasette, c["claim_id"])
        c["hl_url"] = article_url(datasette, article_id, c["start"], c["end"])
    url = article.get("url") or ""
    context = {"db_name": db.name, "article": article, "segments": mark_segments(text, ranges),
               "ranges": ranges, "claims": claims,
               "external_url": url if url.startswith(("http://", "https://")) else None,
               "row_url": datasette.urls.row(db.name, "articles", tilde_encode(article_id)),
               "page_css": datasette.urls.static_plugins("kb", "kb.css"),
               "page_js": datasette.urls.static_plugins("kb", "kb.js")}
    return await _render(datasette, request, "kb_article.html", context)


def entity_page_url(datasette, entity_id) -> str:
    """URL of an entity's profile page (its id URL-quoted)."""
    return datasette.urls.path("/-/kb/entity/" + quote(str(entity_id), safe=""))


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 100000))
    except (TypeError, ValueError):
        return 1


def _page_size(value) -> int:
    try:
        return max(1, min(int(value), SEARCH_MAX_PAGE_SIZE))
    except (TypeError, ValueError):
        return SEARCH_PAGE_SIZE


async def search_page(datasette, request):
    """/-/kb/search?q=…: claims (summary, entity names and aliases, quotes) and passages matching a Japanese
    or English query, matches marked, paged (claims_page, passages_page, size)."""
    db = await kb_database(datasette, request)
    q = request.args.get("q", "").strip()
    if len(q) > MAX_SEARCH_CHARS:
        raise BadRequest(f"Search text is limited to {MAX_SEARCH_CHARS} characters: shorten the query.")
    size = _page_size(request.args.get("size"))
    pages = {t: _page_number(request.args.get(f"{t}_page")) for t in ("claims", "passages")}
    results = {t: [] for t in pages}
    counts = {t: 0 for t in pages}
    error, terms, status = None, [], 200
    if q:
        try:
            tree = parse_query(q)
        except SearchQueryError as exc:
            tree, error, status = None, str(exc), 400
        if tree is not None:
            match, terms = await db.execute_fn(lambda conn: search_match(conn, tree))
            try:
                for table, sql in (("claims", web_sql.SEARCH_CLAIMS_SQL), ("passages", web_sql.SEARCH_PASSAGES_SQL)):
                    counts[table] = (await db.execute(web_sql.search_count_sql(table), {"q": match})).rows[0][0]
                    last = max(1, -(-counts[table] // size))
                    pages[table] = min(pages[table], last)
                    results[table] = await _rows(db, sql, {"q": match, "limit": size,
                                                           "offset": (pages[table] - 1) * size})
            except Exception as exc:  # an FTS5 expression SQLite still refuses: the user's to rephrase
                if "fts5" not in str(exc).lower() and "syntax" not in str(exc).lower():
                    raise
                error, status = ("This search could not be run. Search for words, \"quoted phrases\" or "
                                 "alternatives with OR (鴻海 OR Nvidia)."), 400
                results = {t: [] for t in pages}
                counts = {t: 0 for t in pages}
    for p in results["passages"]:
        ranges = marked_ranges(p["text"], terms)
        p["segments"] = snippet(p["text"], ranges)
        first = ranges[0] if ranges else (0, 0)
        p["url"] = article_url(datasette, p["article_id"], p["start"] + first[0], p["start"] + first[1])
    for c in results["claims"]:
        c["segments"] = mark_segments(c["summary"] or "", marked_ranges(c["summary"] or "", terms))
        c["url"] = claim_url(datasette, c["id"])
        c["amount"] = format_amount(c)
        c["entities"] = [{"name": c[f"{role}_name"], "type": c[f"{role}_type"], "role": role,
                          "url": entity_page_url(datasette, c[f"{role}_id"])}
                         for role in ("subject", "object") if c[f"{role}_id"]]
    base = datasette.urls.path("/-/kb/search")

    def page_url(table, number):
        args = {"q": q, **{f"{t}_page": pages[t] for t in pages}, f"{table}_page": number}
        if size != SEARCH_PAGE_SIZE:
            args["size"] = size
        return base + "?" + urlencode({k: v for k, v in args.items() if not (k.endswith("_page") and v == 1)})

    paging = {}
    for table in pages:
        first = (pages[table] - 1) * size + 1 if results[table] else 0
        paging[table] = {
            "page": pages[table], "first": first, "last": first + len(results[table]) - 1 if first else 0,
            "prev": page_url(table, pages[table] - 1) if pages[table] > 1 else None,
            "next": page_url(table, pages[table] + 1) if pages[table] * size < counts[table] else None}
    context = {"db_name": db.name, "q": q, "passages": results["passages"], "claims": results["claims"],
               "counts": counts, "paging": paging, "error": error, "size": size,
               "table_search": {t: datasette.urls.table(db.name, t) + "?" + urlencode({"_search": q})
                                for t in ("passages", "claims")},
               "page_css": datasette.urls.static_plugins("kb", "kb.css")}
    return await _render(datasette, request, "kb_search.html", context, status)

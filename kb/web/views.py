"""Route handlers for /-/kb/…: entity graph (page + JSON), entity profile, map, claim and article pages, search,
vis-network."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

from datasette import Response
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import BadRequest, NotFound

from kb.contract import CLAIM_TYPES
from kb.store import syndication as syndication_sql
from kb.store import web as web_sql
from kb.store import wrap_connection
from kb.store.export import claim_table_rows, csv_text, xlsx_bytes
from kb.store.fts import SearchQueryError, fts_query, parse_query, search_match
from kb.store.lookup import AmbiguousEntity, EntityNotFound, find_entity, warm_name_index
from kb.store.values import parse_json_list
from kb.web.display import format_amount, format_published, outlet_name, web_url
from kb.web.graphdata import DEFAULT_COLOR, TYPE_COLORS, choose_entity, entity_neighbourhood, suggest_entities
from kb.web.markdown import render_markdown
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


def entity_profile_url(datasette, entity_id) -> str:
    """URL of the entity profile page (ids such as `company:hon-hai` are tilde-quoted: company~3Ahon-hai)."""
    return datasette.urls.path(f"/-/kb/entity/{tilde_encode(str(entity_id))}")


def map_url(datasette) -> str:
    """URL of the map page (US states and Japanese prefectures coloured by claim count)."""
    return datasette.urls.path("/-/kb/map")


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
    # Datasette routes on the raw path: a percent-quoted id (company%3Ahon-hai) arrives quoted.
    return tilde_decode(unquote(value) if "%" in value else value)


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
        context["profile_url"] = entity_profile_url(datasette, entity["id"])
        context["claims_url"] = datasette.urls.database(db.name) + "/claims_about_entity?" + urlencode(
            {"entity": entity["id"]})
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
        node["url"] = entity_profile_url(datasette, node["id"])
        node["row_url"] = entity_url(datasette, db.name, node["id"])
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


def provenance(row: dict) -> dict:
    """Where an article row comes from, as a reader cites it: web address, outlet, date in its own time zone."""
    return {"web_url": web_url(row.get("url")), "outlet_name": outlet_name(row.get("outlet"), row.get("url")),
            "published_shown": format_published(row.get("published_local"), row.get("published"))}


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
        e.update(provenance(e))
    stories = await claim_stories_view(datasette, db, claim_id)
    context = {
        "db_name": db.name, "claim": claim, "amount": format_amount(claim), "conflicts": conflicts,
        "evidence": evidence, "details": details if isinstance(details, dict) else {"details": details},
        "stories": stories,
        "row_url": datasette.urls.row(db.name, "claims", tilde_encode(claim_id)),
        "subject_url": claim["subject_id"] and entity_profile_url(datasette, claim["subject_id"]),
        "object_url": claim["object_id"] and entity_profile_url(datasette, claim["object_id"]),
        "attributed_url": claim.get("attributed_to_id") and entity_profile_url(datasette, claim["attributed_to_id"]),
        "page_css": datasette.urls.static_plugins("kb", "kb.css"),
    }
    from kb.web.review import claim_review_context  # kb.web.review imports this module
    context["kb_review"] = await claim_review_context(datasette, request, db, claim)
    return await _render(datasette, request, "kb_claim.html", context)


ARTICLE_VIEWS = ("rendered", "source")
# Front-matter keys shown in their own rows of the article's facts (the rest are listed after them).
SHOWN_KEYS = {"title", "date", "published", "published_at", "author", "url", "tags", "categories", "lang",
              "language"}


async def claim_stories_view(datasette, db, claim_id: str) -> list[dict]:
    """The independent stories backing a claim (one per syndication group), each with its copies."""
    out = syndication_sql.stories(await _rows(db, syndication_sql.CLAIM_ARTICLES_SQL, {"id": claim_id}))
    for story in out:
        for a in [story] + story["also_published_by"]:
            a["article_url"] = datasette.urls.path(f"/-/kb/article/{tilde_encode(a['article_id'])}")
            a["published_shown"] = format_published(a.get("published_local"), a.get("published"))
    return out


async def article_page(datasette, request):
    """/-/kb/article/<id>?hl=start-end[&view=source]: the article with the given ranges of its text marked.

    Markdown articles are rendered (raw HTML shown as text, see kb.web.markdown); view=source shows the
    stored text itself, which every offset points into."""
    db = await kb_database(datasette, request)
    article_id = _decode(request.url_vars["article_id"])
    rows = await _rows(db, web_sql.ARTICLE_SQL, {"id": article_id})
    if not rows:
        raise NotFound(f"No article with id {article_id!r}")
    article = rows[0]
    text = article.pop("text") or ""
    ranges = parse_ranges(request.args.get("hl"), limit=len(text))
    view = request.args.get("view", "rendered")
    if view not in ARTICLE_VIEWS:
        raise BadRequest(f"view must be one of {', '.join(ARTICLE_VIEWS)}, not {view!r}")
    renderable = (article.get("format") or "markdown") in ("markdown", "jsonl")
    rendered = render_markdown(text, ranges) if view == "rendered" and renderable else None
    claims = await _rows(db, web_sql.ARTICLE_CLAIMS_SQL, {"id": article_id})
    for c in claims:
        c["url"] = claim_url(datasette, c["claim_id"])
        c["hl_url"] = article_url(datasette, article_id, c["start"], c["end"])
    base = datasette.urls.path(f"/-/kb/article/{tilde_encode(str(article_id))}")
    hl = {"hl": request.args["hl"]} if request.args.get("hl") else {}
    context = {"db_name": db.name, "article": article, "segments": mark_segments(text, ranges),
               "ranges": ranges, "claims": claims, "view": view, "rendered": rendered, "renderable": renderable,
               "front_matter": _front_matter_rows(article.get("front_matter")),
               "list_fields": {k: parse_json_list(article.get(k)) for k in ("tags", "categories")},
               "source_url": base + "?" + urlencode({**hl, "view": "source"}) + ("#hl" if ranges else ""),
               "rendered_url": base + ("?" + urlencode(hl) if hl else "") + ("#hl" if ranges else ""),
               "external_url": web_url(article.get("url")), **provenance(article),
               "row_url": datasette.urls.row(db.name, "articles", tilde_encode(article_id)),
               "page_css": datasette.urls.static_plugins("kb", "kb.css"),
               "page_js": datasette.urls.static_plugins("kb", "kb.js")}
    return await _render(datasette, request, "kb_article.html", context)


def _front_matter_rows(value) -> list[tuple[str, str]]:
    """The front-matter keys not shown as their own facts (layout, excerpt …), as (key, text) pairs."""
    try:
        meta = json.loads(value) if value else {}
    except ValueError:
        return []
    if not isinstance(meta, dict):
        return []
    return [(str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
            for k, v in meta.items() if str(k).lower() not in SHOWN_KEYS and v not in (None, "", [], {})]


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
                          "url": entity_profile_url(datasette, c[f"{role}_id"])}
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


# --- entity profile ------------------------------------------------------------------------------------

PROFILE_CLAIM_LIMIT = 1000
PROFILE_ARTICLE_LIMIT = 200
TIMELINE_PER_DAY = 10
ENTITY_ID_FIELDS = ("id", "name", "type", "name_ja", "wikidata", "country", "ticker", "usps", "fips", "iso",
                    "latitude", "longitude", "in_gazetteer", "mentions", "articles", "claims")


def _json_list(text) -> list:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _json_dict(text) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def outlet_of(article: dict) -> str:
    """Where an article comes from: its outlet (front matter, og:site_name) or its URL's site, else the folder of
    its source file."""
    named = outlet_name(article.get("outlet"), article.get("url"))
    if named:
        return named
    path = (article.get("source_path") or "").replace("\\", "/")
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _is_cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uff66" <= ch <= "\uff9f"
               for ch in text)


def entity_profile(datasette, entity: dict, aliases: list[dict], claims: list[dict], articles: list[dict],
                   article_count: int, claim_total: int | None = None) -> dict:
    """Everything the profile page and its JSON show, from the rows of the entity, its aliases, claims and
    articles (pure: no SQL)."""
    eid = entity["id"]
    attrs = _json_dict(entity.get("attrs"))
    names = [entity["name"]] + ([entity["name_ja"]] if entity.get("name_ja") else [])
    spellings = [a["alias"] for a in aliases] or _json_list(entity.get("aliases"))
    seen = {n.casefold() for n in names}
    others = []
    for alias in spellings:
        if isinstance(alias, str) and alias.casefold() not in seen:
            seen.add(alias.casefold())
            others.append(alias)
    alias_mentions = {a["alias"]: a["mentions"] for a in aliases}
    identifiers = []
    if entity.get("wikidata"):
        identifiers.append({"label": "Wikidata", "value": entity["wikidata"],
                            "url": f"https://www.wikidata.org/wiki/{entity['wikidata']}"})
    for key, label in (("ticker", "Ticker"), ("iso", "ISO 3166"), ("usps", "USPS"), ("fips", "FIPS")):
        if entity.get(key):
            identifiers.append({"label": label, "value": entity[key], "url": None})
    identifiers.append({"label": "kb id", "value": eid, "url": None})

    groups: dict[str, list[dict]] = defaultdict(list)
    partners: dict[str, dict] = {}
    shown_claims = []
    for row in claims:
        # the entity is the claim's subject, its object, or the source it is attributed to (X said/reported)
        role = "subject" if row["subject_id"] == eid else "object" if row["object_id"] == eid else "source"
        other_side = "object" if role == "subject" else "subject"
        other_id = row[f"{other_side}_id"]
        claim = {
            "id": row["id"], "type": row["type"], "summary": row["summary"], "role": role,
            "url": claim_url(datasette, row["id"]), "amount": format_amount(row),
            "per_year": row.get("period") == "year", "period": row.get("period"),
            "amount_usd": row.get("amount_usd"), "modality": row["modality"], "polarity": row["polarity"],
            "sources": row["sources"], "evidence_count": row["evidence_count"], "conflicts": row["conflicts"],
            "first_seen": row["first_seen"], "last_seen": row["last_seen"],
            "other": None,
        }
        if other_id and other_id != eid:
            claim["other"] = {"id": other_id, "name": row[f"{other_side}_name"] or other_id,
                              "type": row[f"{other_side}_type"], "url": entity_profile_url(datasette, other_id)}
            if role != "source":  # who a source reported on is no counterparty of the source's
                partner = partners.setdefault(other_id, dict(claim["other"], claims=0, types=Counter()))
                partner["claims"] += 1
                partner["types"][row["type"]] += 1
        groups[row["type"]].append(claim)
        shown_claims.append(claim)
    order = {t: i for i, t in enumerate(CLAIM_TYPES)}
    claim_groups = [{"type": t, "claims": groups[t]} for t in sorted(groups, key=lambda t: (order.get(t, 99), t))]
    counterparties = sorted(partners.values(), key=lambda p: (-p["claims"], p["name"]))
    for p in counterparties:
        p["types"] = [t for t, _ in p["types"].most_common()]

    by_date: dict[str, list[dict]] = defaultdict(list)
    for claim in shown_claims:
        by_date[(claim["first_seen"] or "")[:10] or "undated"].append(claim)
    timeline = [{"date": d, "claims": by_date[d][:TIMELINE_PER_DAY],
                 "more": max(0, len(by_date[d]) - TIMELINE_PER_DAY)}
                for d in sorted(by_date, key=lambda d: (d == "undated", d))]
    dates = [c["first_seen"] for c in shown_claims if c["first_seen"]] + \
            [c["last_seen"] for c in shown_claims if c["last_seen"]]
    article_dates = [a["published"] for a in articles if a.get("published")]
    shown_articles = [{"id": a["id"], "title": a["title"] or a["id"], "published": a["published"],
                       "outlet": outlet_of(a), "lang": a["lang"], "mentions": a["mentions"],
                       "url": article_url(datasette, a["id"])} for a in articles]
    return {
        "entity": {k: entity.get(k) for k in ENTITY_ID_FIELDS},
        "names": {"name": entity["name"], "name_ja": entity.get("name_ja"),
                  "aliases": [{"alias": a, "mentions": alias_mentions.get(a), "script": "ja" if _is_cjk(a) else "latin"}
                              for a in others]},
        "subtype": attrs.get("sector") or attrs.get("subtype") or attrs.get("kind"),
        "country": entity.get("country"),
        "identifiers": identifiers,
        "claim_count": len(shown_claims) if claim_total is None else claim_total,
        "claims_shown": len(shown_claims), "claim_groups": claim_groups, "timeline": timeline,
        "counterparties": counterparties, "articles": shown_articles, "article_count": article_count,
        "first_seen": min(dates + article_dates) if dates or article_dates else None,
        "last_seen": max(dates + article_dates) if dates or article_dates else None,
    }


async def entity_page(datasette, request):
    """/-/kb/entity/<id>(.json): names, identifiers, claims by type, timeline, counterparties, articles."""
    db = await kb_database(datasette, request)
    entity_id = _decode(request.url_vars["entity_id"])
    as_json = bool(request.url_vars.get("format"))
    rows = await _rows(db, web_sql.ENTITY_SQL, {"id": entity_id})
    if not rows:
        message = f"No entity with id {entity_id!r}"
        if as_json:
            return Response.json({"ok": False, "error": message, "status": 404,
                                  "search_url": datasette.urls.path("/-/kb/search") + "?" + urlencode(
                                      {"q": entity_id})}, status=404)
        context = {"db_name": db.name, "entity_id": entity_id, "message": message,
                   "search_url": datasette.urls.path("/-/kb/search") + "?" + urlencode({"q": _readable(entity_id)}),
                   "graph_search_url": graph_url(datasette, _readable(entity_id)),
                   "page_css": datasette.urls.static_plugins("kb", "kb.css")}
        return await _render(datasette, request, "kb_entity_404.html", context, status=404)
    entity = rows[0]
    aliases = await _rows(db, web_sql.ENTITY_ALIASES_SQL, {"id": entity_id})
    claims = await _rows(db, web_sql.ENTITY_CLAIMS_SQL, {"id": entity_id, "limit": PROFILE_CLAIM_LIMIT})
    articles = await _rows(db, web_sql.ENTITY_ARTICLES_SQL, {"id": entity_id, "limit": PROFILE_ARTICLE_LIMIT})
    article_count = (await db.execute(web_sql.ENTITY_ARTICLE_COUNT_SQL, {"id": entity_id})).rows[0][0]
    claim_total = (len(claims) if len(claims) < PROFILE_CLAIM_LIMIT else
                   (await db.execute(web_sql.ENTITY_CLAIM_COUNT_SQL, {"id": entity_id})).rows[0][0])
    profile = entity_profile(datasette, entity, aliases, claims, articles, article_count, claim_total)
    profile["claims_marked_wrong"] = (await db.execute(web_sql.ENTITY_WRONG_COUNT_SQL, {"id": entity_id})).rows[0][0]
    quoted = tilde_encode(entity_id)
    links = {
        "profile": entity_profile_url(datasette, entity_id),
        "json": datasette.urls.path(f"/-/kb/entity/{quoted}.json"),
        "row": entity_url(datasette, db.name, entity_id),
        "graph": graph_url(datasette, entity_id),
        "graph_json": datasette.urls.path("/-/kb/graph.json") + "?" + urlencode(
            {"entity": entity_id, "depth": 1, "co": 0, "db": db.name}),
        "export_csv": datasette.urls.path("/-/kb/export/claims.csv") + "?" + urlencode({"entity": entity_id}),
        "claims_query": datasette.urls.database(db.name) + "/claims_about_entity?" + urlencode(
            {"entity": entity_id}),
    }
    if as_json:
        return Response.json({"ok": True, **profile, "links": links})
    context = dict(profile, db_name=db.name, links=links,
                   entity_color=TYPE_COLORS.get(entity["type"], DEFAULT_COLOR),
                   vis_js=datasette.urls.path("/-/kb/static/vis-network.min.js"),
                   vis_css=datasette.urls.path("/-/kb/static/vis-network.css"),
                   graph_js=datasette.urls.static_plugins("kb", "kb-graph.js"),
                   page_css=datasette.urls.static_plugins("kb", "kb.css"))
    return await _render(datasette, request, "kb_entity.html", context)


def _readable(entity_id: str) -> str:
    """What a person would search for, given an id: `company:hon-hai` → `hon hai`."""
    tail = entity_id.split(":", 1)[-1]
    return tail.replace("-", " ").replace("_", " ") or entity_id


# --- map -----------------------------------------------------------------------------------------------

def region_key(place: dict) -> str | None:
    """The map-shape key of a first-level division row: US-CA for a US state, JP-43 for a prefecture."""
    if place.get("usps"):
        return f"US-{str(place['usps']).upper()}"
    iso = str(place.get("iso") or "").upper()
    if iso.startswith(("US-", "JP-")):
        return iso
    tail = str(place.get("id") or "").split(":", 1)[-1].upper()
    return tail if tail.startswith(("US-", "JP-")) and len(tail) in (5, 6) else None


async def map_data(datasette, db) -> dict:
    """Claim and mention counts of every state/prefecture in the database, keyed by map-shape key."""
    regions = {}
    for place in await _rows(db, web_sql.MAP_PLACES_SQL):
        key = region_key(place)
        if key is None:
            continue
        best = regions.get(key)
        if best is not None and (best["claims"], best["mentions"]) >= (place["claims"], place["mentions"]):
            continue
        regions[key] = {"id": place["id"], "name": place["name"], "name_ja": place["name_ja"],
                        "claims": place["claims"], "mentions": place["mentions"], "articles": place["articles"],
                        "url": entity_profile_url(datasette, place["id"])}
    return {"ok": True, "regions": regions, "max_claims": max((r["claims"] for r in regions.values()), default=0)}


async def map_page(datasette, request):
    """/-/kb/map: US states and Japanese prefectures drawn from the bundled boundaries, coloured by claims."""
    db = await kb_database(datasette, request)
    data = await map_data(datasette, db)
    ranked = sorted((dict(r, key=k) for k, r in data["regions"].items() if r["claims"] or r["mentions"]),
                    key=lambda r: (-r["claims"], -r["mentions"], r["name"]))
    context = {"db_name": db.name, "ranked": ranked,
               "map_json": json.dumps(data, ensure_ascii=False).replace("</", "<\\/"),
               "geo_url": datasette.urls.static_plugins("kb", "geo/regions.json"),
               "page_js": datasette.urls.static_plugins("kb", "kb-map.js"),
               "page_css": datasette.urls.static_plugins("kb", "kb.css"),
               "places_query": datasette.urls.database(db.name) + "/places_on_map"}
    return await _render(datasette, request, "kb_map.html", context)


async def map_json(datasette, request):
    """/-/kb/map.json: the map page's counts per region key."""
    db = await kb_database(datasette, request)
    return Response.json(await map_data(datasette, db))
def warm_entity_lookup(conn) -> None:
    """Build find_entity's name index for this database now (run in the background at startup)."""
    warm_name_index(wrap_connection(conn))


EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


async def export_claims(datasette, request):
    """/-/kb/export/claims.csv|.xlsx?entity=<id or alias>&type=<claim type>: the claims table of
    `kb export claims --format csv|xlsx`, as a download."""
    db = await kb_database(datasette, request)
    fmt = request.url_vars["format"]
    claim_type = request.args.get("type", "").strip() or None
    if claim_type and claim_type not in CLAIM_TYPES:
        raise BadRequest(f"Unknown claim type {claim_type!r}: use one of {', '.join(CLAIM_TYPES)}")
    query = request.args.get("entity", "").strip()

    def rows(conn):
        kb_db = wrap_connection(conn)
        entity = find_entity(kb_db, query, suggest=False) if query else None
        table = list(claim_table_rows(kb_db, claim_type=claim_type, entity_id=entity and entity["id"]))
        return entity, table

    try:
        entity, table = await db.execute_fn(rows)
    except AmbiguousEntity as exc:
        raise BadRequest(f"{exc} Pass one of these ids as entity=: "
                         + ", ".join(c["id"] for c in exc.candidates[:10]))
    except EntityNotFound as exc:
        raise NotFound(str(exc))
    body = csv_text(table).encode("utf-8") if fmt == "csv" else xlsx_bytes(table)
    name = "-".join(p for p in ("kb-claims", entity and entity["id"], claim_type) if p)
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "kb-claims"
    disposition = f'attachment; filename="{ascii_name}.{fmt}"; filename*=UTF-8\'\'{quote(name)}.{fmt}'
    return Response(body, content_type=EXPORT_FORMATS[fmt], headers={"content-disposition": disposition})

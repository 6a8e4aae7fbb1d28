"""Datasette plugin: Japanese-aware table search, canned queries from queries/, claim/article/graph pages."""

from __future__ import annotations

import json

import markupsafe
from datasette import hookimpl

from kb.entities import normalize_name
from kb.web import views
from kb.web.queryfiles import load_queries
from kb.web.searchrewrite import ORIGINAL_PARAM, SEARCH_TABLES, is_search_table_path, rewrite_search_args

CLAIM_LINK_COLUMNS = {"claim_id", "other_claim_id", "claim_a", "claim_b"}


@hookimpl
def prepare_connection(conn):
    # Canned queries match entity_aliases.normalized with the same rule ingest used.
    conn.create_function("kb_normalize", 1, lambda s: None if s is None else normalize_name(str(s)),
                         deterministic=True)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def kb_search_rewrite(scope, receive, send):
            if scope.get("type") == "http" and is_search_table_path(scope.get("path", "")):
                qs = scope.get("query_string", b"").decode("utf-8", "replace")
                rewritten = rewrite_search_args(qs)
                if rewritten is not None:
                    scope = dict(scope, query_string=rewritten.encode("utf-8"))
            await app(scope, receive, send)

        return kb_search_rewrite

    return wrap


@hookimpl
def extra_body_script(view_name, table, request):
    # Show the user's own words in the search box, not the rewritten FTS5 phrases.
    if view_name == "table" and table in SEARCH_TABLES and request is not None:
        original = request.args.get(ORIGINAL_PARAM)
        if original is not None:
            return ("(function(){var i=document.querySelector('input[name=\"_search\"]');"
                    "if(i){i.value=%s;}})();" % json.dumps(original).replace("</", "<\\/"))
    return None


@hookimpl
def canned_queries(datasette, database):
    async def inner():
        db = datasette.databases.get(database)
        if db is None or database.startswith("_") or not await db.table_exists("claims"):
            return {}
        tables = set(await db.table_names())
        queries = {}
        for name, query in load_queries().items():
            if set(query.pop("requires")) <= tables:
                queries[name] = query
        return queries

    return inner


@hookimpl
def register_routes():
    return [
        (r"^/-/kb/static/(?P<filename>vis-network\.min\.js|vis-network\.css)$", views.vis_static),
        (r"^/-/kb/graph\.json$", views.graph_json),
        (r"^/-/kb/graph$", views.graph_page),
        (r"^/-/kb/claim/(?P<claim_id>[^/]+)$", views.claim_page),
        (r"^/-/kb/article/(?P<article_id>[^/]+)$", views.article_page),
        (r"^/-/kb/search$", views.search_page),
    ]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/-/kb/search"), "label": "Search passages and claims"},
        {"href": datasette.urls.path("/-/kb/graph"), "label": "Entity graph"},
    ]


@hookimpl
def render_cell(row, value, column, table, datasette):
    if value is None or value == "":
        return None
    keys = _keys(row)
    if table == "claims" and column == "summary" and "id" in keys:
        return _link(views.claim_url(datasette, _raw(row["id"])), value)
    if table == "entities" and column == "name" and "id" in keys:
        return _link(views.graph_url(datasette, _raw(row["id"])), value)
    if table == "articles" and column == "title" and "id" in keys:
        return _link(views.article_url(datasette, _raw(row["id"])), value)
    if table is None and column in CLAIM_LINK_COLUMNS:
        return _link(views.claim_url(datasette, value), value)
    if column == "quote" and {"article_id", "start", "end"} <= keys and table in (None, "claim_evidence"):
        return _link(views.article_url(datasette, _raw(row["article_id"]), _raw(row["start"]), _raw(row["end"])),
                     value)
    if table is None and column == "article_id":
        return _link(views.article_url(datasette, value), value)
    return None


def _raw(value):
    # Table pages hand render_cell expanded foreign keys as {"value": …, "label": …}.
    return value.get("value") if isinstance(value, dict) else value


def _keys(row) -> set:
    try:
        return set(row.keys())
    except AttributeError:
        return set()


def _link(href: str, text) -> markupsafe.Markup:
    return markupsafe.Markup('<a href="{}">{}</a>').format(href, str(text))


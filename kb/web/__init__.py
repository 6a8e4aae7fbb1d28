"""Datasette plugin: Japanese-aware table search, canned queries from queries/, claim/article/entity/graph/map
pages."""

from __future__ import annotations

import asyncio
import json

import markupsafe
from datasette import Response, hookimpl
from datasette.version import __version__ as datasette_version
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError

from kb.entities import normalize_name
from kb.web import review, views
from kb.web.queryfiles import load_queries
from kb.web.searchrewrite import (MAX_SEARCH_CHARS, ORIGINAL_PARAM, SEARCH_TABLES, is_search_table_path,
                                  rewrite_search_args, search_too_long)

CLAIM_LINK_COLUMNS = {"claim_id", "other_claim_id", "claim_a", "claim_b"}
# Columns holding an entity id, in tables (where Datasette expands them to {"value", "label"}) and canned
# queries: each links to the entity profile.
ENTITY_ID_COLUMNS = {"entity_id", "subject_id", "object_id", "attributed_to_id", "investment_id",
                     "other_entity_id", "counterparty_id"}
# In a canned query, a name column next to its id column links to the same profile.
ENTITY_NAME_COLUMNS = {"name": "entity_id", "subject": "subject_id", "object": "object_id",
                       "attributed_to": "attributed_to_id", "entity": "entity_id"}


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
                if search_too_long(qs):
                    message = f"Search text is limited to {MAX_SEARCH_CHARS} characters: shorten the query."
                    json_page = scope.get("path", "").endswith(".json")
                    response = Response.json({"ok": False, "error": message, "status": 400}, status=400) \
                        if json_page else Response.text(message, status=400)
                    await response.asgi_send(send)
                    return
                rewritten = rewrite_search_args(qs)
                if rewritten is not None:
                    scope = dict(scope, query_string=rewritten.encode("utf-8"))
            await app(scope, receive, send)

        return kb_search_rewrite

    return wrap


# Datasette raises these for bad user input with status 500; they are the user's to fix, not ours.
CLIENT_ERROR_PREFIXES = ("Cannot sort table by", "Cannot use _sort", "Invalid SQL", "No such column",
                         "Cannot facet", "Invalid _size")


@hookimpl
def startup(datasette):
    # Datasette's default error handler prints a rich traceback with every local variable for each error, a
    # 404 included, and runs even when another handler answered. Without rich it prints a plain traceback for
    # server errors only, which is what a log should hold. (Imported here: importing that module while
    # Datasette loads its default plugins would register it half-initialised.)
    import datasette.handle_exception as datasette_errors

    datasette_errors.rich = None

    async def warm():
        # Read every entity name once in the background (seconds for tens of thousands of entities), so the
        # first lookup of a name, an unknown one included, answers as fast as the next ones.
        for name, db in list(datasette.databases.items()):
            if not name.startswith("_") and await db.table_exists("entities"):
                asyncio.get_running_loop().create_task(db.execute_fn(views.warm_entity_lookup))

    return warm


@hookimpl
def handle_exception(datasette, request, exception):
    """Answer a client error (bad URL, unknown row, bad parameter) with its page and no traceback in the log.

    Datasette's own handler prints a full traceback with locals for every 404 and 400 (hundreds of lines,
    ~0.5 s each); server errors still go to it.
    """
    if isinstance(exception, Base400):
        status, message, title, info = exception.status, str(exception.args[0] if exception.args else ""), None, {}
    elif isinstance(exception, DatasetteError) and (
            exception.status < 500 or str(exception.message).startswith(CLIENT_ERROR_PREFIXES)):
        status = exception.status if exception.status < 500 else 400
        message, title, info = exception.message, exception.title, dict(exception.error_dict or {})
        if exception.message_is_html:
            message = markupsafe.Markup(message)
    else:
        return None

    async def inner():
        body = dict(info, ok=False, error=message, status=status, title=title)
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(body, status=status)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        html = await template.render_async(dict(body, urls=datasette.urls, app_css_hash=datasette.app_css_hash(),
                                                menu_links=lambda: [], datasette_version=datasette_version))
        return Response.html(html, status=status)

    return inner


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
def extra_template_vars(datasette, request):
    async def kb_entity_review(entity_id):
        """The `kb_review` of _kb_entity_review.html, for a page that includes it with only `entity`."""
        db = await views.kb_database(datasette, request)
        return await review.entity_review_context(datasette, request, db, entity_id)

    return {"kb_entity_review": kb_entity_review}


@hookimpl
def register_routes():
    return [
        (r"^/-/kb/static/(?P<filename>vis-network\.min\.js|vis-network\.css)$", views.vis_static),
        (r"^/-/kb/graph\.json$", views.graph_json),
        (r"^/-/kb/graph$", views.graph_page),
        (r"^/-/kb/claim/(?P<claim_id>[^/]+)$", views.claim_page),
        (r"^/-/kb/article/(?P<article_id>[^/]+)$", views.article_page),
        (r"^/-/kb/search$", views.search_page),
        (r"^/-/kb/entity/(?P<entity_id>[^/]+?)(?P<format>\.json)?$", views.entity_page),
        (r"^/-/kb/map\.json$", views.map_json),
        (r"^/-/kb/map$", views.map_page),
        (r"^/-/kb/export/claims\.(?P<format>csv|xlsx)$", views.export_claims),
        *review.ROUTES,
    ]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/-/kb/search"), "label": "Search passages and claims"},
        {"href": datasette.urls.path("/-/kb/graph"), "label": "Entity graph"},
        {"href": views.map_url(datasette), "label": "Map: US states and Japanese prefectures"},
        {"href": datasette.urls.path("/-/kb/review"), "label": "Review decisions"},
    ]


@hookimpl
def render_cell(row, value, column, table, datasette):
    if value is None or value == "":
        return None
    keys = _keys(row)
    if table == "claims" and column == "summary" and "id" in keys:
        return _link(views.claim_url(datasette, _raw(row["id"])), value)
    if table == "entities" and column == "name" and "id" in keys:
        return _link(views.entity_profile_url(datasette, _raw(row["id"])), value)
    if column in ENTITY_ID_COLUMNS:
        # A table's foreign key shows its label (the entity's name); a canned query's id shows itself.
        entity_id = _raw(value)
        label = value.get("label") if isinstance(value, dict) else None
        return _link(views.entity_profile_url(datasette, entity_id), label or entity_id)
    if table is None and column in ENTITY_NAME_COLUMNS and ENTITY_NAME_COLUMNS[column] in keys \
            and row[ENTITY_NAME_COLUMNS[column]]:
        return _link(views.entity_profile_url(datasette, _raw(row[ENTITY_NAME_COLUMNS[column]])), value)
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


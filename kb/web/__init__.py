"""Datasette plugin: Japanese-aware table search, canned queries from queries/, claim/article/entity/graph/map
pages."""

from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import parse_qsl

import markupsafe
from datasette import Response, hookimpl
from datasette.filters import FilterArguments
from datasette.utils import tilde_decode
from datasette.utils.asgi import BadRequest, Base400
from datasette.version import __version__ as datasette_version
from datasette.views.base import DatasetteError

from kb.amounts import format_amount as render_amount
from kb.entities import normalize_name
from kb.store import web as web_sql
from kb.store.fts import SearchQueryError, parse_query, search_match
from kb.web import review, views
from kb.web.display import format_amount
from kb.web.queryfiles import load_queries, param_problem, query_rules
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
        async def kb_requests(scope, receive, send):
            if scope.get("type") == "http":
                path = scope.get("path", "")
                qs = scope.get("query_string", b"").decode("utf-8", "replace")
                if is_search_table_path(path):
                    if search_too_long(qs):
                        message = f"Search text is limited to {MAX_SEARCH_CHARS} characters: shorten the query."
                        await _client_error(datasette, path, message, send)
                        return
                    rewritten = rewrite_search_args(qs)
                    if rewritten is not None:
                        scope = dict(scope, query_string=rewritten.encode("utf-8"))
                else:
                    problem = canned_query_problem(path, qs)
                    if problem:
                        await _client_error(datasette, path, problem, send)
                        return
            await app(scope, receive, send)

        return kb_requests

    return wrap


def canned_query_problem(path: str, query_string: str) -> str | None:
    """What is wrong with the parameters of a canned query page `/<db>/<query>[.json|.csv]` (its sidecar's
    `validate:` rules), or None."""
    m = re.match(r"^/[^/]+/([^/.]+)(?:\.(?:json|csv))?$", path)
    if not m:
        return None
    rules = query_rules().get(tilde_decode(m.group(1)))
    if not rules:
        return None
    args = dict(parse_qsl(query_string, keep_blank_values=True))
    for name, rule in rules.items():
        problem = param_problem(name, args.get(name, ""), rule)
        if problem:
            return problem + "."
    return None


async def _client_error(datasette, path: str, message: str, send) -> None:
    if path.endswith(".json"):
        response = Response.json({"ok": False, "error": message, "status": 400}, status=400)
    else:
        template = datasette.jinja_env.select_template(["400.html", "error.html"])
        html = await template.render_async({"ok": False, "error": message, "status": 400, "title": "Bad request",
                                            "urls": datasette.urls, "app_css_hash": datasette.app_css_hash(),
                                            "menu_links": lambda: []})
        response = Response.html(html, status=400)
    await response.asgi_send(send)


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
def filters_from_request(request, database, table, datasette):
    """`_kbq` (the user's `_search` words, moved by the ASGI wrapper) on claims and passages: the search
    page's FTS5 expression, described in the user's words; a query that cannot be read matches nothing
    and says why (a 400 error with the hint for JSON)."""
    if table not in SEARCH_TABLES or ORIGINAL_PARAM not in request.args:
        return None
    words = request.args.get(ORIGINAL_PARAM, "")

    async def inner():
        context = {"search": words, "supports_search": True}
        try:
            tree = parse_query(words)
        except SearchQueryError as exc:
            if request.path.endswith(".json"):
                raise BadRequest(f"Search {words!r}: {exc}")
            return FilterArguments(["0"], human_descriptions=[f'search "{words}" cannot be run: {exc}'],
                                   extra_context=context)
        db = datasette.get_database(database)
        match, _ = await db.execute_fn(lambda conn: search_match(conn, tree))
        return FilterArguments([web_sql.table_search_where(table)],
                               {"kb_search": match}, [f'search matches "{words}"'], context)

    return inner


@hookimpl
def canned_queries(datasette, database):
    async def inner():
        db = datasette.databases.get(database)
        if db is None or database.startswith("_") or not await db.table_exists("claims"):
            return {}
        tables = set(await db.table_names())
        queries = {}
        for name, query in load_queries().items():
            query.pop("validate", None)
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
def extra_template_vars(template, database, table, view_name, request, datasette):
    """Table pages: the columns left out by default and the header labels (metadata plugins.kb); the home
    page: the canned queries of each kb database, with their descriptions; every page: `kb_entity_review`."""
    async def kb_entity_review(entity_id):
        """The `kb_review` of _kb_entity_review.html, for a page that includes it with only `entity`."""
        db = await views.kb_database(datasette, request)
        return await review.entity_review_context(datasette, request, db, entity_id)

    if view_name == "index":
        return _home_vars(datasette, request)
    if view_name != "table" or not table:
        return {"kb_entity_review": kb_entity_review}
    config = datasette.plugin_config("kb", database=database, table=table) or {}
    asked = request is not None and any(k in request.args for k in ("_col", "_nocol", "_kbcols"))
    return {"kb_hidden": [] if asked else list(config.get("default_hidden_columns") or []),
            "kb_labels": dict(config.get("column_labels") or {})}


def _home_vars(datasette, request):
    async def inner():
        homes = []
        for name, db in datasette.databases.items():
            if name.startswith("_") or not await db.table_exists("claims"):
                continue
            queries = await datasette.get_canned_queries(name, request.actor if request else None)
            homes.append({"database": name, "queries": [
                {"title": q.get("title") or key, "description": q.get("description") or "",
                 "url": datasette.urls.query(name, key)} for key, q in queries.items()]})
        return {"kb_home": homes}

    return inner


# Folds the column descriptions of a table page into one line that opens them.
COLLAPSE_DESCRIPTIONS_JS = """(function(){var dl=document.querySelector('dl.column-descriptions');
if(!dl){return;}var d=document.createElement('details');d.className='kb-column-descriptions';
var s=document.createElement('summary');s.textContent='Column descriptions ('+dl.querySelectorAll('dt').length+')';
d.appendChild(s);dl.parentNode.insertBefore(d,dl);d.appendChild(dl);})();"""


@hookimpl
def extra_body_script(view_name):
    return COLLAPSE_DESCRIPTIONS_JS if view_name == "table" else None


@hookimpl
def extra_css_urls(view_name, datasette):
    return [datasette.urls.static_plugins("kb", "kb.css")] if view_name in ("table", "index", "database", "query") \
        else []


# Amount columns: rendered as people read amounts (HTML only; the JSON keeps the numbers).
AMOUNT_FIELDS = ("amount_min", "amount_max", "currency", "unit", "period", "approximate", "bound")
ARTICLE_TEXT_CHARS = 240


@hookimpl
def render_cell(row, value, column, table, datasette):
    keys = _keys(row)
    if column == "amount_usd" and table in ("claims", None) and set(AMOUNT_FIELDS) <= keys:
        text = format_amount({k: _raw(row[k]) for k in AMOUNT_FIELDS + ("amount_usd",)})
        return markupsafe.Markup('<span class="kb-amount">{}</span>').format(text) if text else None
    if value is None or value == "":
        return None
    if column in ("amount_min", "amount_max", "amount_usd") and isinstance(value, (int, float)) \
            and table in ("claims", None):
        currency = "USD" if column == "amount_usd" else (_raw(row["currency"]) if "currency" in keys else None)
        unit = None if column == "amount_usd" else (_raw(row["unit"]) if "unit" in keys else None)
        if currency or column == "amount_usd":
            return render_amount({"amount_min": value, "amount_max": value, "currency": currency, "unit": unit})
    if table == "articles" and column == "text" and "id" in keys and isinstance(value, str) \
            and len(value) > ARTICLE_TEXT_CHARS:
        return markupsafe.Markup('{}<a href="{}" title="the whole article">…&nbsp;({:,} characters)</a>').format(
            value[:ARTICLE_TEXT_CHARS], views.article_url(datasette, _raw(row["id"])), len(value))
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


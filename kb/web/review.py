"""Review routes: record claim verdicts and edits, entity merges/aliases/suppressions/splits from the browser.

  GET  /-/kb/review                 every decision (orphaned ones flagged), with links
  POST /-/kb/review/claim/<id>      status (correct | wrong | clear), roles, amount, note
  GET  /-/kb/review/entity/<id>     the entity's review controls (_kb_entity_review.html) on a minimal page
  POST /-/kb/review/entity/<id>     action = merge (into) | alias | suppress | unsuppress | split (alias or merged)

Writing is allowed only when Datasette is served on a loopback address to a client on the same machine, and
not with `kb serve --read-only`; otherwise POSTs answer 403 and the forms are not shown. Every POST carries
Datasette's CSRF token (asgi-csrf refuses one without it; the forms include `{{ csrftoken() }}`).

Another page can show the controls: `{% include "_kb_entity_review.html" %}` with `entity` (id, name, type)
and `kb_review` (entity_review_context) in its context; `_kb_claim_review.html` reads `kb_review` likewise.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from datasette import Response
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import NotFound

from kb.errors import KBError
from kb.store import review as review_store
from kb.store import wrap_connection
from kb.web.views import claim_url, kb_database

LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost", "[::1]"}
FORBIDDEN_READ_ONLY = ("This knowledge base is served read-only (kb serve --read-only): reviews cannot be "
                       "recorded here. Serve it without --read-only to review.")
FORBIDDEN_REMOTE = ("Reviews can only be recorded on the machine that serves the knowledge base: serve it on "
                    "127.0.0.1 (the default of kb serve) and open it from that machine.")


def entity_review_url(datasette, entity_id: str) -> str:
    """URL of the entity's review page (and the target of its forms)."""
    return datasette.urls.path(f"/-/kb/review/entity/{tilde_encode(str(entity_id))}")


def claim_review_url(datasette, claim_id: str) -> str:
    """URL the claim review form posts to."""
    return datasette.urls.path(f"/-/kb/review/claim/{tilde_encode(str(claim_id))}")


def _host(value: str) -> str:
    value = (value or "").strip().lower()
    if value.startswith("["):
        return value.split("]", 1)[0] + "]"
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def refusal(datasette, request) -> str | None:
    """Why reviews cannot be recorded for this request (None when they can)."""
    config = datasette.plugin_config("kb") or {}
    if config.get("read_only"):
        return FORBIDDEN_READ_ONLY
    scope = request.scope
    server = (scope.get("server") or ("",))[0] or ""
    client = (scope.get("client") or ("",))[0] or ""
    host = _host(request.headers.get("host", ""))
    if server not in LOOPBACK_HOSTS or client not in LOOPBACK_HOSTS or (host and host not in LOOPBACK_HOSTS):
        return FORBIDDEN_REMOTE
    return None


FORBIDDEN_NO_TOKEN = ("This review form was sent without its CSRF token: reload the page and submit the form "
                      "again (scripts: GET a page first and send its ds_csrftoken cookie and csrftoken field).")


def post_refusal(datasette, request) -> str | None:
    """refusal(), and a POST must carry Datasette's CSRF cookie: asgi-csrf checks the form's token against it,
    but lets a request without any cookie through (a cross-site form post sends none: SameSite=Lax), and it
    must come from one of our own pages when the browser says where it comes from (Origin)."""
    why = refusal(datasette, request)
    if why:
        return why
    if "ds_csrftoken" not in request.cookies:
        return FORBIDDEN_NO_TOKEN
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = _host(origin.split("://", 1)[-1].split("/", 1)[0])
        if host not in LOOPBACK_HOSTS:
            return FORBIDDEN_REMOTE
    return None


def _context(datasette, request, **extra) -> dict:
    why = refusal(datasette, request)
    return {"enabled": why is None, "refusal": why, "reviewer": review_store.default_reviewer(),
            "list_url": datasette.urls.path("/-/kb/review"), **extra}


async def claim_review_context(datasette, request, db, claim: dict) -> dict:
    """`kb_review` for the claim page's _kb_claim_review.html."""
    info = await db.execute_fn(lambda conn: review_store.claim_review(wrap_connection(conn), claim["id"]))
    for role in ("subject", "object"):
        if claim.get(f"{role}_id"):
            info[f"{role}_review_url"] = entity_review_url(datasette, claim[f"{role}_id"])
    return _context(datasette, request, action=claim_review_url(datasette, claim["id"]), **info)


async def entity_review_context(datasette, request, db, entity_id: str) -> dict:
    """`kb_review` for _kb_entity_review.html (merges, aliases, splits and the forms' target)."""
    info = await db.execute_fn(lambda conn: review_store.entity_review(wrap_connection(conn), entity_id))
    if info["merged_into"]:
        info["merged_into_url"] = entity_review_url(datasette, info["merged_into"])
    return _context(datasette, request, action=entity_review_url(datasette, entity_id), **info)


def _forbidden(message: str) -> Response:
    return Response.text(message, status=403)


async def _write(db, fn):
    def run(conn):
        conn.execute("PRAGMA foreign_keys = ON")
        return fn(wrap_connection(conn))
    return await db.execute_write_fn(run, block=True)


def _error_page(message: str, back: str) -> Response:
    from markupsafe import escape
    return Response.html(f"<!DOCTYPE html><title>Review not recorded</title><h1>Review not recorded</h1>"
                         f"<p class=\"kb-review-error\">{escape(message)}</p><p><a href=\"{escape(back)}\">Back</a></p>",
                         status=400)


async def claim_review(datasette, request):
    """POST /-/kb/review/claim/<id>."""
    db = await kb_database(datasette, request)
    claim_id = tilde_decode(request.url_vars["claim_id"])
    back = claim_url(datasette, claim_id)
    if request.method != "POST":
        return Response.redirect(back)
    why = post_refusal(datasette, request)
    if why:
        return _forbidden(why)
    form = await request.post_vars()
    status = (form.get("status") or "").strip() or None
    note = (form.get("note") or "").strip() or None
    reviewer = (form.get("reviewer") or "").strip() or None

    def record(conn):
        row = next(iter(conn.query("SELECT * FROM claims WHERE id = ?", [claim_id])), None)
        if row is None:
            raise KBError(f"claim {claim_id}: no such claim (it may have gone with a changed article; "
                          "see /-/kb/review for orphaned decisions)")
        kwargs = {}
        if form.get("edit"):
            subject, obj = (form.get("subject_id") or "").strip(), (form.get("object_id") or "").strip()
            if subject and subject != row["subject_id"]:
                kwargs["subject_id"] = subject
            if obj != (row["object_id"] or ""):
                kwargs["object_id"] = obj
            amount = {k: (form.get(f"amount_{k}") or "").strip() for k in ("min", "max")}
            amount.update(currency=(form.get("currency") or "").strip(), unit=(form.get("unit") or "").strip())
            if _amount_changed(row, amount):
                kwargs["amount"] = amount
        if status == "clear":
            kwargs["clear_status"] = True
        elif status:
            kwargs["status"] = status
        return review_store.review_claim(conn, claim_id, note=note, reviewer=reviewer, **kwargs)

    try:
        await _write(db, record)
    except KBError as exc:
        return _error_page(str(exc), back)
    return Response.redirect(back + "#kb-review")


def _amount_changed(row: dict, amount: dict) -> bool:
    def same(a, b):
        if a in (None, "") and b in (None, ""):
            return True
        try:
            return float(str(a).replace(",", "")) == float(b)
        except (TypeError, ValueError):
            return False
    if amount["min"] in ("", None) and amount["max"] in ("", None):
        return False
    return not (same(amount["min"], row["amount_min"]) and same(amount["max"], row["amount_max"])
                and (amount["currency"] or None) == (row["currency"] or None)
                and (not amount["unit"] or amount["unit"] == row["unit"]))


async def entity_review(datasette, request):
    """GET (the controls on a minimal page) and POST /-/kb/review/entity/<id>."""
    db = await kb_database(datasette, request)
    entity_id = tilde_decode(request.url_vars["entity_id"])
    page = entity_review_url(datasette, entity_id)
    if request.method == "POST":
        why = post_refusal(datasette, request)
        if why:
            return _forbidden(why)
        form = await request.post_vars()
        action = (form.get("action") or "").strip()

        def record(conn):
            return review_store.review_entity(
                conn, entity_id, action, into=(form.get("into") or "").strip() or None,
                alias=(form.get("alias") or "").strip() or None, merged=(form.get("merged") or "").strip() or None,
                note=(form.get("note") or "").strip() or None, reviewer=(form.get("reviewer") or "").strip() or None)

        try:
            d = await _write(db, record)
        except KBError as exc:
            return _error_page(str(exc), page)
        if action == "merge":  # the entity is gone: show the one it went into
            return Response.redirect(entity_review_url(datasette, d["value"]["into"]))
        return Response.redirect(page)
    rows = await db.execute("SELECT id, name, type, mentions, articles, claims FROM entities WHERE id = ?", [entity_id])
    if not rows.rows:
        info = await db.execute_fn(lambda conn: review_store.entity_review(wrap_connection(conn), entity_id))
        if not info["decisions"]:
            raise NotFound(f"No entity with id {entity_id!r}")
        entity = {"id": entity_id, "name": entity_id, "type": "", "missing": True}
    else:
        entity = dict(rows.rows[0])
    context = {"db_name": db.name, "entity": entity,
               "kb_review": await entity_review_context(datasette, request, db, entity_id),
               "graph_url": datasette.urls.path("/-/kb/graph") + "?" + urlencode({"entity": entity_id}),
               "page_css": datasette.urls.static_plugins("kb", "kb.css")}
    html = await datasette.render_template("kb_review_entity.html", context, request=request)
    return Response.html(html)


async def review_list(datasette, request):
    """GET /-/kb/review: every decision, newest first, orphaned ones flagged."""
    db = await kb_database(datasette, request)
    rows = await db.execute_fn(lambda conn: review_store.decision_rows(wrap_connection(conn)))
    for d in rows:
        if d["target"] == "claim":
            d["url"] = claim_url(datasette, d.get("claim_id") or d["target_id"])
        else:
            d["url"] = entity_review_url(datasette, d["target_id"])
        d["value_json"] = json.dumps(d["value"], ensure_ascii=False)
    context = {"db_name": db.name, "decisions": rows, "orphaned": sum(1 for d in rows if d["orphaned"]),
               "kb_review": _context(datasette, request),
               "page_css": datasette.urls.static_plugins("kb", "kb.css")}
    html = await datasette.render_template("kb_review.html", context, request=request)
    return Response.html(html)


ROUTES = [
    (r"^/-/kb/review$", review_list),
    (r"^/-/kb/review/claim/(?P<claim_id>[^/]+)$", claim_review),
    (r"^/-/kb/review/entity/(?P<entity_id>[^/]+)$", entity_review),
]

"""The `kb` command line: opens the database, calls one library function, prints the result."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
from pathlib import Path

# Idle OpenBLAS threads sleep after a short spin instead of busy-waiting for work (read when NumPy
# loads, so before any import of it): a single-process ingest gives the spare cores to BLAS
# (kb.nlp.fastops.ingest_blas_threads), and spinning threads would burn them between products.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "1")

import click  # noqa: E402

from kb import __version__
from kb.contract import CLAIM_TYPES
from kb.errors import KBError

DEFAULT_DB = "data/kb.db"
db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite knowledge base file.")


def _open(db_path: str, *, create: bool = True):
    from kb.store import open_db
    _opened.append(db_path)
    try:
        return open_db(db_path, create=create)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc


class _Group(click.Group):
    """Any sqlite3 error a command did not handle becomes one line naming the database, not a traceback.

    `--help` lists each command with its whole first sentence, wrapped, instead of click's cut-off one.
    """

    def format_commands(self, ctx, formatter):
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx):
        import sqlite3
        try:
            return super().invoke(ctx)
        except sqlite3.Error as exc:
            from kb.store.schema import describe_sqlite_error
            raise click.ClickException(describe_sqlite_error(_db_argument(ctx), exc)) from exc


_opened: list[str] = []  # the database the running command opened (for error messages)


def _db_argument(ctx) -> str | None:
    return _opened[-1] if _opened else None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kb")
def cli():
    """kb: a claim-tracking knowledge base for AI-infrastructure news.

    Ingest Japanese and English articles, track who claimed what, where, how
    often and whether sources agree, then explore it in Datasette or export
    the entity graph.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--urls", "url_files", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Also ingest the URLs listed in FILE: one http(s) URL a line, blank lines and # comments "
                   "ignored (repeatable).")
@click.option("--offline", is_flag=True, default=lambda: os.environ.get("KB_OFFLINE", "") not in ("", "0"),
              show_default="off, or $KB_OFFLINE", help="Never use the network: each URL or feed URL given is "
              "reported as an error (not fetched) and the rest of the batch is ingested.")
@click.option("--fetch-linked/--no-fetch-linked", default=None,
              help="For feeds: store each new entry's linked page (fetched, boilerplate removed) instead of the "
                   "entry's own text. Default: on for a feed URL, off for a feed file (a local feed fetches "
                   "nothing unless you pass --fetch-linked).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True, metavar="SECONDS",
              help="Give up on a URL when connecting or reading stalls for this many seconds.")
@db_option
@click.option("--max-file-mb", type=float, default=lambda: float(os.environ.get("KB_MAX_FILE_MB", 20)),
              show_default="20, or $KB_MAX_FILE_MB", help="Refuse files, and downloaded pages or feeds, larger than this many megabytes.")
@click.option("--workers", "-w", type=click.IntRange(min=0), default=1, show_default=True,
              help="Analyse articles in this many worker processes (0 = one per CPU core).")
@click.option("--dask-scheduler", metavar="ADDRESS",
              help="Distribute analysis over an existing Dask cluster (tcp://HOST:PORT); writes stay here.")
@click.option("--fast/--no-fast", default=True, show_default=True,
              help="Route the neural network's matrix products to NumPy's BLAS (same results, faster); "
                   "without --workers, BLAS also uses the spare cores (OPENBLAS_NUM_THREADS overrides).")
@click.option("--debug", is_flag=True, help="Stop with a traceback on the first internal error.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="When another kb ingest is writing the same database, wait for it to finish "
                   "(--no-wait: refuse at once with exit code 75).")
def ingest(paths, url_files, offline, fetch_linked, timeout, db_path, max_file_mb, workers, dask_scheduler, fast,
           debug, quiet, wait):
    """Read articles from PATHS (files, folders recursively, or http(s) URLs) into the knowledge base.

    Reads .md/.markdown with YAML front matter, .txt, .html/.htm and .jsonl (one
    article per line). HTML pages (saved or fetched) keep only their main text
    and metadata (title, author, date with its time zone, site, canonical URL):
    menus, related links, banners and footers are dropped. RSS/Atom feeds
    (.rss/.atom/.xml files or feed URLs) give one article per new entry; a
    re-run adds only entries not stored before. URLs are fetched politely (a
    few at a time, at most two per site) and nothing is downloaded unless you
    give a URL, a feed URL or --fetch-linked. Unchanged articles are skipped (analysed again, from the
    passage cache, when kb's models, data or extraction code changed); changed
    ones are replaced in one transaction. Problems are stored in the ingest_errors table and listed
    at the end; the exit code is 1 when any input failed.

    One ingest writes a database at a time: a second one waits for the first
    (or, with --no-wait, exits with code 75). SIGINT (Ctrl-C) and SIGTERM stop
    cleanly: the article being written is rolled back, a summary is printed,
    the exit code is 130 or 143, and the same command resumes where it stopped.
    """
    import signal
    import sqlite3

    from kb.fetch import FetchOptions, read_url_list
    from kb.pipeline.ingest import Stopped, ingest_paths, iter_inputs
    from kb.store.schema import EXIT_BUSY, DatabaseBusy, IngestLock, describe_sqlite_error

    paths = list(paths)
    for url_file in url_files:
        try:
            paths += read_url_list(url_file)
        except KBError as exc:
            raise click.UsageError(f"--urls: {exc}") from exc
    if not paths:
        raise click.UsageError("give at least one file, folder or URL (or --urls FILE)")
    if offline and fetch_linked:
        raise click.UsageError("--fetch-linked downloads the pages feed entries link to; it cannot be used with "
                               "--offline")
    fetch = FetchOptions(timeout=timeout, max_bytes=int(max_file_mb * 1024 * 1024), offline=offline)

    def stop(signum, frame):
        raise Stopped(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    lock = IngestLock(db_path)
    try:
        def waiting() -> None:
            click.echo(f"waiting for another kb ingest on this database… ({db_path})", err=True)

        try:
            if Path(db_path).exists():
                lock.acquire(wait=wait, on_wait=waiting)
            if fast:
                from kb.nlp.fastops import ingest_blas_threads
                from kb.nlp import enable_fast_ops
                enable_fast_ops(blas_threads=ingest_blas_threads(workers, dask_scheduler is not None))
            db = _open(db_path)
            if lock.fd is None:
                lock.acquire(wait=wait, on_wait=waiting)
        except DatabaseBusy as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_BUSY)
        except Stopped as exc:
            click.echo(f"Stopped by {signal.Signals(exc.signum).name} before anything was written.", err=True)
            sys.exit(128 + exc.signum)
        except sqlite3.Error as exc:
            raise click.ClickException(describe_sqlite_error(db_path, exc)) from exc
        total = sum(1 for _ in iter_inputs(paths))
        show = not quiet and sys.stderr.isatty()
        with click.progressbar(length=total, label="Ingesting", file=sys.stderr, show_pos=True,
                               item_show_func=lambda s: s and Path(s).name[:40], hidden=not show) as bar:
            def progress(path: str) -> None:
                bar.update(1, path)
            try:
                summary = ingest_paths(db, paths, max_file_mb=max_file_mb, progress=progress, debug=debug,
                                       workers=workers, dask_scheduler=dask_scheduler, fetch=fetch,
                                       fetch_linked=fetch_linked)
            except KBError as exc:
                raise click.ClickException(str(exc)) from exc
            except sqlite3.Error as exc:
                raise click.ClickException(describe_sqlite_error(db_path, exc)) from exc
        for sig in (signal.SIGINT, signal.SIGTERM):  # the summary is printed whatever arrives now
            signal.signal(sig, signal.SIG_IGN)
        _print_summary(summary, db_path)
        try:
            db.close()
        except sqlite3.Error:
            pass
    except Stopped as exc:  # between the steps above: nothing half-written (each write is one transaction)
        click.echo(f"Stopped by {signal.Signals(exc.signum).name}; run the same command again to resume.", err=True)
        sys.exit(128 + exc.signum)
    finally:
        lock.release()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if summary.stopped:
        done = summary.new + summary.updated + summary.refreshed
        click.echo(f"Stopped by {summary.stopped}: {done} article(s) stored, the one being written was rolled "
                   f"back; run the same command again to resume.", err=True)
        sys.exit(130 if summary.stopped == "SIGINT" else 143)
    if summary.fatal:
        click.echo(f"Error: {summary.fatal}", err=True)
        sys.exit(1)
    if summary.errors:
        sys.exit(1)


def _print_summary(s, db_path: str) -> None:
    rate = s.analyzed_chars / s.seconds if s.seconds else 0
    refreshed = f", {s.refreshed} re-analysed (kb's models, data or extraction changed)" if s.refreshed else ""
    if s.not_analysed:
        refreshed += f", {s.not_analysed} stored but not analysed (language not analysed)"
    if s.rekeyed:
        refreshed += f", {s.rekeyed} stored under a typed path re-keyed by real path (repeats merged)"
    source = f"{s.files - s.web.urls} files and {s.web.urls} URLs" if s.web.urls else f"{s.files} files"
    click.echo(f"Articles: {s.new} new, {s.updated} updated, {s.unchanged} unchanged, {s.failed} failed "
               f"(from {source}){refreshed}")
    click.echo(f"Passages: {s.passages} written, {s.duplicate_passages} duplicates dropped, "
               f"{s.cached_passages} reused from the analysis cache")
    click.echo(f"Mentions: {s.mentions}; claims found: {s.claims}")
    if s.syndicated[1]:
        click.echo(f"Syndicated copies: {s.syndicated[0]} articles are {s.syndicated[1]} "
                   f"{'story' if s.syndicated[1] == 1 else 'stories'} republished by "
                   f"several outlets (each counts as one source; `kb syndication` lists them)")
    w = s.web
    if w.urls or w.feeds or w.fetched or w.fetch_failed:
        click.echo(f"Web: {w.urls} URL(s) given; {w.fetched} fetched (feed entries' pages included), "
                   f"{w.fetch_failed} failed; {w.feeds} feed(s) read: {w.feed_entries_new} new entries, "
                   f"{w.feed_entries_seen} already stored" +
                   (f", {w.feeds_not_modified} unchanged since the last run (HTTP 304)" if w.feeds_not_modified
                    else ""))
    if w.fallback_pages:
        click.echo(f"Pages without a main text found: {w.fallback_pages} stored with all their visible text "
                   "(boilerplate may be in it; see the warnings below)")
    click.echo(f"English pipeline: {s.english_model}" +
               ("" if s.english_model != "blank" else " (rules + gazetteer; install en_core_web_sm for NER)"))
    if s.skipped_files:
        click.echo(f"Skipped {len(s.skipped_files)} unsupported file(s): " + ", ".join(s.skipped_files[:5]) +
                   (" …" if len(s.skipped_files) > 5 else ""))
    for p in s.problems:
        where = f"{p['path']}:{p['line']}" if p.get("line") else p["path"]
        hint = f" — {p['hint']}" if p.get("hint") else ""
        click.echo(f"{p['severity'].upper()}: {where}: {p['reason']}{hint}", err=p["severity"] == "error")
    if s.worker_restarts:
        click.echo(f"Worker processes died {s.worker_restarts} time(s); their unfinished articles were analysed "
                   "again (any still failing are listed above)", err=True)
    click.echo(f"Done in {s.seconds:.1f}s ({rate:,.0f} chars/s analyzed) -> {db_path}")


@cli.command("claims")
@db_option
@click.option("--entity", help="Only claims about this entity (any alias: ホンハイ, Foxconn, 鴻海 …).")
@click.option("--type", "claim_type", type=click.Choice(CLAIM_TYPES), help="Only claims of this type.")
@click.option("--conflicts", is_flag=True, help="Only claims that some source contradicts.")
@click.option("--quotes/--no-quotes", default=True, show_default=True, help="Show the earliest evidence quote.")
@click.option("--limit", type=int, help="At most this many claims.")
@click.option("--status", type=click.Choice(["correct", "wrong", "unreviewed"]),
              help="Only claims with this review status (kb review).")
@click.option("--include-wrong", is_flag=True, help="Also list claims an analyst marked wrong.")
def claims_cmd(db_path, entity, claim_type, conflicts, quotes, limit, status, include_wrong):
    """Print tracked claims as a briefing: summary, sources, first/last seen, modality, conflicts."""
    from kb.store.lookup import find_entity, list_claims

    db = _open(db_path, create=False)
    entity_id = None
    try:
        if entity:
            row = find_entity(db, entity)
            entity_id = row["id"]
            aliases = ", ".join(a for a in json.loads(row["aliases"] or "[]") if a != row["name"])[:120]
            click.secho(f"{row['name']} ({row['type']})", bold=True)
            if aliases:
                click.echo(f"  also written: {aliases}")
            click.echo(f"  {row['mentions']} mentions in {row['articles']} articles")
        lines = list_claims(db, entity_id=entity_id, claim_type=claim_type, conflicts_only=conflicts, limit=limit,
                            include_wrong=include_wrong, status=status)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    if not lines:
        click.echo("No claims match.")
        return
    width = max(min(shutil.get_terminal_size((100, 24)).columns, 160), 40)
    current = None
    shown_pairs: set[frozenset[str]] = set()
    for c in lines:
        if c.type != current:
            current = c.type
            click.echo()
            click.secho(f"{c.type.upper()}", bold=True)
        seen = f"first seen {c.first_seen or '?'}"
        if c.last_seen and c.last_seen != c.first_seen:
            seen += f", last seen {c.last_seen}"
        flags = [c.modality] if c.modality and c.modality != "asserted" else []
        if c.polarity == "negated":
            flags.append("NEGATED")
        if c.review_status:
            flags.append("reviewed WRONG" if c.review_status == "wrong" else f"reviewed {c.review_status}")
        src = f"{c.sources} source{'s' if c.sources != 1 else ''}"
        if c.articles > c.sources:  # syndicated copies of one story count once
            src += f" in {c.articles} articles"
        click.echo(_wrap(f"• {c.summary}", width, indent="  "))
        click.echo(_wrap(f"[{c.id}] {src}; {seen}{'; ' + ', '.join(flags) if flags else ''}", width,
                         first="  ", indent="  "))
        if quotes and c.quote:
            q = " ".join(c.quote.split())
            click.echo(_wrap(f"“{q}”", width, first="    ", indent="     "))
            if c.title:
                where = f"— {c.title}" + (f" ({_shown_date(c.published)})" if c.published else "")
                click.echo(_wrap(where, width, first="      ", indent="        "))
        for other_id, other in zip(c.conflict_ids, c.conflicts):
            pair = frozenset((c.id, other_id))
            if pair in shown_pairs:  # each conflict once: under the first of its two claims listed
                click.secho(f"    ⚠ conflicts with claim {other_id}, listed above (the pair is shown there)",
                            fg="red")
                continue
            shown_pairs.add(pair)
            click.secho(_wrap(f"⚠ conflicts with [{other_id}] {other}", width, first="    ", indent="      "),
                        fg="red")


def _wrap(text: str, width: int, *, first: str = "", indent: str = "") -> str:
    """`text` wrapped to `width` columns at spaces (Japanese, which has none, at the column limit), counting
    wide characters as two columns, never cutting a word."""
    import unicodedata

    def cols(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    lines, line, prefix = [], "", first
    for word in re.split(r"(?<= )", text):
        while word:
            room = width - cols(prefix) - cols(line)
            if cols(word.rstrip()) <= room:
                line += word
                word = ""
            elif line.strip() and cols(word.rstrip()) <= width - cols(indent):
                lines.append(prefix + line.rstrip())
                line, prefix = "", indent
            else:  # longer than a line (a Japanese sentence): cut it at the column limit
                cut, used = 0, 0
                while cut < len(word) and used + cols(word[cut]) <= max(room, 1):
                    used += cols(word[cut])
                    cut += 1
                cut = max(cut, 1)
                line += word[:cut]
                word = word[cut:]
                if word:
                    lines.append(prefix + line.rstrip())
                    line, prefix = "", indent
    if line.strip() or not lines:
        lines.append(prefix + line.rstrip())
    return "\n".join(lines)


def _shown_date(value: str) -> str:
    """An ISO date or time as a briefing shows it: `2025-11-24 10:00 +09:00`, a date alone as it is."""
    m = re.match(r"^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::\d{2})?([+-]\d{2}:\d{2}|Z)?)?", value)
    if not m:
        return value
    return " ".join(p for p in (m.group(1), m.group(2), m.group(3)) if p)


@cli.command("eval")
@db_option
@click.option("--gold", "gold_dir", default="tests/gold", show_default=True,
              type=click.Path(file_okay=False), help="Folder of gold annotation YAML files.")
@click.option("--verbose", "-v", is_flag=True, help="List missed and spurious claims per article.")
@click.option("--reviewed", is_flag=True,
              help="Also report precision against the claims an analyst reviewed (kb review): correct vs wrong.")
def eval_cmd(db_path, gold_dir, verbose, reviewed):
    """Score the claims and entities in the database against gold annotations: P/R/F1 per claim type."""
    from kb.evaluate import evaluate, format_report, format_reviewed, reviewed_precision

    db = _open(db_path, create=False)
    if reviewed and not Path(gold_dir).is_dir():
        click.echo(format_reviewed(reviewed_precision(db)))  # no gold here: the review is the only reference
        return
    try:
        report = evaluate(db, gold_dir)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_report(report, verbose=verbose))
    if reviewed:
        click.echo()
        click.echo(format_reviewed(reviewed_precision(db)))


@cli.group(cls=_Group)
def export():
    """Export entities, claims or the graph for other tools."""


def _output(path: str):
    return sys.stdout if path == "-" else open(path, "w", encoding="utf-8")


@export.command("entities")
@db_option
@click.option("-o", "--output", default="-", show_default=True, help="Output file, or - for stdout.")
def export_entities(db_path, output):
    """Write entities as JSON Lines: id, name, type, aliases, wikidata, mentions, articles."""
    from kb.store.export import generate_entities, write_jsonl

    db = _open(db_path, create=False)
    fp = _output(output)
    try:
        n = write_jsonl(generate_entities(db), fp)
    finally:
        if fp is not sys.stdout:
            fp.close()
    if output != "-":
        click.echo(f"Wrote {n} entities to {output}", err=True)


CLAIM_EXPORT_FORMATS = ("jsonl", "csv", "xlsx")


@export.command("claims")
@db_option
@click.option("-o", "--output", default="-", show_default=True, help="Output file, or - for stdout.")
@click.option("--format", "fmt", type=click.Choice(CLAIM_EXPORT_FORMATS), default="jsonl", show_default=True,
              help="jsonl: one JSON object per claim with all its evidence; csv (UTF-8 with BOM, CRLF: opens in "
                   "Excel) and xlsx: one row per claim with its earliest evidence quote, article, URL and date.")
@click.option("--type", "claim_type", type=click.Choice(CLAIM_TYPES), help="Only claims of this type.")
@click.option("--entity", help="Only claims about this entity (name, any alias or id: ホンハイ, Foxconn …).")
@click.option("--include-wrong", is_flag=True, help="Also write claims an analyst marked wrong (status: wrong).")
def export_claims(db_path, output, fmt, claim_type, entity, include_wrong):
    """Write tracked claims as JSON Lines, CSV or XLSX with roles, amount, sources, dates and evidence."""
    from kb.store.export import claim_table_rows, generate_claims, write_csv, write_jsonl, write_xlsx
    from kb.store.lookup import find_entity

    db = _open(db_path, create=False)
    try:
        entity_id = find_entity(db, entity)["id"] if entity else None
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "xlsx" and output == "-" and sys.stdout.isatty():
        raise click.UsageError("an XLSX workbook is binary: write it to a file with -o claims.xlsx")
    if fmt == "jsonl":
        rows, write, mode = generate_claims(db, claim_type=claim_type, entity_id=entity_id,
                                      include_wrong=include_wrong), write_jsonl, "text"
    else:
        rows = claim_table_rows(db, claim_type=claim_type, entity_id=entity_id, include_wrong=include_wrong)
        write, mode = (write_csv, "csv") if fmt == "csv" else (write_xlsx, "binary")
    if output == "-":
        fp = sys.stdout.buffer if mode == "binary" else sys.stdout
        if mode == "csv":  # UTF-8 and CRLF whatever the terminal's encoding and newline translation
            sys.stdout.flush()
            fp = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
    else:
        try:
            fp = open(output, "wb") if mode == "binary" else \
                open(output, "w", encoding="utf-8", newline="" if mode == "csv" else None)
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc.strerror}") from exc
    try:
        n = write(rows, fp)
    finally:
        if output != "-":
            fp.close()
        else:
            fp.flush()
            if isinstance(fp, io.TextIOWrapper) and fp is not sys.stdout:
                fp.detach()  # leave stdout's buffer open
    if output != "-":
        click.echo(f"Wrote {n} claims to {output} ({fmt})", err=True)


@cli.command("syndication")
@db_option
@click.option("--rebuild", is_flag=True,
              help="Rebuild the LSH index, copy pairs and groups from the stored MinHash signatures.")
def syndication_cmd(db_path, rebuild):
    """List syndicated copies: groups of articles that are one story republished by several outlets
    (each group counts as one source of the claims it backs)."""
    from kb.store.articles import index_syndication
    from kb.store.syndication import groups

    db = _open(db_path, create=False)
    indexed, regrouped = index_syndication(db, rebuild=rebuild)
    if indexed or rebuild:
        click.echo(f"Indexed {indexed} article(s); {regrouped} changed group.", err=True)
    found = list(groups(db))
    if not found:
        click.echo("No syndicated copies found.")
        return
    for g in found:
        click.secho(f"{g['id']}  {g['members']} copies of one story (similarity ≥ {g['similarity']:.2f})", bold=True)
        for a in g["articles"]:
            mark = "*" if a["is_canonical"] else " "
            click.echo(f"  {mark} {a['published'] or '?':10}  {a['outlet'] or '(outlet unknown)'}: "
                       f"{a['title'] or a['article_id']}  [{a['source_path']}]")


GRAPH_FORMATS = ("graphml", "gexf", "json", "neo4j", "cytoscape")


@cli.group(cls=_Group)
def graph():
    """Entity graph metrics (write the graph itself with `kb export graph`)."""


@graph.command("build")
@db_option
def graph_build(db_path):
    """Recompute graph metrics (degree, PageRank, betweenness, Louvain community) into table entity_metrics."""
    from kb.graph import refresh_metrics

    db = _open(db_path, create=False)
    try:
        s = refresh_metrics(db)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{s['nodes']:,} entities, {s['claim_edges']:,} claim edges, {s['co_mention_edges']:,} co-mention "
               f"pairs, {s['communities']:,} communities ({s['betweenness']} betweenness) -> {db_path}")


@export.command("graph")
@db_option
@click.option("--format", "fmt", type=click.Choice(GRAPH_FORMATS), default="graphml", show_default=True,
              help="graphml (Cytoscape, yEd), gexf (Gephi, with a timeline), json (networkx node-link), "
                   "cytoscape (Cytoscape.js), neo4j (a folder of CSV files for neo4j-admin import).")
@click.option("-o", "--output", required=True, type=click.Path(),
              help="Output file (a folder for --format neo4j).")
@click.option("--entity", help="Only this entity's neighbourhood (name, any alias or id: ホンハイ, Foxconn …).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
              help="Hops around --entity (edges followed both ways).")
@click.option("--type", "types", multiple=True,
              help="Keep only these claim types; repeat or comma-separate (co_mention = co-mention edges).")
@click.option("--since", metavar="DATE", help="Keep claims last seen on or after this ISO date (YYYY-MM-DD).")
@click.option("--min-sources", type=click.IntRange(min=1), default=1, show_default=True,
              help="Keep claims reported by at least N distinct articles.")
@click.option("--layer", type=click.Choice(["claims", "mentions", "all"]), default="claims", show_default=True,
              help="Edges from tracked claims, from entities mentioned in the same passage, or both.")
@click.option("--include-wrong", is_flag=True, help="Keep claims an analyst marked wrong (kb review).")
def export_graph_cmd(db_path, fmt, output, entity, depth, types, since, min_sources, layer, include_wrong):
    """Write the entity graph (entities as nodes, claims as edges) for Gephi, Cytoscape, yEd or Neo4j."""
    from kb.graph import build_graph
    from kb.graph.readwrite import export_graph

    db = _open(db_path, create=False)
    wanted = [t.strip() for value in types for t in value.split(",") if t.strip()] or None
    try:
        G = build_graph(db, entity=entity, depth=depth, types=wanted, since=since, min_sources=min_sources,
                        layer=layer, include_wrong=include_wrong)
        path = export_graph(G, fmt, output)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {G.number_of_nodes():,} entities and {G.number_of_edges():,} edges to {path} ({fmt})",
               err=True)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind. Keep 127.0.0.1 unless others must reach it (0.0.0.0 exposes it).")
@click.option("--port", "-p", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the workbench in a web browser.")
@click.option("--read-only", is_flag=True,
              help="No review forms: the /-/kb/review routes answer 403 (they only ever work on 127.0.0.1).")
def serve(db_path, host, port, open_browser, read_only):
    """Explore the knowledge base in Datasette: tables, canned queries, search, entity graph.

    The database is served read-only as a mutable file, so it can run while
    'kb ingest' adds articles. Canned queries come from queries/*.sql (or
    $KB_QUERIES_DIR). Extra pages: /-/kb/search?q=…, /-/kb/graph?entity=NAME,
    /-/kb/claim/ID, /-/kb/article/ID and the download
    /-/kb/export/claims.csv (or .xlsx) ?entity=NAME&type=TYPE; /-/kb/review lists
    review decisions (forms to record them are served on 127.0.0.1 only, and not
    with --read-only).
    """
    from kb.web.serve import serve as run_server

    try:
        run_server(db_path, host=host, port=port, open_browser=open_browser, read_only=read_only)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.group()
def review():
    """Review claims and entities: verdicts, edits, merges, aliases; kept across re-ingest."""


reviewer_option = click.option("--reviewer", help="Who decides (default: the OS user).")
note_option = click.option("--note", help="Why (free text, kept with the decision).")


def _review_call(fn):
    from kb.errors import KBError as _KBError
    try:
        return fn()
    except _KBError as exc:
        raise click.ClickException(str(exc)) from exc


def _parse_amount(text: str) -> tuple[str, str]:
    lo, sep, hi = text.partition("..")
    return lo.strip(), (hi if sep else lo).strip()


@review.command("claim")
@click.argument("claim_id")
@db_option
@click.option("--correct", "status", flag_value="correct", help="The claim is right.")
@click.option("--wrong", "status", flag_value="wrong", help="The claim is wrong (kept, hidden from listings).")
@click.option("--clear", "status", flag_value="clear", help="Forget the verdict.")
@click.option("--subject", help="The right subject (an entity id).")
@click.option("--object", "object_", help="The right object (an entity id; '' for none).")
@click.option("--amount", metavar="MIN[..MAX]", help="The right figure in units (1000000000 for $1 billion).")
@click.option("--currency", help="Currency of --amount (USD, JPY …); none for counts.")
@click.option("--unit", help="Unit of --amount (money, percent, power, count …).")
@click.option("--clear-amount", is_flag=True, help="Forget an earlier amount edit.")
@note_option
@reviewer_option
def review_claim_cmd(claim_id, db_path, status, subject, object_, amount, currency, unit, clear_amount, note,
                     reviewer):
    """Record a verdict or an edit for one claim (by id)."""
    from kb.store.review import review_claim

    db = _open(db_path, create=False)
    value = None
    if clear_amount:
        value = {}
    elif amount:
        lo, hi = _parse_amount(amount)
        value = {"min": lo, "max": hi, "currency": currency, "unit": unit}
    done = _review_call(lambda: review_claim(db, claim_id, status=None if status == "clear" else status,
                                             clear_status=status == "clear", subject_id=subject, object_id=object_,
                                             amount=value, note=note, reviewer=reviewer))
    for d in done:
        click.echo(f"Recorded: claim {claim_id} {d['action']} {json.dumps(d['value'], ensure_ascii=False)} "
                   f"by {d['reviewer']}")


@review.command("entity")
@click.argument("entity_id")
@db_option
@click.option("--merge-into", metavar="ID", help="Merge this entity into another (it survives).")
@click.option("--alias", metavar="NAME", help="Add a name that means this entity.")
@click.option("--suppress", is_flag=True, help="A junk name: never an entity; its mentions and claims go.")
@click.option("--unsuppress", is_flag=True, help="Undo --suppress (the next ingest analyses its articles again).")
@click.option("--split-alias", metavar="NAME", help="Detach this name into an entity of its own.")
@click.option("--split-merged", metavar="ID", help="Undo the merge of entity ID into this one.")
@note_option
@reviewer_option
def review_entity_cmd(entity_id, db_path, merge_into, alias, suppress, unsuppress, split_alias, split_merged, note,
                      reviewer):
    """Record one decision about an entity (by id: company:hon-hai)."""
    from kb.store.review import review_entity

    chosen = [(a, k) for a, k in (("merge", merge_into), ("alias", alias), ("suppress", suppress),
                                   ("unsuppress", unsuppress), ("split", split_alias or split_merged)) if k]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --merge-into, --alias, --suppress, --unsuppress, "
                               "--split-alias, --split-merged")
    db = _open(db_path, create=False)
    d = _review_call(lambda: review_entity(db, entity_id, chosen[0][0], into=merge_into,
                                           alias=alias or split_alias, merged=split_merged, note=note,
                                           reviewer=reviewer))
    click.echo(f"Recorded: entity {entity_id} {d['action']} {json.dumps(d['value'], ensure_ascii=False)} "
               f"by {d['reviewer']}")


@review.command("list")
@db_option
def review_list(db_path):
    """List review decisions, newest first; orphaned ones are about a claim or entity no longer stored."""
    from kb.store.review import decision_rows

    db = _open(db_path, create=False)
    rows = decision_rows(db)
    if not rows:
        click.echo("No review decisions.")
        return
    for d in rows:
        flags = [f for f, on in (("ORPHANED", d["orphaned"]), ("superseded", not d["current"])) if on]
        click.echo(f"{d['decided_at'][:19]}  {d['reviewer']}: {d['summary']}"
                   + (f"  [{', '.join(flags)}]" if flags else "") + (f"\n    note: {d['note']}" if d["note"] else ""))


@review.command("export")
@db_option
@click.option("-o", "--output", default="-", show_default=True, help="Output file, or - for stdout.")
def review_export(db_path, output):
    """Write every review decision as one JSON file (import it into another database)."""
    from kb.store.review import export_review

    db = _open(db_path, create=False)
    doc = export_review(db)
    fp = _output(output)
    try:
        json.dump(doc, fp, ensure_ascii=False, indent=1)
        fp.write("\n")
    finally:
        if fp is not sys.stdout:
            fp.close()
    if output != "-":
        click.echo(f"Wrote {len(doc['decisions'])} decisions to {output}", err=True)


@review.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@db_option
def review_import(path, db_path):
    """Add the decisions of a review file to this database and apply them (repeating one is harmless)."""
    from kb.store.review import import_review, orphaned_claim_verdicts

    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read the review file ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise click.ClickException(f"{path}: not JSON ({exc}); pass a file written by `kb review export`") from exc
    db = _open(db_path)
    result = _review_call(lambda: import_review(db, doc, source=path))
    orphaned = orphaned_claim_verdicts(db)
    click.echo(f"Imported {result['added']} decisions ({result['skipped']} already here) into {db_path}"
               + (f"; {orphaned} claim verdicts are about claims not in it (orphaned)" if orphaned else ""))


def main() -> None:
    """Entry point for `python -m kb`."""
    cli()


if __name__ == "__main__":
    main()

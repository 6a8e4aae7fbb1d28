"""How fast kb's web server answers pages that do not exist (unknown claim, article, row, table, entity).

    python benchmarks/bench_not_found.py [--db PATH] [--entities 20000] [--claims 50000] [--repeat 7]

Without --db, a synthetic knowledge base is built first (bench_graph.make_database). A real `kb serve`
process is started on a free port and each URL is requested --repeat times over HTTP; the median and the
worst time are printed, next to the same page for a row that exists. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    return status, time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing kb database (default: a synthetic one)")
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--claims", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="kb-404-"))
    db_path = args.db
    if db_path is None:
        from bench_graph import make_database
        db_path = tmp / "kb.db"
        t = time.perf_counter()
        make_database(db_path, entities=args.entities, claims=args.claims, passages=2_000)
        print(f"synthetic database: {args.entities:,} entities, {args.claims:,} claims "
              f"({time.perf_counter() - t:.1f}s)")
    import sqlite3
    conn = sqlite3.connect(str(db_path))
    claim = conn.execute("SELECT id FROM claims LIMIT 1").fetchone()
    article = conn.execute("SELECT id FROM articles LIMIT 1").fetchone()
    entity = conn.execute("SELECT id FROM entities ORDER BY mentions DESC LIMIT 1").fetchone()
    conn.close()
    name = db_path.stem
    port = _free_port()
    code = f"from kb.web.serve import serve; serve({str(db_path)!r}, host='127.0.0.1', port={port})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise SystemExit("kb serve did not start")
                time.sleep(0.2)
        pages = [
            ("claim page", f"/-/kb/claim/{claim[0]}" if claim else None, "/-/kb/claim/no-such-claim"),
            ("article page", f"/-/kb/article/{article[0]}" if article else None, "/-/kb/article/no-such-article"),
            ("claims row", f"/{name}/claims/{claim[0]}" if claim else None, f"/{name}/claims/no-such-row"),
            ("row .json", f"/{name}/claims/{claim[0]}.json" if claim else None, f"/{name}/claims/no-such-row.json"),
            ("table", f"/{name}/claims?_size=1", f"/{name}/no_such_table"),
            ("database", f"/{name}", "/no_such_database"),
            ("graph page", f"/-/kb/graph?entity={entity[0]}" if entity else None,
             "/-/kb/graph?entity=no-such-entity-xyz"),
            ("graph .json", f"/-/kb/graph.json?entity={entity[0]}" if entity else None,
             "/-/kb/graph.json?entity=no-such-entity-xyz"),
            ("claims export", f"/-/kb/export/claims.csv?entity={entity[0]}&type=role" if entity else None,
             "/-/kb/export/claims.csv?entity=no-such-entity-xyz"),
        ]
        print(f"{'page':<14} {'found (median/worst)':>24} {'not found (median/worst)':>28}  status")
        for label, found, missing in pages:
            cells = []
            statuses = []
            for path in (found, missing):
                if path is None:
                    cells.append("—")
                    continue
                times = []
                for _ in range(args.repeat):
                    status, seconds = _get(base + path)
                    times.append(seconds)
                statuses.append(status)
                cells.append(f"{statistics.median(times) * 1000:8.1f} / {max(times) * 1000:7.1f} ms")
            print(f"{label:<14} {cells[0]:>24} {cells[1]:>28}  {'/'.join(map(str, statuses))}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()

"""Soak test: N concurrent HTTP readers against `kb serve` (127.0.0.1 only) while 2 `kb ingest` writers
add generated articles to the same database, for a bounded time. Prints errors, lost articles (files
the writers were given vs articles stored: must be 0) and read latency percentiles.

    python benchmarks/soak.py                      # 4 readers, 20 s, 8 generated articles
    python benchmarks/soak.py --readers 8 --seconds 60 --articles 20 --keep

The writers get overlapping halves of the corpus (each file is ingested by both, concurrently), and
start again when they finish, while time remains. Exit code 1 when any error or lost article was seen.
"""

from __future__ import annotations

import argparse
import glob
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from gen_corpus import generate_corpus  # noqa: E402

HOST = "127.0.0.1"  # never anything else: the soak serves a scratch database on this machine only


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def reader_urls(name: str) -> list[str]:
    """Canned queries (with sample parameters), table pages and the kb plugin pages."""
    params = {"entity": "Nvidia", "claim_id": "x", "min_usd": "1000000000", "state": "TX", "type": ""}
    urls = []
    for yml in sorted(glob.glob(str(ROOT / "queries" / "*.yml"))):
        query = Path(yml).stem
        text = Path(yml).read_text(encoding="utf-8")
        wanted = [p for p in params if f"[{p}]" in text]
        qs = urllib.parse.urlencode({p: params[p] for p in wanted})
        urls.append(f"/{name}/{query}.json" + (f"?{qs}" if qs else ""))
    urls += [f"/{name}/articles.json?_size=20", f"/{name}/claims.json?_sort_desc=sources",
             f"/{name}/entities.json?_sort_desc=mentions", "/-/kb/search?q=Nvidia",
             "/-/kb/search?" + urllib.parse.urlencode({"q": "投資"}), "/-/kb/graph?entity=OpenAI",
             "/-/kb/graph.json?entity=OpenAI", "/"]
    return urls


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=20.0, help="how long the readers run (and writers restart)")
    ap.add_argument("--articles", type=int, default=8, help="generated articles (each writer gets ~2/3)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="kb-soak-"))
    corpus = generate_corpus(tmp / "corpus", args.articles, source_dir=ROOT / "data" / "articles")
    db = tmp / "kb.db"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    py = sys.executable
    subprocess.run([py, "-c", "import sys; from kb.store import open_db; open_db(sys.argv[1]).close()", str(db)],
                   check=True, env=env, cwd=ROOT)
    port = free_port()
    server = subprocess.Popen([py, "-m", "kb.cli", "serve", "--db", str(db), "--host", HOST, "--port", str(port)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            if server.poll() is not None or time.monotonic() > deadline:
                print("kb serve did not start:", server.stderr.read() if server.poll() is not None else "timeout")
                return 1
            time.sleep(0.3)

    third = max(1, len(corpus) // 3)
    halves = [corpus[: len(corpus) - third], corpus[third:]]  # overlapping: the middle third goes to both
    urls = reader_urls(db.stem)
    stop = threading.Event()
    latencies: list[float] = []
    errors: list[str] = []
    statuses: dict = {}
    lock = threading.Lock()

    def reader(i: int) -> None:
        n = i
        while not stop.is_set():
            url = urls[n % len(urls)]
            n += 1
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + url, timeout=30) as r:
                    r.read()
                    status = r.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except Exception as exc:  # a reader error is a result, not a crash
                status = f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status if isinstance(status, int) else "exception"] = \
                    statuses.get(status if isinstance(status, int) else "exception", 0) + 1
                # 404 is a readable answer (the graph page's entity before any article names it); a server
                # error, a timeout or a refused connection is an error
                if not isinstance(status, int) or status >= 500 or status not in (200, 404):
                    errors.append(f"GET {url}: {status}")

    writer_runs: list[dict] = []

    def writer(i: int) -> None:
        runs = 0
        while not stop.is_set() or runs == 0:
            started = time.monotonic()
            p = subprocess.run([py, "-m", "kb.cli", "ingest", *map(str, halves[i]), "--db", str(db), "-q"],
                               env=env, cwd=ROOT, capture_output=True, text=True)
            runs += 1
            with lock:
                writer_runs.append({"writer": i, "rc": p.returncode, "seconds": time.monotonic() - started,
                                    "summary": p.stdout.splitlines()[0] if p.stdout else "",
                                    "waited": "waiting for another kb ingest" in p.stderr})
                if p.returncode != 0 or "Traceback" in p.stderr:
                    errors.append(f"writer {i} exit {p.returncode}: {p.stderr.strip()[-500:]}")

    t0 = time.monotonic()
    readers = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(args.readers)]
    writers = [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(2)]
    for t in readers + writers:
        t.start()
    time.sleep(args.seconds)
    stop.set()
    for t in readers:
        t.join(timeout=60)
    for t in writers:
        t.join()  # each finishes its current run (bounded by the corpus size)
    wall = time.monotonic() - t0
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()

    conn = sqlite3.connect(db)
    keys = [r[0] for r in conn.execute("SELECT source_key FROM articles")]
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    expected = {str(p.resolve()) for p in corpus}
    lost = sorted(expected - set(keys))
    duplicates = len(keys) - len(set(keys))

    print(f"soak: {args.readers} readers, 2 writers, {args.seconds:g} s asked, {wall:.1f} s run, "
          f"{len(corpus)} generated articles, server {base}")
    for w in writer_runs:
        print(f"  writer {w['writer']}: exit {w['rc']} in {w['seconds']:.1f}s"
              f"{' (waited for the other)' if w['waited'] else ''}: {w['summary']}")
    print(f"requests: {len(latencies)} ({len(latencies) / wall:.1f}/s), by status "
          f"{dict(sorted(statuses.items(), key=str))}, errors: {len(errors)}")
    for e in errors[:10]:
        print(f"  {e}")
    print(f"latency ms: p50 {percentile(latencies, 50) * 1000:.0f}, p95 {percentile(latencies, 95) * 1000:.0f}, "
          f"p99 {percentile(latencies, 99) * 1000:.0f}, max {max(latencies, default=0) * 1000:.0f}")
    print(f"articles: expected {len(expected)}, stored {len(keys)}, lost {len(lost)}, duplicates {duplicates}, "
          f"integrity {integrity}")
    for k in lost[:10]:
        print(f"  lost: {k}")
    if args.keep:
        print(f"kept {tmp}")
    else:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if errors or lost or duplicates or integrity != "ok" else 0


if __name__ == "__main__":
    sys.exit(main())

"""Ingest benchmarks: stock GiNZA throughput vs kb's full ingest, re-ingest, incremental adds, memory, scale.

Prints ratios; not a test. Every rate is given per wall-clock second and per CPU second of this
process: on a shared machine the wall numbers move with other people's load, CPU numbers much less.

    python benchmarks/bench_ingest.py                       # nlp, seed, clean, reingest, rss
    python benchmarks/bench_ingest.py --cases incremental   # 1,000-article KB + 1 article (slow)
    python benchmarks/bench_ingest.py --articles 10000      # + scale run: throughput, DB size, queries, graph
    python benchmarks/bench_ingest.py --write-results       # also write benchmarks/RESULTS.md

See benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import importlib.util
import os

os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "1")  # as `kb` sets it, before NumPy loads

import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_corpus import generate_corpus, sample_articles  # noqa: E402

ALL_CASES = ("nlp", "seed", "clean", "reingest", "incremental", "rss")
DEFAULT_CASES = ("nlp", "seed", "clean", "reingest", "rss")
MAX_PIECE = 4000  # characters per doc given to stock GiNZA (SudachiPy refuses ~49 KB)
QUERY_RUNS = 20


class Report:
    """Collects printed lines so they can also go to RESULTS.md."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)


def timed(fn: Callable[[], object]) -> tuple[object, float, float]:
    """Run fn; return (result, wall seconds, CPU seconds of this process and its threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def rate(chars: int, wall: float, cpu: float) -> str:
    return f"{chars / wall:8.0f} chars/s wall, {chars / cpu:8.0f} chars/s CPU ({chars} chars, {wall:.1f} s)"


# --- inputs -----------------------------------------------------------------------------------

def read_bodies(paths: list[Path]) -> list[str]:
    """Article texts as kb reads them (front matter removed, chunk markers still in)."""
    from kb.sources import read_articles

    bodies = []
    for path in paths:
        for item in read_articles(path):
            if hasattr(item, "text"):
                bodies.append(item.text)
    return bodies


def pieces(text: str, size: int = MAX_PIECE) -> list[str]:
    """Split at paragraph breaks into pieces of at most `size` characters (hard cut if needed)."""
    out, current = [], ""
    for para in re.split(r"(\n\s*\n)", text):
        if len(current) + len(para) > size and current:
            out.append(current)
            current = ""
        while len(para) > size:
            out.append(para[:size])
            para = para[size:]
        current += para
    if current.strip():
        out.append(current)
    return out


def japanese_passages(paths: list[Path], target_chars: int) -> list[str]:
    """Japanese passages as kb's segmenter cuts them, up to target_chars characters."""
    from kb.nlp import detect_language
    from kb.segment import join_chunks, split_passages

    out, total = [], 0
    for body in read_bodies(paths):
        if detect_language(body) != "ja":
            continue
        for p in split_passages(join_chunks(body)[0]):
            if p.duplicate_of is None and p.text.strip():
                out.append(p.text)
                total += len(p.text)
                if total >= target_chars:
                    return out
    return out


def japanese_variant(folder: Path, source_dir: Path, seed: int) -> Path:
    """One generated Japanese article (English ones cost next to nothing without an English model)."""
    from kb.nlp import detect_language

    for path in generate_corpus(folder, len(sample_articles(source_dir)), seed=seed, source_dir=source_dir,
                                repost_rate=0):
        if detect_language(read_bodies([path])[0]) == "ja":
            return path
    raise ValueError(f"no Japanese sample article in {source_dir}")


def clean_samples(source_dir: Path) -> list[Path]:
    """Sample articles with no `---END---` chunks and no repeated paragraph."""
    out = []
    for path in sample_articles(source_dir):
        text = path.read_text(encoding="utf-8")
        paras = [p.strip() for p in re.split(r"\n\s*\n", text) if len(p.strip()) > 40]
        if "---END---" not in text and len(paras) == len(set(paras)):
            out.append(path)
    return out


def copy_inputs(paths: list[Path], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for p in paths:
        shutil.copy(p, folder / p.name)
    return sorted(folder.glob("*.md"))


# --- measurements -----------------------------------------------------------------------------

def stock_pipe(nlp, texts: list[str], batch_size: int | None = None) -> tuple[list, float, float]:
    docs, wall, cpu = timed(lambda: list(nlp.pipe(texts, batch_size=batch_size)))
    return docs, wall, cpu


def ingest(db_path: Path, paths: list[Path], **kwargs):
    """Full kb ingest of paths into db_path; returns (summary, wall, cpu)."""
    from kb.store import open_db
    from kb.pipeline.ingest import ingest_paths

    db = open_db(db_path)
    try:
        return timed(lambda: ingest_paths(db, [str(p) for p in paths], **kwargs))
    finally:
        db.close()


def input_chars(paths: list[Path]) -> int:
    return sum(len(b) for b in read_bodies(paths))


def doc_signature(doc) -> tuple:
    """Everything the pipeline decides for a doc, for exact comparison."""
    from ginza import bunsetu_spans

    return (tuple((t.text, t.tag_, t.pos_, t.lemma_, str(t.morph), t.head.i, t.dep_) for t in doc),
            tuple((e.start, e.end, e.label_) for e in doc.ents),
            tuple((s.start, s.end) for s in bunsetu_spans(doc)))


def case_nlp(report: Report, nlp, texts: list[str], repeat: int) -> None:
    from kb.nlp.fastops import use_fast_ops, use_stock_ops

    chars = sum(map(len, texts))
    report(f"## GiNZA inference: stock ops vs kb.nlp.fastops ({len(texts)} Japanese passages, {chars} chars)")
    list(nlp.pipe(texts[:20]))
    best: dict[str, tuple[float, float]] = {}
    sigs: dict[str, list] = {}
    for _ in range(repeat):
        for mode in ("stock", "fast"):
            description = use_fast_ops() if mode == "fast" else use_stock_ops()
            docs, wall, cpu = stock_pipe(nlp, texts, batch_size=64)
            w, c = best.get(mode, (1e9, 1e9))
            best[mode] = (min(w, wall), min(c, cpu))
            sigs.setdefault(mode, [doc_signature(d) for d in docs])
    report(f"fast ops: {description}")
    for mode, (wall, cpu) in best.items():
        report(f"{mode:5s} (batch_size=64, best of {repeat}): {rate(chars, wall, cpu)}")
    report(f"speed-up fast/stock: {best['stock'][0] / best['fast'][0]:.2f}x wall, "
           f"{best['stock'][1] / best['fast'][1]:.2f}x CPU")
    differing = [i for i, (a, b) in enumerate(zip(sigs["stock"], sigs["fast"])) if a != b]
    report(f"identical outputs (tokens, tags, POS, lemmas, morph, heads, deps, ents, bunsetu): "
           f"{len(texts) - len(differing)}/{len(texts)} docs" + (f"; differing docs {differing[:10]}" if differing else ""))

    use_fast_ops()
    for bs in (16, 64, 256, 1000):
        _, wall, cpu = stock_pipe(nlp, texts, batch_size=bs)
        report(f"fast ops, batch_size={bs:4d}: {rate(chars, wall, cpu)}")
    cpu_by_pipe = component_cpu(nlp, texts)
    total = sum(cpu_by_pipe.values())
    report("CPU share by component (fast ops, batch_size=64): " +
           ", ".join(f"{k} {100 * v / total:.1f}%" for k, v in cpu_by_pipe.items()))
    use_stock_ops()
    report()


def component_cpu(nlp, texts: list[str], batch_size: int = 64) -> dict[str, float]:
    """CPU seconds spent in the tokenizer and in each pipeline component."""
    spent = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    for i in range(0, len(texts), batch_size):
        c = time.process_time()
        docs = [nlp.make_doc(t) for t in texts[i:i + batch_size]]
        spent["tokenizer"] += time.process_time() - c
        for name, proc in nlp.pipeline:
            c = time.process_time()
            docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            spent[name] += time.process_time() - c
    return spent


def case_stock_vs_ingest(report: Report, nlp, title: str, paths: list[Path], work: Path, *,
                         fast: bool, workers: int = 1) -> tuple[Path, float, float]:
    """(a) stock ja_ginza over the bodies, (b) kb ingest of the same files; returns (db path, wall, CPU) of (b)."""
    from kb.nlp.fastops import ingest_blas_threads, use_stock_ops
    from kb.nlp import enable_fast_ops

    bodies = read_bodies(paths)
    texts = [p for b in bodies for p in pieces(b)]
    chars = sum(map(len, bodies))
    report(f"## {title}: {len(paths)} files, {chars} chars")
    use_stock_ops()
    _, wall_a, cpu_a = stock_pipe(nlp, texts)
    report(f"(a) stock ja_ginza pipe:   {rate(chars, wall_a, cpu_a)}")
    threads = ingest_blas_threads(1)
    if fast:
        enable_fast_ops(blas_threads=threads)
    db_path = work / "kb.db"
    summary, wall_b, cpu_b = ingest(db_path, paths)
    report(f"(b) kb ingest (as `kb ingest` runs: fast ops {'on' if fast else 'off'}, "
           f"BLAS threads {threads if fast else 'blis'}): {rate(chars, wall_b, cpu_b)}")
    report(f"    {summary.new} articles, {summary.passages} passages ({summary.duplicate_passages} duplicate, "
           f"{summary.cached_passages} cached), {summary.analyzed_chars} chars analysed, "
           f"{summary.mentions} mentions, {summary.claims} claims, {len(summary.errors)} errors")
    report(f"ratio ingest/stock: {(chars / wall_b) / (chars / wall_a):.2f} wall, "
           f"{(chars / cpu_b) / (chars / cpu_a):.2f} CPU")
    if fast and threads != 1:
        enable_fast_ops(blas_threads=1)
        _, wall_1, cpu_1 = ingest(work / "kb-1thread.db", paths)
        report(f"(b1) kb ingest, one BLAS thread: {rate(chars, wall_1, cpu_1)}")
        report(f"ratio ingest (one thread)/stock: {(chars / wall_1) / (chars / wall_a):.2f} wall, "
               f"{(chars / cpu_1) / (chars / cpu_a):.2f} CPU")
        enable_fast_ops(blas_threads=threads)
    if workers > 1:
        # Worker processes are started once; their CPU time is not this process's, so compare wall time.
        summary_c, wall_c, _ = ingest(work / "kb-workers.db", paths, workers=workers)
        report(f"(c) kb ingest --workers {workers}: {chars / wall_c:10.0f} chars/s wall ({wall_c:.1f} s, "
               f"{summary_c.new} articles, {len(summary_c.errors)} errors)")
        report(f"ratio ingest --workers {workers}/stock (one process): {(chars / wall_c) / (chars / wall_a):.2f} wall")
    report()
    return db_path, wall_b, cpu_b


def case_reingest(report: Report, db_path: Path, paths: list[Path], first: tuple[float, float]) -> None:
    report(f"## Re-ingest of the unchanged seed-like corpus ({len(paths)} files)")
    summary, wall, cpu = ingest(db_path, paths)
    report(f"first ingest {first[0]:.2f} s wall / {first[1]:.2f} s CPU; second {wall:.3f} s wall / {cpu:.3f} s CPU "
           f"({summary.unchanged} unchanged, {summary.new} new, {summary.updated} updated)")
    report(f"ratio first/second: {first[0] / wall:.0f}x wall, {first[1] / max(cpu, 1e-6):.0f}x CPU")
    report()


def case_incremental(report: Report, work: Path, n: int, source_dir: Path, seed: int) -> None:
    report(f"## Adding 1 article to a {n}-article KB vs ingesting it alone")
    corpus = work / "kb_corpus"
    paths = generate_corpus(corpus, n, seed=seed, source_dir=source_dir)
    extra = [japanese_variant(work / "extra", source_dir, seed + 1)]
    big_db = work / "big.db"
    summary, wall, cpu = ingest(big_db, paths)
    chars = input_chars(paths)
    report(f"building the KB: {rate(chars, wall, cpu)}; {summary.new} articles, {summary.claims} claims")
    _, wall_add, cpu_add = ingest(big_db, extra)
    _, wall_alone, cpu_alone = ingest(work / "alone.db", extra)
    report(f"add 1 article to the KB: {wall_add:.2f} s wall / {cpu_add:.2f} s CPU; "
           f"alone into an empty KB: {wall_alone:.2f} s wall / {cpu_alone:.2f} s CPU")
    report(f"ratio add/alone: {wall_add / wall_alone:.2f} wall, {cpu_add / cpu_alone:.2f} CPU "
           f"({extra[0].name}, {input_chars(extra)} chars)")
    report()


def case_rss(report: Report, paths: list[Path], work: Path, fast: bool) -> None:
    report(f"## Peak memory of one ingest ({len(paths)} files, fresh process)")
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent across exec.
    script = ("import sys; sys.path.insert(0, sys.argv[1]);"
              "from kb.store import open_db; from kb.pipeline.ingest import ingest_paths; from kb import nlp;"
              "fast = sys.argv[3] == '1'; fast and nlp.enable_fast_ops();"
              "ingest_paths(open_db(sys.argv[2]), sys.argv[4:]);"
              "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))")
    db_path = work / "rss.db"
    out = subprocess.run([sys.executable, "-c", script, str(ROOT), str(db_path), "1" if fast else "0",
                          *map(str, paths)], capture_output=True, text=True, check=True)
    report(f"peak RSS (VmHWM) of `ingest_paths` in a fresh process: {int(out.stdout.split()[-1]) / 1024:.0f} MB")
    report(f"peak RSS of this benchmark process so far: "
           f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    report()


def case_scale(report: Report, work: Path, n: int, source_dir: Path, seed: int, workers: int = 1) -> None:
    report(f"## Scale run: {n} generated articles (kb ingest --workers {workers})")
    paths = generate_corpus(work / "scale_corpus", n, seed=seed, source_dir=source_dir)
    db_path = work / "scale.db"
    summary, wall, cpu = ingest(db_path, paths, workers=workers)
    chars = input_chars(paths)
    report(f"ingest: {rate(chars, wall, cpu)}; {n / wall:.2f} articles/s; {summary.new} articles, "
           f"{summary.passages} passages, {summary.claims} claims, {len(summary.errors)} errors")
    size = sum(p.stat().st_size for p in work.glob("scale.db*"))
    report(f"DB size: {size / 1e6:.1f} MB (with -wal/-shm)")
    # The graph step writes entity_metrics, which the central_entities query reads.
    if importlib.util.find_spec("kb.graph") is not None:
        try:
            report(graph_timing(db_path, work))
        except Exception as exc:  # kb.graph is being written concurrently; report and go on
            report(f"graph: failed ({type(exc).__name__}: {exc})")
    for name, seconds in query_latencies(db_path):
        report(f"query {name:28s} p95 {seconds * 1000:8.1f} ms ({QUERY_RUNS} runs)" if isinstance(seconds, float)
               else f"query {name:28s} failed: {seconds}")
    report()


def query_latencies(db_path: Path) -> list[tuple[str, float | str]]:
    """p95 latency of every canned query in queries/*.sql, run with sample parameters."""
    from kb.entities import normalize_name

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.create_function("kb_normalize", 1, lambda s: None if s is None else normalize_name(str(s)),
                         deterministic=True)
    samples = sample_params(conn)
    out = []
    for sql_path in sorted((ROOT / "queries").glob("*.sql")):
        sql = sql_path.read_text(encoding="utf-8")
        params = {name: samples.get(name, "") for name in set(re.findall(r":(\w+)", sql))}
        times = []
        try:
            for _ in range(QUERY_RUNS):
                start = time.perf_counter()
                conn.execute(sql, params).fetchall()
                times.append(time.perf_counter() - start)
        except sqlite3.Error as exc:
            out.append((sql_path.stem, f"{type(exc).__name__}: {exc}"))
            continue
        out.append((sql_path.stem, statistics.quantiles(times, n=20)[-1]))
    conn.close()
    return out


def sample_params(conn: sqlite3.Connection) -> dict[str, str]:
    """Realistic values for the canned queries' parameters, taken from the database."""
    samples = {"entity": "OpenAI", "claim_id": "", "type": "", "state": "TX", "min_usd": "1000000000"}
    for name, sql in (("entity", "SELECT e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
                                 "GROUP BY e.id ORDER BY count(*) DESC LIMIT 1"),
                      ("claim_id", "SELECT id FROM claims ORDER BY sources DESC LIMIT 1")):
        try:
            row = conn.execute(sql).fetchone()
        except sqlite3.Error:
            continue
        if row and row[0]:
            samples[name] = row[0]
    return samples


def graph_timing(db_path: Path, work: Path) -> str:
    from kb.store import open_db
    from kb.graph import build_graph, refresh_metrics
    from kb.graph.readwrite import export_graph

    db = open_db(db_path)
    G, wall_build, _ = timed(lambda: build_graph(db))
    parts = [f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges, built in {wall_build:.2f} s"]
    _, wall_metrics, _ = timed(lambda: refresh_metrics(db))
    parts.append(f"metrics (refresh_metrics) {wall_metrics:.2f} s")
    for fmt in ("graphml", "gexf"):
        _, wall, _ = timed(lambda: export_graph(G, fmt, work / f"graph.{fmt}"))
        parts.append(f"{fmt} export {wall:.2f} s")
    db.close()
    return "; ".join(parts)


# --- main -------------------------------------------------------------------------------------

def machine_description() -> list[str]:
    def run(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "(unavailable)"

    lscpu = "\n".join(line for line in run(["lscpu"]).splitlines()
                      if line.split(":")[0].strip() in {"Architecture", "Model name", "CPU(s)", "Thread(s) per core",
                                                         "L2 cache", "L3 cache", "Vendor ID"})
    return ["## Machine", "```", lscpu, f"nproc: {run(['nproc'])}", run(["free", "-m"]),
            f"load average at start: {os.getloadavg()}", f"python {platform.python_version()}", "```", ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(DEFAULT_CASES),
                        help=f"comma-separated subset of {','.join(ALL_CASES)} (default: {','.join(DEFAULT_CASES)})")
    parser.add_argument("--variants", type=int, default=20,
                        help="generated variants added to data/articles for the seed-like case (default 20)")
    parser.add_argument("--nlp-chars", type=int, default=30000, help="size of the nlp case's text (default 30000)")
    parser.add_argument("--kb-articles", type=int, default=1000, help="KB size for the incremental case (default 1000)")
    parser.add_argument("--articles", type=int, default=0, help="also run the scale case with this many articles")
    parser.add_argument("--repeat", type=int, default=2, help="repetitions of the nlp case, best kept (default 2)")
    parser.add_argument("--no-fast", action="store_true", help="ingest without kb.nlp.fastops (stock blis matmuls)")
    parser.add_argument("--workers", type=int, default=2,
                        help="also time `kb ingest --workers N` in the seed-like and clean cases (default 2; 1 = skip)")
    parser.add_argument("--source-dir", default=str(ROOT / "data" / "articles"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--write-results", action="store_true", help="write benchmarks/RESULTS.md")
    args = parser.parse_args()
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = set(cases) - set(ALL_CASES)
    if unknown:
        parser.error(f"unknown case(s) {', '.join(sorted(unknown))}; choose from {', '.join(ALL_CASES)}")
    source_dir = Path(args.source_dir)
    fast = not args.no_fast

    import spacy

    report = Report()
    header = machine_description()
    for line in header:
        report(line)
    work = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        nlp = spacy.load("ja_ginza")
        from kb.pipeline.analysis import warm_up
        warm_up()  # kb's pipelines, gazetteer and lexicons load before any clock starts, like spacy.load
        variants = generate_corpus(work / "variants", args.variants, seed=args.seed, source_dir=source_dir)
        seed_like = copy_inputs(sample_articles(source_dir) + variants, work / "seed_like")
        if "nlp" in cases:
            case_nlp(report, nlp, japanese_passages(seed_like, args.nlp_chars), args.repeat)
        if "seed" in cases or "reingest" in cases:
            (work / "seed").mkdir()
            db_path, wall, cpu = case_stock_vs_ingest(
                report, nlp, "Seed-like input (samples + variants, with chunks and duplicated sections)",
                seed_like, work / "seed", fast=fast, workers=args.workers)
            if "reingest" in cases:
                case_reingest(report, db_path, seed_like, (wall, cpu))
        if "clean" in cases:
            (work / "clean").mkdir()
            case_stock_vs_ingest(report, nlp, "Text without duplicates (clean samples only)",
                                 clean_samples(source_dir), work / "clean", fast=fast, workers=args.workers)
        if "incremental" in cases:
            case_incremental(report, work, args.kb_articles, source_dir, args.seed)
        if "rss" in cases:
            case_rss(report, seed_like, work, fast)
        if args.articles:
            case_scale(report, work, args.articles, source_dir, args.seed, args.workers)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.write_results:
        out = Path(__file__).resolve().parent / "RESULTS.md"
        out.write_text("# Benchmark results\n\nGenerated by `python benchmarks/bench_ingest.py "
                       + " ".join(sys.argv[1:]) + "`.\n\n" + "\n".join(report.lines) + "\n", encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()

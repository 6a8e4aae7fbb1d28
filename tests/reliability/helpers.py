"""Small English articles (fast to analyse: no GiNZA) and a way to run `kb` in a real subprocess."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SLOW_KB = Path(__file__).with_name("slow_kb.py")

COMPANIES = ["Nvidia", "OpenAI", "AMD", "Oracle", "Microsoft", "Google", "Amazon", "Meta", "Intel", "Broadcom",
             "SoftBank", "Foxconn", "TSMC", "CoreWeave", "Micron", "Samsung"]
STATES = ["Texas", "Ohio", "Arizona", "Georgia", "Virginia", "Oregon", "Nevada", "Utah"]


def article_text(i: int, version: int = 0) -> str:
    a, b = COMPANIES[i % len(COMPANIES)], COMPANIES[(i * 7 + 3) % len(COMPANIES)]
    state = STATES[i % len(STATES)]
    return (f"---\ntitle: Story {i} v{version}\npublished: 2026-01-{1 + i % 28:02d}\nlang: en\n---\n"
            f"{a} said it will invest ${5 + i + version} billion in {state} data centers.\n\n"
            f"{b} agreed to buy chips from {a} in article {i}.\n")


def write_articles(folder: Path, numbers, *, version: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in numbers:
        p = folder / f"story-{i:03d}.md"
        p.write_text(article_text(i, version), encoding="utf-8")
        paths.append(p)
    return paths


def kb_env(**extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("KB_MAX_FILE_MB", None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start_kb(*args, slow: float | None = None, marks: Path | None = None, **popen) -> subprocess.Popen:
    """`kb ARGS` in a subprocess (via slow_kb.py when `slow` seconds per article are asked for)."""
    extra = {}
    if slow is not None:
        extra = {"KB_TEST_SLOW_SAVE": slow, "KB_TEST_MARKS": marks}
        cmd = [sys.executable, str(SLOW_KB), *map(str, args)]
    else:
        cmd = [sys.executable, "-m", "kb.cli", *map(str, args)]
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen(cmd, cwd=ROOT, env=kb_env(**extra, **popen.pop("env", {})), text=True, **popen)


def run_kb(*args, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    p = start_kb(*args, **kw)
    out, err = p.communicate(timeout=timeout)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def wait_for(predicate, timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def stored(db_path: Path) -> list[tuple[str, str]]:
    """(source_key, content_hash) of every stored article, sorted."""
    conn = sqlite3.connect(db_path)
    try:
        return sorted(conn.execute("SELECT source_key, content_hash FROM articles"))
    finally:
        conn.close()


def integrity(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def no_traceback(*texts: str) -> bool:
    return not any("Traceback" in t for t in texts)

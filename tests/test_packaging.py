"""A normal (non-editable) `pip install .` ships everything kb reads at run time, canned queries included.

The wheel is built from a copy of the checkout (so the build leaves no build/ or *.egg-info in the repository),
installed with `pip install --no-deps --target`, and used from a subprocess whose PYTHONPATH is that folder
only, so the installed copy is imported, not the checkout.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from kb.web.queryfiles import load_query

REPO = Path(__file__).resolve().parents[1]
QUERIES = sorted((REPO / "queries").glob("*.sql"))

_NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc",
                                      ".pytest_cache", ".hypothesis", "tmp", "*.db", "*.db-wal", "*.db-shm")


def _build_isolation_args() -> list[str]:
    """--no-build-isolation when this environment has the setuptools pyproject.toml asks for (quicker, no
    download); otherwise pip fetches it into an isolated build environment."""
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return []
    return ["--no-build-isolation"] if major >= 77 else []


def _pip(*args: str, cwd: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", *args, "--no-deps", "--quiet", "--disable-pip-version-check"],
                            cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"pip {args[0]} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    shutil.copytree(REPO, source, ignore=_NOT_SOURCES)
    _pip("wheel", *_build_isolation_args(), "-w", str(base / "dist"), str(source), cwd=base)
    (built,) = (base / "dist").glob("kb-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    _pip("install", "--target", str(target), str(wheel), cwd=target)
    return target


def test_queries_exist():
    assert len(QUERIES) >= 8 and all(q.with_suffix(".yml").exists() for q in QUERIES)


def test_package_list_matches_folders():
    """pyproject.toml lists its packages (for the kb.web.queries mapping): every package under kb/ is there."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "kb").rglob("__init__.py")}
    assert set(config["packages"]) == found | {"kb.web.queries"}
    assert config["package-dir"] == {"kb.web.queries": "queries"}
    assert not (REPO / "kb" / "web" / "queries").exists()  # queries/ is the one copy


def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for query in QUERIES:
        assert f"kb/web/queries/{query.name}" in names and f"kb/web/queries/{query.stem}.yml" in names, query.name
    assert "kb/web/metadata.yml" in names
    for folder in ("kb/web/templates", "kb/web/static", "kb/data"):
        expected = {p.relative_to(REPO).as_posix() for p in (REPO / folder).rglob("*")
                    if p.is_file() and "__pycache__" not in p.parts}
        assert expected and expected <= names, sorted(expected - names)[:5]
    assert "kb/graph/readwrite/gexf.py" in names and "kb/graph/readwrite.py" not in names
    assert not [n for n in names if n.startswith(("tests/", "data/", "queries/", "docs/", "scripts/", "benchmarks/"))]
    assert not [n for n in names if "articles/" in n or "/tests/" in n]


INSTALLED_SCRIPT = r"""
import asyncio, json, sys
from pathlib import Path

import kb, kb.web
from kb.store import open_db
from kb.web.queryfiles import load_queries, queries_dir
from kb.web.serve import make_datasette

db_path = Path(sys.argv[1])
open_db(db_path).conn.close()
ds = make_datasette(db_path)


async def main():
    await ds.invoke_startup()
    database = await ds.client.get("/kb.json")
    css = await ds.client.get("/-/static-plugins/kb/kb.css")
    graph = await ds.client.get("/-/kb/graph")
    return {
        "kb": kb.__file__, "kb_web": kb.web.__file__, "queries_dir": str(queries_dir()),
        "loaded": {name: q["title"] for name, q in load_queries().items()},
        "canned": {name: q["title"] for name, q in (await ds.get_canned_queries("kb", None)).items()},
        "database_status": database.status_code,
        "database_queries": [q["name"] for q in database.json().get("queries", [])],
        "css_status": css.status_code, "graph_status": graph.status_code,
    }

print(json.dumps(asyncio.run(main())))
"""


def test_installed_copy_serves_every_canned_query(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("KB_QUERIES_DIR", "PYTHONPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = str(installed)
    run = subprocess.run([sys.executable, "-c", INSTALLED_SCRIPT, str(tmp_path / "kb.db")], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(out["kb"]).is_relative_to(installed) and Path(out["kb_web"]).is_relative_to(installed)
    assert Path(out["queries_dir"]) == installed / "kb" / "web" / "queries"
    expected = {q.stem: load_query(q)["title"] for q in QUERIES}
    assert out["loaded"] == expected
    assert out["canned"] == expected  # through the plugin's canned_queries hook, on a fresh kb database
    assert out["database_status"] == 200 and set(out["database_queries"]) == set(expected)
    assert out["css_status"] == 200 and out["graph_status"] == 200  # static files and templates installed

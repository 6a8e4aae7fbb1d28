"""Shared fixtures: temporary databases and the fixture articles written for kb's tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"
SAMPLES = Path(__file__).parent.parent / "data" / "articles"
sys.path.insert(0, str(FIXTURES))  # for `import hostile`


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite golden files from the current output (review the diff).")


def pytest_configure(config):
    if config.getoption("--update-golden"):
        os.environ["KB_UPDATE_GOLDEN"] = "1"


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "kb.db"


@pytest.fixture
def db(db_path):
    from kb.store import open_db
    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def ingested_fixtures(tmp_path_factory):
    """A database holding every fixture article (ingested once per test session)."""
    from kb.store import open_db
    from kb.pipeline.ingest import ingest_paths
    path = tmp_path_factory.mktemp("fixtures-db") / "kb.db"
    database = open_db(path)
    summary = ingest_paths(database, [str(ARTICLES)])
    return path, summary

"""Shared fixtures: the bundled data read once, and a real on-disk store loaded with it."""

from __future__ import annotations

import pytest

from bioplan import layout
from bioplan.loading import load
from bioplan.rdfio import ReadFile, read_all
from bioplan.store import OxigraphStore


@pytest.fixture(scope="session")
def bundled() -> list[ReadFile]:
    return read_all(layout.bundled_files())


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory):
    """A store folder holding everything bundled, loaded through the real loader."""
    path = tmp_path_factory.mktemp("store")
    store = OxigraphStore(path)
    load(store, layout.bundled_files())
    store.close()
    return path


@pytest.fixture(scope="session")
def store(store_dir):
    opened = OxigraphStore(store_dir)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def api_settings(store_dir):
    from bioplan.settings import Settings

    return Settings(store=str(store_dir), admin_token="admin-secret-for-tests", query_timeout_s=5, max_rows=1000)


@pytest.fixture(scope="session")
def api_url(api_settings, store):
    """The real app on a real server over the session's loaded store (embedded backend)."""
    from api_server import running_server

    with running_server(api_settings, store) as url:
        yield url


@pytest.fixture
def http(api_url):
    import httpx

    with httpx.Client(base_url=api_url, timeout=30) as client:
        yield client

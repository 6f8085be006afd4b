"""Shared fixtures: the bundled data read once, and a real on-disk store loaded with it."""

from __future__ import annotations

import pytest

from bioplan import layout
from bioplan.loading.loader import load
from bioplan.loading.rdfio import ReadFile, read_all
from bioplan.store.embedded import OxigraphStore


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


@pytest.fixture(scope="session")
def remote_store_url(tmp_path_factory):
    """A real Oxigraph server holding everything bundled; yields its query endpoint URL.

    Loaded as a user would: `bioplan load --store URL`, which runs bioplan.loading.loader.load on a
    RemoteStore, so the loader, the remote store and the command line are all exercised."""
    import subprocess
    import sys

    from oxigraph_server import running_oxigraph

    with running_oxigraph(tmp_path_factory.mktemp("oxigraph") / "data") as url:
        loaded = subprocess.run(
            [sys.executable, "-m", "bioplan", "load", "--store", url],
            capture_output=True,
            text=True,
            cwd=layout.PROJECT_ROOT,
        )
        assert loaded.returncode == 0, loaded.stdout + loaded.stderr
        yield url


@pytest.fixture(scope="session")
def remote_api_url(api_settings, remote_store_url):
    """The real app on a real server over the Oxigraph server (remote backend)."""
    from api_server import running_server

    from bioplan.store.remote import RemoteStore

    settings = api_settings.model_copy(update={"store": remote_store_url})
    remote = RemoteStore.from_url(remote_store_url, settings)
    try:
        with running_server(settings, remote) as url:
            yield url
    finally:
        remote.close()


@pytest.fixture(params=["embedded", "remote"])
def backend_url(request):
    """The service over each backend: tests using it run once per backend."""
    return request.getfixturevalue("api_url" if request.param == "embedded" else "remote_api_url")


@pytest.fixture
def backend_http(backend_url):
    import httpx

    with httpx.Client(base_url=backend_url, timeout=30) as client:
        yield client

"""Shared fixtures: the bundled data read once, and a real on-disk store loaded with it.

The suite runs in parallel (pytest-xdist, `--dist loadfile`: a module's tests run in one worker,
in order). A session fixture is made once per worker: the servers below are shared by every module
of the worker that uses them. They serve read-only data; a test that writes, or needs settings of
its own, starts a server of its own.
"""

from __future__ import annotations

import os

import pytest

from api.app import create_app
from bioplan import layout
from bioplan.loading.loader import load
from bioplan.loading.rdfio import ReadFile, read_all
from bioplan.store.embedded import OxigraphStore

# The modules that take longest (20-130 s each), handed out first in a parallel run, so that no
# worker is left running one of them alone at the end: pytest-xdist gives whole modules to the workers
# in the order they were collected. The order of the tests inside a module does not change.
SLOW_MODULES = (
    "test_openapi_contract.py",
    "test_cli.py",
    "test_query_supervision.py",
    "test_shacl_sparql.py",
    "test_shapes.py",
    "test_engine.py",
    "test_browser.py",
)


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PYTEST_XDIST_WORKER"):  # every worker collects, and sorts, the same way
        rank = {name: n for n, name in enumerate(SLOW_MODULES)}
        items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_MODULES)))


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory):
    """The caches (BIOPLAN_CACHE_DIR) in a folder of this worker's, for the tests and the commands they
    start: parallel workers share no writable folder, and nothing is written to the repository's var/."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BIOPLAN_CACHE_DIR", str(folder))
        yield folder


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
def examples_store_dir(tmp_path_factory):
    """A store folder holding everything bundled and the example reports (what `make demo` serves),
    through the real loader, which validates them together: a non-conforming example file raises here."""
    path = tmp_path_factory.mktemp("examples-store")
    store = OxigraphStore(path)
    load(store, layout.bundled_files() + layout.example_files())
    store.close()
    return path


@pytest.fixture(scope="session")
def examples_store(examples_store_dir):
    opened = OxigraphStore(examples_store_dir)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def examples_url(examples_store_dir, examples_store):
    """The real app on a real server over the bundled data and the example reports (read only)."""
    from api_server import running_server

    from bioplan.settings import Settings

    with running_server(Settings(store=str(examples_store_dir), query_workers=1), examples_store) as url:
        yield url


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


@pytest.fixture(scope="session")
def routing_app(api_settings, store):
    """The app on the shared store, not started: only its routing table is read."""
    return create_app(api_settings, store)

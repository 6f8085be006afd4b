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

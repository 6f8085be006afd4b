"""Opening a store by its location: the URL of a SPARQL endpoint, or a folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bioplan.store.embedded import OxigraphStore
from bioplan.store.interface import Store

if TYPE_CHECKING:  # for the annotation only: opening a folder need not load pydantic
    from bioplan.settings import Settings


def is_remote(location: str | Path) -> bool:
    return str(location).startswith(("http://", "https://"))


def open_store(location: str | Path, *, read_only: bool = False, settings: Settings | None = None) -> Store:
    """The store at ``location``: the URL of a remote SPARQL endpoint, or a folder (embedded)."""
    if is_remote(location):
        from bioplan.store.remote import RemoteStore  # imported on use: the embedded path never needs httpx

        return RemoteStore.from_url(str(location), settings)
    return OxigraphStore(location, read_only=read_only)

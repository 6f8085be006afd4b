"""The embedded store's own bookkeeping: the write stamp that says whether it changed, and the
scratch folders beside it."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from bioplan.store.embedded import OxigraphStore
from bioplan.store.interface import RdfDocument

G1, G2 = "http://example.org/g1", "http://example.org/g2"


def quad(value: int, graph: str) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode("http://example.org/s"),
        ox.NamedNode("http://example.org/p"),
        ox.Literal(str(value)),
        ox.NamedNode(graph),
    )


def test_the_write_stamp_changes_with_each_write_and_is_none_during_one(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    try:
        first = store.write_stamp()
        assert first is not None and store.write_stamp() == first
        store.replace_graphs({G1: [quad(1, G1)]})
        second = store.write_stamp()
        assert second not in (None, first)
        seen = []

        def documents():
            seen.append(store.write_stamp())
            yield RdfDocument(b'<http://example.org/s> <http://example.org/p> "1" .', ox.RdfFormat.N_TRIPLES, G2)

        store.bulk_replace([G2], documents())
        assert seen == [None]
        assert store.write_stamp() not in (None, second)
    finally:
        store.close()


def test_scratch_folders_left_by_a_killed_process_go_when_the_store_is_opened_again(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    left = [store.scratch_folder("replica"), store.scratch_folder("scratch")]
    store.freeze(left[0] / "copy")
    store.close()
    other = tmp_path / ".other.replica-x"  # another store's: not ours to delete
    other.mkdir()
    OxigraphStore(tmp_path / "store").close()
    assert not any(folder.exists() for folder in left)
    assert other.exists()


def test_a_store_whose_parent_folder_cannot_be_written_makes_its_scratch_folders_elsewhere(tmp_path, monkeypatch):
    store = OxigraphStore(tmp_path / "parent" / "store")
    store.replace_graphs({G1: [quad(1, G1)]})
    make_folder = tempfile.mkdtemp

    def refuse_beside_the_store(prefix=None, dir=None):  # as the OS does for a folder we may not write (root may)
        if dir is not None and Path(dir) == store.path.parent:
            raise PermissionError(13, "Permission denied", str(dir))
        return make_folder(prefix=prefix, dir=dir)

    monkeypatch.setattr(tempfile, "mkdtemp", refuse_beside_the_store)
    try:
        folder = store.scratch_folder("replica")
        assert folder.parent != store.path.parent
        store.freeze(folder / "copy")
        assert len(ox.Store.read_only(str(folder / "copy"))) == 1
        shutil.rmtree(folder)
    finally:
        store.close()

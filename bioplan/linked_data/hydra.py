"""A paged RDF document says so in its own triples, with Hydra (http://www.w3.org/ns/hydra/core#).

The links pointing to a resource come 50 a page (bioplan.linked_data.describe); a client reading
one page of a document learns from it how many there are (`hydra:totalItems`, always, so it knows
when nothing is hidden) and, when there is more than one page, where the others are (`hydra:view`
to this page, a `hydra:PartialCollectionView` with `hydra:first`, `hydra:previous`, `hydra:next`,
`hydra:last`). The statements are about the document, not the data: in TriG and N-Quads they sit
in the default graph, the named graphs holding only what the store holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pyoxigraph as ox

from bioplan.linked_data.description import Description
from bioplan.namespaces import HYDRA, RDF_TYPE, XSD

COLLECTION, PARTIAL_VIEW = ox.NamedNode(HYDRA + "Collection"), ox.NamedNode(HYDRA + "PartialCollectionView")
HAS_COLLECTION, TOTAL_ITEMS, VIEW = (ox.NamedNode(HYDRA + name) for name in ("collection", "totalItems", "view"))
FIRST, PREVIOUS, NEXT, LAST = (ox.NamedNode(HYDRA + name) for name in ("first", "previous", "next", "last"))
INVERSE_FRAGMENT = "inverse"  # the HTML page's section of the inverse links has this id too


def with_inverse_collection(described: Description, document: str, page_url: Callable[[int], str]) -> Description:
    """``described`` with the Hydra statements of its inverse links: ``document`` is the absolute
    URL of the resource's document whatever its format and page, ``page_url(n)`` the absolute URL
    of page ``n`` in the format asked for.

    The collection is ``<document#inverse>``: one node for every page and every format, so pages
    read together describe one collection (one `totalItems`, a view per page). Not the resource
    (a plan is not a list of links) nor the document itself (its pages are its views, and a
    document holds more than the links). Each page is a view named by its URL with `page=n`
    always, page 1 too, as in the Hydra specification's own example: the URL a client gets by
    following `first` or `previous` is the one the page names itself by.
    """
    inverse = described.inverse
    resource, collection = ox.NamedNode(described.iri), ox.NamedNode(f"{document}#{INVERSE_FRAGMENT}")
    total = ox.Literal(str(inverse.total), datatype=ox.NamedNode(XSD + "integer"))
    triples: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (resource, HAS_COLLECTION, collection),  # what ties the collection to the resource (and roots JSON-LD)
        (collection, ox.NamedNode(RDF_TYPE), COLLECTION),
        (collection, TOTAL_ITEMS, total),
    ]
    if inverse.is_paged:
        view = ox.NamedNode(page_url(inverse.page))
        triples += [(collection, VIEW, view), (view, ox.NamedNode(RDF_TYPE), PARTIAL_VIEW)]
        triples += [(view, FIRST, ox.NamedNode(page_url(1))), (view, LAST, ox.NamedNode(page_url(inverse.pages)))]
        if inverse.has_previous:
            triples.append((view, PREVIOUS, ox.NamedNode(page_url(inverse.page - 1))))
        if inverse.has_next:
            triples.append((view, NEXT, ox.NamedNode(page_url(inverse.page + 1))))
    quads = [ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in triples]
    return replace(described, quads=[*described.quads, *quads])

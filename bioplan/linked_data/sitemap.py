"""The sitemap (sitemaps.org 0.9): every page of a resource of the dataset, paged past 50,000.

A resource is a subject IRI under the base with a label or a type; its page is its local path
(`/id/...` answers with a 303 to its document; a concept `/def/<scheme>/<concept>` likewise),
and the hash terms of the ontology share one page, `/def/bioplan`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from urllib.parse import quote
from xml.sax.saxutils import escape

from bioplan.linked_data.site_links import local_path
from bioplan.store.interface import Store

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000  # per sitemap file, by the protocol

_RESOURCES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s WHERE {
  VALUES ?p { rdfs:label skos:prefLabel <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> }
  ?s ?p ?o .
  FILTER(isIRI(?s) && (%s))
}
"""


def resource_paths(store: Store, bases: Iterable[str]) -> list[str]:
    """The local paths of the resource pages, sorted, without repeats (hash IRIs fold into their page)."""
    bases = tuple(bases)
    condition = " || ".join(f'STRSTARTS(STR(?s), "{base}")' for base in bases)
    paths = set()
    for solution in store.query(_RESOURCES % condition):
        path = local_path(solution["s"].value, bases)
        if path is not None:
            paths.add(path.split("#", 1)[0])
    return sorted(paths)


def absolute(site: str, path: str) -> str:
    """``site`` (scheme and host, no trailing "/") + ``path``, percent-encoded as the protocol asks."""
    return site + quote(path, safe="/:@!$&'()*+,;=-._~%?")


def page_count(urls: int, per_page: int = MAX_URLS) -> int:
    return max(1, math.ceil(urls / per_page))


def urlset(urls: Iterable[str]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{NAMESPACE}">']
    lines += [f"<url><loc>{escape(url)}</loc></url>" for url in urls]
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def sitemap_index(sitemaps: Iterable[str]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{NAMESPACE}">']
    lines += [f"<sitemap><loc>{escape(url)}</loc></sitemap>" for url in sitemaps]
    lines.append("</sitemapindex>\n")
    return "\n".join(lines).encode("utf-8")


def page(urls: list[str], number: int, per_page: int = MAX_URLS) -> list[str]:
    """The URLs of sitemap page ``number`` (1-based)."""
    return urls[(number - 1) * per_page : number * per_page]

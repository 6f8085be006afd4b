"""Registering one endpoint under several methods, one route each.

FastAPI names an operation by its route, so a route with several methods repeats one operation
ID in the OpenAPI document (and warns). One route per method, each named after its method, keeps
the IDs unique; HEAD is the GET answer without its body, so it stays out of the document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fastapi import APIRouter


def route(router: APIRouter, path: str, methods: Iterable[str], **options) -> Callable:
    """Decorator: ``endpoint`` answers ``path`` for each of ``methods``."""

    base_name = options.pop("name", None)

    def register(endpoint: Callable) -> Callable:
        for method in methods:
            extra = {"include_in_schema": False} if method == "HEAD" else {}
            # The GET route keeps the plain name: url_path_for(name) finds the page.
            name = base_name or endpoint.__name__
            name = name if method == "GET" else f"{name}_{method.lower()}"
            router.add_api_route(path, endpoint, methods=[method], name=name, **{**options, **extra})
        return endpoint

    return register

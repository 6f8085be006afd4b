"""A route table row checked both ways: by the app's router and by the running server."""

from __future__ import annotations


def assert_routed(app, http, path: str, handler: str, params: dict, status: int) -> None:
    """The handler and its parameters build ``path``, and the running server routes it there."""
    assert app.url_path_for(handler, **params) == path
    assert http.get(path).status_code == status

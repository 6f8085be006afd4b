"""The OpenAPI document, made to say what the service does.

FastAPI derives an operation from its route's signature: the parameters it declares, a 200 in
JSON and a 422 for parameters it validates. The routes answer more than that: many read their
parameters themselves (the SPARQL and Graph Store protocols, ``format``, ``lang``), negotiate
formats, turn FastAPI's 422 into a 400 (api/errors.py), and answer 303, 304, 401, 404, 406,
412, 413, 415, 429, 503. This module completes the document in one place, after FastAPI built it:

- each operation's answers: its success statuses with their media types and, for JSON, their
  schemas (api/openapi/schemas.py), and every error status it answers, in the one error body
  (the ``Error`` schema; text/plain for a client preferring it);
- the parameters and request bodies the routes read themselves, described;
- the bearer scheme (``bearer``) on the write operations.

``contracts()`` says it per operation, keyed by method and path as in the document; every
operation of the document has an entry (tests/test_openapi_contract.py checks it, and runs
schemathesis against the running service to check that the service does what they say).

    responses.py    error statuses, their headers, media types and their schemas
    parameters.py   the parameters and bodies the routes read themselves
    contracts.py    the contract of each operation
    document.py     applying the contracts to FastAPI's document
    schemas.py      the JSON schemas of the JSON answers (table_schemas.py: the table pages')
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import FastAPI
from pydantic import BaseModel

from api.openapi.contracts import Contract, contracts
from api.openapi.document import apply

__all__ = ["App", "Contract", "apply", "contracts", "install"]


class App(FastAPI):
    """A FastAPI app that serves its document completed by the contracts, with the schemas of
    ``document_models`` (see `install`) in its components. Built once, at the first request for it."""

    document_models: tuple[type[BaseModel], ...] = ()

    def openapi(self) -> dict:
        if self.openapi_schema is None:
            document = super().openapi()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for model in self.document_models:
                schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                schemas.update(schema.pop("$defs", {}))
                schemas[model.__name__] = schema
            self.openapi_schema = apply(document, contracts(self.state.services.stored_queries))
        return self.openapi_schema


def install(app: App, models: Iterable[type[BaseModel]] = ()) -> None:
    """Serve ``app``'s document with the schemas of ``models`` (the request bodies that routes
    read themselves: they accept RDF too, so FastAPI does not parse them) in its components."""
    app.document_models = tuple(models)

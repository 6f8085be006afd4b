"""Each stored query as its own operation: an endpoint whose signature declares the query's
parameters with their types, so that FastAPI checks them (an integer is one) and the OpenAPI
document lists them, with the query's titles and description."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Query, Request
from pydantic import BeforeValidator
from starlette.responses import Response

from bioplan.queries.catalogue import parameter_description
from bioplan.queries.stored import Parameter, StoredQuery

RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The answer",
        "content": {
            "application/json": {},
            "application/sparql-results+json": {},
            "application/sparql-results+xml": {},
            "text/csv": {},
            "text/tab-separated-values": {},
            "text/html": {},
        },
    },
    400: {"description": "A parameter is unknown or not of its type (e.g. not an absolute IRI)"},
    503: {"description": "The query ran past the time limit"},
}


def operation_id(stored: StoredQuery) -> str:
    return "stored_query_" + stored.name.replace("-", "_")


def _annotation(kind: str):
    """The Python type FastAPI validates a parameter of ``kind`` with (and puts in the OpenAPI)."""
    empty_is_default = BeforeValidator(lambda value: None if value == "" else value)
    return Annotated[int | None, empty_is_default] if kind == "integer" else Annotated[str | None, empty_is_default]


class TypedEndpoint:
    """An endpoint answering ``stored`` with ``answer(request, stored)``, its signature typed:
    FastAPI reads the parameters it checks from ``__signature__`` (through inspect.signature)."""

    def __init__(
        self,
        stored: StoredQuery,
        answer: Callable[[Request, StoredQuery], Awaitable[Response]],
        signature: inspect.Signature,
    ):
        self.stored, self.answer = stored, answer
        self.__signature__ = signature
        self.__name__ = operation_id(stored)

    async def __call__(self, request: Request, **_typed: object) -> Response:
        # FastAPI has checked the types (an integer is one); the values are read again from the
        # request by ``answer`` so that the suffix route, which has no signature, agrees.
        return await self.answer(request, self.stored)


def typed_endpoint(stored: StoredQuery, answer: Callable[[Request, StoredQuery], Awaitable[Response]]) -> TypedEndpoint:
    """An endpoint answering ``stored`` with ``answer(request, stored)``, its signature typed."""
    parameters = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
    for p in stored.parameters:
        default = int(p.default) if p.kind == "integer" and p.default is not None else p.default
        extra = {"format": "iri"} if p.kind == "iri" else None
        description = f"{parameter_description(p, 'en')} / {parameter_description(p, 'vi')}" + _choice_note(stored, p)
        parameters.append(
            inspect.Parameter(
                p.name,
                inspect.Parameter.KEYWORD_ONLY,
                # The Query inside the annotation: FastAPI then runs its validators (an empty value is the default).
                annotation=Annotated[_annotation(p.kind), Query(description=description, json_schema_extra=extra)],
                default=default,
            )
        )
    parameters.append(
        inspect.Parameter(
            "format",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=str | None,
            default=Query(
                None,
                description="json (rows of plain values), srj (SPARQL JSON), srx (SPARQL XML), csv, tsv or html; "
                "overrides Accept",
            ),
        )
    )
    return TypedEndpoint(stored, answer, inspect.Signature(parameters))


def _choice_note(stored: StoredQuery, parameter: Parameter) -> str:
    """Whether a value outside the parameter's choices is refused (choice-only) or run (free)."""
    if parameter.choices is None:
        return ""
    if parameter.choices.only:
        return f" Choice-only: one of the values the form at /queries/{stored.name} lists; any other is refused (400)."
    return f" Free: the form at /queries/{stored.name} lists values to choose from; any other IRI is accepted too."


def description(stored: StoredQuery) -> str:
    lines = [f"**{stored.titles.get('vi', stored.name)}**", ""]
    for lang in ("en", "vi"):
        if lang in stored.descriptions:
            lines += [stored.descriptions[lang], ""]
    lines += [
        "Answers JSON (`{columns, rows}` of plain values) by default, SPARQL JSON, SPARQL XML, CSV, TSV "
        "or an HTML table, by Accept, `?format=` or a suffix (`.json`, `.srj`, `.srx`, `.csv`, `.tsv`, `.html`). "
        "A parameter left out (or empty) takes its default. Stored in "
        f"`queries/{stored.name}.rq`, run with the service's time limit and row cap.",
    ]
    return "\n".join(lines)

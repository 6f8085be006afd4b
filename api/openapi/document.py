"""Completing the document FastAPI built with the contracts: each operation's answers, error
bodies, parameters, request body and security, and the JSON schemas they refer to."""

from __future__ import annotations

import copy
import json

from api.openapi.contracts import Contract
from api.openapi.responses import error_response
from api.openapi.schemas import SCHEMAS

SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "The admin token (BIOPLAN_ADMIN_TOKEN) writes anything; a province token "
    "(`bioplan token add --province <slug>`) writes only its province's graph.",
}


def _is_validation_422(response: dict) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").endswith("/HTTPValidationError")


def apply(document: dict, table: dict[tuple[str, str], Contract]) -> dict:
    """``document`` completed by the contracts of ``table`` (changed in place and returned)."""
    components = document.setdefault("components", {})
    components.setdefault("schemas", {}).update(copy.deepcopy(SCHEMAS))
    components.setdefault("securitySchemes", {})["bearer"] = SECURITY_SCHEME
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            contract = table.get((method, path))
            if contract is not None:
                _apply_one(operation, path, contract)
    # FastAPI's validation error bodies are never answered (api/errors.py makes them a 400).
    text = json.dumps(document["paths"])
    for name in ("HTTPValidationError", "ValidationError"):
        if f"#/components/schemas/{name}" not in text:
            components["schemas"].pop(name, None)
    return document


def _apply_one(operation: dict, path: str, contract: Contract) -> None:
    responses = operation.setdefault("responses", {})
    if "422" in responses and _is_validation_422(responses["422"]):
        del responses["422"]
    if contract.ok and 200 not in contract.ok:
        responses.pop("200", None)  # FastAPI's default answer, where the route answers 201, 204 or 303
    for status, (description, body, headers) in contract.ok.items():
        answer: dict[str, object] = {"description": description}
        if body:
            answer["content"] = body
        if headers:
            answer["headers"] = headers
        responses[str(status)] = answer
    for status in contract.errors:
        declared = responses.get(str(status), {})
        note = contract.notes.get(status) or declared.get("description")
        responses[str(status)] = error_response(status, note, path=path)
    parameters = operation.setdefault("parameters", [])
    for parameter in contract.parameters:
        key = (parameter["name"], parameter["in"])
        existing = next((p for p in parameters if (p["name"], p["in"]) == key), None)
        if existing is None:
            parameters.append(copy.deepcopy(parameter))
        else:
            existing.update(copy.deepcopy(parameter))
    if not parameters:
        del operation["parameters"]
    if contract.body is not None:
        body = operation.setdefault("requestBody", {"required": True, "content": {}})
        for name, value in contract.body.items():
            if name == "content":
                for media_type, media in value.items():
                    body["content"].setdefault(media_type, media)
            else:
                body[name] = value
    if contract.secured:
        operation["security"] = [{"bearer": []}]

"""The building blocks of the JSON schemas (api/openapi/schemas.py): a reference, an object
whose listed properties are required unless said otherwise, and the common scalar types."""

from __future__ import annotations


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict, *, required: list[str] | None = None, description: str | None = None) -> dict:
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
INTEGER = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
IRI = {"type": "string", "description": "An absolute IRI."}
STRINGS = {"type": "array", "items": STRING}
LANG = {"type": "string", "enum": ["vi", "en"], "description": "The language of the labels."}
DATE = {"type": "string", "description": "A date, YYYY-MM-DD."}
EXAMPLE_DATA = {"type": "boolean", "description": "Something shown comes from the made-up example reports."}

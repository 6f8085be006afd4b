"""Settings, declared once, read from BIOPLAN_* environment variables at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bioplan.namespaces import CANONICAL_BASE

CommaList = Annotated[tuple[str, ...], NoDecode]


class Settings(BaseSettings):
    """Every setting of the service and the CLI. The env var is BIOPLAN_ + the field name, upper case."""

    model_config = SettingsConfigDict(env_prefix="BIOPLAN_", extra="ignore", frozen=True)

    base_iri: str = Field(CANONICAL_BASE, description="Public base IRI of the dataset.")
    store: str = Field("var/store", description="Folder of the embedded store, or the URL of a remote SPARQL endpoint.")
    admin_token: SecretStr | None = Field(
        None, description="An admin bearer token accepted at start-up (writes anything)."
    )
    tokens_file: str = Field("var/tokens.json", description="Where `bioplan token add` keeps hashed province tokens.")
    cache_dir: str = Field(
        "var/cache",
        description="Folder of caches that may be deleted at any time (the SHACL query checks that passed).",
    )
    query_timeout_s: float = Field(10.0, gt=0, description="Time limit of one query, in seconds (503 past it).")
    max_rows: int = Field(10_000, gt=0, description="Result rows (or triples) returned at most; more is truncated.")
    max_body_bytes: int = Field(10 * 1024 * 1024, gt=0, description="Largest request body accepted (413 past it).")
    cors_origins: CommaList = Field(
        ("*",), description="Origins allowed by CORS, comma-separated (never with credentials)."
    )
    max_nesting: int = Field(
        500,
        gt=0,
        le=2000,
        description="Deepest nesting of brackets, braces or elements accepted in a query, update or body (400 past it).",
    )
    parse_timeout_s: float = Field(
        10.0, gt=0, description="Time limit of parsing one request body or checking one query's syntax, in seconds."
    )
    service_allowlist: CommaList = Field(
        (), description="SPARQL endpoints that SERVICE and LOAD may reach, comma-separated."
    )
    query_workers: int = Field(
        2,
        gt=0,
        description=(
            "General lanes (threads) of the embedded store's query process, which any query takes; "
            "it has 2 more, reserved for clients not known to run long queries, one each."
        ),
    )
    update_url: str | None = Field(
        None, description="SPARQL Update endpoint of a remote store (default: derived from BIOPLAN_STORE)."
    )
    graph_store_url: str | None = Field(
        None, description="Graph Store Protocol endpoint of a remote store (default: derived from BIOPLAN_STORE)."
    )
    remote_union_default_graph: str = Field(
        "parameter:union-default-graph",
        description=(
            "How a remote store is asked for the union of all graphs as the default graph: "
            "parameter:<name> (Oxigraph server), graph:<iri> (Fuseki: graph:urn:x-arq:UnionGraph), "
            "or native (Virtuoso, GraphDB, QLever: the default graph already is the union)."
        ),
    )
    remote_dialect: str = Field(
        "auto",
        description=(
            "What a remote store does its own way (bioplan.store.dialects): generic, virtuoso, "
            "or auto (chosen by the Server header of the endpoint's first answer)."
        ),
    )
    remote_timeout_s: float = Field(
        120.0, gt=0, description="Time limit of one request to a remote store, in seconds (loads included)."
    )
    access_log: bool = Field(
        True,
        description="Log every request (uvicorn's access log, on standard output); /metrics counts them either way.",
    )
    client_concurrency: int = Field(
        8,
        ge=0,
        description="Requests one client (peer address) may have in progress at once on the query routes "
        "(/sparql, /queries/..., /search); more: 429. 0: no limit.",
    )
    client_rate: float = Field(
        0.0,
        ge=0,
        description="Requests per second one client may send on the query routes, on average (a token bucket); "
        "past it: 429 with Retry-After. 0: no limit.",
    )
    client_burst: int = Field(
        20, gt=0, description="Requests one client may send at once before BIOPLAN_CLIENT_RATE applies."
    )
    session_hours: float = Field(
        8.0,
        gt=0,
        le=24 * 30,
        description="How long a browser session (signed in at /sign-in with a province token) lasts, in hours.",
    )

    @field_validator("cors_origins", "service_allowlist", mode="before")
    @classmethod
    def _split_commas(cls, value):
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @property
    def remote(self) -> bool:
        return self.store.startswith(("http://", "https://"))


def store_path(settings: Settings, override: str | Path | None = None) -> Path:
    return Path(override) if override is not None else Path(settings.store)

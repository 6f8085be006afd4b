"""Settings, declared once, read from BIOPLAN_* environment variables at start-up."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bioplan.namespaces import CANONICAL_BASE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BIOPLAN_", extra="ignore")

    base_iri: str = Field(CANONICAL_BASE, description="Public base IRI of the dataset.")
    store: str = Field("var/store", description="Folder of the embedded store (or a SPARQL endpoint URL).")


def store_path(settings: Settings, override: str | Path | None = None) -> Path:
    return Path(override) if override is not None else Path(settings.store)

"""Placeholder: filled in by the linked-data work (issue 4)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()

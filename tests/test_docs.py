"""Docs that cannot drift: every setting and every CLI command is in the README."""

from __future__ import annotations

import pytest

from bioplan import layout
from bioplan.cli import add_plugin_commands, app
from bioplan.settings import Settings

README = (layout.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_setting_is_documented(name):
    assert f"`BIOPLAN_{name.upper()}`" in README


@pytest.mark.parametrize("command", sorted(c.name for c in add_plugin_commands(app).registered_commands if c.name))
def test_cli_command_is_documented(command):
    assert f"bioplan {command}" in README


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert "make serve" in first_block and "make test" in first_block

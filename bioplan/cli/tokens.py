"""`bioplan token`: issue, list and revoke province write tokens.

A token is printed once, when it is issued, and only its SHA-256 hash is kept (in
BIOPLAN_TOKENS_FILE). A running server re-reads the file when it changes: no restart needed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bioplan.settings import Settings
from bioplan.writes.auth import TokenFile

token_app = typer.Typer(help="Province write tokens: issue, list, revoke.", no_args_is_help=True)
err = Console(stderr=True)

TokensFileOpt = Annotated[
    Path | None,
    typer.Option("--tokens-file", help="The hashed tokens file (default: BIOPLAN_TOKENS_FILE or var/tokens.json)."),
]


def _tokens(path: Path | None) -> TokenFile:
    return TokenFile(path if path is not None else Settings().tokens_file)


@token_app.command("add")
def add_command(
    province: Annotated[
        str, typer.Option("--province", help="Slug of the province graph it may write, e.g. quang-ngai.")
    ],
    name: Annotated[
        str | None, typer.Option("--name", help="A name for the token, recorded with every write (default: the slug).")
    ] = None,
    tokens_file: TokensFileOpt = None,
) -> None:
    """Issue a token for one province; it is printed once and stored only as a hash."""
    tokens = _tokens(tokens_file)
    try:
        record, token = tokens.add(province, name)
    except ValueError as error:
        err.print(f"[bold red]{error}[/]", highlight=False)
        raise typer.Exit(1) from None
    sys.stdout.write(token + "\n")
    err.print(
        f"token {record.name!r} may write graph/{record.province}; it is shown only now (stored hashed in {tokens.path})",
        highlight=False,
    )


@token_app.command("list")
def list_command(tokens_file: TokensFileOpt = None) -> None:
    """The issued tokens: name, province, date (never the tokens, which are not kept)."""
    for record in _tokens(tokens_file).read():
        sys.stdout.write(f"{record.name}\t{record.province}\t{record.created}\n")


@token_app.command("remove")
def remove_command(
    name: Annotated[str, typer.Argument(help="The token's name.")], tokens_file: TokensFileOpt = None
) -> None:
    """Revoke a token: it stops working at the next request."""
    if not _tokens(tokens_file).remove(name):
        err.print(f"[bold red]no token named {name!r}[/]", highlight=False)
        raise typer.Exit(1)
    err.print(f"removed {name!r}", highlight=False)

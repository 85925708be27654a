"""The review commands of `newsledger` (`user add/list/disable/token`): thin click wrappers over
`review.accounts` and `store.reviews`, added to the main group by cli.py."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from newsledger.errors import NewsledgerError
from newsledger.review import accounts
from newsledger.store import open_ledger, reviews
from newsledger.store.reviews import ReviewError

DB_OPTION = click.option(
    "--db",
    envvar="NEWSLEDGER_DB",
    default="newsledger.db",
    show_default=True,
    help="Ledger: a SQLite file path or URL, or a postgresql:// URL (default from $NEWSLEDGER_DB).",
)
FIRST_ACCOUNT = "newsledger user add NAME --role admin"
"""How the operator creates the first account (`make run` and `serve` print it)."""


@click.group("user")
def user() -> None:
    """Accounts for the web app and API: viewers read, reviewers and admins review and write."""


@user.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(reviews.ROLES),
    default="reviewer",
    show_default=True,
    help="viewer: reads (also with `serve --private`); reviewer: reviews; admin: also ingests.",
)
@DB_OPTION
def user_add(name: str, role: str, db: str) -> None:
    """Create account NAME; prints its password and API token once (only hashes are kept)."""
    try:
        with open_ledger(db) as ledger:
            made = accounts.add_user(ledger, name, role)
    except (NewsledgerError, ReviewError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"account {made.name} ({made.role}) created in {db}")
    click.echo(f"password: {made.password}")
    click.echo(f"token:    {made.token}")
    click.echo("they are shown once: keep them now (newsledger user token NAME makes a new token)")


@user.command("list")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def user_list(db: str, fmt: str) -> None:
    """List the accounts: name, role, whether disabled, created."""
    try:
        with open_ledger(db) as ledger:
            found = reviews.list_accounts(ledger)
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps([a.to_dict() for a in found], indent=2))
        return
    table = Table(title=f"accounts: {db}")
    for column in ("name", "role", "disabled", "created"):
        table.add_column(column)
    for account in found:
        table.add_row(
            account.name, account.role, "yes" if account.disabled else "", account.created_at
        )
    Console(width=100).print(table)


@user.command("disable")
@click.argument("name")
@DB_OPTION
@click.option("--enable", is_flag=True, help="Enable the account again instead.")
def user_disable(name: str, db: str, enable: bool) -> None:
    """Disable account NAME: its password, token and sessions stop working at once."""
    try:
        with open_ledger(db) as ledger:
            reviews.set_disabled(ledger, name, not enable)
    except (NewsledgerError, ReviewError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"account {name} {'enabled' if enable else 'disabled'}")


@user.command("token")
@click.argument("name")
@DB_OPTION
@click.option("--password", is_flag=True, help="Make a new password instead of a new token.")
def user_token(name: str, db: str, password: bool) -> None:
    """Make a new API token (or password) for NAME; the old one stops working."""
    try:
        with open_ledger(db) as ledger:
            if password:
                click.echo(f"password: {accounts.new_user_password(ledger, name)}")
            else:
                click.echo(f"token: {accounts.new_user_token(ledger, name)}")
    except (NewsledgerError, ReviewError) as exc:
        raise click.ClickException(str(exc)) from exc

"""Accounts and review figures: `user add/list/disable/token/log` (thin wrappers over
`review.accounts` and `store.accounts`) and `quality` (the share right from reviewed records)."""

from __future__ import annotations

import json

import click

from newsledger.cli.common import DB_OPTION
from newsledger.errors import NewsledgerError
from newsledger.records import ACCOUNT_ROLES


@click.group("user")
def user() -> None:
    """Accounts for the web app and API: viewers read, reviewers and admins review and write."""


@user.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(ACCOUNT_ROLES),
    default="reviewer",
    show_default=True,
    help="viewer: reads (also with `serve --private`); reviewer: reviews; admin: also ingests.",
)
@DB_OPTION
def user_add(name: str, role: str, db: str) -> None:
    """Create account NAME; prints its password and API token once (only hashes are kept)."""
    from newsledger.review import accounts
    from newsledger.store import open_ledger
    from newsledger.store.reviews import ReviewError

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
    from rich.console import Console
    from rich.table import Table

    from newsledger.store import accounts as store_accounts
    from newsledger.store import open_ledger

    try:
        with open_ledger(db) as ledger:
            found = store_accounts.list_accounts(ledger)
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
    from newsledger.store import accounts as store_accounts
    from newsledger.store import open_ledger
    from newsledger.store.reviews import ReviewError

    try:
        with open_ledger(db) as ledger:
            store_accounts.set_disabled(ledger, name, not enable)
    except (NewsledgerError, ReviewError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"account {name} {'enabled' if enable else 'disabled'}")


@user.command("token")
@click.argument("name")
@DB_OPTION
@click.option("--password", is_flag=True, help="Make a new password instead of a new token.")
def user_token(name: str, db: str, password: bool) -> None:
    """Make a new API token (or password) for NAME; the old one stops working."""
    from newsledger.review import accounts
    from newsledger.store import open_ledger
    from newsledger.store.reviews import ReviewError

    try:
        with open_ledger(db) as ledger:
            if password:
                click.echo(f"password: {accounts.new_user_password(ledger, name)}")
            else:
                click.echo(f"token: {accounts.new_user_token(ledger, name)}")
    except (NewsledgerError, ReviewError) as exc:
        raise click.ClickException(str(exc)) from exc


@user.command("log")
@DB_OPTION
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def user_log(db: str, limit: int, fmt: str) -> None:
    """The audit log, newest first: logins, account changes, ingest over HTTP (reviews have
    their own history on each record)."""
    from rich.console import Console
    from rich.table import Table

    from newsledger.store import accounts as store_accounts
    from newsledger.store import open_ledger

    try:
        with open_ledger(db) as ledger:
            lines = store_accounts.audit_log(ledger, limit)
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(lines, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"audit log: {db}")
    for column in ("at", "account", "action", "detail"):
        table.add_column(column)
    for line in lines:
        table.add_row(line["at"], line["account"], line["action"], line["detail"])
    Console(width=120).print(table)


@click.command("quality")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--by", type=click.Choice(["all", "source", "country"]), default="all")
def quality(db: str, fmt: str, by: str) -> None:
    """The share right per field from reviewed records, with a 95 % interval and the count."""
    from rich.console import Console
    from rich.table import Table

    from newsledger.review.quality import quality as review_quality
    from newsledger.store import open_ledger

    try:
        with open_ledger(db) as ledger:
            figures = review_quality(ledger)
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    groups = {"all": {"all reviewed": figures["fields"]}}
    groups["source"] = figures["by_source"]
    groups["country"] = figures["by_country"]
    console = Console(width=100)
    for name, rows in groups[by].items():
        table = Table(title=f"{name or '(none)'}: share right (95 % interval)")
        for column in ("kind", "field", "right", "n", "share", "95 % interval"):
            table.add_column(column)
        for row in rows:
            share = "-" if row["share"] is None else f"{row['share']:.2f}"
            span = f"{row['low']:.2f}-{row['high']:.2f}"
            table.add_row(row["kind"], row["field"], str(row["right"]), str(row["n"]), share, span)
        console.print(table)
    if not figures["fields"]:
        click.echo("no reviewed records yet: review some at /review (newsledger serve)")

"""``mailflow web`` (serve the review UI) and ``mailflow users …`` (manage who
may sign in), added at the top level by ``mailflow/cli/__init__.py``. The web
stack and ``mailflow.cli`` itself are imported only when a command runs: the
CLI starts as fast as before, and importing this module first cannot loop."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mailflow.db.models import User

app = typer.Typer(no_args_is_help=True)
users_app = typer.Typer(help="People who sign in to the review UI.", no_args_is_help=True)
app.add_typer(users_app, name="users")

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="TOML config file (default: $MAILFLOW_CONFIG or config/mailflow.toml).",
    ),
]
PasswordFile = Annotated[
    Path | None,
    typer.Option("--password-file", help="Read the password from this file instead of a prompt."),
]


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _password(path: Path | None) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    text: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return text


@app.command()
def web(
    host: Annotated[str | None, typer.Option(help="Address to listen on ([web].host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on ([web].port).")] = None,
    config: ConfigOption = None,
) -> None:
    """Serve the clerks' review UI (without the rest of the service)."""
    import uvicorn

    from mailflow.cli.common import handled, open_app
    from mailflow.web import WebOptions, create_app

    application = open_app(config)
    settings = application.settings.web
    with handled():
        options = WebOptions.from_settings(settings)
        asgi = create_app(application.settings, app=application, options=options)
    bound_host, bound_port = host or settings.host, port or settings.port
    typer.echo(f"Mailflow review UI on http://{bound_host}:{bound_port}/")
    # log_config=None: uvicorn logs through the logging that the CLI set up.
    uvicorn.run(asgi, host=bound_host, port=bound_port, log_config=None, proxy_headers=True)


def _in_transaction(config: Path | None, work: Callable[[Session, str], User]) -> User:
    """Run ``work(session, actor)`` in one transaction; account errors end the command."""
    from mailflow.cli.common import fail, open_app
    from mailflow.db.session import transaction
    from mailflow.web.accounts import AccountError

    application = open_app(config)
    try:
        with transaction(application.factory) as session:
            return work(session, _actor())
    except AccountError as exc:
        raise fail(str(exc)) from None
    finally:
        application.close()


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="clerk, supervisor or admin.")] = "clerk",
    display_name: Annotated[str, typer.Option(help="Shown in the UI.")] = "",
    password_file: PasswordFile = None,
    config: ConfigOption = None,
) -> None:
    """Add a user (the password is asked for, or read from --password-file)."""
    from mailflow.cli.common import fail
    from mailflow.web import accounts

    if role not in set(accounts.Role):
        raise fail(f"role must be one of {', '.join(accounts.Role)}", 2)
    password = _password(password_file)

    added = _in_transaction(
        config,
        lambda session, actor: accounts.add_user(
            session, name, password, role=role, actor=actor, display_name=display_name
        ),
    )
    typer.echo(f"user {added.username} added as {role}")


@users_app.command("list")
def users_list(config: ConfigOption = None) -> None:
    """List users with their role and whether they may sign in."""
    from mailflow.cli.common import open_app
    from mailflow.web.accounts import all_users

    application = open_app(config)
    with application.factory() as session:
        for user in all_users(session):
            state = "active" if user.active else "disabled"
            typer.echo(f"{user.username}\t{user.role}\t{state}\t{user.display_name}")
    application.close()


@users_app.command("passwd")
def users_passwd(
    name: str, password_file: PasswordFile = None, config: ConfigOption = None
) -> None:
    """Set a user's password."""
    password = _password(password_file)
    from mailflow.web import accounts

    changed = _in_transaction(
        config, lambda session, actor: accounts.set_password(session, name, password, actor=actor)
    )
    typer.echo(f"password of {changed.username} changed")


@users_app.command("disable")
def users_disable(name: str, config: ConfigOption = None) -> None:
    """Stop a user from signing in and end their sessions."""
    from mailflow.web import accounts

    disabled = _in_transaction(
        config, lambda session, actor: accounts.set_active(session, name, active=False, actor=actor)
    )
    typer.echo(f"user {disabled.username} disabled")


@users_app.command("enable")
def users_enable(name: str, config: ConfigOption = None) -> None:
    """Let a disabled user sign in again."""
    from mailflow.web import accounts

    enabled = _in_transaction(
        config, lambda session, actor: accounts.set_active(session, name, active=True, actor=actor)
    )
    typer.echo(f"user {enabled.username} enabled")

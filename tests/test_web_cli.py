"""``mailflow users …``: adding, listing, changing and disabling users."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from mailflow.app import App
from mailflow.webcli import app as webcli
from tests.conftest import REPO, base_sections
from tests.helpers import write_config
from tests.web_support import client_for, sign_in


def run(*args: str, config: Path, prompt: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(webcli, [*args, "--config", str(config)], input=prompt)
    return result.exit_code, result.output


def test_users_add_list_passwd_disable(tmp_path: Path) -> None:
    config = write_config(tmp_path / "mailflow.toml", base_sections(tmp_path))
    secret = tmp_path / "pw"
    secret.write_text("a long first password\n", encoding="utf-8")
    # WHEN an operator adds a supervisor from a password file and a clerk at the prompt
    assert run("users", "add", "Sam", "--role", "supervisor", "--password-file", str(secret),
               config=config)[0] == 0  # fmt: skip
    code, output = run("users", "add", "anna", config=config, prompt="typed password\n" * 2)
    assert code == 0 and "user anna added as clerk" in output
    # THEN both are listed, names lower-cased
    listed = run("users", "list", config=config)[1]
    assert "sam\tsupervisor\tactive" in listed and "anna\tclerk\tactive" in listed
    # AND a new password and disabling take effect
    secret.write_text("a long second password", encoding="utf-8")
    assert run("users", "passwd", "sam", "--password-file", str(secret), config=config)[0] == 0
    assert run("users", "disable", "anna", config=config)[0] == 0
    assert "anna\tclerk\tdisabled" in run("users", "list", config=config)[1]


def test_users_add_refuses_a_bad_role_or_short_password(tmp_path: Path) -> None:
    config = write_config(tmp_path / "mailflow.toml", base_sections(tmp_path))
    code, output = run("users", "add", "x1", "--role", "boss", config=config)
    assert code == 2 and "role must be one of" in output
    code, output = run("users", "add", "x2", config=config, prompt="short\nshort\n")
    assert code == 1 and "at least 10 characters" in output


def test_a_user_added_on_the_command_line_signs_in(tmp_path: Path, app: App) -> None:
    sections = base_sections(tmp_path)
    config = write_config(tmp_path / "cli.toml", sections)
    secret = tmp_path / "pw"
    secret.write_text("the right password", encoding="utf-8")
    run("users", "add", "anna", "--password-file", str(secret), config=config)
    with client_for(app) as client:
        assert sign_in(client, "anna", "the right password").status_code == 303


def test_web_command_is_offered(tmp_path: Path) -> None:
    result = CliRunner().invoke(webcli, ["web", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "--host" in result.output
    assert REPO.exists()

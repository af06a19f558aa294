"""Configuration: documented defaults, environment overrides, secrets, and a
one-line error with exit code 2 for anything wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mailflow.config import InboxKind, load_settings
from mailflow.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailflow", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
        check=False,
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mailflow.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_loads_with_documented_defaults() -> None:
    settings = load_settings(REPO / "config/mailflow.toml")
    assert settings.inbox.kind is InboxKind.MAILDIR
    assert settings.database.url.startswith("sqlite:///")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[inbox\nkind = 'imap'", "TOML syntax error"),
        ("[inbox]\nkindd = 'imap'\n", "unknown setting 'inbox.kindd'"),
        ("[inbox]\nport = 'nine'\n", "setting 'inbox.port'"),
        ("[inbox]\nkind = 'pop3'\n", "setting 'inbox.kind'"),
        ("[inbox]\nkind = 'imap'\n", "missing required setting 'inbox.username'"),
        ("[nonsense]\nx = 1\n", "unknown setting 'nonsense'"),
    ],
)
def test_bad_config_stops_with_exit_2_and_one_line_naming_the_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    # GIVEN a config file with a mistake
    path = write(tmp_path, text)
    # WHEN any command starts with it
    result = run_cli("db", "upgrade", "--config", str(path))
    # THEN it stops with exit code 2 and one line that names the problem
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    result = run_cli("drafts", "--config", str(tmp_path / "absent.toml"))
    assert result.returncode == 2
    assert "config file not found" in result.stderr


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[inbox]\nhost = 'file.example'\nport = 143\n")
    monkeypatch.setenv("MAILFLOW_INBOX__HOST", "env.example")
    settings = load_settings(path)
    assert settings.inbox.host == "env.example"
    assert settings.inbox.port == 143


def test_bad_environment_value_names_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILFLOW_SMTP__PORT", "many")
    with pytest.raises(ConfigError, match=r"smtp\.port"):
        load_settings(write(tmp_path, ""))


def test_secret_comes_from_a_file_and_is_never_shown(tmp_path: Path) -> None:
    secret = tmp_path / "imap_password"
    secret.write_text("s3cret-value\n", encoding="utf-8")
    path = write(
        tmp_path,
        f"[inbox]\nkind='imap'\nusername='orders'\npassword_file='{secret}'\n",
    )
    settings = load_settings(path)
    assert settings.inbox.secret() == "s3cret-value"
    assert "s3cret-value" not in repr(settings)


def test_secret_in_environment_is_masked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILFLOW_SMTP__PASSWORD", "hunter2")
    settings = load_settings(write(tmp_path, ""))
    assert settings.smtp.secret() == "hunter2"
    assert "hunter2" not in str(settings.model_dump())

"""Typed settings: one TOML file with documented defaults, overridable by
``MAILFLOW_…`` environment variables (nested keys joined by ``__``, e.g.
``MAILFLOW_INBOX__HOST``). Secrets come from the environment or a file and are
kept as ``SecretStr`` so that they are never logged.

Settings are built once at start-up by :func:`load_settings` and passed down.
"""

from __future__ import annotations

import os
import tomllib
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from mailflow.errors import ConfigError

DEFAULT_CONFIG = Path("config/mailflow.toml")
CONFIG_ENV = "MAILFLOW_CONFIG"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Security(StrEnum):
    TLS = "tls"
    STARTTLS = "starttls"
    PLAIN = "plain"


class InboxKind(StrEnum):
    MAILDIR = "maildir"
    IMAP = "imap"


class MarkAction(StrEnum):
    SEEN = "seen"
    KEYWORD = "keyword"
    MOVE = "move"


class SenderKind(StrEnum):
    FILE = "file"
    SMTP = "smtp"


def read_secret(value: SecretStr | None, path: Path | None) -> str | None:
    """The secret given directly, else the stripped content of its file."""
    if value is not None:
        return value.get_secret_value()
    if path is not None:
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"cannot read secret file {path}: {exc.strerror}") from exc
    return None


class DatabaseSettings(_Section):
    url: str = "sqlite:///var/mailflow.db"
    echo: bool = False


class InboxSettings(_Section):
    kind: InboxKind = InboxKind.MAILDIR
    account: str = "orders"
    path: Path = Path("var/inbox")
    host: str = "127.0.0.1"
    port: int = Field(default=993, ge=1, le=65535)
    security: Security = Security.TLS
    verify_tls: bool = True
    username: str = ""
    password: SecretStr | None = None
    password_file: Path | None = None
    folders: list[str] = Field(default_factory=lambda: ["INBOX"])
    mark: MarkAction = MarkAction.SEEN
    keyword: str = "$MailflowDone"
    move_to: str = "Processed"
    idle: bool = True
    idle_seconds: int = Field(default=300, ge=5, le=1740)
    poll_seconds: int = Field(default=60, ge=1)
    batch_size: int = Field(default=50, ge=1, le=1000)
    max_message_bytes: int = Field(default=25_000_000, ge=1024)
    sent_folder: str = "Sent"
    timeout_seconds: float = Field(default=30.0, gt=0)

    def secret(self) -> str | None:
        return read_secret(self.password, self.password_file)


class SmtpSettings(_Section):
    kind: SenderKind = SenderKind.FILE
    out_dir: Path = Path("var/sent")
    host: str = "127.0.0.1"
    port: int = Field(default=587, ge=1, le=65535)
    security: Security = Security.STARTTLS
    verify_tls: bool = True
    username: str = ""
    password: SecretStr | None = None
    password_file: Path | None = None
    timeout_seconds: float = Field(default=30.0, gt=0)
    max_attempts: int = Field(default=8, ge=1)
    backoff_seconds: float = Field(default=30.0, ge=0)
    backoff_max_seconds: float = Field(default=3600.0, ge=0)
    claim_lease_seconds: float = Field(default=300.0, gt=0)

    def secret(self) -> str | None:
        return read_secret(self.password, self.password_file)


class DeskSettings(_Section):
    name: str = "Harbor Industrial Supply"
    address: str = "orders@harbor-supply.example"
    message_id_domain: str = "harbor-supply.example"
    language: str = "en"
    own_addresses: list[str] = Field(default_factory=list)


class DataSettings(_Section):
    catalog: Path = Path("config/demo/catalog.csv")
    customers: Path = Path("config/demo/customers.csv")
    promotions: Path = Path("config/demo/promotions.csv")
    holidays: Path = Path("config/demo/holidays.csv")


class ConversationSettings(_Section):
    max_replies_per_sender_per_hour: int = Field(default=5, ge=1)
    reminder_after_working_hours: float = Field(default=16.0, gt=0)
    max_reminders: int = Field(default=2, ge=0)
    working_day_start_hour: int = Field(default=9, ge=0, le=23)
    working_day_end_hour: int = Field(default=17, ge=1, le=24)
    timezone: str = "Europe/London"
    holiday_country: str = "GB"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class ApprovalSettings(_Section):
    auto_send: bool = False


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


class ExportSettings(_Section):
    dir: Path = Path("var/exports")
    formats: list[ExportFormat] = Field(default_factory=lambda: [ExportFormat.JSON])
    webhook_url: str = ""
    webhook_secret: SecretStr | None = None
    webhook_secret_file: Path | None = None
    timeout_seconds: float = Field(default=15.0, gt=0)
    max_attempts: int = Field(default=20, ge=1)
    backoff_seconds: float = Field(default=30.0, ge=0)
    backoff_max_seconds: float = Field(default=3600.0, ge=0)

    def secret(self) -> str | None:
        return read_secret(self.webhook_secret, self.webhook_secret_file)


class TemplateSettings(_Section):
    dir: Path = Path("templates")


class WebSettings(_Section):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    secure_cookies: bool | None = None
    session_hours: float = Field(default=12.0, gt=0)
    max_failures_per_user: int = Field(default=5, ge=1)
    max_failures_per_address: int = Field(default=20, ge=1)
    failure_window_minutes: int = Field(default=15, ge=1)
    approval_sla_minutes: int = Field(default=60, ge=1)
    dashboard_days: int = Field(default=14, ge=1)
    api_token: SecretStr | None = None
    api_token_file: Path | None = None

    def token(self) -> str | None:
        return read_secret(self.api_token, self.api_token_file)


class LogSettings(_Section):
    level: str = Field(default="INFO", pattern="^(DEBUG|INFO|WARNING|ERROR)$")
    json_format: bool = False


class ChecksSettings(_Section):
    """The order-confirmation standard's knobs: severities, limits and windows."""

    # Every finding code the checks in mailflow/validate/ can raise; a
    # severity override for any other name is a typo and stops start-up.
    CODES: ClassVar[frozenset[str]] = frozenset(
        {
            "no_lines",
            "unknown_product",
            "ambiguous_product",
            "inactive_product",
            "invalid_quantity",
            "below_moq",
            "pack_multiple",
            "out_of_stock",
            "insufficient_stock",
            "price_mismatch",
            "promotion_applied",
            "date_in_past",
            "date_too_soon",
            "date_non_working_day",
            "date_missing",
            "unknown_customer",
            "credit_hold",
            "address_incomplete",
            "address_invalid_postcode",
            "address_changed",
            "duplicate_order",
            "approval_required",
            "sender_unverified",
        }
    )

    severities: dict[str, Literal["error", "warning", "info"]] = Field(default_factory=dict)
    hold_codes: list[str] = Field(
        default_factory=lambda: ["sender_unverified", "duplicate_order", "unknown_customer"]
    )
    approval_limit: Decimal = Field(default=Decimal(10000), ge=0)  # 0: off
    approval_currency: str = "USD"
    duplicate_po_days: int = Field(default=90, ge=0)
    duplicate_lines_minutes: int = Field(default=30, ge=0)
    price_tolerance: Decimal = Field(default=Decimal("0.01"), ge=0)
    default_price_tier: str = "standard"
    min_lead_days: int = Field(default=1, ge=0)
    trusted_authserv_ids: list[str] = Field(default_factory=list)
    require_authentication: bool = False
    suggestions: int = Field(default=3, ge=1, le=10)
    suggestion_cutoff: int = Field(default=70, ge=0, le=100)

    @field_validator("severities", "hold_codes")
    @classmethod
    def _known_codes(cls, value: Any) -> Any:
        unknown = sorted(set(value) - cls.CODES)
        if unknown:
            raise ValueError(f"unknown finding code(s): {', '.join(unknown)}")
        return value


class Settings(BaseSettings):
    """Every setting of Mailflow; see ``config/mailflow.toml`` for the documentation."""

    model_config = SettingsConfigDict(
        env_prefix="MAILFLOW_",
        env_nested_delimiter="__",
        extra="forbid",
        case_sensitive=False,
    )

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    inbox: InboxSettings = Field(default_factory=InboxSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    desk: DeskSettings = Field(default_factory=DeskSettings)
    data: DataSettings = Field(default_factory=DataSettings)
    approval: ApprovalSettings = Field(default_factory=ApprovalSettings)
    conversation: ConversationSettings = Field(default_factory=ConversationSettings)
    export: ExportSettings = Field(default_factory=ExportSettings)
    templates: TemplateSettings = Field(default_factory=TemplateSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    checks: ChecksSettings = Field(default_factory=ChecksSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file arrives as init arguments (see load_settings), and the
        # environment wins over it, as operators expect.
        return (env_settings, init_settings)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML syntax error: {exc}") from exc


def _describe(error: ValidationError, path: Path | None) -> str:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(root)"
    where = f"{path}: " if path else ""
    kind = first["type"]
    if kind == "extra_forbidden":
        return f"{where}unknown setting '{key}'"
    if kind == "missing":
        return f"{where}missing required setting '{key}'"
    got = first.get("input")
    shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
    return f"{where}setting '{key}': {first['msg']}{shown}"


def config_path(explicit: Path | None) -> Path | None:
    """The config file to read: the explicit one, $MAILFLOW_CONFIG, or the default if present."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env)
    return DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings from the TOML file, the environment and ``overrides``.

    Raises ``ConfigError`` with one line naming the offending key.
    """
    chosen = config_path(path)
    data: dict[str, Any] = _read_toml(chosen) if chosen is not None else {}
    for section, values in overrides.items():
        if isinstance(values, dict) and isinstance(data.get(section), dict):
            data[section] = {**data[section], **values}
        else:
            data[section] = values
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, chosen)) from None
    _check_required(settings)
    return settings


def _check_required(settings: Settings) -> None:
    inbox = settings.inbox
    if inbox.kind is InboxKind.IMAP and not inbox.username:
        raise ConfigError("missing required setting 'inbox.username' (inbox.kind is 'imap')")
    if inbox.mark is MarkAction.MOVE and not inbox.move_to:
        raise ConfigError("missing required setting 'inbox.move_to' (inbox.mark is 'move')")

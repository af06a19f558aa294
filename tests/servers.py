"""Real mail servers for integration tests: Dovecot (IMAP) and aiosmtpd (SMTP).

Load as a plugin (``pytest_plugins = ["tests.servers"]``). Fixtures:

- ``dovecot``: an ``ImapAccount`` of its own on a Dovecot that runs once per
  session. Starting Dovecot costs a fraction of a second, so the process is
  shared, but every test gets a new user name, and with it an empty INBOX and
  fresh UIDVALIDITYs, with no cleanup between tests. (A static passdb accepts
  any name with the session's password: Dovecot re-reads a passwd-file at most
  once a second, too seldom for a user per test.) The server speaks plain IMAP
  with STARTTLS on ``port`` and implicit TLS on ``tls_port``, with a self-signed
  certificate for 127.0.0.1 (``cafile``); both are None when no ``openssl`` CLI
  was there to make one.
- ``dovecot_without_move``: the same on a second Dovecot that does not advertise
  the MOVE capability, for the COPY + EXPUNGE path.
- ``smtp_server``: a ``SmtpServer`` (aiosmtpd in a thread) per test that records
  what it accepts and gives injected failures on request.

Dovecot needs root here (its mail processes run as the ``mail`` user). When it
cannot run, the tests skip, unless ``MAILFLOW_REQUIRE_SERVERS=1`` makes that a
failure (set it in CI, so that a skipped suite never passes for a green one).
"""

from __future__ import annotations

import email
import email.policy
import itertools
import os
import pwd
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from imapclient import IMAPClient
from pydantic import SecretStr

from mailflow.config import InboxSettings, Security, SenderKind, SmtpSettings

HOST = "127.0.0.1"
REQUIRE_ENV = "MAILFLOW_REQUIRE_SERVERS"
DOVECOT_PATHS = ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot")
# Dovecot's CAPABILITY after login, minus MOVE (2.3 has no "-MOVE" syntax).
CAPABILITIES_WITHOUT_MOVE = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT THREAD=REFERENCES "
    "MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 "
    "CONDSTORE QRESYNC ESEARCH SEARCHRES WITHIN LIST-STATUS BINARY LITERAL+"
)


def unavailable(reason: str) -> NoReturn:
    """Skip the test, or fail it when the servers are required."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} (and {REQUIRE_ENV}=1)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# -- TLS ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TlsFiles:
    cert: Path  # self-signed, so it is its own CA file
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_certificate(directory: Path) -> TlsFiles | None:
    """A self-signed certificate for 127.0.0.1 and localhost, or None without openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    files = TlsFiles(directory / "cert.pem", directory / "key.pem")
    command = [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt"]
    command += ["ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost"]
    command += ["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
    command += ["-keyout", str(files.key), "-out", str(files.cert)]
    done = subprocess.run(command, capture_output=True, check=False)
    return files if done.returncode == 0 else None


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles | None:
    return make_certificate(tmp_path_factory.mktemp("tls"))


# -- Dovecot --------------------------------------------------------------------------

DOVECOT_CONF = """\
protocols = imap
listen = {host}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = {uid}
last_valid_uid = {uid}
mail_location = maildir:~/Maildir
mailbox_idle_check_interval = 1 secs
{ssl}
{capability}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
# No growing delay for an address that failed to log in: the wrong-password
# test would slow down every login after it.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {tls_port}
  }}
}}
"""


def dovecot_binary() -> str | None:
    found = shutil.which("dovecot")
    return found or next((path for path in DOVECOT_PATHS if os.access(path, os.X_OK)), None)


class DovecotProcess:
    """``dovecot -F`` on loopback ports, with everything in a throwaway directory."""

    def __init__(self, binary: str, *, tls: TlsFiles | None, capability: str | None) -> None:
        mail = pwd.getpwnam("mail")
        # Not pytest's tmp_path: its parents are private to root, and the mail
        # processes run as "mail" and must reach their home directories.
        self.root = Path(tempfile.mkdtemp(prefix="mailflow-dovecot-"))
        self.root.chmod(0o755)
        self.port = free_port()
        self.tls_port = free_port() if tls else None
        self.cafile = tls.cert if tls else None
        self.config = self.root / "dovecot.conf"
        self._users = itertools.count(1)
        self.password = f"pw-{os.urandom(6).hex()}"
        self._write_config(mail, tls=tls, capability=capability)
        # Configuration errors go to stderr, before the log file is open.
        with (self.root / "dovecot.stderr").open("wb") as stderr:
            self._proc = subprocess.Popen([binary, "-F", "-c", str(self.config)], stderr=stderr)
        self._wait_ready()

    def _write_config(
        self, mail: pwd.struct_passwd, *, tls: TlsFiles | None, capability: str | None
    ) -> None:
        for name in ("run", "state", "home"):
            (self.root / name).mkdir()
        os.chown(self.root / "home", mail.pw_uid, mail.pw_gid)
        ssl_lines = (
            f"ssl = yes\nssl_cert = <{tls.cert}\nssl_key = <{tls.key}" if tls else "ssl = no"
        )
        conf = DOVECOT_CONF.format(
            host=HOST,
            root=self.root,
            password=self.password,
            uid=mail.pw_uid,
            gid=mail.pw_gid,
            port=self.port,
            tls_port=self.tls_port or 0,
            ssl=ssl_lines,
            capability=f"imap_capability = {capability}" if capability else "",
        )
        self.config.write_text(conf)

    def _wait_ready(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                break
            if _greets(self.port):
                return
            time.sleep(0.05)
        log = self.log()
        self.stop()
        pytest.fail(f"Dovecot did not start:\n{log}")

    def log(self) -> str:
        paths = [self.root / "dovecot.stderr", self.root / "dovecot.log"]
        text = "".join(path.read_text(errors="replace") for path in paths if path.exists())
        return text[-4000:]

    def add_user(self) -> tuple[str, str]:
        """A new user with an empty mailbox: (name, password)."""
        return f"clerk{next(self._users)}", self.password

    def stop(self) -> None:
        self._proc.terminate()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def _greets(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as conn:
            return conn.recv(100).startswith(b"* OK")
    except OSError:
        return False


def _start_dovecot(tls: TlsFiles | None, *, capability: str | None = None) -> DovecotProcess:
    binary = dovecot_binary()
    if binary is None:
        unavailable("dovecot not installed: apt-get install dovecot-imapd (or `make system-deps`)")
    if os.geteuid() != 0:
        unavailable("dovecot tests need root: its mail processes run as the 'mail' user")
    try:
        pwd.getpwnam("mail")
    except KeyError:
        unavailable("dovecot tests need the 'mail' system user to own the mailboxes")
    return DovecotProcess(binary, tls=tls, capability=capability)


@pytest.fixture(scope="session")
def dovecot_process(tls_files: TlsFiles | None) -> Iterator[DovecotProcess]:
    process = _start_dovecot(tls_files)
    yield process
    process.stop()


@pytest.fixture(scope="session")
def dovecot_without_move_process(tls_files: TlsFiles | None) -> Iterator[DovecotProcess]:
    process = _start_dovecot(tls_files, capability=CAPABILITIES_WITHOUT_MOVE)
    yield process
    process.stop()


@dataclass
class ImapAccount:
    """One user's mailbox on the test Dovecot, with helpers that look at it
    through a connection of their own."""

    host: str
    port: int
    tls_port: int | None
    cafile: Path | None
    user: str
    password: str
    config: Path | None = None  # the server's dovecot.conf, for doveadm

    def inbox_settings(self, **overrides: Any) -> InboxSettings:
        """Settings for an ImapSource reading this account over plain IMAP."""
        values: dict[str, Any] = {
            "kind": "imap",
            "host": self.host,
            "port": self.port,
            "security": Security.PLAIN,
            "username": self.user,
            "password": SecretStr(self.password),
            "timeout_seconds": 10.0,
        }
        return InboxSettings(**(values | overrides))

    @contextmanager
    def connect(self) -> Iterator[Any]:
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        try:
            client.login(self.user, self.password)
            yield client
        finally:
            client.logout()

    def append(self, folder: str, raw: bytes, *, flags: tuple[str, ...] = ()) -> int:
        """Deliver ``raw`` into ``folder`` (created if missing); return its UID."""
        with self.connect() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            reply = client.append(folder, raw, flags=flags)
        match = re.search(rb"APPENDUID \d+ (\d+)", reply)
        assert match, reply
        return int(match.group(1))

    def uids(self, folder: str) -> list[int]:
        with self.connect() as client:
            client.select_folder(folder, readonly=True)
            return sorted(client.search("ALL"))

    def flags(self, folder: str) -> dict[int, set[str]]:
        """Stored flags by UID; \\Recent is left out, as it depends on who looked first."""
        with self.connect() as client:
            client.select_folder(folder, readonly=True)
            found = client.get_flags(client.search("ALL"))
        return {uid: {f.decode() for f in flags} - {"\\Recent"} for uid, flags in found.items()}

    def fetch_all(self, folder: str) -> dict[int, bytes]:
        with self.connect() as client:
            client.select_folder(folder, readonly=True)
            found = client.fetch(client.search("ALL"), ["BODY.PEEK[]"])
        return {uid: data[b"BODY[]"] for uid, data in found.items()}

    def uidvalidity(self, folder: str) -> int:
        with self.connect() as client:
            return int(client.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"])

    def list_folders(self) -> list[str]:
        with self.connect() as client:
            return sorted(name for _flags, _delimiter, name in client.list_folders())

    def create_folder(self, folder: str) -> None:
        with self.connect() as client:
            client.create_folder(folder)

    def delete_folder(self, folder: str) -> None:
        with self.connect() as client:
            client.delete_folder(folder)

    def kick(self) -> None:
        """Make the server hang up on every connection of this user."""
        assert self.config is not None
        doveadm = shutil.which("doveadm") or "/usr/bin/doveadm"
        subprocess.run(
            [doveadm, "-c", str(self.config), "kick", self.user], check=True, capture_output=True
        )


def _account(process: DovecotProcess) -> ImapAccount:
    user, password = process.add_user()
    return ImapAccount(
        HOST, process.port, process.tls_port, process.cafile, user, password, process.config
    )


@pytest.fixture
def dovecot(dovecot_process: DovecotProcess) -> ImapAccount:
    return _account(dovecot_process)


@pytest.fixture
def dovecot_without_move(dovecot_without_move_process: DovecotProcess) -> ImapAccount:
    return _account(dovecot_without_move_process)


# -- SMTP -----------------------------------------------------------------------------

DROP = "drop the connection"  # give this to fail_next() to hang up instead of replying


@dataclass(frozen=True)
class ReceivedMessage:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message_id: str | None


@dataclass
class SmtpServer:
    """aiosmtpd recording what it accepts. It offers AUTH (``user``/``password``)
    and STARTTLS (when a certificate could be made) without requiring either."""

    host: str
    port: int
    user: str = "sender"
    password: str = "sender-secret"
    messages: list[ReceivedMessage] = field(default_factory=list)
    _failures: dict[str, deque[str]] = field(default_factory=dict)
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    def fail_next(self, reply: str, *, times: int = 1, at: str = "DATA") -> None:
        """Answer the next ``times`` MAIL, RCPT or DATA commands with ``reply``
        (or hang up, for ``DROP``) instead of accepting them."""
        with self._arrived:
            self._failures.setdefault(at.upper(), deque()).extend([reply] * times)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedMessage]:
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(f"{len(self.messages)} messages arrived, wanted {count}")
            return list(self.messages)

    def smtp_settings(self, **overrides: Any) -> SmtpSettings:
        values: dict[str, Any] = {
            "kind": SenderKind.SMTP,
            "host": self.host,
            "port": self.port,
            "security": Security.PLAIN,
            "timeout_seconds": 10.0,
        }
        return SmtpSettings(**(values | overrides))

    def _failure(self, command: str) -> str | None:
        with self._arrived:
            queue = self._failures.get(command)
            return queue.popleft() if queue else None

    def _record(self, envelope: Envelope) -> None:
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)  # aiosmtpd keeps bytes unless decode_data is set
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        message_id = parsed["Message-ID"]
        received = ReceivedMessage(
            str(envelope.mail_from), list(envelope.rcpt_tos), raw, message_id and str(message_id)
        )
        with self._arrived:
            self.messages.append(received)
            self._arrived.notify_all()


class RecordingHandler:
    """aiosmtpd hooks that consult the server's failure queues first."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_MAIL(
        self, smtp: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return self._injected(smtp, "MAIL") or "250 OK"

    async def handle_RCPT(
        self, smtp: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        failure = self._injected(smtp, "RCPT")
        if failure is None:
            envelope.rcpt_tos.append(address)
            envelope.rcpt_options.extend(options)
        return failure or "250 OK"

    async def handle_DATA(self, smtp: SMTP, session: Session, envelope: Envelope) -> str:
        failure = self._injected(smtp, "DATA")
        if failure is None:
            self.server._record(envelope)
        return failure or f"250 OK queued as {len(self.server.messages)}"

    def _injected(self, smtp: SMTP, command: str) -> str | None:
        failure = self.server._failure(command)
        if failure == DROP:
            assert smtp.transport is not None
            smtp.transport.close()
            return "421 4.4.2 hung up"  # written to a closed transport: never seen
        return failure


class Authenticator:
    def __init__(self, user: str, password: str) -> None:
        self.expected = LoginPassword(user.encode(), password.encode())

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        # Not "handled": aiosmtpd then sends the 235 or 535 reply itself.
        return AuthResult(success=data == self.expected, handled=False)


@pytest.fixture
def smtp_server(tls_files: TlsFiles | None) -> Iterator[SmtpServer]:
    server = SmtpServer(HOST, free_port())
    controller = Controller(
        RecordingHandler(server),
        hostname=HOST,
        port=server.port,
        authenticator=Authenticator(server.user, server.password),
        auth_require_tls=False,
        tls_context=tls_files.server_context() if tls_files else None,
    )
    controller.start()
    yield server
    controller.stop()

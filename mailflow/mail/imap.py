"""The IMAP inbox source (imapclient), with IDLE push where the server offers it.

Fetching never changes the mailbox: folders are opened read-only and bodies are
read with ``BODY.PEEK[]``, so ``\\Seen`` stays as it was. Only ``mark_done``,
called after intake recorded the messages, flags, tags or moves them. Every
failure leaves as ``TransientError`` (network, timeouts, a busy server) or
``PermanentError`` (refused login, untrusted certificate, a missing folder).
"""

from __future__ import annotations

import logging
import re
import ssl
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, NamedTuple

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

from mailflow.config import InboxSettings, MarkAction, Security
from mailflow.errors import ConfigError, MailflowError, PermanentError, TransientError
from mailflow.mail.sources import Checkpoint, FetchBatch, FetchedMessage, imap_key

log = logging.getLogger(__name__)

SEEN = "\\Seen"
DELETED = "\\Deleted"

# Servers may drop a client that said nothing for a while (RFC 3501 allows it
# after 30 minutes, some firewalls sooner). A connection unused for this long is
# probed with NOOP first, so that a stale one is replaced instead of failing.
_PROBE_AFTER_SECONDS = 60.0

# RFC 5530 response codes that mean "not now" rather than "never".
_TRANSIENT_CODES = frozenset({"UNAVAILABLE", "INUSE", "LIMIT", "SERVERBUG"})

_RESPONSE_CODE = re.compile(r"\[([A-Z][A-Z0-9-]*)")


class _Selected(NamedTuple):
    uidvalidity: int
    uidnext: int


class ImapSource:
    """An IMAP mailbox; one connection, opened on first use and reopened when lost."""

    def __init__(self, settings: InboxSettings) -> None:
        self.settings = settings
        self.account = settings.account
        self._client: Any = None  # an IMAPClient while connected
        self._last_used = 0.0
        # UIDNEXT of each folder as the last fetch saw it; wait() compares with it.
        self._uidnext: dict[str, int] = {}

    # -- connection -------------------------------------------------------------

    def connect(self) -> None:
        with self._session("connect"):
            pass

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.logout()
            except (OSError, IMAPClientError):
                _shutdown(client)

    def folders(self) -> Sequence[str]:
        return list(self.settings.folders)

    @contextmanager
    def _session(self, action: str) -> Iterator[Any]:
        """A logged-in client; any failure inside becomes a Mailflow error and
        drops the connection, because its state is then unknown."""
        try:
            yield self._usable_client()
        except (OSError, IMAPClientError) as exc:
            self._drop()
            raise self._translate(exc, action=action) from exc
        except BaseException:
            self._drop()
            raise
        self._last_used = time.monotonic()

    def _usable_client(self) -> Any:
        if self._client is not None and time.monotonic() - self._last_used > _PROBE_AFTER_SECONDS:
            self._probe()
        if self._client is None:
            self._client = self._open()
        return self._client

    def _probe(self) -> None:
        try:
            self._client.noop()
        except (OSError, IMAPClientError):
            self._drop()

    def _open(self) -> Any:
        settings = self.settings
        password = self._password()
        context = None if settings.security is Security.PLAIN else self._tls_context()
        client = IMAPClient(
            settings.host,
            port=settings.port,
            ssl=settings.security is Security.TLS,
            ssl_context=context,
            timeout=settings.timeout_seconds,
        )
        try:
            if settings.security is Security.STARTTLS:
                client.starttls(context)
            client.login(settings.username, password)
        except BaseException:
            _shutdown(client)
            raise
        return client

    def _password(self) -> str:
        password = self.settings.secret()
        if password is None:
            raise ConfigError("missing required setting 'inbox.password' (or inbox.password_file)")
        return password

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if not self.settings.verify_tls:
            # The operator chose encryption without verification (a test server,
            # or a private CA that is not installed here).
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            _shutdown(client)

    def _translate(self, exc: Exception, *, action: str) -> MailflowError:
        where = f"{self.settings.host}:{self.settings.port}"
        if isinstance(exc, LoginError):
            return _login_error(exc, user=self.settings.username, where=where)
        if isinstance(exc, ssl.SSLCertVerificationError):
            return PermanentError(
                f"IMAP server {where}: TLS certificate not trusted ({exc.verify_message}); "
                "install its CA or set inbox.verify_tls = false"
            )
        message = f"IMAP {action} on {where} failed: {_text(exc)}"
        if isinstance(exc, OSError | IMAPClientAbortError):
            return TransientError(message)
        if _response_code(exc) in _TRANSIENT_CODES:
            return TransientError(message)
        return PermanentError(message)

    # -- fetching -----------------------------------------------------------------

    def fetch_new(self, folder: str, checkpoint: Checkpoint | None, *, limit: int) -> FetchBatch:
        with self._session(f"fetch from {folder!r}") as client:
            selected = _select(client, folder, readonly=True)
            self._uidnext[folder] = selected.uidnext
            pending = _uids_from(client, _first_uid(checkpoint, selected.uidvalidity))
            messages = self._fetch(client, folder, selected.uidvalidity, pending[:limit])
        return FetchBatch(selected.uidvalidity, messages, more=len(pending) > limit)

    def _fetch(
        self, client: Any, folder: str, uidvalidity: int, uids: list[int]
    ) -> list[FetchedMessage]:
        sizes = {
            int(uid): int(data.get(b"RFC822.SIZE", 0))
            for uid, data in client.fetch(uids, ["RFC822.SIZE"]).items()
        }
        limit = self.settings.max_message_bytes
        small = [uid for uid in uids if uid in sizes and sizes[uid] <= limit]
        bodies = client.fetch(small, ["BODY.PEEK[]"])
        messages = []
        for uid in uids:
            body = bodies.get(uid, {}).get(b"BODY[]")
            message = self._message(folder, uidvalidity, uid, size=sizes.get(uid), body=body)
            if message is not None:
                messages.append(message)
        return messages

    def _message(
        self, folder: str, uidvalidity: int, uid: int, *, size: int | None, body: bytes | None
    ) -> FetchedMessage | None:
        """The message, or None when someone else expunged it since the search:
        then there is nothing to record."""
        key = imap_key(folder, uidvalidity, uid)
        limit = self.settings.max_message_bytes
        if size is not None and size > limit:
            error = f"message of {size} bytes exceeds inbox.max_message_bytes ({limit})"
            return FetchedMessage(folder, uidvalidity, uid, key, None, size, error)
        if size is None or body is None:
            return None
        return FetchedMessage(folder, uidvalidity, uid, key, bytes(body), size)

    # -- marking ------------------------------------------------------------------

    def mark_done(self, messages: Sequence[FetchedMessage]) -> None:
        if not messages:
            return
        with self._session(f"mark done ({self.settings.mark})") as client:
            for folder, items in _by_folder(messages).items():
                self._mark_folder(client, folder, items)

    def _mark_folder(self, client: Any, folder: str, items: list[FetchedMessage]) -> None:
        selected = _select_if_exists(client, folder)
        if selected is None:
            return  # the folder is gone, and its messages with it
        uids = [item.uid for item in items if item.uidvalidity == selected.uidvalidity]
        if len(uids) < len(items):
            # These UIDs name other messages now; the ledger re-reads the folder.
            log.warning("%s: UIDVALIDITY of %r changed; not marking", self.account, folder)
        present = _present(client, uids)
        if present:
            self._mark(client, present)

    def _mark(self, client: Any, uids: list[int]) -> None:
        settings = self.settings
        if settings.mark is MarkAction.SEEN:
            client.add_flags(uids, [SEEN], silent=True)
        elif settings.mark is MarkAction.KEYWORD:
            client.add_flags(uids, [settings.keyword], silent=True)
        else:
            self._move(client, uids, settings.move_to)

    def _move(self, client: Any, uids: list[int], target: str) -> None:
        _ensure_folder(client, target)
        if client.has_capability("MOVE"):
            client.move(uids, target)
            return
        client.copy(uids, target)
        client.add_flags(uids, [DELETED], silent=True)
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)
        else:
            # A plain EXPUNGE would also purge what the desk's staff marked
            # deleted; leave ours flagged for their mail client to expunge.
            log.warning("%s: server lacks UIDPLUS; moved messages stay \\Deleted", self.account)

    # -- waiting and appending ------------------------------------------------------

    def wait(self, timeout: float) -> None:
        """Block until the first folder may have new mail (IMAP IDLE) or ``timeout``
        passed. Without IDLE (disabled in settings, or not offered by the server)
        return at once: the caller's scheduler then paces the polling."""
        if not self.settings.idle or timeout <= 0:
            return
        folder = self.settings.folders[0]
        with self._session(f"wait for mail in {folder!r}") as client:
            if not client.has_capability("IDLE"):
                return
            selected = _select(client, folder, readonly=True)
            if selected.uidnext > self._uidnext.get(folder, selected.uidnext):
                return  # mail arrived between the last fetch and now
            _idle(client, seconds=min(timeout, self.settings.idle_seconds))

    def append(self, folder: str, raw: bytes, *, flags: Sequence[str] = (SEEN,)) -> None:
        """Store ``raw`` in ``folder`` (created and subscribed if missing)."""
        with self._session(f"append to {folder!r}") as client:
            _ensure_folder(client, folder)
            client.append(folder, raw, flags=tuple(flags))


# -- IMAP helpers (all take a logged-in IMAPClient) ----------------------------------


def _select(client: Any, folder: str, *, readonly: bool) -> _Selected:
    info = client.select_folder(folder, readonly=readonly)
    return _Selected(int(info[b"UIDVALIDITY"]), int(info.get(b"UIDNEXT", 0)))


def _select_if_exists(client: Any, folder: str) -> _Selected | None:
    # Asked with LIST: not every server says NONEXISTENT when SELECT fails.
    if not client.folder_exists(folder):
        return None
    return _select(client, folder, readonly=False)


def _first_uid(checkpoint: Checkpoint | None, uidvalidity: int) -> int:
    if checkpoint is None or checkpoint.uidvalidity != uidvalidity:
        return 1
    return checkpoint.last_uid + 1


def _uids_from(client: Any, first: int) -> list[int]:
    # "n:*" always matches the highest UID, even when it is below n.
    return sorted(int(uid) for uid in client.search(["UID", f"{first}:*"]) if uid >= first)


def _present(client: Any, uids: list[int]) -> list[int]:
    """The UIDs that still exist in the selected folder, so that repeating a
    move never copies a message twice."""
    if not uids:
        return []
    found = client.search(["UID", ",".join(str(uid) for uid in uids)])
    return sorted(int(uid) for uid in found)


def _by_folder(messages: Sequence[FetchedMessage]) -> dict[str, list[FetchedMessage]]:
    groups: dict[str, list[FetchedMessage]] = defaultdict(list)
    for message in messages:
        groups[message.folder].append(message)
    return groups


def _ensure_folder(client: Any, folder: str) -> None:
    if client.folder_exists(folder):
        return
    try:
        client.create_folder(folder)
    except IMAPClientError:
        if not client.folder_exists(folder):  # else another worker was quicker
            raise
    # Subscribed, so that the desk sees it in an ordinary mail client.
    client.subscribe_folder(folder)


def _idle(client: Any, *, seconds: float) -> None:
    client.idle()
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        responses = client.idle_check(timeout=left)
        if not responses and deadline - time.monotonic() > 0:
            break  # readable but nothing parsed: the server closed; idle_done tells
        if any(_announces_mail(response) for response in responses):
            break
    client.idle_done()


def _announces_mail(response: tuple[Any, ...]) -> bool:
    return len(response) >= 2 and response[1] in (b"EXISTS", b"RECENT")


def _shutdown(client: Any) -> None:
    with suppress(OSError, IMAPClientError):
        client.shutdown()


# -- error text ---------------------------------------------------------------------


def _login_error(exc: LoginError, *, user: str, where: str) -> MailflowError:
    # The server's text only: imapclient never puts the password into it.
    reply = _text(exc)
    if _response_code(exc) in _TRANSIENT_CODES:
        return TransientError(f"IMAP login as {user!r} on {where} failed for now: {reply}")
    return PermanentError(
        f"IMAP login as {user!r} on {where} refused: {reply}; "
        "check inbox.username and inbox.password"
    )


def _response_code(exc: Exception) -> str | None:
    match = _RESPONSE_CODE.search(_text(exc))
    return match.group(1) if match else None


def _text(exc: Exception) -> str:
    """The exception's text, without the b'...' that imaplib leaves around replies."""
    text = str(exc) or type(exc).__name__
    if len(text) > 2 and text[0] == "b" and text[1] in "'\"" and text[-1] == text[1]:
        return text[2:-1]
    return text

"""Inbox sources: the contract that intake relies on, and the Maildir source.

Intake asks a source for messages after its checkpoint, records each one with
its ledger key in the database, and only then asks the source to mark them
done (flag, keyword or move). A source never decides what was processed: the
database ledger does.
"""

from __future__ import annotations

import itertools
import mailbox
import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from mailflow.errors import TransientError


@dataclass(frozen=True)
class Checkpoint:
    """How far a folder has been read: its UIDVALIDITY and the last UID recorded."""

    uidvalidity: int
    last_uid: int


@dataclass(frozen=True)
class FetchedMessage:
    """One message as the source gave it. ``raw`` is None when the message was
    too large to fetch; ``error`` then says why, and intake quarantines it."""

    folder: str
    uidvalidity: int
    uid: int
    key: str  # unique within the account: "folder:uidvalidity:uid" or a Maildir key
    raw: bytes | None
    size: int
    error: str | None = None


@dataclass(frozen=True)
class FetchBatch:
    uidvalidity: int
    messages: list[FetchedMessage] = field(default_factory=list)
    more: bool = False  # the batch was cut at the limit; fetch again


class Source(Protocol):
    """An inbox. Every method may raise ``TransientError`` (retry later)."""

    account: str

    def connect(self) -> None: ...

    def close(self) -> None: ...

    def folders(self) -> Sequence[str]: ...

    def fetch_new(self, folder: str, checkpoint: Checkpoint | None, *, limit: int) -> FetchBatch:
        """Messages after ``checkpoint`` (all of them if it is None or its
        UIDVALIDITY differs from the folder's), in UID order, at most ``limit``."""
        ...

    def mark_done(self, messages: Sequence[FetchedMessage]) -> None:
        """Flag, tag or move messages that are safely recorded. Idempotent."""
        ...

    def wait(self, timeout: float) -> None:
        """Block until new mail may have arrived or ``timeout`` seconds passed."""
        ...


_DELIVERIES = itertools.count()


def imap_key(folder: str, uidvalidity: int, uid: int) -> str:
    return f"{folder}:{uidvalidity}:{uid}"


class MaildirSource:
    """A local Maildir inbox (the embedded default). New mail is read from
    ``new/`` and moved to ``cur/`` with the Seen flag once recorded."""

    folder = "INBOX"

    def __init__(self, path: Path, *, account: str, max_bytes: int) -> None:
        self.path = path
        self.account = account
        self.max_bytes = max_bytes
        self._box: mailbox.Maildir | None = None

    def connect(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._box = mailbox.Maildir(self.path, create=True)
        except OSError as exc:
            raise TransientError(f"cannot open Maildir {self.path}: {exc.strerror}") from exc

    def close(self) -> None:
        self._box = None

    def folders(self) -> Sequence[str]:
        return [self.folder]

    def _maildir(self) -> mailbox.Maildir:
        if self._box is None:
            self.connect()
        assert self._box is not None  # noqa: S101 - connect() sets it or raises
        return self._box

    def fetch_new(self, folder: str, checkpoint: Checkpoint | None, *, limit: int) -> FetchBatch:
        """New mail, and mail another client moved to cur/ without reading it
        (no Seen flag); intake's ledger skips what is already recorded."""
        self._maildir()
        paths = self._arrival_order(self._unseen())
        messages = [self._read(path) for path in paths[:limit]]
        return FetchBatch(uidvalidity=0, messages=messages, more=len(paths) > limit)

    def _unseen(self) -> list[Path]:
        found: list[Path] = []
        for sub in ("new", "cur"):
            folder = self.path / sub
            if folder.is_dir():
                found += [folder / n for n in os.listdir(folder) if sub == "new" or _unread(n)]
        return found

    @staticmethod
    def _arrival_order(paths: list[Path]) -> list[Path]:
        """Files in delivery order: by modification time, then name (Maildir
        names are not zero-padded, so text order is not time order)."""
        return sorted(paths, key=lambda path: (path.stat().st_mtime_ns, path.name))

    def _read(self, file: Path) -> FetchedMessage:
        key = file.name.split(":", 1)[0]
        size = file.stat().st_size
        if size > self.max_bytes:
            error = f"message of {size} bytes exceeds inbox.max_message_bytes ({self.max_bytes})"
            return FetchedMessage(self.folder, 0, 0, key, None, size, error)
        return FetchedMessage(self.folder, 0, 0, key, file.read_bytes(), size)

    def mark_done(self, messages: Sequence[FetchedMessage]) -> None:
        # A plain rename into cur/ with the Seen flag: the file is never parsed
        # here, so a message that breaks the email package cannot block marking.
        # The folders are listed once for the batch, not once per message.
        done = {item.key for item in messages}
        for source in self._unseen():
            key = source.name.split(":", 1)[0]
            if key not in done:
                continue
            try:
                source.rename(self.path / "cur" / f"{key}:2,{_flags_with_seen(source.name)}")
            except FileNotFoundError:
                continue  # already moved or deleted: nothing to do

    def wait(self, timeout: float) -> None:
        # A local Maildir has no push; the scheduler polls it.
        return None


def _unread(name: str) -> bool:
    """A cur/ file name without the Seen flag ("key:2,FRS" has it)."""
    _, _, info = name.partition(":2,")
    return "S" not in info


def _flags_with_seen(name: str) -> str:
    _, _, info = name.partition(":2,")
    return "".join(sorted(set(info) | {"S"}))


def deliver_to_maildir(path: Path, raw: bytes) -> str:
    """Drop a message into ``path/new`` the way an MTA would (tmp/, then a
    rename), without parsing it; return its key."""
    for sub in ("tmp", "new", "cur"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    key = f"{time.time_ns()}.P{os.getpid()}Q{next(_DELIVERIES)}.{socket.gethostname()}"
    temporary = path / "tmp" / key
    temporary.write_bytes(raw)
    temporary.rename(path / "new" / key)
    return key

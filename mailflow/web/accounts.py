"""People who sign in to the review UI: roles, argon2 password hashes, and the
user administration behind ``mailflow users`` and the admin page."""

from __future__ import annotations

import functools
import re
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mailflow import audit
from mailflow.db.models import User, WebSession
from mailflow.errors import PermanentError

MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
# argon2-cffi's defaults follow RFC 9106's second recommended option; one
# hasher serves the whole process, as it holds no state besides parameters.
_HASHER = PasswordHasher()


class Role(StrEnum):
    CLERK = "clerk"  # approve, edit, reject, hand over
    SUPERVISOR = "supervisor"  # also orders above the approval limit; settings view
    ADMIN = "admin"  # also users


_RANK = {Role.CLERK: 1, Role.SUPERVISOR: 2, Role.ADMIN: 3}


class AccountError(PermanentError):
    """A user administration request that cannot be carried out as asked."""


def has_role(role: str, needed: Role) -> bool:
    """True when ``role`` includes everything ``needed`` may do."""
    try:
        return _RANK[Role(role)] >= _RANK[needed]
    except ValueError:
        return False


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


@functools.cache
def _dummy_hash() -> str:
    # Verified against when the user name is unknown, so that a wrong name
    # costs as much time as a wrong password and does not reveal which names exist.
    return _HASHER.hash("not a password of anyone")


def password_matches(user: User | None, password: str) -> bool:
    """Verify ``password``; upgrades the stored hash when its parameters are old."""
    try:
        _HASHER.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    if user is None:
        return False
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    return True


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def _need_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise AccountError(f"no user {username!r}")
    return user


def add_user(
    session: Session, username: str, password: str, *, role: str, actor: str, display_name: str = ""
) -> User:
    """A new active user; the name is lower-cased and must be unused."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise AccountError("a user name is 2-63 of a-z, 0-9, '.', '_' or '-'")
    if role not in set(Role):
        raise AccountError(f"role must be one of {', '.join(Role)}")
    if find_user(session, name) is not None:
        raise AccountError(f"user {name!r} exists already")
    user = User(
        username=name, display_name=display_name, password_hash=hash_password(password), role=role
    )
    session.add(user)
    session.flush()
    audit.record(session, "user.added", actor=actor, after={"username": name, "role": role})
    return user


def set_password(session: Session, username: str, password: str, *, actor: str) -> User:
    user = _need_user(session, username)
    user.password_hash = hash_password(password)
    audit.record(session, "user.password_changed", actor=actor, after={"username": user.username})
    return user


def set_active(session: Session, username: str, *, active: bool, actor: str) -> User:
    """Enable or disable a user; disabling also ends their sessions."""
    user = _need_user(session, username)
    user.active = active
    if not active:
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    action = "user.enabled" if active else "user.disabled"
    audit.record(session, action, actor=actor, after={"username": user.username})
    return user


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def active_names(session: Session) -> list[str]:
    rows = session.scalars(select(User.username).where(User.active).order_by(User.username))
    return list(rows)

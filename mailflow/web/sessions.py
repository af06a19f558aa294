"""Signing in and out: rate-limited password checks and server-side sessions.

The browser holds a random token; the database holds only its SHA-256, so a
copy of the database does not let anyone in. Each session carries its own
CSRF token, compared in constant time on every state-changing request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from mailflow.clock import utcnow
from mailflow.db.models import SignInAttempt, User, WebSession
from mailflow.web.accounts import find_user, password_matches
from mailflow.web.options import WebOptions


@dataclass(frozen=True)
class Viewer:
    """The signed-in person of one request, as plain values: it outlives the
    request's database session (error pages are rendered after a rollback)."""

    user_id: int
    username: str
    display_name: str
    role: str
    session_id: int
    csrf_token: str


class SignInRefused(Exception):
    """Why a sign-in did not succeed, in words fit to show."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def _recent_failures(
    session: Session, column: InstrumentedAttribute[str], value: str, options: WebOptions
) -> int:
    since = utcnow() - timedelta(minutes=options.failure_window_minutes)
    query = select(func.count()).select_from(SignInAttempt)
    return session.scalar(query.where(column == value, SignInAttempt.at >= since)) or 0


def _throttled(session: Session, username: str, remote: str, options: WebOptions) -> bool:
    by_user = _recent_failures(session, SignInAttempt.username, username, options)
    by_remote = _recent_failures(session, SignInAttempt.remote, remote, options)
    return by_user >= options.max_failures_per_user or by_remote >= options.max_failures_per_address


def sign_in(
    session: Session, username: str, password: str, *, remote: str, options: WebOptions
) -> tuple[str, WebSession]:
    """Check the password and open a session: (cookie token, session row).

    Raises ``SignInRefused``; the caller must commit either way, so that a
    failure is counted."""
    name = username.strip().lower()[:100]
    if _throttled(session, name, remote, options):
        raise SignInRefused("Too many failed sign-ins. Wait a few minutes and try again.")
    user = find_user(session, name)
    if not password_matches(user, password) or user is None or not user.active:
        session.add(SignInAttempt(username=name, remote=remote[:64], at=utcnow()))
        raise SignInRefused("Wrong user name or password.")
    return open_session(session, user, options)


def open_session(session: Session, user: User, options: WebOptions) -> tuple[str, WebSession]:
    now = utcnow()
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    row = WebSession(
        token_sha256=token_digest(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + timedelta(hours=options.session_hours),
    )
    session.add(row)
    session.flush()
    return token, row


def viewer_for(session: Session, token: str | None) -> Viewer | None:
    """The signed-in viewer behind a cookie token, or None when it is unknown,
    expired, or its user was disabled."""
    if not token:
        return None
    row = session.scalar(select(WebSession).where(WebSession.token_sha256 == token_digest(token)))
    if row is None or row.expires_at <= utcnow():
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return Viewer(user.id, user.username, user.display_name, user.role, row.id, row.csrf_token)


def sign_out(session: Session, viewer: Viewer) -> None:
    session.execute(delete(WebSession).where(WebSession.id == viewer.session_id))

"""The SMTP sender (aiosmtplib).

The envelope is always the one given: aiosmtplib's ``sendmail`` never looks at
the headers, so Bcc copies and bounce addresses stay under the outbox's control.
Replies with 4xx codes and connection trouble raise ``TransientError`` (the
outbox retries); 5xx replies raise ``PermanentError`` (a human looks).
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence

import aiosmtplib
from aiosmtplib import (
    SMTPAuthenticationError,
    SMTPException,
    SMTPNotSupported,
    SMTPRecipientRefused,
    SMTPRecipientsRefused,
    SMTPResponse,
    SMTPResponseException,
)

from mailflow.config import Security, SmtpSettings
from mailflow.errors import ConfigError, MailflowError, PermanentError, TransientError


class SmtpSender:
    """Sends each message over its own SMTP connection."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._where = f"{settings.host}:{settings.port}"

    async def send(self, raw: bytes, *, mail_from: str, rcpt_to: Sequence[str]) -> str:
        """Hand ``raw`` over for ``rcpt_to``; return the server's acceptance text,
        naming any recipients it refused while accepting others."""
        if not rcpt_to:
            raise PermanentError("no recipients given: nothing to send")
        client = self._client()
        try:
            await client.connect()
            refused, reply = await client.sendmail(mail_from, list(rcpt_to), raw)
        except (SMTPException, OSError, ValueError) as exc:
            raise self._translate(exc) from exc
        finally:
            # The message is either accepted or not by now; a failing QUIT must
            # not turn an accepted message into a retry (and a duplicate).
            await _quit_quietly(client)
        return _acceptance(reply, refused)

    def _client(self) -> aiosmtplib.SMTP:
        settings = self.settings
        return aiosmtplib.SMTP(
            hostname=settings.host,
            port=settings.port,
            username=settings.username or None,
            password=self._password(),
            timeout=settings.timeout_seconds,
            use_tls=settings.security is Security.TLS,
            start_tls=settings.security is Security.STARTTLS,
            tls_context=self._tls_context(),
        )

    def _password(self) -> str | None:
        if not self.settings.username:
            return None
        password = self.settings.secret()
        if password is None:
            raise ConfigError("missing required setting 'smtp.password' (or smtp.password_file)")
        return password

    def _tls_context(self) -> ssl.SSLContext | None:
        if self.settings.security is Security.PLAIN:
            return None
        context = ssl.create_default_context()
        if not self.settings.verify_tls:
            # The operator chose encryption without verification (a test relay,
            # or a private CA that is not installed here).
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _translate(self, exc: Exception) -> MailflowError:
        where = self._where
        # Raised as it is by STARTTLS, and as the cause of a connect error by TLS.
        untrusted = exc if isinstance(exc, ssl.SSLCertVerificationError) else exc.__cause__
        if isinstance(untrusted, ssl.SSLCertVerificationError):
            return PermanentError(
                f"SMTP server {where}: TLS certificate not trusted "
                f"({untrusted.verify_message}); install its CA or set smtp.verify_tls = false"
            )
        if isinstance(exc, SMTPRecipientsRefused):
            return _all_refused(exc.recipients, where=where)
        if isinstance(exc, SMTPAuthenticationError):
            # The server's reply only: aiosmtplib never puts the password into it.
            return _by_code(
                exc.code,
                f"SMTP login as {self.settings.username!r} on {where} refused: "
                f"{exc.code} {exc.message}; check smtp.username and smtp.password",
            )
        if isinstance(exc, SMTPResponseException):
            return _by_code(exc.code, f"SMTP server {where} replied {exc.code} {exc.message}")
        if isinstance(exc, SMTPNotSupported | ValueError):
            return PermanentError(f"SMTP send via {where} impossible: {exc}")
        return TransientError(f"SMTP connection to {where} failed: {exc}")


def _by_code(code: int, message: str) -> MailflowError:
    """4xx means "try again later" (RFC 5321 4.2.1); anything else will not pass by itself."""
    return TransientError(message) if 400 <= code < 500 else PermanentError(message)


def _all_refused(refusals: list[SMTPRecipientRefused], *, where: str) -> MailflowError:
    listed = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in refusals)
    message = f"SMTP server {where} refused every recipient ({listed})"
    # Worth another try if any refusal was temporary.
    if any(400 <= r.code < 500 for r in refusals):
        return TransientError(message)
    return PermanentError(message)


def _acceptance(reply: str, refused: dict[str, SMTPResponse]) -> str:
    # aiosmtplib hands back only the text of the DATA reply, whose code is 250
    # whenever it returns at all.
    text = f"250 {reply}"
    if refused:
        listed = "; ".join(f"{rcpt}: {r.code} {r.message}" for rcpt, r in refused.items())
        text += f" (refused: {listed})"
    return text


async def _quit_quietly(client: aiosmtplib.SMTP) -> None:
    if client.is_connected:
        try:
            await client.quit()
        except (SMTPException, OSError):
            client.close()

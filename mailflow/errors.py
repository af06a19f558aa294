"""Error classes that say what the caller does next.

``TransientError`` means "try again later" (a network blip, a 4xx from SMTP);
``PermanentError`` means "stop and show a human". Problems caused by the
customer's e-mail are never exceptions: they are ``Finding``s.
"""

from __future__ import annotations


class MailflowError(Exception):
    """Base class of all errors raised on purpose by Mailflow."""


class ConfigError(MailflowError):
    """The configuration cannot be used; the message names the key."""


class TransientError(MailflowError):
    """A failure that is expected to pass: retry with backoff."""


class PermanentError(MailflowError):
    """A failure that retrying will not fix: stop and show a human."""


class ParseError(PermanentError):
    """A message whose bytes cannot be turned into an Envelope."""

"""Security headers on every response. The Content-Security-Policy allows
scripts and styles only from our own static files, so nothing a customer's
e-mail carries can run, and images only from us or data: URIs, so no remote
image can report that a clerk opened the mail."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
# For an e-mail's HTML shown in a sandboxed frame: its inline styles may
# apply, nothing else may load or run.
FRAME_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; "
    "frame-ancestors 'self'; base-uri 'none'; sandbox"
)
FRAME_PATH_SUFFIX = ".frame.html"


def _headers(path: str) -> list[tuple[bytes, bytes]]:
    framed = path.endswith(FRAME_PATH_SUFFIX)
    common = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]
    if framed:
        return [
            *common,
            (b"content-security-policy", FRAME_CSP.encode()),
            (b"x-frame-options", b"SAMEORIGIN"),
            (b"cache-control", b"no-store"),
        ]
    cache = b"public, max-age=3600" if path.startswith("/static/") else b"no-store"
    return [
        *common,
        (b"content-security-policy", PAGE_CSP.encode()),
        (b"x-frame-options", b"DENY"),
        (b"cache-control", cache),
    ]


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers to every HTTP response start."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _headers(str(scope.get("path", "")))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in extra}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = [*kept, *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)

"""Signing in and out. The sign-in form has no session yet to carry a CSRF
token, so it is protected by a double-submit token: a random value in a
short-lived cookie that must come back in the form."""

from __future__ import annotations

import logging
import secrets

from starlette.requests import Request
from starlette.responses import Response

from mailflow.web.framework import SESSION_COOKIE, Ctx, Refused, redirect
from mailflow.web.sessions import SignInRefused, same_token, sign_in, sign_out

log = logging.getLogger(__name__)
PRE_COOKIE = "mf_signin"


def secure(ctx: Ctx) -> bool:
    chosen = ctx.desk.options.secure_cookies
    return ctx.request.url.scheme == "https" if chosen is None else chosen


def safe_next(target: str) -> str:
    """Only a path on this site: "//host" or "https://…" would send the clerk away."""
    ok = target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if ok else "/"


def _form_page(ctx: Ctx, *, error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = ctx.render(
        "signin.html",
        status=status,
        error=error,
        pre_token=token,
        next=safe_next(ctx.param("next") or ctx.field("next")),
    )
    response.set_cookie(
        PRE_COOKIE,
        token,
        max_age=1800,
        httponly=True,
        samesite="strict",
        secure=secure(ctx),
        path="/signin",
    )
    return response


def signin_form(ctx: Ctx) -> Response:
    if ctx.viewer is not None:
        return redirect(safe_next(ctx.param("next")))
    return _form_page(ctx)


def remote_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def signin_submit(ctx: Ctx) -> Response:
    if not same_token(ctx.field("pre_token"), ctx.request.cookies.get(PRE_COOKIE, "")):
        return _form_page(ctx, error="The form expired. Please sign in again.", status=403)
    remote = remote_of(ctx.request)
    try:
        token, _row = sign_in(
            ctx.session,
            ctx.field("username"),
            ctx.form.get("password", ""),
            remote=remote,
            options=ctx.desk.options,
        )
    except SignInRefused as refused:
        log.warning("sign-in refused for %r from %s", ctx.field("username")[:100], remote)
        return _form_page(ctx, error=str(refused), status=401)
    response = redirect(safe_next(ctx.field("next")))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(ctx.desk.options.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=secure(ctx),
        path="/",
    )
    response.delete_cookie(PRE_COOKIE, path="/signin")
    return response


def signout(ctx: Ctx) -> Response:
    if ctx.viewer is None:
        raise Refused(401, "Please sign in.")
    sign_out(ctx.session, ctx.viewer)
    response = redirect("/signin")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response

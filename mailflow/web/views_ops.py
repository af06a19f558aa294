"""The desk's dashboard, the audit check, the settings view, user
administration, and the metrics endpoint for operators."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from starlette.responses import PlainTextResponse, Response

from mailflow import audit
from mailflow.clock import utcnow
from mailflow.export import safe_target
from mailflow.web import accounts, stats
from mailflow.web.framework import Ctx, Refused, redirect
from mailflow.web.metrics import CONTENT_TYPE, render_metrics
from mailflow.web.svg import bar_chart


def dashboard_page(ctx: Ctx) -> Response:
    options = ctx.desk.options
    figures = stats.dashboard(
        ctx.session,
        now=utcnow(),
        days=options.dashboard_days,
        sla_minutes=options.approval_sla_minutes,
    )
    per_day = [(f"{day:%d %b}", float(n)) for day, n in figures.per_day]
    shares = (
        [(code, n / figures.orders) for code, n in figures.clarification] if figures.orders else []
    )
    return ctx.render(
        "dashboard.html",
        figures=figures,
        sla=options.approval_sla_minutes,
        now=utcnow(),
        per_day_chart=bar_chart(per_day, title="Orders per day"),
        clarification_chart=bar_chart(shares, title="Share needing clarification", percent=True),
        corrections_chart=bar_chart(
            [(k, float(n)) for k, n in figures.corrections], title="Corrections per field"
        ),
    )


def audit_page(ctx: Ctx) -> Response:
    return ctx.render("audit.html", result=audit.verify(ctx.session))


def settings_page(ctx: Ctx) -> Response:
    # model_dump keeps SecretStr values masked ("**********"); URLs may carry
    # a password or a token of their own (the database's, the webhook's).
    sections = ctx.desk.app.settings.model_dump(mode="json")
    sections["database"]["url"] = masked_url(sections["database"]["url"])
    sections["export"]["webhook_url"] = safe_target(sections["export"]["webhook_url"])
    options = replace(
        ctx.desk.options, api_token="**********" if ctx.desk.options.api_token else None
    )
    return ctx.render("settings.html", sections=sections, options=options)


def masked_url(url: str) -> str:
    """A database URL without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable URL)"


def users_page(ctx: Ctx) -> Response:
    return ctx.render(
        "users.html", users=accounts.all_users(ctx.session), roles=list(accounts.Role)
    )


def users_add(ctx: Ctx) -> Response:
    try:
        accounts.add_user(
            ctx.session,
            ctx.field("username"),
            ctx.form.get("password", ""),
            role=ctx.field("role"),
            actor=ctx.user.username,
            display_name=ctx.field("display_name"),
        )
    except accounts.AccountError as exc:
        raise Refused(422, str(exc)) from None
    return redirect("/admin/users")


def users_active(ctx: Ctx) -> Response:
    name = ctx.field("username")
    active = ctx.field("active") == "1"
    if name == ctx.user.username and not active:
        raise Refused(422, "You cannot disable yourself.")
    try:
        accounts.set_active(ctx.session, name, active=active, actor=ctx.user.username)
    except accounts.AccountError as exc:
        raise Refused(422, str(exc)) from None
    return redirect("/admin/users")


def metrics(ctx: Ctx) -> Response:
    return PlainTextResponse(render_metrics(ctx.session), media_type=CONTENT_TYPE)

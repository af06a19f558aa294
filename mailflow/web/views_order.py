"""The order page, the framed e-mail and reply, and what a clerk does to an
order: approve, reject, correct, hand over. Every action names the clerk in
the audit trail; every form carries the order's version, so a form filled in
on a page that has since changed (or sent twice) is refused."""

from __future__ import annotations

from starlette.responses import HTMLResponse, Response

from mailflow import audit
from mailflow.clock import utcnow
from mailflow.db.models import Draft, Message, Order
from mailflow.orders import Decision, approve_draft, reject_draft
from mailflow.states import DraftState
from mailflow.web import editing
from mailflow.web.accounts import Role, active_names, has_role
from mailflow.web.framework import Ctx, Refused, redirect
from mailflow.web.mailview import envelope_of, sanitise_html
from mailflow.web.orderpage import (
    EDITABLE_STATES,
    ExtractionCache,
    build_page,
    load_order,
    version_of,
)

NOTICES = {
    "approved": "Approved. The reply is queued and goes out with the next outbox run.",
    "rejected": "Rejected. Nothing will be sent for this draft.",
    "corrected": "Saved. The order was checked again and the reply redrafted.",
    "unchanged": "Nothing was changed.",
    "handed_over": "Handed over.",
}


def _order_id(ctx: Ctx) -> int:
    return int(ctx.request.path_params["order_id"])


def order_page(ctx: Ctx) -> Response:
    order = load_order(ctx.session, _order_id(ctx))
    cache: ExtractionCache = ctx.request.app.state.extraction_cache
    page = build_page(ctx.session, ctx.desk, order, cache)
    return ctx.render(
        "order.html",
        page=page,
        notice=NOTICES.get(ctx.param("notice"), ""),
        clerks=[name for name in active_names(ctx.session) if name != ctx.user.username],
        may_approve=not page.needs_supervisor or has_role(ctx.user.role, Role.SUPERVISOR),
        refdata=ctx.desk.app.services.refdata,
    )


def _framed(body: str) -> HTMLResponse:
    # Served under a *.frame.html path: the strict frame CSP applies, and the
    # page embeds it in an iframe with an empty sandbox.
    page = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{body}</body></html>'
    return HTMLResponse(page)


def mail_frame(ctx: Ctx) -> Response:
    message = ctx.session.get(Message, int(ctx.request.path_params["message_id"]))
    if message is None:
        raise Refused(404, "No such message.")
    envelope = envelope_of(message.raw, ctx.desk.app.settings.desk)
    return _framed(sanitise_html(envelope.html or ""))


def reply_frame(ctx: Ctx) -> Response:
    draft = ctx.session.get(Draft, int(ctx.request.path_params["draft_id"]))
    if draft is None:
        raise Refused(404, "No such draft.")
    return _framed(sanitise_html(draft.body_html, keep_styles=True))


def _check_version(ctx: Ctx, order: Order) -> None:
    if ctx.field("version") != version_of(ctx.session, order):
        raise Refused(
            409,
            f"Order {order.token} changed since this page was loaded "
            "(or this form was already sent). Reload the page and try again.",
        )


def _pending(ctx: Ctx, order: Order) -> Draft:
    draft = ctx.session.get(Draft, int(ctx.field("draft_id") or 0))
    if draft is None or draft.order_id != order.id:
        raise Refused(404, "That draft does not belong to this order.")
    if draft.state is not DraftState.PENDING:
        who = f" by {draft.decided_by}" if draft.decided_by else ""
        raise Refused(409, f"This draft was already {draft.state}{who}; nothing was done.")
    return draft


def _done(order: Order, notice: str) -> Response:
    return redirect(f"/orders/{order.id}?notice={notice}")


def approve(ctx: Ctx) -> Response:
    order = load_order(ctx.session, _order_id(ctx), lock=True)
    draft = _pending(ctx, order)
    _check_version(ctx, order)
    needs_supervisor = any(f.code == "approval_required" for f in order.findings)
    if needs_supervisor and not has_role(ctx.user.role, Role.SUPERVISOR):
        raise Refused(403, "This order is above the approval limit: a supervisor approves it.")
    approve_draft(
        ctx.session, Decision(draft.id, ctx.user.username), desk=ctx.desk.app.settings.desk
    )
    return _done(order, "approved")


def reject(ctx: Ctx) -> Response:
    order = load_order(ctx.session, _order_id(ctx), lock=True)
    draft = _pending(ctx, order)
    _check_version(ctx, order)
    reason = ctx.field("reason")
    if not reason:
        raise Refused(422, "Say why the draft is rejected: the reason goes into the audit trail.")
    reject_draft(ctx.session, Decision(draft.id, ctx.user.username, reason[:2000]))
    return _done(order, "rejected")


def _editable(ctx: Ctx) -> Order:
    order = load_order(ctx.session, _order_id(ctx), lock=True)
    _check_version(ctx, order)
    if order.state not in EDITABLE_STATES:
        raise Refused(409, f"Order {order.token} is {order.state}: it can no longer be changed.")
    return order


def _known_sku(ctx: Ctx, typed: str) -> str:
    sku = typed.strip().upper().split(" ", 1)[0]
    if sku not in ctx.desk.app.services.refdata.products:
        raise Refused(422, f"{typed!r} is not a product code in the catalog.")
    return sku


def correct_line(ctx: Ctx) -> Response:
    order = _editable(ctx)
    line = editing.line_at(order, int(ctx.request.path_params["position"]))
    sku = _known_sku(ctx, ctx.field("sku"))
    quantity = editing.parse_quantity(ctx.field("quantity"))
    actor = ctx.user.username
    changes = editing.correct_line(
        ctx.session, order, line, sku=sku, quantity=quantity, actor=actor
    )
    if ctx.field("remember"):
        alias = ctx.field("alias") or line.description
        editing.remember_alias(ctx.session, order, alias=alias, sku=sku, actor=actor)
    if not changes:
        return _done(order, "unchanged")
    editing.recheck(ctx.session, order, changes, services=ctx.desk.app.services, actor=actor)
    return _done(order, "corrected")


def correct_order(ctx: Ctx) -> Response:
    order = _editable(ctx)
    ship_to = {key: ctx.field(f"ship_to_{key}") for key in editing.SHIP_TO_FIELDS}
    ship_to["country"] = ship_to["country"].upper()
    changes = editing.correct_order(
        ctx.session,
        order,
        requested=editing.parse_day(ctx.field("requested_date")),
        ship_to=ship_to,
        actor=ctx.user.username,
    )
    if not changes:
        return _done(order, "unchanged")
    actor = ctx.user.username
    editing.recheck(ctx.session, order, changes, services=ctx.desk.app.services, actor=actor)
    return _done(order, "corrected")


def hand_over(ctx: Ctx) -> Response:
    order = load_order(ctx.session, _order_id(ctx), lock=True)
    _check_version(ctx, order)
    to = ctx.field("to")
    if to not in active_names(ctx.session):
        raise Refused(422, "Choose an active user to hand the order over to.")
    audit.record(
        ctx.session,
        "order.handed_over",
        actor=ctx.user.username,
        order_id=order.id,
        after={"to": to, "note": ctx.field("note")[:500]},
    )
    # A new version, so that the same hand-over form cannot be sent twice.
    order.updated_at = utcnow()
    return _done(order, "handed_over")

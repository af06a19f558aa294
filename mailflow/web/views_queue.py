"""The queue page and the catalog search behind the product field."""

from __future__ import annotations

import dataclasses

from starlette.responses import JSONResponse, Response

from mailflow.clock import utcnow
from mailflow.states import OrderState
from mailflow.web import queue
from mailflow.web.framework import Ctx
from mailflow.web.orderpage import version_of

SEARCH_LIMIT = 12


def queue_page(ctx: Ctx) -> Response:
    wanted = queue.QueueFilter(
        state=ctx.param("state"),
        customer=ctx.param("customer"),
        finding=ctx.param("finding"),
        search=ctx.param("q"),
    )
    if wanted.state and wanted.state not in set(OrderState):
        wanted = dataclasses.replace(wanted, state="")
    session = ctx.session
    return ctx.render(
        "queue.html",
        wanted=wanted,
        drafts=queue.pending_drafts(session, wanted),
        waiting=queue.waiting_orders(session, wanted),
        quarantined=queue.quarantined(session, wanted),
        undelivered=[] if wanted.active else queue.undelivered(session),
        states=list(OrderState),
        codes=queue.finding_codes(session),
        now=utcnow(),
        age=queue.age_minutes,
        sla=ctx.desk.options.approval_sla_minutes,
        version=lambda order: version_of(session, order),
    )


def _score(term: str, sku: str, names: list[str]) -> int:
    if sku.lower().startswith(term):
        return 0
    if any(term in name.lower() for name in names):
        return 1
    return 2


def catalog_search(ctx: Ctx) -> Response:
    """Active products whose code or name contains every word typed, best first."""
    typed = ctx.param("q").lower()
    words = typed.split()
    found = []
    for product in ctx.desk.app.services.refdata.products.values():
        names = [product.name, product.name_zh, *product.aliases]
        haystack = " ".join([product.sku, *names]).lower()
        if product.active and words and all(word in haystack for word in words):
            found.append((_score(typed, product.sku, names), product.sku, product.name))
    found.sort()
    items = [{"sku": sku, "name": name} for _, sku, name in found[:SEARCH_LIMIT]]
    return JSONResponse({"items": items})

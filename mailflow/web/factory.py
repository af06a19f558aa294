"""``create_app``: the review UI as an ASGI app, sharing the ``App``'s engine,
session factory and services with the pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from mailflow.app import App
from mailflow.config import Settings
from mailflow.web import api, views_auth, views_ops, views_order, views_queue
from mailflow.web.accounts import Role
from mailflow.web.framework import Desk, endpoint
from mailflow.web.headers import SecurityHeaders
from mailflow.web.options import WebOptions
from mailflow.web.orderpage import ExtractionCache

HERE = Path(__file__).parent
POST = ["POST"]


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda value: "–" if value is None else f"{value:.0%}"
    env.filters["minutes"] = _minutes
    # Not Jinja's tojson: that escapes every non-ASCII character, which turns
    # a Chinese order into \u sequences; autoescaping makes this one safe.
    env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False, default=str)
    return env


def _minutes(value: float | None) -> str:
    if value is None:
        return "–"
    hours, minutes = divmod(round(value), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def _order_routes() -> list[BaseRoute]:
    order = "/orders/{order_id:int}"
    return [
        Route(order, endpoint(views_order.order_page)),
        Route(f"{order}/approve", endpoint(views_order.approve), methods=POST),
        Route(f"{order}/reject", endpoint(views_order.reject), methods=POST),
        Route(f"{order}/lines/{{position:int}}", endpoint(views_order.correct_line), methods=POST),
        Route(f"{order}/details", endpoint(views_order.correct_order), methods=POST),
        Route(f"{order}/hand-over", endpoint(views_order.hand_over), methods=POST),
        Route("/messages/{message_id:int}/mail.frame.html", endpoint(views_order.mail_frame)),
        Route("/drafts/{draft_id:int}/reply.frame.html", endpoint(views_order.reply_frame)),
    ]


def _routes() -> list[BaseRoute]:
    return [
        Route("/", endpoint(views_queue.queue_page)),
        Route("/signin", endpoint(views_auth.signin_form, role=None)),
        Route("/signin", endpoint(views_auth.signin_submit, role=None), methods=POST),
        Route("/signout", endpoint(views_auth.signout), methods=POST),
        Route("/api/catalog", endpoint(views_queue.catalog_search, json=True)),
        *_order_routes(),
        Route("/dashboard", endpoint(views_ops.dashboard_page)),
        Route("/audit", endpoint(views_ops.audit_page)),
        Route("/settings", endpoint(views_ops.settings_page, role=Role.SUPERVISOR)),
        Route("/admin/users", endpoint(views_ops.users_page, role=Role.ADMIN)),
        Route("/admin/users", endpoint(views_ops.users_add, role=Role.ADMIN), methods=POST),
        Route(
            "/admin/users/active", endpoint(views_ops.users_active, role=Role.ADMIN), methods=POST
        ),
        Route("/health", health),
        Route("/api/orders/{order}/shipments", api.create_shipment, methods=["POST"]),
        Route("/metrics", endpoint(views_ops.metrics, role=None)),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]


def _database_ok(app: App) -> bool:
    with app.engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    return True


async def health(request: Request) -> Response:
    """200 while the database answers, 503 when it does not (for load balancers)."""
    desk: Desk = request.app.state.desk
    try:
        await run_in_threadpool(_database_ok, desk.app)
    except Exception as exc:
        return JSONResponse({"status": "down", "database": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


def create_app(
    settings: Settings, *, app: App | None = None, options: WebOptions | None = None
) -> Starlette:
    """The review UI over ``app`` (built from ``settings`` when not given)."""
    application = app or App.build(settings)
    web = Starlette(routes=_routes(), middleware=[Middleware(SecurityHeaders)])
    web.state.desk = Desk(application, options or WebOptions(), _templates())
    web.state.extraction_cache = ExtractionCache()
    return web

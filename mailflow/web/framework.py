"""How a request becomes a response: every view runs in a worker thread inside
one database transaction, after the session cookie, the role and (for
changes) the CSRF token were checked. Views raise ``Refused`` to answer with
an error page instead of a change."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from jinja2 import Environment
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from mailflow.app import App
from mailflow.db.session import transaction
from mailflow.errors import PermanentError
from mailflow.web.accounts import Role, has_role
from mailflow.web.options import WebOptions
from mailflow.web.sessions import Viewer, same_token, viewer_for

log = logging.getLogger(__name__)
SESSION_COOKIE = "mf_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


@dataclass
class Desk:
    """What every view needs, built once by ``create_app``."""

    app: App
    options: WebOptions
    templates: Environment


class Refused(Exception):
    """Answer with ``status`` and ``message`` instead of carrying out the request."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Ctx:
    """One request, as a view sees it."""

    request: Request
    desk: Desk
    form: dict[str, str] = field(default_factory=dict)
    viewer: Viewer | None = None
    db: Session | None = None

    @property
    def session(self) -> Session:
        if self.db is None:
            raise RuntimeError("the view ran outside its transaction")
        return self.db

    @property
    def user(self) -> Viewer:
        if self.viewer is None:
            raise Refused(401, "Please sign in.")
        return self.viewer

    def param(self, name: str, default: str = "") -> str:
        return self.request.query_params.get(name, default).strip()

    def field(self, name: str) -> str:
        return self.form.get(name, "").strip()

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        return render(self.desk, template, self.viewer, status=status, **values)


View = Callable[[Ctx], Response]
Endpoint = Callable[[Request], Awaitable[Response]]


def render(
    desk: Desk, template: str, viewer: Viewer | None, *, status: int = 200, **values: Any
) -> HTMLResponse:
    page = desk.templates.get_template(template)
    html = page.render(viewer=viewer, desk_name=desk.app.settings.desk.name, **values)
    return HTMLResponse(html, status_code=status)


def redirect(url: str) -> RedirectResponse:
    # 303: the browser follows with a GET, so a reload never repeats the POST.
    return RedirectResponse(url, status_code=303)


def desk_of(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


async def _form(request: Request) -> dict[str, str]:
    if request.method != "POST":
        return {}
    data = await request.form()
    return {key: value for key, value in data.items() if isinstance(value, str)}


def _check_csrf(ctx: Ctx) -> None:
    given = ctx.form.get(CSRF_FIELD) or ctx.request.headers.get(CSRF_HEADER)
    if not same_token(given, ctx.user.csrf_token):
        raise Refused(403, "This form has expired or did not come from this site. Reload the page.")


def _admit(ctx: Ctx, role: Role | None) -> None:
    if role is None:
        return
    if not has_role(ctx.user.role, role):
        raise Refused(403, f"This needs the {role} role.")
    if ctx.request.method == "POST":
        _check_csrf(ctx)


def _refusal(ctx: Ctx, refused: Refused, *, json: bool) -> Response:
    if refused.status == 401 and not json and ctx.request.method == "GET":
        target = quote(str(ctx.request.url.path), safe="/")
        return redirect(f"/signin?next={target}")
    if json:
        return JSONResponse({"error": refused.message}, status_code=refused.status)
    return ctx.render("error.html", status=refused.status, message=refused.message)


def _run(view: View, ctx: Ctx, role: Role | None, json: bool) -> Response:
    try:
        with transaction(ctx.desk.app.factory) as session:
            ctx.db = session
            ctx.viewer = viewer_for(session, ctx.request.cookies.get(SESSION_COOKIE))
            _admit(ctx, role)
            return view(ctx)
    except Refused as refused:
        return _refusal(ctx, refused, json=json)
    except PermanentError as exc:
        # The domain said no (e.g. a draft decided already): nothing was written.
        return _refusal(ctx, Refused(409, str(exc)), json=json)


def endpoint(view: View, *, role: Role | None = Role.CLERK, json: bool = False) -> Endpoint:
    """A Starlette endpoint running ``view`` for viewers with ``role`` (None: anyone)."""

    async def handle(request: Request) -> Response:
        form = await _form(request)
        ctx = Ctx(request, desk_of(request), form=form)
        return await run_in_threadpool(_run, view, ctx, role, json)

    return handle

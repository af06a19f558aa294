"""Signing in to the review UI: sessions, cookies, rate limits, sign-out."""

from __future__ import annotations

from sqlalchemy import select

from mailflow.app import App
from mailflow.db.models import SignInAttempt, WebSession
from mailflow.db.session import transaction
from mailflow.web import WebOptions
from mailflow.web.accounts import set_active
from mailflow.web.framework import SESSION_COOKIE
from mailflow.web.sessions import token_digest
from tests.web_support import PASSWORD, client_for, hidden_fields, make_user, sign_in


def test_sign_in_opens_a_server_side_session_with_a_safe_cookie(app: App) -> None:
    make_user(app, "anna")
    with client_for(app) as client:
        # WHEN anna signs in with her password
        response = sign_in(client, "anna")
    # THEN she is sent to the queue with an HttpOnly, SameSite=Lax session cookie
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("mf_session"))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    # AND the database keeps only the token's SHA-256
    token = response.cookies[SESSION_COOKIE]
    with app.factory() as session:
        stored = session.scalars(select(WebSession.token_sha256)).one()
    assert stored == token_digest(token) and token not in stored


def test_cookie_is_secure_over_https_or_when_the_setting_says_so(app: App) -> None:
    make_user(app, "anna")
    with client_for(app) as client:
        client.base_url = client.base_url.copy_with(scheme="https")
        over_https = sign_in(client, "anna")
    with client_for(app, WebOptions(secure_cookies=True)) as client:
        forced = sign_in(client, "anna")
    for response in (over_https, forced):
        assert "Secure" in response.headers["set-cookie"]


def test_wrong_password_is_refused_and_counted(app: App) -> None:
    make_user(app, "anna")
    with client_for(app) as client:
        response = sign_in(client, "anna", "not her password")
        assert response.status_code == 401
        assert "Wrong user name or password" in response.text
        assert client.get("/", follow_redirects=False).status_code == 303
    with app.factory() as session:
        attempt = session.scalars(select(SignInAttempt)).one()
    assert attempt.username == "anna"


def test_failed_sign_ins_are_limited_per_user(app: App) -> None:
    make_user(app, "anna")
    options = WebOptions(max_failures_per_user=3)
    with client_for(app, options) as client:
        # GIVEN three wrong guesses at anna's password
        for _ in range(3):
            assert sign_in(client, "anna", "guess").status_code == 401
        # WHEN the right password comes next
        response = sign_in(client, "anna")
    # THEN it is refused too, until the window has passed
    assert response.status_code == 401
    assert "Too many failed sign-ins" in response.text


def test_failed_sign_ins_are_limited_per_address(app: App) -> None:
    make_user(app, "anna")
    options = WebOptions(max_failures_per_address=3)
    with client_for(app, options) as client:
        # GIVEN one address trying three different names
        for name in ("root", "admin", "bob"):
            sign_in(client, name, "guess")
        # THEN even a real user cannot sign in from there for a while
        assert "Too many failed sign-ins" in sign_in(client, "anna").text


def test_sign_in_form_needs_its_own_token(app: App) -> None:
    make_user(app, "anna")
    with client_for(app) as client:
        # A form posted from another site carries no token of ours.
        data = {"username": "anna", "password": PASSWORD, "pre_token": "forged"}
        response = client.post("/signin", data=data, follow_redirects=False)
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies


def test_pages_and_api_need_a_session(app: App) -> None:
    with client_for(app) as client:
        page = client.get("/orders/1", follow_redirects=False)
        api = client.get("/api/catalog?q=bolt")
    assert page.status_code == 303 and page.headers["location"] == "/signin?next=/orders/1"
    assert api.status_code == 401


def test_sign_in_only_returns_to_pages_of_this_site(app: App) -> None:
    make_user(app, "anna")
    with client_for(app) as client:
        form = client.get("/signin").text
        token = hidden_fields(form, "/signin")["pre_token"]
        data = {"username": "anna", "password": PASSWORD, "pre_token": token}
        response = client.post(
            "/signin", data={**data, "next": "//evil.example/"}, follow_redirects=False
        )
    assert response.headers["location"] == "/"


def test_sign_out_ends_the_session_on_the_server(app: App) -> None:
    make_user(app, "anna")
    with client_for(app) as client:
        sign_in(client, "anna")
        token = client.cookies[SESSION_COOKIE]
        fields = hidden_fields(client.get("/").text, "/signout")
        assert client.post("/signout", data=fields, follow_redirects=False).status_code == 303
        # WHEN someone replays the old cookie
        client.cookies.set(SESSION_COOKIE, token)
        response = client.get("/", follow_redirects=False)
    # THEN it opens nothing
    assert response.status_code == 303 and response.headers["location"].startswith("/signin")


def test_disabling_a_user_ends_their_sessions(app: App) -> None:
    make_user(app, "anna")
    with client_for(app) as client:
        sign_in(client, "anna")
        with transaction(app.factory) as session:
            set_active(session, "anna", active=False, actor="test")
        assert client.get("/", follow_redirects=False).status_code == 303
        assert sign_in(client, "anna").status_code == 401

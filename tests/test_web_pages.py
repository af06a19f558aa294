"""What the pages show: the queue in its order, the order with its evidence,
the e-mail's HTML made inert, the dashboard's figures, health and metrics."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

from sqlalchemy import select
from starlette.testclient import TestClient

from mailflow.app import App
from mailflow.db.models import Message, Order
from mailflow.db.session import transaction
from mailflow.mail.sources import deliver_to_maildir
from mailflow.orders import Decision, approve_draft
from mailflow.web.headers import PAGE_CSP
from tests.conftest import SettingsFactory
from tests.helpers import reply_email
from tests.web_support import (
    TRACKER,
    DemoOrders,
    client_for,
    make_user,
    pending_draft,
    sign_in,
)


def section(page: str, heading: str) -> str:
    start = page.index(heading)
    return page[start : page.index("</section>", start)]


def test_queue_lists_drafts_awaiting_approval_first(clerk: TestClient, desk: DemoOrders) -> None:
    page = clerk.get("/").text
    drafts = section(page, "Replies awaiting approval")
    assert page.index("Replies awaiting approval") < page.index("Waiting for the customer")
    # Oldest first: the customer who wrote first has waited longest.
    tokens = re.findall(r'href="/orders/(\d+)"', drafts)
    assert tokens[:3] == [str(desk.clean), str(desk.clean), str(desk.unclear)]


def test_queue_filters_by_finding_and_searches(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    by_finding = section(clerk.get("/?finding=unknown_product").text, "Replies awaiting")
    assert f"/orders/{desk.unclear}" in by_finding and f"/orders/{desk.clean}" not in by_finding
    by_po = section(clerk.get("/?q=MB-1001").text, "Replies awaiting")
    assert f"/orders/{desk.clean}" in by_po and f"/orders/{desk.unclear}" not in by_po
    nobody = section(clerk.get("/?customer=nobody").text, "Replies awaiting")
    assert "Nothing awaits approval" in nobody


def test_approved_order_moves_to_waiting_for_the_customer(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    with transaction(app.factory) as session:
        draft = pending_draft(app, desk.clean)
        approve_draft(session, Decision(draft.id, "anna"), desk=app.settings.desk)
    page = clerk.get("/?state=awaiting_customer").text
    assert f"/orders/{desk.clean}" in section(page, "Waiting for the customer")


def test_an_order_flagged_for_a_clerk_shows_with_the_reason(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    # GIVEN an order whose conversation needs a clerk (the customer asked a question)
    with transaction(app.factory) as session:
        session.get_one(Order, desk.clean).attention = "the customer asks a question"
    page = clerk.get("/").text
    waiting = section(page, "Waiting for the customer")
    assert f"/orders/{desk.clean}" in waiting and "the customer asks a question" in waiting


def test_order_page_marks_evidence_and_confidence(clerk: TestClient, desk: DemoOrders) -> None:
    page = clerk.get(f"/orders/{desk.clean}").text
    # Each line's words in the e-mail carry the field they are evidence for.
    assert '<span class="ev" data-ev="line-0">2 boxes BLT-M6-30</span>' in page
    assert '<span class="ev" data-ev="po_number">MB-1001</span>' in page
    assert 'data-field="line-0"' in page and 'data-field="requested_date"' in page
    assert re.search(r'class="conf conf-high" title="extraction confidence">\d+%', page)


def test_order_page_shows_findings_with_suggestions(clerk: TestClient, desk: DemoOrders) -> None:
    findings = section(clerk.get(f"/orders/{desk.unclear}").text, 'id="findings"')
    assert "unknown_product" in findings and "(line 1)" in findings


def test_order_page_shows_the_reply_as_the_customer_will_see_it(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    draft = pending_draft(app, desk.clean)
    page = clerk.get(f"/orders/{desk.clean}").text
    assert draft.subject in page and "BLT-M6-30" in section(page, 'id="reply-text"')
    assert f'src="/drafts/{draft.id}/reply.frame.html"' in page
    frame = clerk.get(f"/drafts/{draft.id}/reply.frame.html")
    assert "BLT-M6-30" in frame.text and "sandbox" in frame.headers["content-security-policy"]


def test_every_page_has_a_strict_content_security_policy(
    clerk: TestClient, desk: DemoOrders
) -> None:
    for path in ("/", f"/orders/{desk.clean}", "/dashboard", "/audit", "/signin"):
        headers = clerk.get(path).headers
        assert headers["content-security-policy"] == PAGE_CSP
        assert headers["x-frame-options"] == "DENY"
    assert "'unsafe-inline'" not in PAGE_CSP.split("script-src")[1].split(";")[0]


def test_html_of_a_hostile_email_is_served_inert(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    with app.factory() as session:
        message_id = session.get_one(Order, desk.hostile).source_message_id
    response = clerk.get(f"/messages/{message_id}/mail.frame.html")
    body = response.text.lower()
    for active in ("<script", "onerror", "onload", "javascript:", TRACKER, "<iframe", "<form"):
        assert active not in body, active
    assert "blt-m6-30" in body  # the order itself is still readable
    policy = response.headers["content-security-policy"]
    assert "sandbox" in policy and "script-src" not in policy and "img-src data:" in policy


def test_dashboard_counts_a_confirmed_order_without_edits_as_touchless(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    # GIVEN the clean order approved, sent, and confirmed by the customer
    with transaction(app.factory) as session:
        approve_draft(session, Decision(pending_draft(app, desk.clean).id, "anna"),
                      desk=app.settings.desk)  # fmt: skip
    app.send()
    [sent] = (Path(app.settings.smtp.out_dir) / "new").iterdir()
    ours = email.message_from_bytes(sent.read_bytes(), policy=email.policy.default)
    deliver_to_maildir(app.settings.inbox.path, reply_email(ours.as_bytes()))
    app.cycle()
    # WHEN the desk manager opens the dashboard
    page = clerk.get("/dashboard").text
    # THEN the confirmed order counts as touchless and the first reply as timed
    assert "100%</span> touchless" in page and "1 of 1 confirmed" in page
    assert "(1 orders)" in page and "<svg" in page


def test_metrics_speak_prometheus(app: App, desk: DemoOrders) -> None:
    with client_for(app) as client:
        response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    assert "mailflow_messages_fetched_total 3" in text
    assert 'mailflow_orders{state="drafted"} 3' in text
    assert 'mailflow_outbox_failures{state="failed"} 0' in text
    with app.factory() as session:
        assert session.scalar(select(Message.mailbox_id)) is not None
    assert re.search(r'mailflow_last_fetch_timestamp_seconds\{account="test"\} \d+', text)


def test_health_answers_without_a_session(app: App) -> None:
    with client_for(app) as client:
        response = client.get("/health")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_audit_page_verifies_the_chain(clerk: TestClient) -> None:
    page = clerk.get("/audit").text
    assert re.search(r"audit chain intact: \d+ events verified", page)


def test_supervisor_sees_the_settings_with_secrets_masked(make_settings: SettingsFactory) -> None:
    # GIVEN secrets in a password setting, the database URL and the webhook URL
    app = App.build(
        make_settings(
            smtp={"password": "hunter2-smtp-secret"},
            export={"webhook_url": "https://erp:hunter2-hook@erp.example/in?token=hunter2-q"},
        )
    )
    # (shown, not used: the app already runs on its own database)
    app.settings.database.url = "postgresql://mailflow:hunter2-db@db.internal/mailflow"
    make_user(app, "sam", role="supervisor")
    with client_for(app) as client:
        sign_in(client, "sam")
        page = client.get("/settings")
    assert page.status_code == 200 and "[smtp]" in page.text
    assert "hunter2" not in page.text and "**********" in page.text
    app.close()

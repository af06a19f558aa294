"""The review UI in a real browser: Debian's Chromium driven by Playwright,
against the app served by uvicorn on a loopback port, with the replies going
to the test SMTP server. Screenshots land in ``test-artifacts/``.

Skips when Chromium or Playwright is missing, unless
``MAILFLOW_REQUIRE_SERVERS=1`` makes that a failure."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from mailflow.app import App
from tests.conftest import REPO, SettingsFactory
from tests.servers import HOST, SmtpServer, free_port, unavailable
from tests.web_support import PASSWORD, TRACKER, DemoOrders, fill_desk, make_user

pytestmark = pytest.mark.servers

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts"
T = TypeVar("T")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install playwright (no browser download)")
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"{CHROMIUM} not found: apt-get install chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Live:
    app: App
    orders: DemoOrders
    url: str


def off_the_loop(work: Callable[[], T]) -> T:
    """Run ``work`` in another thread: Playwright's sync API keeps an event
    loop running in this one, and the outbox starts its own with asyncio.run."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result(timeout=120)


def _serve(app: App) -> Iterator[str]:
    import uvicorn

    from mailflow.web import create_app

    port = free_port()
    config = uvicorn.Config(create_app(app.settings, app=app), host=HOST, port=port,
                            log_level="warning", lifespan="off")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live(make_settings: SettingsFactory, smtp_server: SmtpServer) -> Iterator[Live]:
    """The desk with demo orders, served on loopback; replies go to ``smtp_server``."""
    smtp = smtp_server.smtp_settings().model_dump(mode="json", exclude={"password"})
    app = App.build(make_settings(smtp=smtp))
    orders = off_the_loop(lambda: fill_desk(app))
    make_user(app, "anna")
    for url in _serve(app):
        yield Live(app, orders, url)
    app.close()


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Any]:
    """A signed-in page; any script error on any page fails the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(live.url + "/")
    tab.fill("input[name=username]", "anna")
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_selector("text=Replies awaiting approval")
    yield tab
    context.close()
    assert errors == []


def shot(page: Any, name: str) -> None:
    """A screenshot of the whole page. The viewport is stretched to the page
    first: Chromium leaves sandboxed frames outside the viewport unpainted in
    a full-page capture."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": height})
    for frame in page.frames:
        frame.wait_for_load_state()
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size(size)


def findings(page: Any) -> list[str]:
    return list(
        page.eval_on_selector_all("#findings li[data-code]", "els => els.map(e => e.dataset.code)")
    )


def test_clerk_approves_a_draft_and_the_reply_arrives(
    page: Any, live: Live, smtp_server: SmtpServer
) -> None:
    shot(page, "queue.png")
    # WHEN anna opens the clean order from the queue and approves its reply (key a)
    page.click(f"a[href='/orders/{live.orders.clean}']")
    page.wait_for_selector("#approve")
    shot(page, "order.png")
    page.keyboard.press("a")
    page.wait_for_selector("text=Approved. The reply is queued")
    # AND the outbox runs
    assert off_the_loop(live.app.send).sent == 1
    # THEN the customer's server receives the confirmation
    [received] = smtp_server.wait_for(1)
    assert received.rcpt_tos == ["priya.shah@millbrook-eng.example"]
    assert b"BLT-M6-30" in received.raw
    # AND the order shows as waiting for the customer, with anna in its timeline
    assert page.is_visible("text=awaiting customer")
    assert page.is_visible("ol.timeline >> text=draft.approved")


def test_editing_a_line_updates_the_findings(page: Any, live: Live) -> None:
    page.goto(f"{live.url}/orders/{live.orders.unclear}")
    assert "unknown_product" in findings(page)
    # WHEN anna types part of a product code, the catalog offers matches
    product = page.locator("form[data-field='line-0'] input[name=sku]")
    product.fill("")
    product.type("BLT-M6")
    page.locator("#catalog-0 option").first.wait_for(state="attached")
    # AND she saves the product with a quantity
    product.fill("BLT-M6-30")
    page.fill("form[data-field='line-0'] input[name=quantity]", "6")
    page.click("form[data-field='line-0'] button[type=submit]")
    page.wait_for_selector("text=Saved. The order was checked again")
    # THEN the finding is gone and the reply now confirms the order
    assert "unknown_product" not in findings(page)
    assert "BLT-M6-30" in page.inner_text("#reply-text")
    assert page.is_visible(".reply h2 >> text=confirmation")


def test_keyboard_moves_through_the_queue_and_the_order(page: Any, live: Live) -> None:
    rows = page.locator("tr[data-row]")
    assert rows.nth(0).get_attribute("class") == "selected"
    page.keyboard.press("j")
    assert "selected" in (rows.nth(1).get_attribute("class") or "")
    page.keyboard.press("k")
    assert "selected" in (rows.nth(0).get_attribute("class") or "")
    # "/" jumps to the search, Enter filters, Enter again opens the selected order
    page.keyboard.press("/")
    page.keyboard.type("MB-1002")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=MB-1002**")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/orders/{live.orders.unclear}")
    # On the order page "e" edits the first line's product, "r" goes to the reason
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.name") == "sku"
    page.keyboard.press("Escape")
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == "reject-reason"


def test_focusing_a_field_highlights_its_evidence(page: Any, live: Live) -> None:
    page.goto(f"{live.url}/orders/{live.orders.clean}")
    evidence = page.locator(".mail-text .ev[data-ev~='line-1']")
    assert "hl" not in (evidence.get_attribute("class") or "")
    # WHEN anna points at the second line
    page.hover("form[data-field='line-1'] .line-head")
    # THEN the words it was read from light up in the e-mail
    assert "hl" in (evidence.get_attribute("class") or "")
    assert evidence.inner_text() == "1 box NUT-M6"
    # AND walking the fields with j does the same for the PO number
    page.mouse.move(0, 0)
    page.keyboard.press("j")
    po = page.locator(".mail-text .ev[data-ev~='po_number']")
    assert "hl" in (po.get_attribute("class") or "")
    background = po.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_hostile_html_is_shown_inert(page: Any, live: Live) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.context.on("request", lambda request: requests.append(request.url))
    # WHEN anna opens the order whose HTML carries scripts, handlers and trackers
    page.goto(f"{live.url}/orders/{live.orders.hostile}")
    page.click("details.html-part summary")
    frame_element = page.wait_for_selector("iframe.mail-frame")
    frame = frame_element.content_frame()
    frame.wait_for_load_state()
    # THEN she reads it, nothing in it ran, and nothing called the tracker
    assert "BLT-M6-30" in frame.inner_text("body")
    assert frame.evaluate("() => window.__pwned === undefined")
    assert page.evaluate("() => window.__pwned === undefined")
    assert frame.locator("script").count() == 0
    sources = frame.eval_on_selector_all("img", "imgs => imgs.map(i => i.getAttribute('src'))")
    assert sources and all(src is None for src in sources)
    link = frame.locator("a")
    assert link.count() == 0 or not (link.first.get_attribute("href") or "").startswith("java")
    page.wait_for_timeout(300)
    assert [url for url in requests if TRACKER in url] == []
    shot(page, "hostile-order.png")

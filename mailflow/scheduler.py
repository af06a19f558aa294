"""The service: APScheduler jobs for intake, processing, sending, export and
the watchdog. With IMAP and IDLE, a push loop wakes intake as soon as mail
arrives; the interval job stays as a safety net.

All state lives in the database, so jobs are idempotent and any number of
``mailflow run`` processes may share a PostgreSQL database.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import timedelta
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import select

from mailflow.app import App, make_source
from mailflow.clock import utcnow
from mailflow.config import InboxKind
from mailflow.db.models import Mailbox
from mailflow.errors import MailflowError, TransientError

log = logging.getLogger(__name__)
_intake_lock = threading.Lock()


def intake_job(app: App) -> None:
    # The push loop and the interval job may fire together; one pass at a time
    # per process is enough (the database keeps passes of other processes apart).
    if not _intake_lock.acquire(blocking=False):
        return
    try:
        _fetch(app)
        # What was recorded is processed even when fetching failed half-way.
        processed = app.process()
        if processed:
            log.info("processed %d messages", len(processed))
    finally:
        _intake_lock.release()


def _fetch(app: App) -> None:
    try:
        stats = app.intake()
    except TransientError as exc:
        log.warning("intake will retry: %s", exc)
        return
    except Exception:
        # A job must survive anything: the watchdog reports a stuck inbox.
        log.exception("intake failed")
        return
    if stats.fetched:
        log.info("fetched %d, recorded %d", stats.fetched, stats.recorded)


def outbox_job(app: App) -> None:
    stats = app.send()
    try:
        app.archive()
    except MailflowError as exc:
        log.warning("copy to the Sent folder will retry: %s", exc)
    if stats.sent or stats.failed or stats.retried:
        log.info("outbox: sent %d, retrying %d, failed %d", stats.sent, stats.retried, stats.failed)


def export_job(app: App) -> None:
    exported = app.export()
    if exported:
        log.info("exported %d orders", exported)


def reminder_job(app: App) -> None:
    reminded = app.remind()
    if reminded:
        log.info("reminders: %d orders reminded or stalled", reminded)


def watchdog_job(app: App, *, stale_after: timedelta) -> None:
    """Raise an alert (an ERROR log line) when an inbox has not been fetched
    successfully for longer than ``stale_after``."""
    with app.factory() as session:
        for mailbox in session.scalars(select(Mailbox)):
            last = mailbox.last_fetch_at
            if last is None or utcnow() - last > stale_after:
                log.error(
                    "ALERT inbox %s not fetched successfully since %s (last error: %s)",
                    mailbox.account,
                    last,
                    mailbox.last_error,
                )


def push_loop(app: App, stop: threading.Event) -> None:
    """IMAP IDLE: wait on the server, then run intake, until ``stop`` is set."""
    source = make_source(app.settings)
    while not stop.is_set():
        try:
            source.connect()
            source.wait(app.settings.inbox.idle_seconds)
            if not stop.is_set():
                intake_job(app)
        except Exception as exc:
            # The push loop must outlive any failure; polling covers the gap.
            log.warning("push loop: %s; reconnecting", exc)
            source.close()
            stop.wait(app.settings.inbox.poll_seconds)
    source.close()


def start_web(app: App) -> Callable[[], None]:
    """Serve the review UI from this process in a thread; return its stopper."""
    import uvicorn

    from mailflow.web import WebOptions, create_app

    web = app.settings.web
    asgi = create_app(app.settings, app=app, options=WebOptions.from_settings(web))
    config = uvicorn.Config(asgi, host=web.host, port=web.port, log_config=None, proxy_headers=True)
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, name="web", daemon=True).start()
    log.info("review UI on http://%s:%d/", web.host, web.port)

    def stop() -> None:
        server.should_exit = True

    return stop


def run_service(app: App) -> None:
    inbox = app.settings.inbox
    scheduler = BlockingScheduler(timezone="UTC")
    defaults = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 30}
    scheduler.add_job(
        intake_job,
        "interval",
        args=[app],
        seconds=inbox.poll_seconds,
        next_run_time=utcnow(),
        **defaults,
    )
    scheduler.add_job(outbox_job, "interval", args=[app], seconds=5, **defaults)
    scheduler.add_job(export_job, "interval", args=[app], seconds=15, **defaults)
    scheduler.add_job(reminder_job, "interval", args=[app], minutes=5, **defaults)
    stale = timedelta(seconds=max(inbox.poll_seconds * 5, 300))
    scheduler.add_job(
        watchdog_job, "interval", args=[app], kwargs={"stale_after": stale}, minutes=1, **defaults
    )
    stop = threading.Event()
    stop_web = start_web(app) if app.settings.web.enabled else (lambda: None)
    if inbox.kind is InboxKind.IMAP and inbox.idle:
        threading.Thread(target=push_loop, args=(app, stop), name="imap-idle", daemon=True).start()

    def shutdown(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: stopping", signum)
        stop.set()
        stop_web()
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    log.info(
        "mailflow running: inbox %s (%s), sender %s",
        inbox.account,
        inbox.kind,
        app.settings.smtp.kind,
    )
    scheduler.start()

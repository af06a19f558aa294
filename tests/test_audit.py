"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

from typing import Any as App

from sqlalchemy import delete, select, update

from mailflow import audit
from mailflow.db.models import AuditEvent
from mailflow.db.session import transaction


def _write_events(app: App, count: int) -> None:
    for number in range(count):
        with transaction(app.factory) as session:
            audit.record(
                session, "test.event", actor="tester", after={"n": number, "text": "naïve 订单"}
            )


def test_untouched_chain_verifies(app: App) -> None:
    _write_events(app, 5)
    with app.factory() as session:
        result = audit.verify(session)
    assert result.ok and result.checked == 5


def test_edited_event_is_detected_and_named(app: App) -> None:
    # GIVEN a chain of five events
    _write_events(app, 5)
    # WHEN someone edits the third one in the database
    with transaction(app.factory) as session:
        session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(actor="mallory"))
    # THEN verification fails and points at it
    with app.factory() as session:
        result = audit.verify(session)
    assert not result.ok
    assert "#3" in (result.problem or "")
    assert result.checked == 2


def test_deleted_event_is_detected(app: App) -> None:
    _write_events(app, 4)
    with transaction(app.factory) as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
    with app.factory() as session:
        result = audit.verify(session)
    assert not result.ok
    assert "missing" in (result.problem or "")


def test_deleted_tail_is_detected(app: App) -> None:
    _write_events(app, 4)
    with transaction(app.factory) as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq == 4))
    with app.factory() as session:
        result = audit.verify(session)
    assert not result.ok


def test_events_link_to_their_predecessor(app: App) -> None:
    _write_events(app, 3)
    with app.factory() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash

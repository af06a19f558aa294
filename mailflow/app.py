"""Assembly: settings in, the running parts out. Nothing here is global; the
CLI, the scheduler and the tests each build their own ``App``."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from mailflow.config import InboxKind, SenderKind, Settings
from mailflow.db.session import make_engine, make_sessionmaker, upgrade
from mailflow.drafts import Renderer
from mailflow.export import run_exports
from mailflow.intake import IntakeStats, run_intake
from mailflow.mail.senders import MaildirSender, Sender
from mailflow.mail.sources import MaildirSource, Source
from mailflow.outbox import OutboxStats, archive_sent, run_outbox
from mailflow.pipeline import Processed, process_all
from mailflow.refdata import ReferenceData, load_reference_data
from mailflow.work import Services

log = logging.getLogger(__name__)


def load_refdata(settings: Settings) -> ReferenceData:
    data = settings.data
    return load_reference_data(
        catalog=data.catalog,
        customers=data.customers,
        promotions=data.promotions,
        holidays=data.holidays,
    )


def make_source(settings: Settings) -> Source:
    inbox = settings.inbox
    if inbox.kind is InboxKind.IMAP:
        from mailflow.mail.imap import ImapSource

        return ImapSource(inbox)
    return MaildirSource(inbox.path, account=inbox.account, max_bytes=inbox.max_message_bytes)


def make_sender(settings: Settings) -> Sender:
    if settings.smtp.kind is SenderKind.SMTP:
        from mailflow.mail.smtp import SmtpSender

        return SmtpSender(settings.smtp)
    return MaildirSender(settings.smtp.out_dir)


@dataclass
class CycleReport:
    intake: IntakeStats = field(default_factory=IntakeStats)
    processed: list[Processed] = field(default_factory=list)
    outbox: OutboxStats = field(default_factory=OutboxStats)
    archived: int = 0
    exported: int = 0


@dataclass
class App:
    settings: Settings
    engine: Engine
    factory: sessionmaker[Session]
    services: Services

    @classmethod
    def build(cls, settings: Settings, *, migrate: bool = True) -> App:
        engine = make_engine(settings.database.url, echo=settings.database.echo)
        if migrate:
            upgrade(engine)
        services = Services(
            settings=settings,
            refdata=load_refdata(settings),
            renderer=Renderer(settings.templates.dir),
        )
        return cls(settings, engine, make_sessionmaker(engine), services)

    def intake(self, source: Source | None = None) -> IntakeStats:
        chosen = source or make_source(self.settings)
        try:
            return run_intake(
                self.factory,
                chosen,
                kind=str(self.settings.inbox.kind),
                batch_size=self.settings.inbox.batch_size,
            )
        finally:
            if source is None:
                chosen.close()

    def process(self) -> list[Processed]:
        return process_all(self.factory, self.services)

    def send(self, sender: Sender | None = None) -> OutboxStats:
        chosen = sender or make_sender(self.settings)
        return asyncio.run(run_outbox(self.factory, sender=chosen, settings=self.settings.smtp))

    def archive(self) -> int:
        """Copy sent replies to the IMAP Sent folder (IMAP inboxes only)."""
        inbox = self.settings.inbox
        if inbox.kind is not InboxKind.IMAP or not inbox.sent_folder:
            return 0
        from mailflow.mail.imap import ImapSource

        source = ImapSource(inbox)
        try:
            return archive_sent(self.factory, source, folder=inbox.sent_folder)
        finally:
            source.close()

    def export(self) -> int:
        return run_exports(self.factory, self.settings.export)

    def remind(self) -> int:
        from mailflow.reminders import run_reminders

        return run_reminders(self.factory, self.services)

    def cycle(self) -> CycleReport:
        """One full pass: fetch, process, send what is approved, export."""
        report = CycleReport(intake=self.intake())
        report.processed = self.process()
        report.outbox = self.send()
        report.archived = self.archive()
        report.exported = self.export()
        return report

    def close(self) -> None:
        self.engine.dispose()

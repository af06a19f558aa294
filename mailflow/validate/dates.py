"""The delivery date: not in the past, not before the earliest feasible day,
on a working day, and stated at all.

The earliest feasible day is today plus the longest lead time of the order's
products, in working days of the delivery country (weekends and that
country's holidays skipped), and never less than ``min_lead_days``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from mailflow.extract.types import ExtractedOrder
from mailflow.refdata import Holiday, ReferenceData
from mailflow.validate.context import CheckContext
from mailflow.validate.findings import Finding
from mailflow.validate.l10n import Country
from mailflow.validate.report import report
from mailflow.validate.workdays import add_working_days, is_working_day, working_day_on_or_before


def earliest_delivery(
    skus: Iterable[str | None],
    *,
    refdata: ReferenceData,
    today: date,
    country: str,
    min_lead_days: int,
) -> date:
    """The first day all of these products can be delivered."""
    leads = [refdata.products[s].lead_time_days for s in skus if s in refdata.products]
    days = max([*leads, min_lead_days])
    return add_working_days(today, days, country=country, holidays=refdata.holidays)


def planned_delivery(
    requested: date | None, *, earliest: date, country: str, holidays: Sequence[Holiday]
) -> date:
    """The day we plan to deliver: the requested one when feasible, else the nearest that is.

    For a requested non-working day that is the working day before it: customers
    mostly mean "by" that day, and it cannot be before ``earliest``, which is a
    working day itself.
    """
    if requested is None or requested < earliest:
        return earliest
    return working_day_on_or_before(requested, country=country, holidays=holidays)


def check_dates(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    earliest = earliest_delivery(
        (line.sku for line in order.lines),
        refdata=context.refdata,
        today=context.today,
        country=context.country,
        min_lead_days=context.settings.min_lead_days,
    )
    requested = order.requested_date
    if requested is None:
        return [report("date_missing", context, field="requested_date", planned=earliest)]
    if requested < context.today:
        return [_too_early("date_in_past", requested, earliest, context)]
    if requested < earliest:
        return [_too_early("date_too_soon", requested, earliest, context)]
    holidays = context.refdata.holidays
    if not is_working_day(requested, country=context.country, holidays=holidays):
        return [_non_working(requested, earliest, context)]
    return []


def _too_early(code: str, requested: date, earliest: date, context: CheckContext) -> Finding:
    return report(code, context, field="requested_date", requested=requested, earliest=earliest)


def _non_working(requested: date, earliest: date, context: CheckContext) -> Finding:
    suggested = planned_delivery(
        requested, earliest=earliest, country=context.country, holidays=context.refdata.holidays
    )
    return report(
        "date_non_working_day",
        context,
        field="requested_date",
        variant="" if context.country else "nocountry",
        requested=requested,
        suggested=suggested,
        country=Country(context.country),
    )

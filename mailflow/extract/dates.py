"""Requested delivery dates: absolute dates in the customer's day/month order
and relative ones ("Thursday next week", "下周五前", "月底前", "within 2 weeks")
resolved against the e-mail's date."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from dateutil.easter import easter

from mailflow.extract.lexicon import Lexicon
from mailflow.extract.numbers import parse_number

PAST_GRACE_DAYS = 7
THURSDAY, FRIDAY, SATURDAY = 3, 4, 5


@dataclass(frozen=True)
class DateMention:
    value: date
    start: int
    end: int
    text: str
    cued: bool  # a delivery cue is in the same sentence
    confidence: float
    other_use: bool = False  # its clause says it is about something else (an invoice, a holiday)
    wish: bool = False  # its clause only wishes ("would be great")
    firm: bool = False  # its clause makes it a deadline ("at the latest")
    labelled: bool = False  # a form's delivery field ("交货：6月3日前", "Need-by date:")
    near: bool = False  # its delivery cue is in its own clause


@dataclass(frozen=True)
class DateContext:
    today: date
    day_first: bool | None  # None: unknown, decide by weekday or validity


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _future(ctx: DateContext, m: int, d: int, y: int | None = None) -> date | None:
    """The date with this month and day on or after today (less a grace period)."""
    if y is not None:
        return _safe(y + 2000 if y < 100 else y, m, d)
    for year in (ctx.today.year, ctx.today.year + 1):
        found = _safe(year, m, d)
        if found and found >= ctx.today - timedelta(days=PAST_GRACE_DAYS):
            return found
    return None


def _weekday(lex: Lexicon, word: str | None) -> int | None:
    if not word:
        return None
    weekdays: dict[str, int] = lex.dates["weekdays"]
    return weekdays.get(word.lower()[:3] if word.isascii() else word, weekdays.get(word.lower()))


def _next_weekday(today: date, weekday: int, *, week_offset: int | None) -> date:
    if week_offset is None:
        delta = (weekday - today.weekday()) % 7 or 7
        return today + timedelta(days=delta)
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=week_offset)
    return monday + timedelta(days=weekday)


def _numeric(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    a, b = int(g["a"]), int(g["b"])
    year = int(g["y"]) if g.get("y") else None
    if g.get("sep") == "." and year is None:
        return None, 0.0  # "2.5" is a size, not a date
    order = ("md", "dm") if ctx.day_first is False else ("dm", "md")
    found = {"dm": _future(ctx, b, a, year), "md": _future(ctx, a, b, year)}
    options = {k: found[k] for k in order}
    wd = _weekday(lex, g.get("wd"))
    if wd is not None:
        fits = [v for v in options.values() if v and v.weekday() == wd]
        if fits:
            return fits[0], 0.95
    valid = [k for k, v in options.items() if v]
    if len(valid) == 1:
        return options[valid[0]], 0.9
    ahead = [k for k in valid if (options[k] or date.min) >= ctx.today]
    if ctx.day_first is None and len(ahead) == 2:
        # An unknown sender's "12/4": of two readings ahead, the nearer one
        # (4 December asked in November, not 12 April next year).
        nearest = min(ahead, key=lambda k: options[k] or date.max)
        return options[nearest], 0.5
    return options[order[0]], 0.85


def _month(lex: Lexicon, word: str) -> int:
    months: dict[str, int] = lex.dates["months"]
    return months.get(word.lower(), months.get(word.lower()[:3], 0))


def _by_name(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    year = int(g["y"]) if g.get("y") else None
    return _future(ctx, _month(lex, g["mon"]), int(g["d"]), year), 0.95


def _ordinal(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    wd, day = _weekday(lex, g["wd"]), int(g["d"])
    for offset in range(0, 400):
        candidate = ctx.today + timedelta(days=offset)
        if candidate.day == day and candidate.weekday() == wd:
            return candidate, 0.85
    return None, 0.0


def _zh_week(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    wd = _weekday(lex, g["wd"])
    if wd is None:
        return None, 0.0
    rel = (g.get("rel") or "").strip()
    offset = 2 if rel == "下下" else 1 if rel.startswith("下") else 0
    found = _next_weekday(ctx.today, wd, week_offset=offset)
    if g.get("d") and found.day != int(g["d"]):
        alt = _future(ctx, found.month, int(g["d"]))
        return alt, 0.7
    return found, 0.9


def _month_end(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    """ "by end of month", "下月底", "9月底前": the last day of that month."""
    rel = (g.get("rel") or "").strip()
    year, month = ctx.today.year, ctx.today.month
    if rel.startswith(("下", "next")):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if g.get("m") and 1 <= int(g["m"]) <= 12:
        # "9月底" written in September is this month's; a month gone is next year's
        year, month = (year + 1 if int(g["m"]) < month else year), int(g["m"])
    return date(year, month, calendar.monthrange(year, month)[1]), 0.9


def _relative_day(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    offsets: dict[str, int] = lex.dates["relative_day_offsets"]
    word = (g.get("word") or g.get("zh") or "").lower()
    return ctx.today + timedelta(days=offsets[word]), 0.9


def _add_working_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        days -= current.weekday() < SATURDAY
    return current


def _within(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    written = g.get("n") or g.get("zhn") or ""
    count = parse_number(written, lex) or (1 if written in {"a", "the"} else 0)
    unit = (g.get("unit") or g.get("zhunit") or "").lower()
    if re.search(r"working|business|工作日", unit):
        return _add_working_days(ctx.today, int(count)), 0.8
    per = 14 if "fortnight" in unit else 7 if re.search(r"week|周|星期", unit) else 1
    return ctx.today + timedelta(days=int(count * per)), 0.8


def _week_end(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    """ "End of next week", "本周内", "下周末前": the Friday of that week."""
    rel = (g.get("rel") or "").strip().lower()
    offset = 2 if rel == "下下" else 1 if rel.startswith(("下", "next")) else 0
    return _next_weekday(ctx.today, FRIDAY, week_offset=offset), 0.75


def _next_month_day(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    year, month = ctx.today.year, ctx.today.month + 1
    if month > 12:
        year, month = year + 1, 1
    day = parse_number(g["d"], lex)
    return (_safe(year, month, int(day)), 0.9) if day else (None, 0.0)


def _day_only(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    """ "By the 20th", "最晚30号": the next date with that day of the month."""
    day = int(g.get("d") or g["d2"])
    for months_ahead in range(3):
        month = ctx.today.month + months_ahead
        found = _safe(ctx.today.year + (month - 1) // 12, (month - 1) % 12 + 1, day)
        if found and found >= ctx.today:
            return found, 0.75
    return None, 0.0


def _plain_weekday(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    wd = _weekday(lex, g["wd"])
    if wd is None:
        return None, 0.0
    pre, post = (g.get("pre") or "").lower(), (g.get("post") or "").lower()
    # "Tuesday week", "a week Friday": a week on that day
    if post in {"next week", "week"} or pre == "next" or pre.startswith("a week"):
        return _next_weekday(ctx.today, wd, week_offset=1), 0.75
    if post == "this week" or pre == "this":
        return _next_weekday(ctx.today, wd, week_offset=0), 0.8
    return _next_weekday(ctx.today, wd, week_offset=None), 0.8


def _this_month_day(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    return _safe(ctx.today.year, ctx.today.month, int(g["d"])), 0.9


def _ymd(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    return _safe(int(g["y"]), int(g["m"]), int(g["d"])), 1.0


def _md(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    return _future(ctx, int(g["m"]), int(g["d"])), 0.95


def _holiday_on(rule: str, year: int) -> date | None:
    """The day a holiday rule gives in ``year``: "12-25", "US-thanksgiving",
    "easter-2" (Good Friday), "08-lastmon" (the last Monday of August)."""
    if rule == "US-thanksgiving":
        first = date(year, 11, 1)
        return first + timedelta(days=(THURSDAY - first.weekday()) % 7 + 21)
    if rule.startswith("easter"):
        return easter(year) + timedelta(days=int(rule.removeprefix("easter") or 0))
    month, day = rule.split("-")
    if day in ("firstmon", "lastmon"):
        first = date(year, int(month), 1)
        monday = first + timedelta(days=-first.weekday() % 7)
        if day == "firstmon":
            return monday
        while (monday + timedelta(days=7)).month == first.month:
            monday += timedelta(days=7)
        return monday
    return _safe(year, int(month), int(day))


def _around_holiday(
    name: str, ctx: DateContext, lex: Lexicon, shift: Callable[[date], date]
) -> date | None:
    """The first day ahead that ``shift`` finds from this year's or next year's
    holiday; a name with several days ("bank holiday") takes the next of them."""
    rule = lex.dates["holidays"].get(re.sub(r"\s+", " ", name.lower()))
    rules = [rule] if isinstance(rule, str) else list(rule or [])
    for year in (ctx.today.year, ctx.today.year + 1):
        days = sorted(d for r in rules if (d := _holiday_on(r, year)) is not None)
        ahead = [shift(day) for day in days if shift(day) >= ctx.today]
        if ahead:
            return ahead[0]
    return None


def _holiday(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    """ "Before Christmas", "元旦前": the next such holiday, as "before X" is X
    for any other day (the corpus convention; the date check flags a holiday)."""
    name = g.get("hol") or g.get("zhhol") or ""
    found = _around_holiday(name, ctx, lex, lambda day: day)
    return (found, 0.8) if found else (None, 0.0)


def _holiday_weekday(
    g: dict[str, Any], ctx: DateContext, lex: Lexicon
) -> tuple[date | None, float]:
    """ "The Wednesday before Thanksgiving", "Monday after Thanksgiving"."""
    wd = _weekday(lex, g["wd"])
    if wd is None:
        return None, 0.0
    step = timedelta(days=-1 if g["rel"].lower() == "before" else 1)

    def nearest(day: date) -> date:
        day += step
        while day.weekday() != wd:
            day += step
        return day

    found = _around_holiday(g["hol"], ctx, lex, nearest)
    return (found, 0.85) if found else (None, 0.0)


def _iso_week(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    """ "Thursday week 50", "week 49, Friday": a weekday of an ISO week."""
    wd = _weekday(lex, g.get("wd") or g.get("wd2"))
    week = int(g.get("w") or g.get("w2") or 0)
    if wd is None or not 1 <= week <= 53:
        return None, 0.0
    for year in (ctx.today.year, ctx.today.year + 1):
        try:
            day = date.fromisocalendar(year, week, wd + 1)
        except ValueError:
            continue
        if day >= ctx.today - timedelta(days=PAST_GRACE_DAYS):
            return day, 0.9
    return None, 0.0


def _then(g: dict[str, Any], ctx: DateContext, lex: Lexicon) -> tuple[date | None, float]:
    """ "by then": a placeholder that _then_refers gives the date written before it."""
    return ctx.today, 0.7


RESOLVERS = {
    "holiday_weekday": _holiday_weekday,
    "iso_week": _iso_week,
    "holiday": _holiday,
    "ymd": _ymd,
    "md": _md,
    "this_month_day": _this_month_day,
    "next_month_day": _next_month_day,
    "week_end": _week_end,
    "day_only": _day_only,
    "zh_week": _zh_week,
    "month_end": _month_end,
    "wd_d_mon": _by_name,
    "wd_mon_d": _by_name,
    "numeric": _numeric,
    "wd_ordinal": _ordinal,
    "relative_day": _relative_day,
    "within": _within,
    "weekday": _plain_weekday,
    "then": _then,
}


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a span; a single line break does not end one."""
    stops = [m.start() for m in re.finditer(r"[.。!！?？](?!\d)|\n\s*\n", text)]
    left = max((s for s in stops if s < start), default=-1)
    right = min((s for s in stops if s >= end), default=len(text))
    return text[left + 1 : right]


def _field_label(text: str, start: int) -> str | None:
    """ "PO Date : 18/11/2026   Deliver by: 04/12/2026": in a form, the label
    before a date on its own line segment says what the date is."""
    line = text[text.rfind("\n", 0, start) + 1 : start].rstrip()  # "Delivery date:      2026-12-10"
    segment = re.split(r"\s{3,}|\t", line)[-1]
    if re.search(r"[:：]\s*$", segment) and len(segment) <= 40:
        return segment
    return None


CLAUSE_STOP = re.compile(r"[,，;；.。!！?？](?!\d)|\s[-–—]\s|\n\s*\n|[:：]\s*\n")


OPENING_BRACKET = re.compile(r"[(（]")


def _clause_parts(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The clause around a span, read once: (its words before the span, the
    clause cut at a bracket after the span, the whole clause). A date ends its
    clause at a bracket that follows it ("Friday 07/02 (all our sites are
    closed Monday 07/05)"), while a date in brackets keeps the words before
    them ("the Qingming holiday (Apr 3-5)"); a delivery cue after the bracket
    still shares the whole clause ("12月28日（周五）前送到工地")."""
    # A colon that ends its line introduces a list: "our last order before Christmas:"
    stops = [m.start() for m in CLAUSE_STOP.finditer(text)]
    left = max((s for s in stops if s < start), default=-1) + 1
    right = min((s for s in stops if s >= end), default=len(text))
    bracket = OPENING_BRACKET.search(text, end, right)
    cut = bracket.start() if bracket else right
    return text[left:start], text[left:cut], text[left:right]


def _own_part(clause: str, date_text: str, lex: Lexicon) -> str:
    """The part of ``clause`` from the last "and would need …" before the date on
    ("We're closed Mondays and would need it no later than Wednesday 23rd"), up
    to a reason given after it ("… as the site closes from Wednesday")."""
    at = clause.find(date_text)
    if at < 0:
        return clause
    # "delivered by Tuesday 11/26 as the site closes for Thanksgiving from
    # Wednesday": the reason after the date is about something else.
    reason = re.compile(lex.dates["reason_after"], re.I).search(clause, at + len(date_text))
    if reason is not None:
        clause = clause[: reason.start()]
    joins = [m.start() for m in re.finditer(lex.dates["joined_need"], clause[:at], re.I)]
    return clause[joins[-1] :] if joins else clause


SENTENCE_PART_END = re.compile(r"[,，;；.。!！?？\n]")


@dataclass(frozen=True)
class _Reading:
    cued: bool
    other_use: bool
    wish: bool
    firm: bool
    labelled: bool = False
    near: bool = False


def _reading(text: str, start: int, end: int, lex: Lexicon) -> _Reading:
    """How a date is meant, read once from its form label or its sentence and
    clause: a delivery cue; something saying the date is about something else
    (a holiday, an invoice, a return; a cued date has no other use); only a
    wish ("would be great"); a deadline ("at the latest")."""
    label = _field_label(text, start)
    lead, clause, whole = _clause_parts(text, start, end)
    if label is not None:
        clause = whole = label
    own = clause if label is not None else _own_part(clause, text[start:end], lex)
    # "the Tuesday after the bank holiday": the date's own words say nothing else
    at = own.find(text[start:end])
    inside = range(at, at + end - start) if at >= 0 and label is None else range(0)
    other = any(
        not (m.start() in inside and m.end() - 1 in inside)
        for m in re.finditer(lex.dates["not_delivery"], own, re.I)
    )
    where = label if label is not None else _sentence(text, start, end)
    # The sentence's words either side of the date (not the whole text split up:
    # this runs for every date mention).
    cut = max(text.rfind(stop, 0, start) for stop in ".。!！?？\n")
    before = text[cut + 1 : start]
    following = SENTENCE_PART_END.search(text, end)
    after = text[end : following.start() if following else len(text)]
    asked = re.fullmatch(lex.dates["asked_alone"], f"{before}@DATE@{after}", re.I) is not None
    # "12 new contractors starting Monday": someone's start, not the delivery
    # (but "before the crew starts Monday" is when the goods are wanted)
    event = re.search(lex.dates["event_day"], f"{' '.join(lead.split())} @DATE@", re.I)
    # "It must arrive before the plant shuts on Friday 21 December": the goods
    # are wanted by the day the event begins
    wanted_before = event is not None and bool(event.group("pre"))
    other = (other or event is not None) and not wanted_before
    near = re.search(lex.dates["delivery_cues"], whole, re.I) is not None
    sentence_cue = re.search(lex.dates["delivery_cues"], where, re.I) is not None
    cued = (asked or wanted_before or near or sentence_cue) and not other
    return _Reading(
        cued=cued,
        other_use=other,
        wish=re.search(lex.dates["wish"], clause, re.I) is not None,
        firm=re.search(lex.dates["firm"], clause, re.I) is not None,
        labelled=cued and label is not None,
        near=cued and near,
    )


def find_dates(text: str, ctx: DateContext, lex: Lexicon) -> list[DateMention]:
    """Every date written in ``text``, resolved, in written order."""
    taken: list[tuple[int, int]] = []
    out = []
    for rule in lex.dates["patterns"]:
        for match in re.finditer(rule["regex"], text, re.I):
            start, end = match.span()
            if start == end or any(s < end and start < e for s, e in taken):
                continue
            value, confidence = RESOLVERS[rule["kind"]](match.groupdict(), ctx, lex)
            if value is None:
                continue
            taken.append((start, end))
            how = _reading(text, start, end, lex)
            out.append(
                DateMention(
                    value,
                    start,
                    end,
                    match.group(),
                    how.cued,
                    confidence,
                    other_use=how.other_use,
                    wish=how.wish,
                    firm=how.firm,
                    labelled=how.labelled,
                    near=how.near,
                )
            )
    ordered = _within_week(sorted(out, key=lambda m: m.start), text, lex)
    return _then_refers(_ranges(_day_around(ordered, text, lex), text))


THEN = re.compile(r"\bthen$", re.I)


def _then_refers(mentions: list[DateMention]) -> list[DateMention]:
    """ "Our last receiving day is Tuesday 21/12, so please deliver by then": "then"
    is the date before it; with none before it, it is no date."""
    out: list[DateMention] = []
    for mention in mentions:
        if not THEN.search(mention.text):
            out.append(mention)
        elif out:
            out.append(replace(mention, value=out[-1].value))
    return out


# "closes from Monday 12 July (week 28) to 8 August": the end of a range.
RANGE_GAP = re.compile(
    r"\s*(?:[(（][^()（）]*[)）])?\s*(?:to|till|until|through|至|到)\s*|[-–—]", re.I
)


def _ranges(mentions: list[DateMention], text: str) -> list[DateMention]:
    """The end of a range is about what its start is about: a closure from one
    date to another is no delivery at either."""
    out = list(mentions)
    for i in range(1, len(out)):
        start, end = out[i - 1], out[i]
        if start.other_use and RANGE_GAP.fullmatch(text, start.end, end.start):
            out[i] = replace(end, other_use=True, cued=False, labelled=False)
    return out


# "goes live Monday 2/22, so we need the stock in place the Friday before"
DAY_AROUND = re.compile(r"\s+(?P<way>before|after)\s*(?:[.,;!?)]|\n|$|(?:please|pls|if)\b)", re.I)


def _day_around(mentions: list[DateMention], text: str, lex: Lexicon) -> list[DateMention]:
    """ "the Friday before": a weekday before or after the date written just
    before it, not this week's."""
    out = list(mentions)
    for j in range(1, len(mentions)):
        day, way = mentions[j], DAY_AROUND.match(text, mentions[j].end)
        wd = _weekday(lex, day.text.split()[-1].strip(".,"))
        if way is None or wd is None or len(day.text.split()) > 2:
            continue
        anchor = mentions[j - 1].value
        if way.group("way").lower() == "before":
            value = anchor - timedelta(days=(anchor.weekday() - wd - 1) % 7 + 1)
        else:
            value = anchor + timedelta(days=(wd - anchor.weekday() - 1) % 7 + 1)
        out[j] = replace(day, value=value)
    return out


# "w/c 30th Nov", "week commencing 7 Dec": a date that names a week.
WEEK_OF = re.compile(r"(?:w/c|w\.c\.|w/b|week\s+(?:commencing|beginning|starting|of))\s*$", re.I)
WEEK_GAP = 60  # how far after the week a day in it may be written


def _within_week(mentions: list[DateMention], text: str, lex: Lexicon) -> list[DateMention]:
    """ "w/c 30th Nov, ideally the Tuesday (1st)": a weekday after a week is
    that day of that week, and the day, not the week, is asked for."""
    out = list(mentions)
    for i, week in enumerate(mentions):
        if not WEEK_OF.search(text[max(0, week.start - 20) : week.start]):
            continue
        for j in range(i + 1, len(mentions)):
            day = mentions[j]
            gap = text[week.end : day.start]
            wd = _weekday(lex, day.text.split()[-1].strip(".,"))
            if len(gap) > WEEK_GAP or re.search(r"[.!?\n]", gap) or wd is None:
                continue
            start = week.value - timedelta(days=week.value.weekday())
            value = start + timedelta(days=wd)
            out[j] = replace(day, value=value, cued=day.cued or week.cued)
            out[i] = replace(week, other_use=True, cued=False)
            break
    return out


def requested_date(text: str, ctx: DateContext, lex: Lexicon) -> DateMention | None:
    """The delivery date asked for: the first date in a delivery sentence."""
    mentions = [m for m in find_dates(text, ctx, lex) if m.value >= ctx.today - timedelta(days=1)]
    cued = [m for m in mentions if m.cued]
    return cued[0] if cued else None


def is_asap(text: str, lex: Lexicon) -> bool:
    """Whether the customer asks for delivery as soon as possible."""
    return re.search(lex.dates["asap"], text, re.I) is not None


def day_first_for(country: str | None, lex: Lexicon) -> bool | None:
    """Day-before-month for this country, month-first for the US, None if unknown."""
    if not country:
        return None
    if country in lex.dates["month_first_countries"]:
        return False
    return True if country in lex.dates["day_first_countries"] else None

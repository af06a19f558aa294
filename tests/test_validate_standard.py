"""The standard as a whole: severities from the settings, words in both
languages, and the decision each set of findings leads to."""

from __future__ import annotations

import re
from datetime import date

import pytest

from mailflow.config import ChecksSettings, load_settings
from mailflow.errors import ConfigError
from mailflow.extract.types import Intent
from mailflow.validate import decide
from mailflow.validate.findings import Finding, Severity
from mailflow.validate.phrases_en import PHRASES as EN
from mailflow.validate.phrases_zh import PHRASES as ZH
from mailflow.validate.report import DEFAULT_SEVERITY
from tests.checks_support import check, codes, context, line, order, the

PLACEHOLDER = re.compile(r"{(\w+)}")


def finding(code: str, severity: Severity, message: str = "ask") -> Finding:
    return Finding(code=code, severity=severity, field="x", message=message)


def test_a_severity_set_in_the_config_overrides_the_default() -> None:
    ctx = context(settings=ChecksSettings(severities={"date_missing": "info"}))
    assert the(check(order(requested_date=None), ctx), "date_missing").severity == "info"


def test_an_unknown_code_in_the_config_stops_start_up() -> None:
    with pytest.raises(ConfigError, match="unknown finding code"):
        load_settings(None, checks={"severities": {"date_mising": "info"}})


def test_every_code_has_the_same_phrases_in_english_and_chinese() -> None:
    assert EN.keys() == ZH.keys()
    for key, phrase in EN.items():
        for audience in ("customer", "clerk", "suggestion"):
            english = set(PLACEHOLDER.findall(getattr(phrase, audience)))
            chinese = set(PLACEHOLDER.findall(getattr(ZH[key], audience)))
            assert english == chinese, f"{key}.{audience}"
            assert bool(getattr(phrase, audience)) == bool(getattr(ZH[key], audience)), key


def test_every_code_the_config_knows_has_words() -> None:
    assert {key.split(".")[0] for key in EN} == ChecksSettings.CODES


def test_default_severities_name_known_codes_only() -> None:
    assert set(DEFAULT_SEVERITY) <= ChecksSettings.CODES


def test_a_chinese_order_gets_its_messages_in_chinese_with_english_alongside() -> None:
    # GIVEN a Chinese e-mail from a Chinese customer, below the minimum order
    ctx = context("C-CN")
    below = order(
        line("PPE-GGL-CLR", 6), language="zh", customer_id="C-CN", requested_date=date(2026, 11, 27)
    )
    finding = the(check(below, ctx), "below_moq")
    # THEN the message is Chinese and both languages are kept
    assert (
        finding.message
        == "透明护目镜（PPE-GGL-CLR）的最小起订量为12个，您订购的是6个。是否按12个发货？"
    )
    assert finding.texts["en"]["customer"].startswith("The minimum order for Safety goggles")
    assert finding.clerk_message == "第1行：透明护目镜（PPE-GGL-CLR）订购6个，低于最小起订量12个。"


def test_a_customer_writing_in_english_gets_english_whatever_their_record_says() -> None:
    below = order(line("PPE-GGL-CLR", 6), language="en", customer_id="C-CN")
    assert the(check(below, context("C-CN")), "below_moq").message.startswith("The minimum")


def test_mail_that_is_not_an_order_is_not_checked() -> None:
    assert check(order(line(None, None), intent=Intent.QUESTION)) == []


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        (Intent.AUTO_REPLY, "ignore"),
        (Intent.OTHER, "ignore"),
        (Intent.CONFIRM, "review"),
        (Intent.CANCEL, "review"),
        (Intent.QUESTION, "review"),
        (Intent.CHANGE, "review"),
    ],
)
def test_mail_that_is_not_a_new_order_is_ignored_or_left_to_a_clerk(
    intent: Intent, expected: str
) -> None:
    assert decide(intent, []) == expected


def test_an_order_with_nothing_open_is_confirmed() -> None:
    assert decide(Intent.ORDER, [finding("promotion_applied", Severity.INFO)]) == "confirm"


def test_an_order_with_a_question_for_the_customer_is_clarified() -> None:
    findings = [finding("below_moq", Severity.ERROR), finding("date_missing", Severity.WARNING)]
    assert decide(Intent.ORDER, findings) == "clarify"


def test_an_order_with_only_warnings_is_reviewed() -> None:
    assert decide(Intent.ORDER, [finding("credit_hold", Severity.WARNING, "")]) == "review"


def test_a_held_finding_outranks_questions() -> None:
    findings = [finding("below_moq", Severity.ERROR), finding("unknown_customer", Severity.WARNING)]
    assert decide(Intent.ORDER, findings) == "review"


def test_an_error_only_a_clerk_can_resolve_is_reviewed() -> None:
    assert decide(Intent.ORDER, [finding("credit_hold", Severity.ERROR, "")]) == "review"


def test_every_finding_serialises_with_both_languages() -> None:
    data = the(check(order(requested_date=None)), "date_missing").to_json()
    assert data["severity"] == "warning" and set(data["texts"]) == {"en", "zh"}
    assert data["data"] == {"planned": "2026-11-18"}


def test_a_clean_order_has_no_findings_at_all() -> None:
    assert codes(check(order(line("FST-M8-40", 2)))) == []

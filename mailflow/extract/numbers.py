"""Numbers as customers write them: "2,000", "1.5万", "2k", "五千", "一百二十",
"two hundred", "one hundred and fifty", "a dozen"."""

from __future__ import annotations

import re

from mailflow.extract.lexicon import Lexicon

# Everyday numerals and the formal ones (大写) written on invoices: 贰拾 = 二十.
ZH_NUMERAL = "零〇一二两俩仨三四五六七八九十百千万壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬"
# "1 200 pcs": a space between thousands only before a count of pieces, so
# that "2 100m rolls" stays two rolls.
SPACED_THOUSANDS = (
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?=\s*(?:pcs|pc|pieces|st|stk|ea|each|units|nos|ct)\b)"
)
DIGITS = rf"{SPACED_THOUSANDS}|\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+(?:\.\d+)?"


def parse_digits(text: str) -> float | None:
    """A written number in digits, with thousands separators, optionally followed by 万/千."""
    match = re.fullmatch(
        r"\s*(\d{1,3}(?:[, \u00a0\u202f]\d{3})+|\d+(?:\.\d+)?)\s*([万千kK]?)\s*", text
    )
    if not match:
        return None
    value = float(re.sub(r"[, \u00a0\u202f]", "", match.group(1)))
    return value * {"万": 10000, "千": 1000, "k": 1000, "K": 1000, "": 1}[match.group(2)]


def parse_chinese(text: str, lexicon: Lexicon) -> float | None:
    """A Chinese numeral such as 五十, 两千, 一百二十, 一万五千."""
    if text == lexicon.numbers.get("zh_half"):
        return 0.5  # "半打", "半箱": half of the unit that follows
    digits: dict[str, int] = lexicon.numbers["zh_digits"]
    mults: dict[str, int] = lexicon.numbers["zh_multipliers"]
    if not text or any(ch not in digits and ch not in mults for ch in text):
        return None
    total, section, current = 0, 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch in "万萬":
            total += (section + current) * 10000
            section, current = 0, 0
        else:
            section += (current or 1) * mults[ch]
            current = 0
    return float(total + section + current)


def parse_english(text: str, lexicon: Lexicon) -> float | None:
    """English number words: "two hundred", "one hundred and fifty", "a dozen"."""
    units: dict[str, float] = lexicon.numbers["en_units"]
    mults: dict[str, int] = lexicon.numbers["en_multipliers"]
    if re.fullmatch(r"\s*half\s+an?\s*", text, re.I):
        return 0.5  # "half a case": half of the unit that follows
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w != "and"]
    # "a couple", "a hundred", "half a dozen": the article is not a number.
    words = [w for i, w in enumerate(words) if not (w in {"a", "an"} and i < len(words) - 1)]
    if not words or any(w not in units and w not in mults for w in words):
        return None
    total, current, last = 0.0, 0.0, 0.0
    for word in words:
        if (word in mults and word != "dozen") or (word == "dozen" and current):
            current, last = (current or 1) * mults[word], 0.0
            if mults[word] >= 1000:
                total, current = total + current, 0.0
        else:
            if last and not (last >= 20 and last % 10 == 0 and units[word] < 10):
                # "the 500mm one - three cases": two numbers side by side, not
                # one ("twenty one"); the one nearer what follows counts.
                total, current = 0.0, 0.0
            current += units[word]
            last = units[word]
    return total + current or None


def parse_number(text: str, lexicon: Lexicon) -> float | None:
    """Any written number, or None."""
    return (
        parse_digits(text)
        if re.search(r"\d", text)
        else parse_chinese(text.strip(), lexicon) or parse_english(text, lexicon)
    )


def english_number_regex(lexicon: Lexicon) -> str:
    """A regex alternation matching runs of English number words."""
    words = sorted(
        set(lexicon.numbers["en_units"]) | set(lexicon.numbers["en_multipliers"]),
        key=len,
        reverse=True,
    )
    word = "|".join(w for w in words if w not in {"a", "an", "half"})
    run = rf"(?:(?:an?|one)\s+)?(?:{word})(?:(?:\s+and\s+|[\s-]+)(?:{word}))*"
    # "half a case of WD40": "half a" only before a word, which must be its unit.
    return rf"\b(?:half\s+a\s+dozen|half\s+an?(?=\s+[A-Za-z])|{run})\b"

"""Which language an e-mail is written in: English, Chinese, or a mix.

We compare Chinese characters with Latin letters. One Chinese character
carries about as much as a short English word, so each counts as
``_LETTERS_PER_HAN`` Latin letters. The Chinese share of the weighted total
decides:

* at least ``_ZH_SHARE`` (70 %) is ``"zh"``: SKUs, units and an English
  company name in a Chinese order do not make it mixed;
* at most ``_EN_SHARE`` (30 %) is ``"en"``: a Chinese name in the signature
  of an English order does not make it mixed;
* anything between is ``"mixed"``.

Latin letters count only in ordinary words. SKU codes, sizes and
abbreviations (tokens joined to digits or hyphens, and all-capital tokens
such as "PO" or "LED") appear in orders of either language and say nothing
about it.

Text with neither (empty, digits only) is ``"en"``, the desk's default.
"""

from __future__ import annotations

import re

import zhconv

# A run of Latin letters not joined to ASCII letters, digits or hyphens; the
# neighbours may be spaces, punctuation or Chinese characters.
_LATIN_WORD = re.compile(r"(?<![A-Za-z0-9\-])[A-Za-z\u00c0-\u024f]+(?![A-Za-z0-9\-])")

_LETTERS_PER_HAN = 3
_ZH_SHARE = 0.7
_EN_SHARE = 0.3


def _is_han(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF  # CJK Unified Ideographs
        or 0x3400 <= code <= 0x4DBF  # Extension A
        or 0xF900 <= code <= 0xFAFF  # Compatibility Ideographs
        or 0x20000 <= code <= 0x2FA1F  # Extensions B and later
    )


def _latin_letters(text: str) -> int:
    words = (word for word in _LATIN_WORD.findall(text) if not word.isupper())
    return sum(len(word) for word in words)


def detect_language(text: str) -> str:
    """Return ``"en"``, ``"zh"`` or ``"mixed"`` by the weighted share of Chinese characters."""
    han = sum(1 for ch in text if _is_han(ch)) * _LETTERS_PER_HAN
    latin = _latin_letters(text)
    if han + latin == 0:
        return "en"
    share = han / (han + latin)
    if share >= _ZH_SHARE:
        return "zh"
    if share <= _EN_SHARE:
        return "en"
    return "mixed"


def to_simplified(text: str) -> str:
    """Traditional Chinese written as simplified ("電纜" -> "电缆"), so that the
    catalog's names match; every character keeps its offset (a conversion that
    would change the length is not made)."""
    if not any(_is_han(char) for char in text):
        return text
    converted: str = zhconv.convert(text, "zh-cn")
    return converted if len(converted) == len(text) else text

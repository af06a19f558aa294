"""Bytes to text for mail that lies about its charset.

Chinese clients label GBK as GB2312, send GBK with no label at all, or with a
``latin-1`` label their webmail added; Western clients send UTF-8 marked as
ISO-8859-1. We therefore never trust a label blindly: a body is decoded with
the first candidate that decodes strictly *and* looks like text, in this order:

1. the declared charset, widened to its superset (GB2312/GBK to GB18030,
   Big5 to Big5-HKSCS), unless it is a single-byte Western label;
2. UTF-8, which almost never decodes by accident;
3. GB18030, accepted only when the result reads like Chinese (see
   ``_reads_like_chinese``): mainland senders are most of our Chinese mail;
4. Big5, under the same condition;
5. the declared single-byte charset, then Windows-1252;
6. UTF-8 with replacement characters, which always succeeds.

We do not use ``charset-normalizer``: the candidates are few and known, and a
statistical detector guesses worse than this order on short e-mails.
"""

from __future__ import annotations

import codecs
import re
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import Message

# Labels whose codec is a strict subset of a codec that real mail needs.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "iso2022_jp": "iso2022_jp_2",
    "ascii": "utf_8",
}

# Labels that decode any byte string, so success says nothing about them.
_SINGLE_BYTE_WESTERN = frozenset({"iso8859_1", "iso8859_15", "cp1252"})

# Codecs that read ASCII bytes as ASCII: for these, ASCII input needs no decoding.
_ASCII_SUPERSETS = frozenset({"utf_8", "gb18030", "big5hkscs", *_SINGLE_BYTE_WESTERN})

_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")

# Share of CJK characters that must sit next to another CJK character for a
# multi-byte decoding to count as Chinese. Real Chinese text is nearly all
# runs; Western text mis-decoded as GBK yields isolated ideographs between
# ASCII letters ("H鋖sningar"), so half is a wide, safe margin.
_MIN_CJK_RUN_SHARE = 0.5
# Judging the start of a huge body is as good as judging all of it, and fast.
_SNIFF_SAMPLE_CHARS = 100_000


def codec_name(label: str | None) -> str | None:
    """The Python codec for a MIME charset label, widened to its superset; None if unknown."""
    label = (label or "").strip().strip("\"'").lower()
    # "x-gbk" and friends are unregistered spellings of registered charsets.
    for spelling in (label, label.removeprefix("x-")):
        try:
            name = codecs.lookup(spelling).name.replace("-", "_")
        except (LookupError, ValueError):
            continue
        return _SUPERSETS.get(name, name)
    return None


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode a body or header fragment, trying the declared charset and then sniffing."""
    declared_codec = codec_name(declared)
    # Pure ASCII is ASCII, except under 7-bit codecs such as ISO-2022-JP.
    if data.isascii() and (declared_codec is None or declared_codec in _ASCII_SUPERSETS):
        return data.decode("ascii")
    for candidate in _candidates(declared_codec):
        text = _try_decode(data, candidate, check=candidate != declared_codec)
        if text is not None:
            return text
    return data.decode("utf_8", errors="replace")


def _candidates(declared: str | None) -> list[str]:
    trusted = [declared] if declared and declared not in _SINGLE_BYTE_WESTERN else []
    fallback = [declared] if declared and not trusted else []
    return [*trusted, "utf_8", "gb18030", "big5hkscs", *fallback, "cp1252"]


def _try_decode(data: bytes, codec: str, *, check: bool) -> str | None:
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    # A sniffed multi-byte codec must produce Chinese-looking text; the
    # declared codec and UTF-8 are believed when they decode strictly.
    sample = text[:_SNIFF_SAMPLE_CHARS]
    if check and codec in ("gb18030", "big5hkscs") and not _reads_like_chinese(sample):
        return None
    return text


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF


def _reads_like_chinese(text: str) -> bool:
    non_ascii = [i for i, ch in enumerate(text) if not ch.isascii()]
    if not non_ascii or not all(_is_cjk(text[i]) for i in non_ascii):
        return False
    in_runs = sum(1 for i in non_ascii if _has_cjk_neighbour(text, i))
    return in_runs / len(non_ascii) >= _MIN_CJK_RUN_SHARE


def _has_cjk_neighbour(text: str, index: int) -> bool:
    before = index > 0 and _is_cjk(text[index - 1])
    after = index + 1 < len(text) and _is_cjk(text[index + 1])
    return before or after


def decode_header_value(raw: str) -> str:
    """Decode an RFC 2047 header value, tolerating broken words and raw 8-bit bytes."""
    raw = unescape_surrogates(raw)
    try:
        decoded = _decode_words(raw)
    except (HeaderParseError, ValueError, LookupError):
        # One broken word must not cost the others: decode them one by one.
        decoded = _ENCODED_WORD.sub(lambda m: _decode_one_word(m.group(0)), raw)
    return " ".join(decoded.split())


def _decode_words(raw: str) -> str:
    return "".join(_decode_chunk(chunk, charset) for chunk, charset in decode_header(raw))


def _decode_one_word(word: str) -> str:
    try:
        return _decode_words(word)
    except (HeaderParseError, ValueError, LookupError):
        return word


def _decode_chunk(chunk: bytes | str, charset: str | None) -> str:
    if isinstance(chunk, str):
        return unescape_surrogates(chunk)
    # decode_header yields "unknown-8bit" or None for raw bytes: sniff those.
    return decode_text(chunk, None if charset in (None, "unknown-8bit") else charset)


def unescape_surrogates(text: str) -> str:
    """Re-decode raw 8-bit bytes that the email package kept as surrogate escapes."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return decode_text(text.encode("utf-8", errors="surrogateescape"))


def header_text(msg: Message, name: str) -> str:
    """The decoded text of the first ``name`` header, or "" when it is absent."""
    values = header_texts(msg, name)
    return values[0] if values else ""


def header_texts(msg: Message, name: str) -> list[str]:
    """The decoded text of every ``name`` header, in order.

    We read the raw values rather than the policy's parsed header objects:
    those replace raw 8-bit bytes with U+FFFD and, for some malformed values,
    raise when they are read.
    """
    return [decode_header_value(value) for value in raw_header_values(msg, name)]


def raw_header_values(msg: Message, name: str) -> list[str]:
    """Every ``name`` header as written, RFC 2047 words still encoded, raw bytes decoded."""
    wanted = name.lower()
    return [unescape_surrogates(v) for k, v in msg.raw_items() if k.lower() == wanted]

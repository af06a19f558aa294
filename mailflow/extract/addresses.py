"""Delivery addresses the customer writes out ("Ship to:", "deliver to",
"送货地址：", "送到："), parsed into street, city, postcode and country.
Addresses without a delivery cue (signatures, head offices) are ignored."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailflow.extract.lexicon import Lexicon
from mailflow.extract.types import Address, Evidence

BLOCK_LINES = 6


@dataclass(frozen=True)
class _Hit:
    country: str
    line: int
    match: re.Match[str]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _postcode_hits(lines: list[str], lex: Lexicon) -> list[_Hit]:
    hits: list[_Hit] = []
    countries: dict[str, dict[str, object]] = lex.addresses["countries"]
    for number, line in enumerate(lines):
        for country in ("US", "CN", "SE", "IE", "GB"):
            match = re.search(str(countries[country]["postcode"]), line)
            if match and not any(h.line == number for h in hits):
                hits.append(_Hit(country, number, match))
    return hits


def _block_start(lines: list[str], line: int) -> int:
    """The first line of the address block that ends at ``line``: up through
    non-blank lines, and across one blank line after a line ending in ":"."""
    start = line
    while start > 0 and line - start < BLOCK_LINES:
        above = lines[start - 1].strip()
        if above:
            start -= 1
        elif start >= 2 and lines[start - 2].rstrip().endswith((":", "：")):
            start -= 2
        else:
            break
    return start


def _cue(text: str, lex: Lexicon) -> re.Match[str] | None:
    """The last delivery cue in ``text`` that is not negated ("NOT ship to")."""
    for key in ("delivery_cues_en", "delivery_cues_zh"):
        matches = list(re.finditer(lex.addresses[key], text, re.I))
        if not matches:
            continue
        last = matches[-1]
        window = text[max(0, last.start() - 12) : last.end()]
        if not re.search(lex.addresses["negated_cue"], window, re.I):
            return last
    return None


def _clean(part: str) -> str:
    return re.sub(r"\s+", " ", part).strip(" ,.-–:;")


def _street(before: str, lex: Lexicon) -> str:
    """Street lines: what precedes the city, less a leading company or site name."""
    before = re.split(r"[:：]|\s[-–]\s", before)[-1]
    parts = [_clean(p) for p in re.split(r"\n|,", before) if _clean(p)]
    named = [
        p
        for p in parts
        if not re.search(lex.addresses["name_hint"], p, re.I) or re.search(r"\d", p)
    ]
    return ", ".join(named or parts)


def _western(hit: _Hit, lines: list[str], start: int, cue_end: int, lex: Lexicon) -> Address:
    line = lines[hit.line]
    groups = hit.match.groupdict()
    postcode = groups["postcode"].strip()
    if groups.get("city"):
        city = _clean(groups["city"])
        prefix = (
            line[: hit.match.start("city")] if hit.country != "SE" else line[: hit.match.start()]
        )
    else:
        prefix_full = line[: hit.match.start()]
        pieces = [p for p in re.split(r",", prefix_full) if p.strip()]
        city = _clean(pieces[-1]) if pieces else _clean(lines[hit.line - 1].split(",")[-1])
        prefix = ",".join(pieces[:-1]) if pieces else ""
        if not pieces:
            lines = [
                *lines[: hit.line - 1],
                ",".join(lines[hit.line - 1].split(",")[:-1]),
                *lines[hit.line :],
            ]
    block = "\n".join([*lines[start : hit.line], prefix])
    street = _street(block[cue_end:] if cue_end < len(block) else block, lex)
    city = re.sub(r"\s+\d+$", "", city)  # "Dublin 12" is a postal district of Dublin
    return Address(
        street=street,
        city=city,
        postcode=postcode,
        country=hit.country,
        region=groups.get("region") or "",
    )


def _chinese(text: str, lex: Lexicon) -> Address | None:
    body = re.split(lex.addresses["cn_stop"], text)[0]
    body = re.sub(lex.addresses["cn_province"], "", body.strip())
    city = re.match(lex.addresses["cn_city"], body)
    if not city or not re.search(lex.addresses["cn_address_body"], body):
        return None
    postcode = re.search(str(lex.addresses["countries"]["CN"]["postcode"]), text)
    street = _clean(body[city.end() :])
    return Address(
        street=street,
        city=city.group("city"),
        postcode=postcode.group("postcode") if postcode else "",
        country="CN",
    )


def _starts_after_cue(text: str, cue_end: int) -> list[int]:
    """Where the address may begin after a cue: right after it, after a short
    place word and a colon ("送到工地：<address>"), or, when the cue's line ends
    in a colon ("请送到以下地址（不是总部）："), on the next two lines."""
    line_end = text.find("\n", cue_end)
    line_end = len(text) if line_end < 0 else line_end
    starts = [cue_end]
    colon = re.search(r"[：:]", text[cue_end:line_end])
    if colon:
        starts.append(cue_end + colon.end())
    if re.search(r"[：:]\s*$", text[cue_end:line_end]):
        following = [m.start() for m in re.finditer(r"(?m)^[ \t]*\S", text[line_end:])]
        starts.extend(line_end + f for f in following[:2])
    return starts


def _cued_chinese(text: str, lex: Lexicon) -> tuple[Address, int, int] | None:
    for match in re.finditer(lex.addresses["delivery_cues_zh"], text):
        for start in _starts_after_cue(text, match.end()):
            found = _chinese(text[start : start + 160].lstrip(" \n"), lex)
            if found:
                return found, match.start(), start + 160
    return None


def _consigned_chinese(text: str, lex: Lexicon) -> tuple[Address, int, int] | None:
    """An address followed by the consignee who receives the goods ("收货人：…")."""
    lines = _lines(text)
    offsets = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    for number, line in enumerate(lines):
        below = "\n".join(lines[number + 1 : number + 4])
        if not re.search(lex.addresses["consignee_zh"], below):
            continue
        body = re.sub(r"^[^：:\n]{0,6}[：:]", "", line.strip())
        found = _chinese(body + "\n" + below, lex)
        if found:
            return found, offsets[number], offsets[number] + len(line)
    return None


def _chinese_address(text: str, lex: Lexicon) -> tuple[Address, int, int] | None:
    return _cued_chinese(text, lex) or _consigned_chinese(text, lex)


def _western_address(
    text: str, lex: Lexicon, *, need_cue: bool = True
) -> tuple[Address, int, int] | None:
    lines = _lines(text)
    offsets = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    for hit in _postcode_hits(lines, lex):
        if hit.country == "CN":
            continue
        start = _block_start(lines, hit.line)
        block = "\n".join(lines[start : hit.line + 1])[
            : offsets[hit.line] - offsets[start] + hit.match.end()
        ]
        cue = _cue(block, lex)
        if cue is not None or not need_cue:
            address = _western(hit, lines, start, cue.end() if cue else 0, lex)
            return address, offsets[start], offsets[hit.line] + hit.match.end()
    return None


def delivery_address(text: str, lex: Lexicon, *, signature: str = "") -> Address | None:
    """The delivery address the customer writes out, or None."""
    found = _chinese_address(text, lex) or _western_address(text, lex)
    if found is None and signature and lex.reply_pattern("signature_address").search(text):
        # "address is in my signature": the signature's address is meant.
        found = _western_address(signature, lex, need_cue=False)
        if found:
            found = (found[0], 0, 0)
    if found is None:
        return None
    address, start, end = found
    address.evidence = Evidence("body", start, end, text[start:end])
    return address

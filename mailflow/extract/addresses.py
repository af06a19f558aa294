"""Delivery addresses the customer writes out ("Ship to:", "deliver to",
"送货地址：", "送到："), parsed into street, city, postcode and country.
Addresses without a delivery cue (signatures, head offices) are ignored."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailflow.extract.lexicon import Lexicon
from mailflow.extract.types import Address, Evidence

BLOCK_LINES = 6
INTRO_MAX_LINES = 5


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
        for country in ("US", "CN", "CN-EN", "CN-EN-CITY-FIRST", "SE", "IE", "GB"):
            # The first country whose postcode a line has is the one kept.
            match = re.search(str(countries[country]["postcode"]), line)
            if match:
                hits.append(_Hit(country, number, match))
                break
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
    return re.sub(r"\s+", " ", part).strip(" ,.-–:;()（）")


def _street(before: str, lex: Lexicon) -> str:
    """Street lines: what precedes the city, less a leading company or site name."""
    before = re.split(r"[:：]|\s[-–]\s", before)[-1]
    rows = [_clean(row) for row in before.split("\n") if _clean(row)]
    if len(rows) > 1 and _recipient_line(rows[0], rows[1], lex):
        before = "\n".join(rows[1:])
    parts = [_clean(p) for p in re.split(r"\n|,", before) if _clean(p)]
    named = [
        p
        for p in parts
        if not re.search(lex.addresses["name_hint"], p, re.I) or re.search(r"\d", p)
    ]
    return ", ".join(named or parts)


def _recipient_line(first: str, second: str, lex: Lexicon) -> bool:
    """ "Glenmorie Distillery" or "Lakeshore FM - Evanston" on its own line above
    a numbered street line names who receives the goods, not where: the street
    starts below. A site named above a street without a number ("Hallam Works /
    Broad Lane") or a unit ("Block C") is part of the address."""
    return (
        not re.search(r"\d", first)
        and re.search(r"\d", second) is not None
        and not re.match(lex.addresses["unit_designator"], first, re.I)
    )


def _place_parts(text: str) -> list[str]:
    return [_clean(p) for p in re.split(r"[\n,]", text) if _clean(p)]


def _split_city(parts: list[str], hit: _Hit, lex: Lexicon) -> tuple[str, str, list[str]]:
    """(city, region, street parts) from the parts before a postcode: the last
    part that is neither a county ("West Yorkshire") nor the country is the city."""
    countries: dict[str, dict[str, list[str]]] = lex.addresses["countries"]
    names = set(countries[hit.country].get("names", []))
    region = ""
    while parts and (
        parts[-1].lower() in names or re.match(lex.addresses["region_line"], parts[-1], re.I)
    ):
        region = region if parts[-1].lower() in names else parts[-1]
        parts = parts[:-1]
    return (parts[-1] if parts else ""), region, parts[:-1]


def _western(hit: _Hit, lines: list[str], start: int, cue_end: int, lex: Lexicon) -> Address:
    line = lines[hit.line]
    groups = hit.match.groupdict()
    if groups.get("city"):
        # US and Swedish postcode patterns carry their city.
        cut = hit.match.start("city") if hit.country != "SE" else hit.match.start()
        block = "\n".join([*lines[start : hit.line], line[:cut]])
        city, region = _clean(groups["city"]), groups.get("region") or ""
        street = _street(block[cue_end:] if cue_end < len(block) else block, lex)
        if region.lower() in lex.addresses["cn_municipality_en"]:
            # "Pudong, Shanghai 200131": the district of a city that is its own province
            street, city, region = ", ".join(p for p in (street, city) if p), region, ""
    else:
        block = "\n".join([*lines[start : hit.line], line[: hit.match.start()]])
        text = block[cue_end:] if cue_end < len(block) else block
        text = re.split(r"[:：]|\s[-–]\s", text)[-1]
        city, region, rest = _split_city(_place_parts(text), hit, lex)
        street = _street("\n".join(rest), lex)
    city = re.sub(r"\s+\d+$", "", city)  # "Dublin 12" is a postal district of Dublin
    return Address(
        street=street,
        city=city,
        postcode=groups["postcode"].strip(),
        country=str(lex.addresses["countries"][hit.country].get("iso", hit.country)),
        region=region,
    )


def _chinese_city(body: str, lex: Lexicon) -> tuple[str, str] | None:
    """(city, rest of the address): "上海市浦东新区…" is the city of Shanghai,
    "江苏省苏州市…" the city of Suzhou."""
    municipality = re.match(lex.addresses["cn_municipality"], body)
    if municipality:
        return municipality.group("name") + "市", body[municipality.end() :]
    body = re.sub(lex.addresses["cn_province"], "", body)
    city = re.match(lex.addresses["cn_city"], body)
    return (city.group("city"), body[city.end() :]) if city else None


def _chinese(text: str, lex: Lexicon) -> Address | None:
    body = re.split(lex.addresses["cn_stop"], text)[0].strip()
    found = _chinese_city(body, lex)
    if not found or not re.search(lex.addresses["cn_address_body"], found[1]):
        return None
    postcode = re.search(str(lex.addresses["countries"]["CN"]["postcode"]), text)
    return Address(
        street=_clean(found[1]),
        city=found[0],
        postcode=postcode.group("postcode") if postcode else "",
        country="CN",
    )


def _starts_after_cue(text: str, cue_end: int) -> list[int]:
    """Where the address may begin after a cue: right after it, after a short
    place word and a colon ("送到工地：<address>") or a bracket, or, when the cue's line ends
    in a colon ("请送到以下地址（不是总部）："), on the next two lines."""
    line_end = text.find("\n", cue_end)
    line_end = len(text) if line_end < 0 else line_end
    starts = [cue_end]
    colon = re.search(r"[：:]", text[cue_end:line_end])
    if colon:
        starts.append(cue_end + colon.end())
    # "送东莞仓（东莞市长安镇振安中路28号，邮编523850）": the address in brackets.
    bracket = re.match(r"[^\n（(，,。：:]{0,12}[（(]", text[cue_end:line_end])
    if bracket:
        starts.append(cue_end + bracket.end())
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
        cue_end = cue.end() if cue else _introduced(block, lex) if need_cue else 0
        if cue_end is None and _sent_there(lines, hit, lex):
            cue_end = _after_verb(block)
        if cue_end is not None:
            address = _western(hit, lines, start, cue_end, lex)
            return address, offsets[start], offsets[hit.line] + hit.match.end()
    return None


def _sent_there(lines: list[str], hit: _Hit, lex: Lexicon) -> bool:
    """ "We took on the contract at 300 N LaSalle St, Chicago IL 60654 so this
    one ships THERE": words right after the address send the goods to it."""
    after = lines[hit.line][hit.match.end() :]
    if not after.strip() and hit.line + 1 < len(lines):
        after = lines[hit.line + 1]
    return re.search(lex.addresses["delivery_after_en"], after.strip(), re.I) is not None


def _after_verb(block: str) -> int:
    """Where an address written inside a sentence starts: after the last " at "
    or " to " before its number ("the contract at 300 N LaSalle St")."""
    found = list(re.finditer(r"(?:\b(?:at|to|is)|=)\s+(?=\d)", block))
    return found[-1].end() if found else 0


def _introduced(block: str, lex: Lexicon) -> int | None:
    """Where an address starts that a line ending in a colon introduces ("this
    one is for Plant 1 please, not the usual Plant 2:"): in an e-mail's new
    text that is where the goods go, unless the line names the address as
    billing or an office ("Bill to:", "Registered office:")."""
    intro = None
    for match in re.finditer(r"(?m)^(?P<line>[^\n]*[:：])[ \t]*$", block):
        intro = match
    if intro is None or re.search(lex.addresses["not_delivery_intro"], intro.group("line"), re.I):
        return None
    below = [line for line in block[intro.end() :].split("\n") if line.strip()]
    # An address is a few short lines ("Plant 1 / 14 Blackpole Road / Worcester /
    # WR3 8SG"), not a list of order lines whose last has a code like a postcode.
    if not below or len(below) > INTRO_MAX_LINES or any(len(line) > 60 for line in below):
        return None
    if any(re.match(lex.lines["bullet"], line) for line in below):
        return None
    return intro.end()


def delivery_address(
    text: str, lex: Lexicon, *, signature: str = "", source: str = "body"
) -> Address | None:
    """The delivery address the customer writes out, or None; its evidence
    names ``source`` (the body, or an attachment whose text this is)."""
    found = _chinese_address(text, lex) or _western_address(text, lex)
    if found is None and signature and lex.reply_pattern("signature_address").search(text):
        # "address is in my signature": the signature's address is meant.
        found = _western_address(signature, lex, need_cue=False)
        if found:
            found = (found[0], 0, 0)
    if found is None:
        return None
    address, start, end = found
    address.evidence = Evidence(source, start, end, text[start:end])
    return address

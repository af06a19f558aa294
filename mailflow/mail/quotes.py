"""Split a reply into what the sender newly wrote, the quoted history, and the signature.

Hand-written rather than ``mail-parser-reply``: that library (v1.x) knows the
Chinese "在…写道：" and "发件人:" headers, but not the QQ/Foxmail
"------------------ 原始邮件 ------------------" separator, full-width colons
in Outlook-style blocks, "发自我的iPhone", or sign-offs without a trailing
comma ("谢谢！"), and it treats an inline forward as quoted history. For an
order desk a forward is the order ("please supply the items below"), so it
must stay in the new text. The rules here are few and each has a test.

How the text is read, top to bottom:

1. The first *boundary* decides. A forward marker ("---------- Forwarded
   message ---------", "Begin forwarded message:", "-------- 转发的邮件
   --------"), or an Outlook header block when the subject starts with
   "FW:"/"Fwd:"/"转发:", starts a forward: it and everything after it stay in
   ``new_text``. Any other boundary starts the quoted history: "On … wrote:"
   (also wrapped over two lines, and Apple Mail's "On …, at …, X wrote:"),
   "在 … 写道：", "-----Original Message-----", "原始邮件", and Outlook
   "From:/Sent:/To:" blocks in English, Chinese and a few European languages.
2. Lines starting with ``>`` are quoted. After an "On … wrote:" line only the
   ``>`` lines that follow are quoted, so a reply written *below* the quote
   (bottom-posting) is still new text; after a header block, everything is.
   A reply written *between* quoted lines ("ST: only 8 cases of tape") is new
   text too, after the top part, each under "(on: <item>)" naming the quoted
   order line just above it when that line is one ("make it 5 of these").
3. The signature is cut from the end of what is left: a "-- " line, a mobile
   footer ("Sent from my iPhone", "发自我的iPhone"), a sign-off line
   ("Thanks", "Best regards", "谢谢", "此致") or a line with the sender's own
   name, together with the short contact lines after it. If those lines look
   like order lines or sentences, or nothing would be left above, there is no
   signature: when unsure, text stays in ``new_text``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Labels of the header lines that mail clients put above quoted or forwarded
# mail, in English, Chinese (simplified and traditional) and common European
# languages. The From label must come first.
_FROM_LABEL = re.compile(
    r"^\s*\*?(?:from|från|fra|von|de|van|da|od|发件人|寄件者|寄件人)\*?\s*[:：]", re.IGNORECASE
)
_OTHER_LABEL = re.compile(
    r"^\s*\*?(?:sent|date|to|cc|subject|skickat|till|ämne|datum|gesendet|an|betreff|envoyé"
    r"|à|objet|verzonden|aan|onderwerp|enviado|fecha|para|asunto|inviato|data|oggetto|sendt"
    r"|til|emne|发送时间|发送日期|日期|时间|收件人|抄送|主题|寄件日期|收件者|副本|主旨)\*?\s*[:：]",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(?:original message|original|ursprüngliche nachricht|message d'origine"
    r"|ursprungligt meddelande|原始邮件|原邮件|回复的原邮件|原始郵件|replied message)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_FORWARD_MARKER = re.compile(
    r"^\s*(?:-{2,}\s*)?(?:forwarded message|forwarded by\b.*|begin forwarded message"
    r"|转发的邮件|转发邮件|轉寄郵件|已转发邮件|weitergeleitete nachricht|message transféré"
    r"|vidarebefordrat meddelande|mensaje reenviado)\s*[:：]?\s*(?:-{2,})?\s*$",
    re.IGNORECASE,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fw|fwd|vb|vs|wg|tr|转发|轉寄|转寄)\s*[:：]", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"^\s*(?:(?:on|am|le|el|den|op|il)\s.{0,300}(?:wrote|schrieb|a écrit|escribió|skrev"
    r"|schreef|ha scritto).{0,80}:|.{0,300}\d.{0,300}[写寫]道\s*[:：])\s*$",
    re.IGNORECASE,
)

_SIGNATURE_DELIMITER = re.compile(r"^--\s?$")
# A rule under the sender's name ("--", "——————", "______") ends the signature
# block; a banner may follow it ("cartons now in stock - 5,000 pcs!").
_RULE_BELOW_NAME = re.compile(r"^\s*(?:--|[-_—–=─━]{3,})\s*$")
_MOBILE_FOOTER = re.compile(
    r"^\s*(?:sent from my \S.{0,30}|sent from (?:mail|outlook|yahoo|gmail|samsung|huawei)\b.{0,30}"
    r"|get outlook for \S.{0,20}"
    r"|发自我的\S.{0,20}|从我的\S.{0,20}发送|发自网易邮箱大师|发自.{1,12}邮箱"
    r"|von meinem \S.{0,30} gesendet|skickat från min \S.{0,30}|envoyé de mon \S.{0,30})\s*$",
    re.IGNORECASE,
)
_SIGN_OFF_WORDS = (
    r"(?:(?:many |thanks? )?thanks(?: again| a lot| very much| in advance)?|thank you"
    r"(?: very much)?|thx|cheers|(?:kind |best |warm |warmest )?regards|best(?: wishes)?"
    r"|all the best|sincerely|yours(?: sincerely| faithfully| truly)?|br|rgds|kr|tia"
    r"|(?:med )?vänliga? hälsningar?|hälsningar|mvh|mit freundlichen grüßen|viele grüße"
    r"|谢谢|多谢|感谢|此致|此致敬礼|敬礼|祝好|顺祝商祺|顺颂商祺|祝商祺)"
)
# A sign-off alone on its line; several may be joined ("Thanks and regards",
# "Best regards / Med vänliga hälsningar"). What follows on the same line is
# returned as group "rest", which may only be the sender's name ("cheers Dan").
_SIGN_OFF = re.compile(
    rf"^\s*{_SIGN_OFF_WORDS}(?:\s*(?:/|&|and|,)\s*{_SIGN_OFF_WORDS})*(?![a-zà-ÿ])[\s,.!~，。！、]*"
    r"(?P<rest>.*?)[\s,.!]*$",
    re.IGNORECASE,
)

# Lines that look like what an order is made of: a quantity with a unit, a
# "3 x" multiplier, a SKU-like code, or a numbered or bulleted item.
_ORDER_LINE = re.compile(
    r"\d\s*(?:x\b|×|pcs\b|pc\b|box|bxs\b|roll|case|pair|units\b|ea\b|each\b|sets?\b|cans?\b"
    r"|cartons?\b|pallets?\b|个|箱|件|卷|盒|支|桶|副|托|台|套|包|只|把|条|米)"
    r"|\b\d+\s*x\s"
    r"|\b[A-Z]{2,}-[A-Z0-9.]+(?:-[A-Z0-9.]+)*\b"
    r"|^\s*(?:[-*•·]|\d{1,2}[.)、])\s*\S",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"^\s*(?:this e-?mail|the information (?:contained|in this)|confidential|disclaimer"
    r"|caution|本邮件|此邮件|免责声明)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.?!。？！]\s*$")
_ABBREVIATION_END = re.compile(
    r"\b(?:ltd|inc|co|corp|llc|plc|gmbh|bv|ab|oy|dept|st|rd|ave)\.\s*$", re.IGNORECASE
)
_SIGNATURE_MAX_LINES = 15
_CLOSING_RULE = re.compile(r"^\s*(?:-{10,}|={10,}|_{10,})\s*$")


def split_reply(text: str, *, sender_name: str = "", subject: str = "") -> tuple[str, str, str]:
    """Return ``(new_text, quoted_text, signature)`` of a plain-text body.

    ``sender_name`` helps find a signature that starts with the sender's name;
    ``subject`` tells a forward ("FW: …") from a reply.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    own, forwarded = _cut_forward(lines, forward_subject=bool(_FORWARD_SUBJECT.match(subject)))
    new, quoted, inline = _separate_quotes(own)
    body, signature = _split_signature(new, sender_name=sender_name)
    if inline:
        # The last reply below a quote may end in the sign-off.
        context, written = inline[-1]
        written, below = _split_signature(written, sender_name=sender_name)
        inline[-1], signature = (context, written), [*signature, *below]
    replies = [
        "\n".join([*([f"(on: {context})"] if context else []), _join(written)])
        for context, written in inline
        if any(line.strip() for line in written)
    ]
    parts = (_join(body), *replies, _join(forwarded))
    new_text = "\n\n".join(part for part in parts if part)
    return new_text, _join(quoted), _join(signature)


def _join(lines: Sequence[str]) -> str:
    return "\n".join(lines).strip("\n")


def _cut_forward(lines: list[str], *, forward_subject: bool) -> tuple[list[str], list[str]]:
    """Split off an inline forward, if the first boundary in the text is one."""
    for i in range(len(lines)):
        if _FORWARD_MARKER.match(lines[i]):
            return lines[:i], lines[i:]
        if _is_header_block(lines, i) or _SEPARATOR.match(lines[i]):
            if not forward_subject:
                return lines, []
            start = _separator_above(lines, i)
            return lines[:start], lines[start:]
        if _attribution_length(lines, i):
            return lines, []
    return lines, []


def forward_start(text: str) -> int | None:
    """Where a forwarded message begins inside ``text`` (a new text that kept
    its forward): the offset of its marker, separator or header block."""
    lines = text.split("\n")
    offset = 0
    for i, line in enumerate(lines):
        if _FORWARD_MARKER.match(line) or _SEPARATOR.match(line) or _is_header_block(lines, i):
            return offset
        offset += len(line) + 1
    return None


def forwarded_sender(text: str, start: int) -> str:
    """The From line of the header block a forward at ``start`` opens with
    (within its first lines), lower-cased; "" when it has none."""
    for line in text[start:].split("\n", 8)[:8]:
        if _FROM_LABEL.match(line):
            return line.lower()
    return ""


def _is_header_block(lines: Sequence[str], i: int) -> bool:
    if not _FROM_LABEL.match(lines[i]):
        return False
    following = lines[i + 1 : i + 7]
    return sum(1 for line in following if _OTHER_LABEL.match(line)) >= 2


def _separator_above(lines: Sequence[str], i: int) -> int:
    """Index of an underscore line just above line ``i`` (Outlook draws one), else ``i``."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j if j >= 0 and _UNDERSCORES.match(lines[j]) else i


def _attribution_length(lines: Sequence[str], i: int) -> int:
    """1 or 2 if an "On … wrote:" line (possibly wrapped) starts at ``i``, else 0."""
    if _ATTRIBUTION.match(lines[i]):
        return 1
    # Gmail wraps a long attribution line once, often inside the address. A
    # complete attribution on the next line is that line's own, not a wrap.
    if i + 1 == len(lines) or not lines[i].strip() or _ATTRIBUTION.match(lines[i + 1]):
        return 0
    return 2 if _ATTRIBUTION.match(f"{lines[i]} {lines[i + 1]}") else 0


_ITEM_NUMBER = re.compile(r"^\s*>?\s*\d{1,3}[.)]?\s+")
_AMOUNT_COLUMNS = re.compile(r"\s{2,}\d[\d,.]*(?:\s+\S+)*\s*$")


def _item_context(quoted_line: str) -> str:
    """The item a quoted order line names ("2   PKG-TAPE-48   Packing tape …   432  roll"
    -> "PKG-TAPE-48 Packing tape …"), or "" when the line is no item with an amount."""
    line = quoted_line.lstrip().lstrip(">")
    amounts = _AMOUNT_COLUMNS.search(line)
    if amounts is None:
        return ""
    item = _ITEM_NUMBER.sub("", line[: amounts.start()]).strip()
    return re.sub(r"\s+", " ", item) if re.search(r"[^\W\d_]{2}", item) else ""


def _separate_quotes(
    lines: list[str],
) -> tuple[list[str], list[str], list[tuple[str, list[str]]]]:
    """(new lines above the quote, quoted lines, replies written between or below
    quoted lines, each with the item of the quoted line just above it); replies
    of blank lines only are dropped."""
    new: list[str] = []
    quoted: list[str] = []
    # "ST: only 8 cases of tape please" written under a quoted line: what the
    # sender wrote there, with the quoted line it answers. A group is keyed by
    # how many quoted lines came before it.
    inline: list[tuple[int, str, list[str]]] = []
    i = 0
    while i < len(lines):
        if _is_header_block(lines, i) or _SEPARATOR.match(lines[i]):
            # The underscore line and blank lines above the block were taken
            # as new text; they belong to the quote.
            start = _separator_above(lines, i)
            del new[len(new) - (i - start) :]
            rest = lines[start:]
            below = _bottom_posted(rest) if not any(line.strip() for line in new) else None
            if below is not None:
                # Nothing above the quote, and a rule under it with text below:
                # the reply is written under the quoted message (QQ, Foxmail).
                return rest[below + 1 :], [*quoted, *rest[:below]], []
            return new, [*quoted, *rest], _replies(inline)
        span = _attribution_length(lines, i)
        if span:
            end = _end_of_prefixed_quote(lines, i + span)
            quoted.extend(lines[i:end])
            i = end
        elif lines[i].lstrip().startswith(">"):
            quoted.append(lines[i])
            i += 1
        elif quoted:
            if not inline or inline[-1][0] != len(quoted):
                above = next((line for line in reversed(quoted) if line.strip(" >")), "")
                inline.append((len(quoted), _item_context(above), []))
            inline[-1][2].append(lines[i])
            i += 1
        else:
            new.append(lines[i])
            i += 1
    return new, quoted, _replies(inline)


def _replies(inline: list[tuple[int, str, list[str]]]) -> list[tuple[str, list[str]]]:
    return [(context, written) for _, context, written in inline if any(w.strip() for w in written)]


def _bottom_posted(rest: Sequence[str]) -> int | None:
    """The index of the rule that closes an unprefixed quote with the reply
    written below it, or None: the last rule line after the quote's header,
    followed by text that is neither another header block nor ">" lines."""
    rules = [i for i, line in enumerate(rest) if i > 2 and _CLOSING_RULE.match(line)]
    if not rules:
        return None
    below = rest[rules[-1] + 1 :]
    if not any(line.strip() for line in below):
        return None
    if any(
        _is_header_block(below, j) or below[j].lstrip().startswith(">") for j in range(len(below))
    ):
        return None
    return rules[-1]


def _end_of_prefixed_quote(lines: Sequence[str], start: int) -> int:
    """Where the ``>`` lines after an attribution end; the text's end if none follow."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines) or not lines[i].lstrip().startswith(">"):
        # Quoted without ">" (an HTML blockquote made text): all the rest.
        return len(lines)
    while i < len(lines) and (lines[i].lstrip().startswith(">") or not lines[i].strip()):
        i += 1
    return i


def _split_signature(lines: list[str], *, sender_name: str) -> tuple[list[str], list[str]]:
    end = _last_content(lines)
    footer = _footer_start(lines, end)
    start = _signature_start(lines[:footer], sender_name=sender_name)
    if start is None:
        start = _signed_above_rule(lines, end, sender_name=sender_name)
    if start is None:
        start = footer
    if not any(line.strip() for line in lines[:start]):
        # A signature would swallow the whole message: keep everything.
        return lines, []
    return lines[:start], lines[start:]


def _last_content(lines: Sequence[str]) -> int:
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    return end


def _footer_start(lines: Sequence[str], end: int) -> int:
    """Index of a mobile footer or "-- " delimiter near the end, else ``end``."""
    for i in range(end - 1, max(end - _SIGNATURE_MAX_LINES, 0) - 1, -1):
        is_marker = _MOBILE_FOOTER.match(lines[i]) or _SIGNATURE_DELIMITER.match(lines[i])
        if is_marker and _reads_like_signature(lines[i + 1 : end]):
            return i
    return end


def _signed_above_rule(lines: Sequence[str], end: int, *, sender_name: str) -> int | None:
    """A sign-off and contact lines, then a rule, then anything (an advert with
    stock figures): from the sign-off on, it is all signature."""
    for i in range(end - 1, max(end - _SIGNATURE_MAX_LINES, 0) - 1, -1):
        if _RULE_BELOW_NAME.match(lines[i]):
            start = _signature_start(lines[:i], sender_name=sender_name)
            if start is not None:
                return start
    return None


def _signature_start(lines: Sequence[str], *, sender_name: str) -> int | None:
    """The topmost sign-off or own-name line whose following lines read like a signature."""
    end = _last_content(lines)
    start = None
    for i in range(end - 1, max(end - _SIGNATURE_MAX_LINES, 0) - 1, -1):
        if _is_sign_off(lines[i], sender_name) or _is_own_name(lines[i], sender_name):
            # Lines that fail here fail for every start above as well.
            if not _reads_like_signature(lines[i + 1 : end]):
                break
            start = i
    return start


def _is_sign_off(line: str, sender_name: str) -> bool:
    match = _SIGN_OFF.match(line)
    rest = match.group("rest") if match else ""
    return bool(match) and (not rest or _is_own_name(rest, sender_name))


def _is_own_name(line: str, sender_name: str) -> bool:
    names = _name_forms(sender_name)
    return bool(names) and line.strip().strip("/-–—~ ,.").casefold() in names


def _name_forms(sender_name: str) -> set[str]:
    """The sender's full name, each part of it, and the name without spaces."""
    name = sender_name.strip().strip("\"'").casefold()
    if not name:
        return set()
    parts = {part for part in re.split(r"[\s,]+", name) if len(part) > 1}
    return {name, name.replace(" ", ""), *parts}


def _reads_like_signature(lines: Sequence[str]) -> bool:
    """Short contact lines (name, title, phone, address), a disclaimer, nothing else."""
    content = [line for line in lines if line.strip()]
    if len(content) > _SIGNATURE_MAX_LINES:
        return False
    for line in _before_disclaimer(content):
        if _ORDER_LINE.search(line) or _is_sentence(line) or line.lstrip().startswith(">"):
            return False
    return True


def _before_disclaimer(lines: Sequence[str]) -> Sequence[str]:
    for i, line in enumerate(lines):
        if _DISCLAIMER.match(line):
            return lines[:i]
    return lines


def _is_sentence(line: str) -> bool:
    if not _SENTENCE_END.search(line) or _ABBREVIATION_END.search(line):
        return False
    cjk = sum(1 for ch in line if "\u4e00" <= ch <= "\u9fff")
    return len(line.split()) >= 5 or cjk >= 8

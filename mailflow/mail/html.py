"""HTML bodies to readable text that keeps table layout.

We use ``inscriptis`` because order e-mails put their lines in HTML tables,
and inscriptis renders a table as aligned columns, one row per line, which the
extractor reads like a plain-text table. Elements that are never shown to a
reader (scripts, styles, templates, the head) are hidden by the CSS profile,
so their content can never leak into the text.

Rendering is slow on very large documents (seconds per megabyte), so only
the first ``MAX_HTML_CHARS`` characters are rendered; no real order e-mail
comes near that, and the original HTML is kept whole on the envelope.
"""

from __future__ import annotations

import re

from inscriptis import get_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.html_properties import Display
from inscriptis.model.config import ParserConfig
from inscriptis.model.html_element import HtmlElement

MAX_HTML_CHARS = 500_000

_HIDDEN_TAGS = ("head", "title", "meta", "link", "script", "style", "template", "object")

# Control characters other than tab and newline come from broken HTML; they
# would confuse everything downstream and carry no meaning.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A paragraph holding only &nbsp; is how Outlook and others write a blank line,
# but inscriptis drops blocks that hold only whitespace. A private-use
# character stands in for each no-break space while rendering and then
# becomes a plain space again.
_NBSP = re.compile(r"&nbsp;|&#160;|&#x0*a0;|\u00a0", re.IGNORECASE)
_NBSP_STAND_IN = "\ue000"
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def _config(*, paragraph_margin: int) -> ParserConfig:
    # "strict" renders inline elements as a browser does: "<span>a</span>b" is
    # "ab", which matters for Chinese, where an inserted space splits a phrase.
    css = dict(CSS_PROFILES["strict"])
    for tag in _HIDDEN_TAGS:
        css[tag] = HtmlElement(display=Display.none)
    css["p"] = HtmlElement(
        display=Display.block, margin_before=paragraph_margin, margin_after=paragraph_margin
    )
    return ParserConfig(css=css, display_links=False, display_images=False)


_CONFIG = _config(paragraph_margin=1)
# Outlook writes every line as a <p class=MsoNormal> whose stylesheet sets the
# margin to zero, and writes blank lines as empty paragraphs.
_OUTLOOK_CONFIG = _config(paragraph_margin=0)


def html_to_text(html: str) -> str:
    """Render an HTML body as plain text: tables as aligned rows, no script or style content."""
    config = _OUTLOOK_CONFIG if "MsoNormal" in html else _CONFIG
    html = _NBSP.sub(_NBSP_STAND_IN, _CONTROL_CHARS.sub("", html[:MAX_HTML_CHARS]))
    text = get_text(html, config).replace(_NBSP_STAND_IN, " ")
    text = _TRAILING_SPACE.sub("", text)
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")

"""Product-matching features of a piece of text: content words (stemmed),
specification tokens (M8, 18W, 60x40x40, 2.5), CJK bigrams and a size.

Both catalog terms and customer text go through the same normalisation, so
"M8 x 40 mm", "m8x40" and "M8x40镀锌" produce the same tokens.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from mailflow.extract.lexicon import Lexicon

CJK = "\u4e00-\u9fff"
_CJK_UNITS = {"毫升": "ml", "公斤": "kg", "千克": "kg", "升": "l", "米": "m", "克": "g", "寸": "in"}
_SIZES = ("xxl", "xl", "xs", "s", "m", "l")


@dataclass(frozen=True)
class Features:
    words: frozenset[str]
    specs: frozenset[str]
    cjk: frozenset[str]
    size: str | None
    colours: frozenset[str] = frozenset()
    # Unit words in the text ("pallets", "bags"); they name a product only when
    # nothing else does ("20 x pallets").
    unit_words: frozenset[str] = frozenset()

    @property
    def all(self) -> frozenset[str]:
        return self.words | self.specs | self.cjk


@lru_cache(maxsize=8)
def _abbreviation_rules(
    abbreviations: tuple[tuple[str, str], ...],
) -> tuple[tuple[str, str, re.Pattern[str] | None], ...]:
    """(short, long, pattern) per abbreviation; Chinese ones are plain replacements."""
    return tuple(
        (short, long, None)
        if re.search(f"[{CJK}]", short)
        else (short, long, re.compile(rf"(?<![a-z0-9]){re.escape(short)}(?![a-z0-9])"))
        for short, long in abbreviations
    )


def _expand(text: str, lexicon: Lexicon) -> str:
    for short, long, pattern in _abbreviation_rules(tuple(lexicon.abbreviations.items())):
        # Each pattern matches its abbreviation literally: absent, it cannot match.
        if short not in text:
            continue
        text = text.replace(short, long) if pattern is None else pattern.sub(long, text)
    return text


# The rewrites of ``normalise``, in order: (pattern, replacement).
_REWRITES_BEFORE_UNITS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\b\d{1,2}:\d{2}(?:\s*[ap]\.?m\b\.?)?", " "),  # a time is no specification
        (r"(\d),(\d{1,2})(?!\d)", r"\1.\2"),  # European decimal comma
        (r"(\d)s\b", r"\1"),  # "the M8x40s": a plural, not a unit
        (r"(\d)\s*(?:sq\.?\s*mm|mm2|mm²|平方(?:毫米)?|mm)(?![a-z])", r"\1"),
        (r"(\d)\s*(?:cm)(?![a-z])", r"\1"),
    )
)
_CJK_UNIT_REWRITES = tuple(
    (zh, re.compile(rf"(\d)\s*{zh}"), rf"\1{unit} ") for zh, unit in _CJK_UNITS.items()
)
_REWRITES_AFTER_UNITS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"(\d)\s*(?:级)", r"\1lvl "),
        (r"\blevel\s*(\d+)", r"\1lvl"),
        (r"(\d)\s*(?:\"|''|inch(?:es)?\b|in\b)", r"\1 "),
        (r"(\d)\s*(?:litres?|liters?|ltrs?)(?![a-z])", r"\1l"),  # "120 litre" is the 120 L
        (r"(\d)\s*(?:kilos?|kilograms?)(?![a-z])", r"\1kg"),
        (r"(\d)\s+(v|w|a|l|ml|g|kg|m|ft|p)(?![a-z0-9])", r"\1\2"),
        (r"\b([a-z]{1,2})(\d+(?:\.\d+)?)\s*x\s*(\d+)", r"\1\2 \3"),
        (r"(\d+(?:\.\d+)?)\s*x\s*(?=\d)", r"\1x"),
        # "BV-2.5", "EP-2": a type code and a size, or one code; both spellings.
        (r"\b([a-z]{2,})-(\d+(?:\.\d+)?)(?![\d.])", r"\1\2 \2"),
        (r"\b([a-z]+)-(\d)", r"\1\2"),
    )
)


def normalise(text: str, lexicon: Lexicon) -> str:
    """Lower-case and rewrite units and dimensions into one spelling."""
    text = _expand(text.lower().replace("×", "x").replace("（", "(").replace("）", ")"), lexicon)
    for pattern, replacement in _REWRITES_BEFORE_UNITS:
        text = pattern.sub(replacement, text)
    for zh, pattern, replacement in _CJK_UNIT_REWRITES:
        if zh in text:
            text = pattern.sub(replacement, text)
    for pattern, replacement in _REWRITES_AFTER_UNITS:
        text = pattern.sub(replacement, text)
    return text


def stem(word: str) -> str:
    """A light English plural stemmer: enough for "bolts", "boxes", "gloves"."""
    if len(word) > 4 and re.search(r"(?:ch|sh|x|ss)es$", word):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _size(text: str, lexicon: Lexicon) -> str | None:
    for pattern in (r"\bsize\s+([a-z]+)\b", r"\b([a-z]{1,3})\s*码", r"\(([a-z]{1,3})\)"):
        match = re.search(pattern, text)
        if match and match.group(1) in lexicon.size_words:
            return lexicon.size_words[match.group(1)]
    # "let's" holds no size S
    for word in re.findall(r"(?<![a-z0-9'’])[a-z]+(?![a-z0-9])", text):
        if word in _SIZES or (word in lexicon.size_words and len(word) > 3):
            return lexicon.size_words.get(word)
    return None


@lru_cache(maxsize=8)
def _colour_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    forms = sorted(words, key=len, reverse=True)
    return re.compile(
        "|".join(re.escape(w) if not w.isascii() else rf"\b{re.escape(w)}\b" for w in forms)
    )


def _colours(text: str, lexicon: Lexicon) -> frozenset[str]:
    found = _colour_pattern(tuple(lexicon.colours)).findall(text)
    return frozenset(lexicon.colours[w] for w in found)


@lru_cache(maxsize=8)
def _cjk_stop_pattern(stopwords: frozenset[str]) -> re.Pattern[str] | None:
    stops = sorted((w for w in stopwords if re.match(f"[{CJK}]", w)), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, stops))) if stops else None


def _cjk_runs(token: str, lexicon: Lexicon) -> list[str]:
    """A run of Chinese split at function words ("擦手纸要" -> "擦手纸"), so that
    "纸要" does not pass for part of a product name."""
    pattern = _cjk_stop_pattern(lexicon.stopwords)
    return [run for run in pattern.split(token) if run] if pattern else [token]


def _bigrams(run: str) -> set[str]:
    return {run[i : i + 2] for i in range(len(run) - 1)} if len(run) > 1 else {run}


def _content_words(token: str, lexicon: Lexicon) -> set[str]:
    parts = [p for p in re.split(r"[-/.]", token) if p]
    return {
        stem(p)
        for p in parts
        if p not in lexicon.stopwords and p not in lexicon.units and p not in _SIZES
    }


# Features of recent texts per lexicon: an e-mail asks for the same clause's
# features several times (matching, retries, the edit readers). Features are frozen.
_CACHE: OrderedDict[tuple[int, str, bool], tuple[Lexicon, Features]] = OrderedDict()
CACHE_SIZE = 4096


def features(text: str, lexicon: Lexicon, *, with_size: bool = True) -> Features:
    """The matching features of ``text``."""
    key = (id(lexicon), text, with_size)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is lexicon:
        _CACHE.move_to_end(key)
        return cached[1]
    found = _features(text, lexicon, with_size=with_size)
    _CACHE[key] = (lexicon, found)
    if len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return found


def _features(text: str, lexicon: Lexicon, *, with_size: bool) -> Features:
    norm = normalise(text, lexicon)
    words: set[str] = set()
    specs: set[str] = set()
    cjk: set[str] = set()
    for token in re.findall(rf"[a-z0-9][a-z0-9./-]*[a-z0-9]|[a-z0-9]|[{CJK}]+", norm):
        if re.match(f"[{CJK}]", token):
            cjk |= {b for run in _cjk_runs(token, lexicon) for b in _bigrams(run)}
        elif re.search(r"\d", token):
            spec = token.strip("./-")
            specs.add(spec)
            # "60的纸箱" names the 60 x 40 x 40 box by its leading dimension.
            if lead := re.fullmatch(r"(\d+)(?:x\d+(?:\.\d+)?){2}", spec):
                specs.add(lead.group(1))
        else:
            words |= _content_words(token, lexicon)
    size = _size(norm, lexicon) if with_size else None
    colours = _colours(norm, lexicon)
    unit_words = frozenset(
        stem(w)
        for w in re.findall(r"(?<![a-z0-9])[a-z]{3,}(?![a-z0-9])", norm)
        if w in lexicon.units
    )
    return Features(frozenset(words), frozenset(specs), frozenset(cjk), size, colours, unit_words)


def spec_groups(specs: frozenset[str]) -> dict[str, set[str]]:
    """Specification tokens grouped by kind: "pre:m" for M8/M10, "suf:w" for
    18W/12W, "dims" for 60x40x40, "inch" for 1/2 and 3/4. Two values of one kind contradict."""
    groups: dict[str, set[str]] = {}
    for spec in specs:
        if re.fullmatch(r"\d+(?:\.\d+)?(?:x\d+(?:\.\d+)?)+", spec):
            key = "dims"
        elif match := re.fullmatch(r"([a-z]+)\d+(?:\.\d+)?", spec):
            key = "pre:" + match.group(1)
        elif match := re.fullmatch(r"\d+(?:\.\d+)?([a-z]+)", spec):
            key = "suf:" + match.group(1)
        elif re.fullmatch(r"\d+/\d+", spec):
            key = "inch"  # 1/2" and 3/4" fittings are different products
        else:
            continue
        groups.setdefault(key, set()).add(spec)
    return groups

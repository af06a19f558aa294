"""Product matching: tolerant SKU and part-number patterns, then weighted
feature overlap with catalog names, Chinese names and aliases (typos caught
by rapidfuzz). Anything below the confidence floor stays unmatched."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from mailflow.extract.features import CJK, Features, features, spec_groups, stem
from mailflow.extract.lexicon import Lexicon
from mailflow.refdata import Product


@dataclass(frozen=True)
class Entry:
    """One thing that can be matched: a catalog product or a line of an order."""

    key: str
    terms: tuple[Features, ...]
    union: frozenset[str]
    size: str | None
    groups: dict[str, set[str]] = field(hash=False)
    colours: frozenset[str] = frozenset()
    heads: frozenset[str] = frozenset()  # the head noun of each name ("pallet wrap" -> wrap)
    unit_words: frozenset[str] = frozenset()
    accessory: bool = False  # sold as a part for something else ("replacement blades")


@dataclass(frozen=True)
class ProductMatch:
    key: str | None
    score: float
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeHit:
    key: str
    start: int
    end: int


NO_MATCH = ProductMatch(None, 0.0)


def code_pattern(code: str) -> str:
    """A regex for a product code that tolerates case, spaces, dashes and dots."""
    chunks = re.findall(r"[A-Za-z]+|\d+(?:\.\d+)?", code)
    body = r"[\s\-._/]*".join(re.escape(c).replace(r"\.", "[.,]") for c in chunks)
    return rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])"


def _strip_parentheticals(text: str) -> str:
    return re.sub(r"[(（][^)）]*[)）]", " ", text)


class ProductIndex:
    """Matches free text to entries; built once per catalog (and per customer
    alias table) and reused for every e-mail."""

    def __init__(
        self,
        entries: Iterable[tuple[str, Sequence[str]]],
        lexicon: Lexicon,
        *,
        codes: Mapping[str, str] | None = None,
    ) -> None:
        self.lexicon = lexicon
        accessory: str = lexicon.lines.get("accessory", "")
        self._accessory_re = re.compile(accessory, re.I) if accessory else None
        self.entries = [self._entry(key, texts) for key, texts in entries]
        # Keys sold as a part for something else (a key may have several entries).
        self._accessory_keys = {e.key for e in self.entries if e.accessory}
        self.idf = self._idf()
        self.vocab_words = sorted({f for e in self.entries for t in e.terms for f in t.words})
        self.codes = dict(codes or {})
        self._ordered_codes = sorted(self.codes, key=len, reverse=True)
        self._code_re = self._compile_codes()
        self._mean_idf = sum(self.idf.values()) / max(len(self.idf), 1)
        # Which entries have a feature, so that scoring skips those sharing none.
        self._having: dict[str, set[int]] = {}
        for number, entry in enumerate(self.entries):
            for feat in entry.union:
                self._having.setdefault(feat, set()).add(number)
        # The shapes of the catalog's lettered specifications ("m10x60" -> "mx"), for ``knows``.
        self._spec_shapes = {_shape(f) for f in self.idf if re.search(r"\d", f) and _shape(f)}
        self._by_first: dict[str, list[str]] = {}
        for word in self.vocab_words:
            self._by_first.setdefault(word[0], []).append(word)

    def _entry(self, key: str, texts: Sequence[str]) -> Entry:
        variants = [*texts, *(_strip_parentheticals(t) for t in texts if "(" in t or "（" in t)]
        terms = tuple(features(t, self.lexicon) for t in variants if t.strip())
        union = frozenset(f for t in terms for f in t.all)
        size = terms[0].size if terms else None
        specs = frozenset(s for t in terms for s in t.specs)
        colours = frozenset(c for t in terms for c in t.colours)
        heads = frozenset(h for t in texts if (h := head_noun(t, self.lexicon)))
        unit_words = frozenset(u for t in terms for u in t.unit_words)
        accessory = any(self._accessory(t) for t in texts)
        return Entry(
            key, terms, union, size, spec_groups(specs), colours, heads, unit_words, accessory
        )

    def _accessory(self, text: str) -> bool:
        return self._accessory_re is not None and self._accessory_re.search(text) is not None

    def _idf(self) -> dict[str, float]:
        counts: dict[str, int] = {}
        for entry in self.entries:
            for feat in entry.union:
                counts[feat] = counts.get(feat, 0) + 1
        total = max(len(self.entries), 1)
        return {f: math.log(1 + total / n) for f, n in counts.items()}

    def _compile_codes(self) -> re.Pattern[str] | None:
        if not self.codes:
            return None
        # Every code pattern opens with the same look-behind and a letter or digit;
        # stated once up front, positions inside a word fail before any alternative.
        edge = "(?<![A-Za-z0-9])"
        bodies = (code_pattern(c).removeprefix(edge) for c in self._ordered_codes)
        alternatives = "|".join(f"({body})" for body in bodies)
        return re.compile(f"{edge}(?=[A-Za-z0-9])(?:{alternatives})", re.IGNORECASE)

    def find_codes(self, text: str) -> list[CodeHit]:
        """Every SKU or customer part number written in ``text``, in order."""
        if self._code_re is None:
            return []
        # Each alternative is one group without inner groups: ``lastindex`` names it.
        return [
            CodeHit(self.codes[self._ordered_codes[m.lastindex - 1]], m.start(), m.end())
            for m in self._code_re.finditer(text)
            if m.lastindex is not None
        ]

    def _canonical_words(self, feats: Features) -> Features:
        """Map misspelt words onto catalog words ("anchers" -> "anchor")."""
        min_len = int(self.lexicon.matching.get("fuzzy_word_min_len", 5))
        cutoff = self.lexicon.matching.get("fuzzy_word_score", 80)
        words = set()
        for word in feats.words:
            if word in self.idf or len(word) < min_len:
                words.add(word)
                continue
            # Typos keep their first letter far more often than not; requiring it
            # stops "spring" from becoming "ring".
            same_start = self._by_first.get(word[0], [])
            best = process.extractOne(word, same_start, scorer=fuzz.ratio, score_cutoff=cutoff)
            words.add(best[0] if best else word)
        return Features(
            frozenset(words),
            feats.specs,
            self._bridged(feats.cjk),
            feats.size,
            feats.colours,
            feats.unit_words,
        )

    def _bridged(self, cjk: frozenset[str]) -> frozenset[str]:
        """Drop the unknown bigrams that only bridge two known ones: "欧标托盘" for
        "欧标木托盘" gives "标托", which says nothing the catalog does not know."""
        known = {b for b in cjk if b in self.idf}
        chars = {c for b in known for c in b}
        return frozenset(
            b for b in cjk if b in known or len(b) < 2 or not (b[0] in chars and b[1] in chars)
        )

    def knows(self, text: str) -> bool:
        """Whether ``text`` holds a word, a Chinese name part or a lettered
        specification ("m12x80") that some catalog entry has."""
        feats = self._canonical_words(features(text, self.lexicon))
        if any(f in self.idf for f in (*feats.words, *feats.cjk)):
            return True
        return any(_shape(s) in self._spec_shapes for s in feats.specs if _shape(s))

    def by_spec(self, text: str) -> str | None:
        """The one entry whose names have every specification ``text`` writes
        ("8 rolls of the 2.5mm²" when only one cable is 2.5 mm²), else None."""
        specs = {s for s in features(text, self.lexicon).specs if re.search(r"[a-z.]", s)}
        if not specs:
            return None
        having = [e.key for e in self.entries if specs <= e.union]
        return having[0] if len(having) == 1 else None

    def elliptic(self, text: str) -> bool:
        """Whether ``text`` names no product by itself but carries something the
        catalog knows (a size, a specification): "the 4mm", "L码", "40x30x30的"."""
        feats = features(text, self.lexicon)
        sizes = self.lexicon.size_words
        words = [w for w in feats.words if len(w) >= 3 and w not in sizes]
        fillers = self.lexicon.elliptic_fillers
        # "4平方的": a Chinese measure after a number is a specification, not a name.
        bare = re.sub(r"\d+(?:\.\d+)?\s*(?:平方毫米|平方|平|毫米|厘米|公斤|升|米|寸)", " ", text)
        cjk = [c for c in "".join(re.findall(f"[{CJK}]", bare)) if c not in fillers]
        known = bool(feats.size) or any(s in self.idf for s in feats.specs)
        return not words and not cjk and known

    def _weight(self, feat: str, *, unknown: float) -> float:
        return self.idf.get(feat, unknown)

    def _conflicts(self, entry: Entry, feats: Features) -> bool:
        if feats.size and entry.size and feats.size != entry.size:
            return True
        if feats.colours and entry.colours and not feats.colours & entry.colours:
            return True
        for key, values in spec_groups(feats.specs).items():
            if key in entry.groups and not values & entry.groups[key]:
                return True
        return False

    def _score(self, entry: Entry, feats: Features, unknown: float) -> tuple[float, float]:
        seg = feats.all
        matched = sum(self._weight(f, unknown=unknown) for f in seg if f in entry.union)
        total = sum(self._weight(f, unknown=unknown) for f in seg)
        seg_cov = matched / total if total else 0.0
        best_cov = 0.0
        for term in entry.terms:
            weights = [self.idf.get(f, 0.0) for f in term.all]
            hit = sum(self.idf.get(f, 0.0) for f in term.all if f in seg)
            best_cov = max(best_cov, hit / sum(weights) if sum(weights) else 0.0)
        return 0.6 * best_cov + 0.4 * seg_cov, best_cov

    def scores(self, text: str, *, keys: set[str] | None = None) -> list[tuple[float, float, str]]:
        """(score, term coverage, key) for every entry sharing a feature with ``text``."""
        feats = self._canonical_words(features(text, self.lexicon))
        # Bare numbers alone ("4 12") name no product; "60x40x40" or "M8" do.
        if not (feats.words or feats.cjk or any(re.search(r"[a-z]|\dx\d", s) for s in feats.specs)):
            return self._by_unit_words(feats, keys)
        mean = self._mean_idf
        sharing = sorted({n for f in feats.all for n in self._having.get(f, ())})
        out = []
        for entry in (self.entries[n] for n in sharing):
            if keys is not None and entry.key not in keys:
                continue
            if self._conflicts(entry, feats):
                continue
            score, cov = self._score(entry, feats, 0.5 * mean)
            out.append((score, cov, entry.key))
        return sorted(out, reverse=True)

    def _explained(self, text: str, key: str) -> float:
        """The share of ``text``'s features (by weight) that entry ``key`` has."""
        feats = self._canonical_words(features(text, self.lexicon))
        entry = next(e for e in self.entries if e.key == key)
        mean = self._mean_idf
        weights = {f: self._weight(f, unknown=0.5 * mean) for f in feats.all}
        total = sum(weights.values())
        return sum(w for f, w in weights.items() if f in entry.union) / total if total else 0.0

    def _distinctive(self, text: str, ranked: list[tuple[float, float, str]]) -> bool:
        """A short name that only one product has ("LED灯管", "电钻", "卷尺"): the
        customer's words are all that product's, and no other product comes close."""
        need = self.lexicon.matching.get("distinctive_coverage", 0.85)
        gap = self.lexicon.matching.get("distinctive_margin", 0.15)
        if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < gap:
            return False
        return ranked[0][1] > 0 and self._explained(text, ranked[0][2]) >= need

    def _by_unit_words(
        self, feats: Features, keys: set[str] | None
    ) -> list[tuple[float, float, str]]:
        """ "20 x pallets": a unit word that is all the customer wrote names the
        products called by it; a weak reading, left to the head-noun tie-break."""
        floor = self.lexicon.matching.get("match_floor", 0.5)
        cov_floor = self.lexicon.matching.get("term_coverage_floor", 0.45)
        return [
            (floor, cov_floor, e.key)
            for e in self.entries
            if (keys is None or e.key in keys) and feats.unit_words & e.unit_words
        ]

    def by_unit_word(self, text: str) -> str | None:
        """The one entry called by the unit word ``text`` holds, when its other
        words name nothing here ("10 rolls of bags is fine" among confirmed lines)."""
        feats = self._canonical_words(features(text, self.lexicon))
        if any(self._having.get(f) for f in feats.all):
            return None
        called = {key for _, _, key in self._by_unit_words(feats, None)}
        if len(called) > 1:
            # "pallets" beside "pallet wrap": the line whose name ends in that word
            called = {e.key for e in self.entries if e.key in called and feats.unit_words & e.heads}
        return next(iter(called)) if len(called) == 1 else None

    def match(self, text: str, *, keys: set[str] | None = None) -> ProductMatch:
        """The best entry for ``text`` if it clears the floor and the margin, or
        if only it has the customer's words."""
        ranked = self.scores(text, keys=keys)
        if not ranked:
            return NO_MATCH
        floor = self.lexicon.matching.get("match_floor", 0.5)
        cov_floor = self.lexicon.matching.get("term_coverage_floor", 0.45)
        margin = self.lexicon.matching.get("match_margin", 0.04)
        best, cov, key = ranked[0]
        if best < floor or cov < cov_floor:
            if self._distinctive(text, ranked):
                return ProductMatch(key, round(best, 3), _keys(ranked[1:]))
            return ProductMatch(None, best, _keys(ranked))
        if len(ranked) > 1 and best - ranked[1][0] < margin:
            close = [k for score, _, k in ranked if best - score < margin]
            key = self.by_head(text, close) or ""
            if not key:
                return ProductMatch(None, best, _keys(ranked))
        if self._accessory(text) and key not in self._accessory_keys:
            # "replacement blades" for a box cutter are not the box cutter.
            return ProductMatch(None, best, _keys(ranked))
        return ProductMatch(key, round(best, 3), tuple(k for k in _keys(ranked) if k != key))

    def by_family(self, text: str, keys: Sequence[str], families: set[str]) -> str | None:
        """Of products that ``text`` fits equally ("胶带": packing or insulation
        tape), the only one of a family (its code's first part) in ``families``."""
        need = self.lexicon.matching.get("distinctive_coverage", 0.85)
        fits = [k for k in keys if self._explained(text, k) >= need]
        if len(fits) < 2:
            return None
        same = [k for k in fits if family(k) in families]
        return same[0] if len(same) == 1 else None

    def by_head(self, text: str, keys: list[str]) -> str | None:
        """Of close candidates, the only one whose name ends in the customer's head
        noun: "pallets" are the pallets, not the pallet wrap."""
        head = head_noun(text, self.lexicon)
        fits = [e.key for e in self.entries if e.key in keys and head and head in e.heads]
        return fits[0] if len(fits) == 1 else None


def family(sku: str) -> str:
    """A product's family, the first part of its code ("PKG-TAPE-48" -> "PKG");
    a code without parts is a family of its own."""
    return sku.split("-", 1)[0]


def _shape(spec: str) -> str:
    """A specification without its numbers: "m12x80" -> "mx", "18w" -> "w"; "" for "60"."""
    shape = re.sub(r"[\d.]", "", spec)
    return shape if re.search(r"[a-z]", shape) else ""


def head_noun(text: str, lexicon: Lexicon) -> str | None:
    """The head of a product name: its last content word in English ("stretch
    film 500 mm" -> film), its last two characters in Chinese ("欧标木托盘" -> 托盘)."""
    tokens = re.findall(rf"(?<![a-z0-9])[a-z]{{3,}}(?![a-z0-9])|[{CJK}]{{2,}}", text.lower())
    content = [
        t for t in tokens if not t.isascii() or t not in lexicon.stopwords | lexicon.colours.keys()
    ]
    if not content:
        return None
    last = content[-1]
    return stem(last) if last.isascii() else last[-2:]


def _keys(ranked: list[tuple[float, float, str]]) -> tuple[str, ...]:
    return tuple(key for _, _, key in ranked[:3])


def product_terms(product: Product) -> list[str]:
    """The names a product is known by in the catalog."""
    return [product.name, product.name_zh, *product.aliases]


def _is_name(alias: str) -> bool:
    """ "blue lids" is a name; "TW-417" or "LFM 20931" is a part number."""
    has_words = re.search(r"[A-Za-z]{3,}|[\u4e00-\u9fff]", alias) is not None
    return has_words and not re.search(r"\d", alias)


# "elc.cbl.2.5" for ELC-CBL-2.5-100: a code cut short still names one product
# when at least this many of its parts are written and no other code shares them.
PREFIX_PARTS = 3


def _unique_prefixes(products: Mapping[str, Product]) -> dict[str, str]:
    """Each SKU's shortened forms (of ``PREFIX_PARTS`` parts or more) that no
    other SKU starts with."""
    owners: dict[str, set[str]] = {}
    for sku in products:
        parts = sku.split("-")
        for n in range(PREFIX_PARTS, len(parts)):
            owners.setdefault("-".join(parts[:n]), set()).add(sku)
    return {
        prefix: next(iter(skus))
        for prefix, skus in owners.items()
        if len(skus) == 1 and prefix not in products
    }


def catalog_index(
    products: Mapping[str, Product],
    lexicon: Lexicon,
    *,
    aliases: Mapping[str, str] | None = None,
) -> ProductIndex:
    """An index over the catalog; ``aliases`` maps a customer's part numbers and
    names to SKUs. They are found before anything else (as codes, tolerant of
    case and separators), and names also join the product's terms, so that "the
    blue lids" still matches a customer who calls them "blue lid"."""
    known = {alias: sku for alias, sku in (aliases or {}).items() if sku in products}
    codes = {sku: sku for sku in products}
    codes.update(_unique_prefixes(products))
    codes.update(known)
    names: dict[str, list[str]] = {}
    for alias, sku in known.items():
        if _is_name(alias):
            names.setdefault(sku, []).append(alias)
    entries = [(sku, [*product_terms(p), *names.get(sku, [])]) for sku, p in products.items()]
    return ProductIndex(entries, lexicon, codes=codes)

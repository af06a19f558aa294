"""Which of an order's products a short reply takes out ("cancel the nuts,
keep the bolts", "请取消螺母，其它照常"): the clauses carrying a drop word
(``drop_line`` in nlp/assets/answers.json) are matched against the order's
own products only, so a code or a single word is enough."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from functools import cache

from mailflow.extract.lexicon import DEFAULT_ASSETS
from mailflow.extract.pipeline import catalog_for
from mailflow.extract.products import ProductIndex
from mailflow.mail.language import detect_language
from mailflow.refdata import ReferenceData

# Clause boundaries: sentence ends, commas, semicolons, "but", Chinese punctuation.
_CLAUSES = re.compile(r"[.;,!?\n。；，、！？]|\bbut\b", re.IGNORECASE)


@cache
def _drop_words() -> re.Pattern[str]:
    words = json.loads((DEFAULT_ASSETS / "answers.json").read_text(encoding="utf-8"))["drop_line"]
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def _named(index: ProductIndex, clause: str, keys: set[str]) -> str | None:
    codes = [hit.key for hit in index.find_codes(clause) if hit.key in keys]
    if codes:
        return codes[0]
    ranked = index.scores(clause, keys=keys)
    # Among the order's own products the best scorer wins if it is clearly ahead.
    if ranked and (len(ranked) == 1 or ranked[0][0] > ranked[1][0] * 1.5):
        return ranked[0][2]
    return None


def dropped_products(text: str, refdata: ReferenceData, *, among: Collection[str]) -> list[str]:
    """The SKUs from ``among`` that ``text`` asks to take out, in order, once."""
    keys = set(among)
    # As the extractor does: "mixed" text is read with the Chinese pipeline.
    index = catalog_for("en" if detect_language(text) == "en" else "zh", refdata)
    found: list[str] = []
    for clause in _CLAUSES.split(text):
        if keys and _drop_words().search(clause):
            sku = _named(index, clause, keys)
            if sku and sku not in found:
                found.append(sku)
    return found

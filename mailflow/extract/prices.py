"""Unit prices the customer writes beside a line ("@ $4.20 each", "单价11元/盒",
"unit price £11.00"). Their numbers are never quantities, and a price in the
catalog's currency and sales unit is kept on the line for the price check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from mailflow.extract.lexicon import Lexicon
from mailflow.refdata import Product

PER_EACH = {"each", "ea"}


@dataclass(frozen=True)
class StatedPrice:
    amount: Decimal
    currency: str | None  # ISO code, None when only labelled ("@ 4.20")
    per: str | None  # canonical unit the price is for, None when not written
    start: int
    end: int


@lru_cache(maxsize=4)
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source, re.I)


def _currency(written: str | None, lexicon: Lexicon) -> str | None:
    if not written:
        return None
    currencies: dict[str, str] = lexicon.lines["currencies"]
    return currencies.get(written) or currencies.get(written.lower())


def find_prices(text: str, lexicon: Lexicon) -> list[StatedPrice]:
    """Every stated price in ``text``: a number with a currency or a price label."""
    out = []
    for match in _pattern(lexicon.lines["price"]).finditer(text):
        label, cur, cur2 = match.group("label"), match.group("cur"), match.group("cur2")
        labelled = label is not None and label.strip().lower() not in {"at"}
        if not (cur or cur2 or labelled):
            continue
        try:
            amount = Decimal(match.group("amount").replace(",", "."))
        except InvalidOperation:
            continue
        sep = (match.group("sep") or "").lower()
        per_word = "each" if sep in PER_EACH else match.group("per")
        per = lexicon.units.get(per_word.lower()) if per_word else None
        start = (
            match.start("label") if label else match.start("cur") if cur else match.start("amount")
        )
        out.append(StatedPrice(amount, _currency(cur or cur2, lexicon), per, start, match.end()))
    return out


def price_spans(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Where prices are written, so that their numbers are not read as amounts."""
    if not re.search(r"\d", text):
        return []
    return [(p.start, p.end) for p in find_prices(text, lexicon)]


def unit_price(
    text: str, product: Product, lexicon: Lexicon, *, written_unit: str | None
) -> Decimal | None:
    """The price per sales unit the customer states in ``text``, or None when it
    is in another currency or for a unit it cannot be converted from."""
    for price in find_prices(text, lexicon):
        if price.currency not in {None, product.currency.upper()}:
            continue
        sales = lexicon.units.get(product.unit.lower(), product.unit.lower())
        base = lexicon.units.get(product.base_unit.lower(), product.base_unit.lower())
        per = price.per or written_unit or sales
        if per == sales:
            return price.amount
        if per == base and product.items_per_unit > 1:
            return price.amount * product.items_per_unit
    return None

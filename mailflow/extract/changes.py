"""Edits to an order we quoted or confirmed: the quoted table supplies the
lines, the customer's new text says what to set, add, keep or remove."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from mailflow.extract.lines import LINE_REFERENCE, LineContext, mask_spans, read_lines
from mailflow.extract.products import ProductIndex, product_terms
from mailflow.extract.quantities import (
    Quantity,
    bracketed_amounts,
    edit_target,
    find_quantities,
    is_product_noun,
    to_sales_units,
)
from mailflow.extract.segments import Clause, clauses, unwrapped, without_sizes
from mailflow.extract.types import Evidence, ExtractedLine

BASE_FLOOR = 0.3
# "Please supply the items below, except the paper towels": a line left out.
EXCEPT = re.compile(r"\s*\b(?:except|but not|apart from|other than|excluding)(?: for)?\b", re.I)


@dataclass(frozen=True)
class Edit:
    op: str  # "set", "add", "less", "remove", "double" or "keep"
    key: str | None  # index of the base line, or None for a product not in it
    sku: str | None
    quantity: Quantity | None
    clause: Clause


def base_lines(quoted: str, ctx: LineContext) -> list[ExtractedLine]:
    """The lines of our own confirmation or quotation in the quoted text."""
    pattern = re.compile(ctx.lexicon.lines["base_row"])
    out = []
    for raw in quoted.split("\n"):
        match = pattern.match(re.sub(r"^\s*(?:>\s*)+", "", raw))
        if not match:
            continue
        hits = ctx.index.find_codes(match.group("sku"))
        if match.group("sku").strip("-") and not hits:
            continue
        sku = hits[0].key if hits else None
        qty = int(match.group("qty").replace(",", ""))
        evidence = Evidence("quoted", text=raw.strip())
        out.append(
            ExtractedLine(
                sku,
                qty,
                match.group("desc").strip(),
                match.group("qty"),
                match.group("unit") or "",
                0.9,
                [],
                evidence,
            )
        )
    return out


def _base_index(base: list[ExtractedLine], ctx: LineContext) -> ProductIndex:
    entries = []
    for number, line in enumerate(base):
        product = ctx.products.get(line.sku) if line.sku else None
        entries.append(
            (str(number), [line.description, *(product_terms(product) if product else [])])
        )
    return ProductIndex(entries, ctx.lexicon)


def _op(text: str, ctx: LineContext) -> str | None:
    ops: dict[str, str] = ctx.lexicon.lines["ops"]
    for op in ("less", "remove", "keep", "double", "set", "add"):
        if re.search(ops[op], text, re.I):
            return op
    return None


def _target(text: str, ctx: LineContext, op: str | None) -> Quantity | None:
    """The amount ``text`` sets; after an edit word ("make that 3") a bare number."""
    return edit_target(text, ctx.lexicon, loose=op in {"set", "add", "less"})


RESTATED = re.compile(
    r"[(（]\s*[\d.,]+\s*[^\s\d()（）]+(?:\s+(?:in\s+)?total|\s+altogether)?\s*[)）]", re.I
)


def _without_quantities(text: str, target: Quantity | None, ctx: LineContext) -> str:
    """The clause with every written amount blanked ("由500米改为800米"), so that
    amounts are not read as a product's specification."""
    spans = [(q.start, q.end) for q in find_quantities(text, ctx.lexicon) if q.unit]
    # "down to 2 spools (30 kg)", "(75 kg in total)": the amount restated in
    # brackets is no specification.
    spans += [
        inner.span()
        for inner, _ in bracketed_amounts(text, ctx.lexicon)
        if RESTATED.fullmatch(inner.group())
    ]
    if target is not None:
        spans.append((target.start, target.end))
    return mask_spans(text, spans)


def _without_ops(text: str, ctx: LineContext) -> str:
    """The clause with its edit words blanked: "M码手套再加" names the gloves,
    and "再加" would only dilute the match."""

    def blank(match: re.Match[str]) -> str:
        # "take the ear plugs off" holds its product: only short cues are blanked.
        words = match.group().split()
        return " " * len(match.group()) if len(words) <= 2 else match.group()

    for pattern in ctx.lexicon.lines["ops"].values():
        text = re.sub(pattern, blank, text, flags=re.I)
    return text


def _line_reference(text: str, base: list[ExtractedLine]) -> str | None:
    """ "Line 3 (vests) - 40 rather than 60", "drop line 5", "第5项不要": a line
    of our quoted quotation or confirmation named by its number."""
    found = LINE_REFERENCE.search(text)
    if found is None:
        return None
    number = int(found.group("n") or found.group("zn"))
    return str(number - 1) if 1 <= number <= len(base) else None


def _base_target(text: str, base_index: ProductIndex) -> str | None:
    ranked = base_index.scores(text)
    if not ranked or ranked[0][1] < BASE_FLOOR:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] <= 0.05:
        # "leave out the pallets" beside euro pallets and "pallet wrap": the head noun decides.
        close = [key for score, _, key in ranked if ranked[0][0] - score <= 0.05]
        return base_index.by_head(text, close)
    return ranked[0][2]


def _by_unit(
    clause: Clause,
    op: str | None,
    quantity: Quantity | None,
    text: str,
    base: list[ExtractedLine],
    base_index: ProductIndex,
    ctx: LineContext,
) -> str | None:
    """ "10 rolls of bags is fine", "10 pallets is fine", "no pallets this time
    though": words that name no product of ours leave the unit word to name the
    one line it calls, when the clause removes a line or opens with its amount."""
    if _names_new_product(text, base, ctx):
        return None  # "12 rolls of shop towels": a product the order lacks
    if op == "remove":
        return base_index.by_unit_word(text)
    if quantity is None or quantity.unit is None or clause.text[: quantity.start].strip():
        return None
    return base_index.by_unit_word(text) or base_index.by_unit_word(quantity.unit_text)


def _only_candidate(
    text: str, base: list[ExtractedLine], base_index: ProductIndex, ctx: LineContext
) -> str | None:
    """ "M码手套再加10盒" against a confirmation with M and L gloves: the size rules
    the L line out, and the one line left is meant unless the catalog names
    another product outright."""
    ranked = base_index.scores(text)
    if len(ranked) != 1 or ranked[0][1] <= 0:
        return None
    key = ranked[0][2]
    named = ctx.index.match(text).key
    return key if named is None or named == base[int(key)].sku else None


def _names_new_product(text: str, base: list[ExtractedLine], ctx: LineContext) -> bool:
    """Whether the catalog names, outright, a product the order does not hold yet."""
    named = ctx.index.match(text).key
    return named is not None and all(line.sku != named for line in base)


def _edit(
    clause: Clause,
    base: list[ExtractedLine],
    base_index: ProductIndex,
    ctx: LineContext,
    *,
    amount: Quantity | None = None,
) -> Edit | None:
    """What ``clause`` does to the order; ``amount``, when given, is the amount
    it sets (read where the customer wrote it)."""
    if re.search(ctx.lexicon.lines["street_line"], clause.text, re.M):
        return None  # "Schaumburg Tower / 1501 Woodfield Rd": an address, no edit
    op = _op(clause.text, ctx)
    line = _line_reference(clause.text, base)
    # "Line 3 (vests) - 40 rather than 60": the line's number is no amount.
    written = (
        LINE_REFERENCE.sub(lambda m: " " * len(m.group()), clause.text) if line else clause.text
    )
    quantity = amount or _target(written, ctx, op)
    text = _without_ops(_without_quantities(written, quantity, ctx), ctx)
    naming = text
    if quantity is not None and not re.search(r"[A-Za-z\u4e00-\u9fff]{2,}", text):
        naming = quantity.unit_text  # "add another 5 pallets": the unit names a line
    key = line or _base_target(naming, base_index)
    key = key or _by_unit(clause, op, quantity, text, base, base_index, ctx)
    if key is not None and not line and op == "add" and _names_new_product(text, base, ctx):
        key = None  # "please add 4 rolls of bubble wrap" beside the stretch wrap
    # "托盘这次不要了"; "电钻车间报的是4台": an amount with its unit restating one line
    restates = op is None and quantity is not None and quantity.unit is not None
    if key is None and (op == "remove" or (op in {"set", "add", "less"} and quantity) or restates):
        key = _only_candidate(text, base, base_index, ctx)
    if key is not None and op == "double":
        return Edit(op, key, None, None, clause)
    if key is not None:
        return Edit(op or ("set" if quantity else "keep"), key, None, quantity, clause)
    hits = ctx.index.find_codes(text)
    match = ctx.index.match(text) if not hits else None
    sku = hits[0].key if hits else match.key if match else None
    if sku and quantity and op in {"add", "set", None}:
        return Edit("add", None, sku, quantity, clause)
    return None


def _converted(
    line: ExtractedLine, quantity: Quantity, ctx: LineContext, text: str = ""
) -> int | None:
    """``quantity`` in the line's sales unit. A bare number is in that unit
    ("make it 5"), unless the product's own noun follows it: "add another 1,000
    M8 bolts" counts bolts, not boxes."""
    product = ctx.products.get(line.sku) if line.sku else None
    if product is None:
        return int(quantity.value)
    if quantity.unit is None:
        after = text[quantity.end : quantity.end + 40].split()[:3]
        if not any(is_product_noun(word, product) for word in after):
            return int(quantity.value)
    return to_sales_units(quantity, product, ctx.lexicon).quantity


def _apply(
    lines: list[ExtractedLine | None], edit: Edit, base: list[ExtractedLine], ctx: LineContext
) -> None:
    evidence = Evidence("body", edit.clause.start, edit.clause.end, edit.clause.text)
    if edit.key is None:
        new = ExtractedLine(edit.sku, None, edit.clause.text, evidence=evidence, confidence=0.8)
        if edit.quantity is not None:
            quantity = _converted(new, edit.quantity, ctx, edit.clause.text)
            lines.append(replace(new, quantity=quantity))
        return
    index = int(edit.key)
    current = lines[index]
    if edit.op == "remove" or current is None:
        lines[index] = None
    elif edit.op == "double" and current.quantity is not None:
        lines[index] = replace(current, quantity=current.quantity * 2, evidence=evidence)
    elif edit.op in {"set", "add", "less"} and edit.quantity is not None:
        value = _converted(current, edit.quantity, ctx, edit.clause.text) or 0
        # "(5 in total)" sets the amount whatever the edit word; "add another 5"
        # and "纸箱少要一百个" ("a hundred fewer") change it by that many.
        step = {"add": 1, "less": -1}.get(edit.op, 0) if edit.quantity.unit_text != "total" else 0
        qty = (current.quantity or 0) + step * value if step else value
        lines[index] = (
            replace(current, quantity=qty, description=edit.clause.text, evidence=evidence)
            if qty > 0
            else None
        )


def apply_changes(
    new_text: str, base: list[ExtractedLine], ctx: LineContext
) -> list[ExtractedLine]:
    """The whole order after the customer's edits, in the order of the base lines
    followed by added products."""
    base_index = _base_index(base, ctx)
    # "take the\nspray off": an edit may run over a hard-wrapped line.
    new_text = unwrapped(new_text, ctx.lexicon)
    lines: list[ExtractedLine | None] = list(base)
    named: Clause | None = None  # a clause that names a product and does nothing to it
    excepted: Edit | None = None  # "… the items below, except the paper towels"
    swapped_until = 0  # where a part swapped in, read as a line of its own, ends
    edited: Edit | None = None  # the edit of a line in the clause before
    for written in _except_split(clauses(new_text, ctx.lexicon, split_dashes=True)):
        if written.start < swapped_until:
            continue
        swapped, swapped_until = _swapped(written, lines, base, base_index, ctx, new_text)
        if swapped is None:
            named = None
            continue
        clause = swapped
        edit = _edit(clause, base, base_index, ctx)
        op = _op(clause.text, ctx)
        target = _target(clause.text, ctx, op)
        # "apart from the goggles, we found a box of those": a reason, not an edit.
        reason = named is not None and EXCEPT.match(named.text) is not None and op is None
        if named is not None and _unnamed(edit, op, target) and not reason:
            excepted = None  # "except the gloves, make those 30": the edit says what
            # "goggles - 30 please": the amount is the one the second clause wrote.
            shift = clause.start - named.start
            amount = (
                replace(target, start=target.start + shift, end=target.end + shift)
                if target is not None
                else None
            )
            joined = _joined(named, clause, new_text)
            edit = _edit(joined, base, base_index, ctx, amount=amount) or edit
        if excepted is not None:
            _apply(lines, excepted, base, ctx)
            excepted = None
        names = _names_only(edit, op, target, clause, base_index, ctx)
        named = clause if names or _restates(edit, lines, ctx) else None
        if (
            edit is not None
            and edit.key is not None
            and edit.op == "keep"
            and EXCEPT.match(clause.text)
        ):
            excepted = replace(edit, op="remove")
        if (
            edit is not None
            and edit.op == "keep"
            and op is None
            and _sets_on(edited, clause, new_text)
        ):
            # "make the hard hats 30 and the vests 30 as well": the set runs on
            target = _target(clause.text, ctx, "set")
            edit = Edit("set", edit.key, None, target, clause) if target is not None else edit
        if edit is None and edited is not None and _resized(clause, edited, lines, ctx):
            continue  # "nitrile gloves: as quoted, but size L instead of M"
        if edit is None and target is not None and target.unit_text == "total" and edited:
            # "hose: 20 m more, so 70 m in total": the total of the line just edited.
            edit = Edit("set", edited.key, None, target, clause)
        if edit is not None and edit.op != "keep":
            _apply(lines, edit, base, ctx)
        edited = edit if edit is not None and edit.key is not None else None
    if excepted is not None:
        _apply(lines, excepted, base, ctx)
    return [line for line in lines if line is not None]


def _sets_on(edited: Edit | None, clause: Clause, text: str) -> bool:
    """Whether ``clause`` follows a set of a line, joined to it by "and"."""
    if edited is None or edited.op != "set" or edited.clause.end > clause.start:
        return False
    between = text[edited.clause.end : clause.start]
    return re.fullmatch(r"\s*(?:,\s*)?(?:and|&|\+|以及|和)?\s*", between, re.I) is not None


def _resized(
    clause: Clause, edited: Edit, lines: list[ExtractedLine | None], ctx: LineContext
) -> bool:
    """ "but size L instead of M" after a clause that named a line: that line
    becomes the catalog's product of the size asked for, at the same amount."""
    found = re.match(ctx.lexicon.lines["variant_swap"], clause.text, re.I)
    if found is None or edited.key is None:
        return False
    sizes, at = ctx.lexicon.size_words, int(edited.key)
    current = lines[at]
    product = ctx.products.get(current.sku) if current and current.sku else None
    if current is None or product is None:
        return False
    new, old = found.group("new").lower(), found.group("old").lower()
    if new not in sizes or old not in sizes or sizes[new] == sizes[old]:
        return False
    sibling = ctx.index.match(f"{without_sizes(product.name, ctx.lexicon)[0]} size {new}").key
    resized = ctx.products.get(sibling) if sibling else None
    if resized is None or sibling == product.sku:
        return False
    evidence = Evidence("body", clause.start, clause.end, clause.text)
    lines[at] = replace(current, sku=resized.sku, evidence=evidence)
    return True


def _swapped(
    clause: Clause,
    lines: list[ExtractedLine | None],
    base: list[ExtractedLine],
    base_index: ProductIndex,
    ctx: LineContext,
    new_text: str,
) -> tuple[Clause | None, int]:
    """ "swap the 12 knives for another 12 tape measures", "把M8螺母换成M10的": the
    line swapped out goes; what is left to read is the part swapped in, and
    where the swap ends. "swap the cut resistant gloves for blue nitrile gloves,
    large - 10 boxes": a part swapped in without its amount runs on to the end
    of its sentence and is read there as a new line (None: nothing left to read)."""
    found = re.search(ctx.lexicon.lines["swap"], clause.text, re.I)
    if found is None:
        return clause, clause.end
    old, new = ("old", "new") if found.group("old") else ("zold", "znew")
    out = _part(clause, found.span(old))
    edit = _edit(out, base, base_index, ctx)
    if edit is None or edit.key is None:
        return clause, clause.end
    _apply(lines, replace(edit, op="remove"), base, ctx)
    part = _part(clause, found.span(new))
    if find_quantities(part.text, ctx.lexicon):
        return part, part.end
    rest = new_text[part.start :]
    stop = re.search(r"[.;!?。；！？](?=\s|$)|\n\s*\n|\n\s*[-*•]", rest)
    end = part.start + (stop.start() if stop else len(rest))
    lines.extend(read_lines(new_text[part.start : end], ctx, offset=part.start))
    return None, end


def _part(clause: Clause, span: tuple[int, int]) -> Clause:
    text = clause.text[span[0] : span[1]]
    return Clause(text, clause.start + span[0], clause.start + span[1], clause.unit, clause.listy)


def _except_split(found: list[Clause]) -> list[Clause]:
    """ "put through everything on Dave's list below except the drill": the
    exception is a clause of its own."""
    out = []
    for clause in found:
        cut = EXCEPT.search(clause.text)
        if cut is None or cut.start() == 0:
            out.append(clause)
            continue
        head, tail = clause.text[: cut.start()].rstrip(), clause.text[cut.start() :].lstrip()
        at = clause.start + len(clause.text) - len(tail)
        out.append(Clause(head, clause.start, clause.start + len(head), clause.unit, clause.listy))
        out.append(Clause(tail, at, clause.end, clause.unit, clause.listy))
    return out


def _names_only(
    edit: Edit | None,
    op: str | None,
    target: Quantity | None,
    clause: Clause,
    base_index: ProductIndex,
    ctx: LineContext,
) -> bool:
    """ "耳塞报多了" (the ear plugs were over-ordered): a product named, no edit
    written; the next clause ("改成600副就够") says what to do with it."""
    if op is not None or target is not None:
        return False
    if edit is not None or ctx.index.match(clause.text).key is not None:
        return True
    return len(base_index.scores(clause.text)) == 1


def _restates(edit: Edit | None, lines: list[ExtractedLine | None], ctx: LineContext) -> bool:
    """ "he asks for 20 boxes of gloves, but we only need 15": a clause that only
    repeats a line's amount names the line for the edit that follows."""
    if edit is None or edit.key is None or edit.op != "set" or edit.quantity is None:
        return False
    current = lines[int(edit.key)]
    return current is not None and _converted(current, edit.quantity, ctx) == current.quantity


def _unnamed(edit: Edit | None, op: str | None, target: Quantity | None) -> bool:
    """An edit that names no product: an amount and an edit word only, a removal
    ("Stretch film - please remove"), or an amount alone ("welding rods - 50 kg
    please")."""
    if op is None:
        return target is not None and edit is None
    if op != "remove" and target is None:
        return False
    return edit is None or (edit.key is None and edit.sku is None)


def _joined(first: Clause, second: Clause, text: str) -> Clause:
    return Clause(
        text[first.start : second.end], first.start, second.end, second.unit, second.listy
    )

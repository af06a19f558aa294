"""What each finding says in English: to the customer (plain words, a
question they can answer in one line), to the clerk (short, with the facts),
and the suggestion on its own. Keys are codes, or ``code.variant``.

Placeholders are filled with values formatted for the reply's locale; an
empty customer text means the finding is for the clerk only.
"""

from __future__ import annotations

from mailflow.validate.phrase import Phrase

PHRASES: dict[str, Phrase] = {
    "no_lines": Phrase(
        "We could not find any products in your e-mail. Could you list the product codes "
        "and quantities you need?",
        "No order lines found in the e-mail.",
    ),
    "unknown_product": Phrase(
        'We could not find "{description}" in our catalogue. Did you mean {options}?',
        'Line {line_no}: "{description}" matches no catalogue product; closest: {options}.',
        "{options}",
    ),
    "unknown_product.none": Phrase(
        'We could not find "{description}" in our catalogue. Could you send us the product '
        "code, or describe it in a few more words?",
        'Line {line_no}: "{description}" matches no catalogue product, nothing close.',
    ),
    "ambiguous_product": Phrase(
        '"{description}" fits several of our products: {options}. Which one do you need?',
        'Line {line_no}: "{description}" fits {options} equally well.',
        "{options}",
    ),
    "inactive_product": Phrase(
        "{product} is no longer available. We can offer {options} instead. Shall we use it?",
        "Line {line_no}: {product} is discontinued; same family: {options}.",
        "{options}",
    ),
    "inactive_product.none": Phrase(
        "{product} is no longer available and we have no direct replacement. Shall we leave "
        "it out of this order?",
        "Line {line_no}: {product} is discontinued; no active product of the same family.",
    ),
    "invalid_quantity": Phrase(
        'How many of "{description}" do you need? We read the quantity as {quantity}.',
        'Line {line_no}: quantity {quantity} for "{description}" is not a valid amount.',
    ),
    "invalid_quantity.unreadable": Phrase(
        'How many of "{description}" do you need? We could not read the quantity.',
        'Line {line_no}: no readable quantity for "{description}".',
    ),
    "below_moq": Phrase(
        "The minimum order for {product} is {moq}; you asked for {asked}. Shall we send {moq}?",
        "Line {line_no}: {asked} of {product} is below the minimum order of {moq}.",
        "{moq}",
    ),
    "pack_multiple": Phrase(
        "{product} is sold by the {unit} of {per}: {written} would fill {whole} and part of "
        "another. Shall we send {suggested} ({suggested_items})?",
        "Line {line_no}: {written} of {product} do not fill whole packs of {per}; "
        "round up to {suggested}?",
        "{suggested}",
    ),
    "out_of_stock": Phrase(
        "{product} is out of stock at the moment; all {asked} can ship on {follow}. "
        "Is that all right?",
        "Line {line_no}: {product} has no stock; {asked} can follow on {follow} (lead time).",
        "{asked}: {follow}",
    ),
    "insufficient_stock": Phrase(
        "We have {available} of {product} in stock; the remaining {short} can ship on "
        "{follow}. Shall we send {available} now and the rest then?",
        "Line {line_no}: {asked} of {product} asked, {available} in stock; {short} can "
        "follow on {follow}.",
        "{available} now, {short}: {follow}",
    ),
    "price_mismatch": Phrase(
        "You gave a price of {stated} per {unit} for {product}; your price is {price}. "
        "Shall we go ahead at {price}?",
        "Line {line_no}: customer states {stated} for {product}, tier price {price}.",
        "{price}",
    ),
    "promotion_applied": Phrase(
        "Promotion: {percent} off {product}.",
        "Line {line_no}: promotion {promotion} ({description}) gives {percent} off {product}.",
    ),
    "date_in_past": Phrase(
        "The delivery date you asked for, {requested}, has already passed. The earliest we "
        "can deliver is {earliest}. Is that all right?",
        "Requested date {requested} is in the past; earliest feasible {earliest}.",
        "{earliest}",
    ),
    "date_too_soon": Phrase(
        "We cannot deliver by {requested}: the earliest possible delivery date is {earliest}. "
        "Is that all right?",
        "Requested date {requested} is before the earliest feasible date {earliest}.",
        "{earliest}",
    ),
    "date_non_working_day": Phrase(
        "{requested} is not a working day at the delivery address ({country}). Shall we "
        "deliver on {suggested} instead?",
        "Requested date {requested} is a non-working day in {country}; suggest {suggested}.",
        "{suggested}",
    ),
    "date_non_working_day.nocountry": Phrase(
        "{requested} is not a working day. Shall we deliver on {suggested} instead?",
        "Requested date {requested} is a non-working day; suggest {suggested}.",
        "{suggested}",
    ),
    "date_missing": Phrase(
        "You did not mention a delivery date, so we plan to deliver on {planned}.",
        "No delivery date given; planned {planned}.",
        "{planned}",
    ),
    "unknown_customer": Phrase(
        "",
        "Sender {sender} is not a known customer: check or open the account before "
        "confirming (standard prices shown).",
    ),
    "credit_hold": Phrase(
        "",
        "{customer} is on credit status '{status}', terms {terms}: never confirmed "
        "automatically; check with accounts.",
    ),
    "address_incomplete": Phrase(
        "The delivery address you gave ({address}) has no {missing}. Could you send us the "
        "full address?",
        "Stated ship-to lacks {missing}: {address}.",
    ),
    "address_invalid_postcode": Phrase(
        'The postcode "{postcode}" does not look right for {country}. Could you check it?',
        "Postcode {postcode} does not fit the format of {country}.",
    ),
    "address_changed": Phrase(
        "We will deliver to the address you gave: {address}.",
        "Ship-to differs from the customer's default: {address} (default: {default}).",
    ),
    "duplicate_order.po": Phrase(
        "",
        "PO {po} from this customer was already received on {when}{reference}: a copy?",
    ),
    "duplicate_order.lines": Phrase(
        "",
        "The same lines came from {sender} {minutes} minutes earlier{reference}: a copy?",
    ),
    "approval_required": Phrase(
        "",
        "Order total {total} is above the approval limit of {limit}: a supervisor approves.",
    ),
    "sender_unverified": Phrase(
        "",
        "Sender authentication failed ({results}): do not confirm before checking with "
        "the customer by phone.",
    ),
    "sender_unverified.missing": Phrase(
        "",
        "No Authentication-Results header from a trusted server: the sender is unverified.",
    ),
}

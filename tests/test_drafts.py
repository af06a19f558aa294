"""Subjects and threading headers of our replies."""

from __future__ import annotations

import pytest

from mailflow.drafts import plus_address, reply_subject

TOKEN = "ORD-7KQ2M9XD"


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("Order PO 4471", f"Re: Order PO 4471 [{TOKEN}]"),
        (f"Re: Re: RE: Order PO 4471 [{TOKEN}]", f"Re: Order PO 4471 [{TOKEN}]"),
        ("AW: 回复：订货清单", f"Re: 订货清单 [{TOKEN}]"),
        ("Fwd: new order from site", f"Re: new order from site [{TOKEN}]"),
        ("", f"Re: Your order [{TOKEN}]"),
    ],
)
def test_reply_subject_has_one_re_and_the_token_once(original: str, expected: str) -> None:
    assert reply_subject(original, TOKEN) == expected


def test_plus_address_carries_the_token() -> None:
    assert plus_address("orders@harbor.example", TOKEN) == f"orders+{TOKEN}@harbor.example"

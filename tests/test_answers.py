"""Reading a yes in an answer to our question."""

from __future__ import annotations

import pytest

from mailflow.conversation import affirms


@pytest.mark.parametrize(
    "text",
    ["Yes, ship the 40 now", "OK go ahead", "  ok, thanks", "好的，可以分批发货", "Sure - do that"],
)
def test_answers_that_open_with_a_yes(text: str) -> None:
    assert affirms(text)


@pytest.mark.parametrize(
    "text",
    ["No, we will wait for all of it", "Okra is not what we ordered", "Yesterday we said", ""],
)
def test_answers_that_do_not(text: str) -> None:
    assert not affirms(text)


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("Please cancel the NUT-M6, the rest is fine.", ["NUT-M6"]),
        ("Cancel the nuts please, just send the bolts.", ["NUT-M6"]),
        ("请取消螺母，其它照常。", ["NUT-M6"]),
        ("Please cancel the whole order.", []),
    ],
)
def test_products_a_reply_takes_out(text: str, dropped: list[str]) -> None:
    from pathlib import Path

    from mailflow.extract.mentions import dropped_products
    from mailflow.refdata import load_reference_data

    demo = Path(__file__).resolve().parent.parent / "config/demo"
    refdata = load_reference_data(catalog=demo / "catalog.csv")
    assert dropped_products(text, refdata, among={"BLT-M6-30", "NUT-M6"}) == dropped

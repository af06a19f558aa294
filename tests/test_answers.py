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

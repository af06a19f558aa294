"""Bar charts drawn on the server as SVG: no chart library, no script, and
they print. Every label goes through ``escape``."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

BAR_GAP = 4
LABEL_HEIGHT = 30
TOP = 16


_BAR = Markup(
    "<g><title>{label}: {shown}</title>"
    '<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}"/>'
    '<text class="value" x="{middle:.1f}" y="{above:.1f}">{shown}</text>'
    '<text class="label" x="{middle:.1f}" y="{below:.1f}">{label}</text></g>'
)
_CHART = Markup(
    '<svg class="chart" role="img" aria-label="{title}" viewBox="0 0 {width} {height}" '
    'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
    "<title>{title}</title>{bars}</svg>"
)


def _bar(x: float, width: float, share: float, height: float, label: str, shown: str) -> Markup:
    bar_height = height * share
    y = TOP + height - bar_height
    # Markup.format escapes every value that is not markup itself.
    return _BAR.format(
        label=label, shown=shown, x=x, y=y, width=width, height=bar_height,
        middle=x + width / 2, above=y - 3, below=TOP + height + 14,
    )  # fmt: skip


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 560,
    height: int = 160,
    percent: bool = False,
) -> Markup:
    """A labelled bar per item; values shown as percentages when ``percent``."""
    top = max((value for _, value in items), default=0) or 1
    slot = width / max(len(items), 1)
    bars = [
        _bar(i * slot + BAR_GAP / 2, slot - BAR_GAP, value / top, height, label,
             f"{value:.0%}" if percent else f"{value:g}")
        for i, (label, value) in enumerate(items)
    ]  # fmt: skip
    total = TOP + height + LABEL_HEIGHT
    return _CHART.format(title=title, width=width, height=total, bars=Markup("").join(bars))

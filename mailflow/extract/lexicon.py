"""The language assets of ``nlp/assets`` (units, numbers, cue phrases, date
rules, reference and address patterns), loaded once into typed objects.

Patterns live as data so that linguists can extend them without touching code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from mailflow.errors import ConfigError

DEFAULT_ASSETS = Path(__file__).resolve().parents[2] / "nlp" / "assets"


@dataclass(frozen=True)
class IntentCue:
    intent: str
    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True)
class Lexicon:
    """Everything the extractor reads from ``nlp/assets``."""

    units: dict[str, str]  # written form (lower-case) -> canonical unit
    unit_classes: dict[str, frozenset[str]]
    unit_multiples: dict[str, float]  # canonical unit -> single items it stands for
    spec_suffixes: tuple[str, ...]
    size_words: dict[str, str]  # written size word -> size code
    numbers: dict[str, Any]
    intent_cues: tuple[IntentCue, ...]
    reply: dict[str, re.Pattern[str]]
    dates: dict[str, Any]
    references: dict[str, Any]
    addresses: dict[str, Any]
    lines: dict[str, Any]
    stopwords: frozenset[str]
    abbreviations: dict[str, str]
    colours: dict[str, str]  # written colour word -> colour
    elliptic_fillers: frozenset[str]  # CJK characters that name no product ("的", "要")
    matching: dict[str, float]

    def reply_pattern(self, name: str) -> re.Pattern[str]:
        """A compiled pattern of ``reply_cues.json``."""
        return self.reply[name]

    def unit_class(self, unit: str | None) -> str:
        """The conversion class of a canonical unit ("count", "container", ...)."""
        for name in ("count", "case_like", "box_like", "measure"):
            if unit in self.unit_classes.get(name, frozenset()):
                return name
        return unit or ""


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read language asset {path}: {exc}") from exc


def _read_cues(path: Path) -> tuple[IntentCue, ...]:
    cues = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            flags = re.IGNORECASE | re.MULTILINE
            cues.append(IntentCue(row["intent"], re.compile(row["pattern"], flags), row["weight"]))
    return tuple(cues)


def _unit_map(raw: dict[str, list[str]]) -> dict[str, str]:
    return {form.lower(): canonical for canonical, forms in raw.items() for form in forms}


def _size_map(raw: dict[str, list[str]]) -> dict[str, str]:
    return {word: code for code, words in raw.items() for word in words}


@lru_cache(maxsize=4)
def load_lexicon(assets_dir: Path = DEFAULT_ASSETS) -> Lexicon:
    """Read and compile the assets; cached per directory."""
    units = _read_json(assets_dir / "units.json")
    reply = _read_json(assets_dir / "reply_cues.json")
    words = _read_json(assets_dir / "lexicon.json")
    return Lexicon(
        units=_unit_map(units["units"]),
        unit_classes={k: frozenset(v) for k, v in units["classes"].items()},
        unit_multiples={k: float(v) for k, v in units["multiples"].items() if k != "_doc"},
        spec_suffixes=tuple(units["spec_suffixes"]),
        size_words=_size_map(units["size_words"]),
        numbers=_read_json(assets_dir / "numbers.json"),
        intent_cues=_read_cues(assets_dir / "intent_cues.jsonl"),
        reply={k: re.compile(v, re.IGNORECASE) for k, v in reply.items() if k != "_doc"},
        dates=_read_json(assets_dir / "dates.json"),
        references=_read_json(assets_dir / "references.json"),
        addresses=_read_json(assets_dir / "addresses.json"),
        lines=_read_json(assets_dir / "lines.json"),
        stopwords=frozenset(words["stopwords"]),
        abbreviations=words["abbreviations"],
        elliptic_fillers=frozenset(words["elliptic_fillers"]),
        colours={w: colour for colour, forms in words["colours"].items() for w in forms},
        matching={
            k: float(words[k])
            for k in words
            if k.startswith(("fuzzy", "match", "term", "mid", "distinctive"))
        },
    )

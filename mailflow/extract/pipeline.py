"""The spaCy pipeline: a blank English or Chinese pipeline (Chinese segmented
by jieba with catalog names as user words when jieba is installed) plus our
registered components, configured from ``nlp/configs/<lang>.cfg``.

Each component reads the Doc text and leaves its findings on ``Doc._``; the
catalog is attached after construction because it is data, not config.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from mailflow.extract.addresses import delivery_address
from mailflow.extract.dates import DateContext, find_dates
from mailflow.extract.intent import cue_scores
from mailflow.extract.lexicon import DEFAULT_ASSETS, Lexicon, load_lexicon
from mailflow.extract.lines import LineContext, read_lines
from mailflow.extract.products import ProductIndex, catalog_index
from mailflow.extract.references import labelled_reference
from mailflow.refdata import ReferenceData

CONFIG_DIR = DEFAULT_ASSETS.parent / "configs"
EXTENSIONS = ("mf_context", "mf_lines", "mf_dates", "mf_reference", "mf_ship_to")

for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class _Component:
    """Shared set-up: the lexicon from config, the catalog attached later."""

    def __init__(self, assets_dir: str) -> None:
        self.lexicon = load_lexicon(Path(assets_dir) if assets_dir else DEFAULT_ASSETS)
        self.refdata: ReferenceData | None = None
        self.index: ProductIndex | None = None

    def attach(self, refdata: ReferenceData, index: ProductIndex) -> None:
        self.refdata, self.index = refdata, index

    def context(self, doc: Doc) -> dict[str, Any]:
        return doc._.mf_context or {}

    def text(self, doc: Doc) -> str:
        """The Doc's text, as the caller left it in the context: spaCy joins the
        tokens again on every ``doc.text``, which costs more than some components."""
        text = self.context(doc).get("text")
        return text if isinstance(text, str) else doc.text


class OrderLines(_Component):
    def __call__(self, doc: Doc) -> Doc:
        if self.index is None or self.refdata is None:
            raise RuntimeError("mailflow_order_lines: attach() the catalog first")
        index = self.context(doc).get("index") or self.index
        ctx = LineContext(index, self.refdata.products, self.lexicon)
        doc._.mf_lines = read_lines(self.text(doc), ctx)
        return doc


class Dates(_Component):
    def __call__(self, doc: Doc) -> Doc:
        date_ctx = self.context(doc).get("dates")
        if isinstance(date_ctx, DateContext):
            doc._.mf_dates = find_dates(self.text(doc), date_ctx, self.lexicon)
        return doc


class References(_Component):
    def __call__(self, doc: Doc) -> Doc:
        skus = self.refdata.products if self.refdata else {}
        doc._.mf_reference = labelled_reference(
            self.text(doc), self.lexicon, source="body", skus=skus
        )
        return doc


class IntentCues(_Component):
    def __call__(self, doc: Doc) -> Doc:
        doc.cats = cue_scores(self.text(doc), self.lexicon)
        return doc


class ShipTo(_Component):
    def __call__(self, doc: Doc) -> Doc:
        signature = str(self.context(doc).get("signature", ""))
        doc._.mf_ship_to = delivery_address(self.text(doc), self.lexicon, signature=signature)
        return doc


@Language.factory("mailflow_order_lines", default_config={"assets_dir": ""})
def make_order_lines(nlp: Language, name: str, assets_dir: str) -> OrderLines:
    return OrderLines(assets_dir)


@Language.factory("mailflow_dates", default_config={"assets_dir": ""})
def make_dates(nlp: Language, name: str, assets_dir: str) -> Dates:
    return Dates(assets_dir)


@Language.factory("mailflow_references", default_config={"assets_dir": ""})
def make_references(nlp: Language, name: str, assets_dir: str) -> References:
    return References(assets_dir)


@Language.factory("mailflow_intent_cues", default_config={"assets_dir": ""})
def make_intent_cues(nlp: Language, name: str, assets_dir: str) -> IntentCues:
    return IntentCues(assets_dir)


@Language.factory("mailflow_ship_to", default_config={"assets_dir": ""})
def make_ship_to(nlp: Language, name: str, assets_dir: str) -> ShipTo:
    return ShipTo(assets_dir)


COMPONENTS = (
    "mailflow_order_lines",
    "mailflow_dates",
    "mailflow_references",
    "mailflow_intent_cues",
    "mailflow_ship_to",
)


def _jieba_available() -> bool:
    try:
        import jieba  # noqa: F401
    except ImportError:
        return False
    return True


def _quiet_jieba() -> None:
    import logging

    import jieba

    # jieba announces its dictionary loading at INFO on its own logger.
    jieba.setLogLevel(logging.WARNING)


def _blank(language: str, refdata: ReferenceData) -> Language:
    if language == "zh" and _jieba_available():
        _quiet_jieba()
    config_path = CONFIG_DIR / f"{language}.cfg"
    if config_path.exists():
        config = spacy.util.load_config(config_path)
        if language == "zh" and not _jieba_available():
            config["nlp"]["tokenizer"]["segmenter"] = "char"
        nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    else:
        nlp = spacy.blank(language)
        for name in COMPONENTS:
            nlp.add_pipe(name)
    if language == "zh" and _jieba_available():
        _add_user_words(refdata)
    return nlp


def _add_user_words(refdata: ReferenceData) -> None:
    """Catalog names as jieba user words, so "封箱胶带" stays one token."""
    import jieba

    for product in refdata.products.values():
        for word in product.name_zh.replace("（", " ").replace("）", " ").split():
            if len(word) > 1:
                jieba.add_word(word)


@dataclass
class _Built:
    refdata: ReferenceData
    nlp: Language
    index: ProductIndex


_CACHE: dict[tuple[str, int], _Built] = {}
_LOCK = threading.Lock()


def build_pipeline(language: str, refdata: ReferenceData) -> Language:
    """A pipeline for ``language`` ("en" or "zh") with the catalog attached;
    cached per language and reference data object."""
    return _built(language, refdata).nlp


def _built(language: str, refdata: ReferenceData) -> _Built:
    key = ("zh" if language == "zh" else "en", id(refdata))
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is None or cached.refdata is not refdata:
            nlp = _blank(key[0], refdata)
            index = catalog_index(refdata.products, pipeline_lexicon(nlp))
            for name in COMPONENTS:
                component = nlp.get_pipe(name)
                if isinstance(component, _Component):
                    component.attach(refdata, index)
            cached = _CACHE[key] = _Built(refdata, nlp, index)
        return cached


def pipeline_lexicon(nlp: Language) -> Lexicon:
    """The lexicon the pipeline's components were configured with."""
    component = nlp.get_pipe("mailflow_order_lines")
    return component.lexicon if isinstance(component, _Component) else load_lexicon()


def catalog_for(language: str, refdata: ReferenceData) -> ProductIndex:
    """The cached catalog index of a pipeline."""
    return _built(language, refdata).index

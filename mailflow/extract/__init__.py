"""Extraction: turn one parsed e-mail into an ``ExtractedOrder``.

``extract_order`` is the public entry point; ``build_pipeline`` returns the
cached spaCy pipeline it uses (built from ``nlp/configs`` and ``nlp/assets``).
"""

from mailflow.extract.extractor import extract_order
from mailflow.extract.pipeline import build_pipeline

__all__ = ["build_pipeline", "extract_order"]

"""One helper for every user-visible string, so the UI can switch language at runtime.

Every widget writes its texts in a ``retranslate()`` method that calls :func:`tr`; it runs at
construction and again whenever :data:`notifier` emits ``languageChanged``.  Catalogues are plain
JSON files ``resources/translations/<lang>.json`` mapping the English source text to the
translation; a missing entry falls back to English.  Numbers and formulas are never translated.
"""
from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, Signal

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
LANGUAGES = {"en": "English", "zh": "简体中文"}

_catalog: dict[str, str] = {}
_language = "en"


class _Notifier(QObject):
    languageChanged = Signal(str)


notifier = _Notifier()


def tr(text: str) -> str:
    """Return *text* in the current language (English source text is the key)."""
    return _catalog.get(text, text)


def language() -> str:
    return _language


def load_catalog(lang: str) -> dict[str, str]:
    """Read the JSON catalogue for *lang* ({} for English or a missing file)."""
    if lang == "en":
        return {}
    path = TRANSLATIONS_DIR / f"{lang}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: translation catalogue must be a JSON object")
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def set_language(lang: str) -> None:
    """Switch language and tell every live widget to retranslate itself."""
    global _catalog, _language
    if lang not in LANGUAGES:
        raise ValueError(f"language: unknown language {lang!r} (choose from {', '.join(LANGUAGES)})")
    _catalog = load_catalog(lang)
    changed = lang != _language
    _language = lang
    if changed:
        notifier.languageChanged.emit(lang)

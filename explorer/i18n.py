"""One helper for every user-visible string, so the UI can switch language at runtime.

Every widget writes its texts in a ``retranslate()`` method that calls :func:`tr`; it runs at
construction and again whenever :data:`notifier` emits ``languageChanged``.  Catalogues are plain
JSON files ``resources/translations/<lang>.json`` mapping the English source text to the
translation; a missing entry falls back to English.  Numbers and formulas are never translated.
"""
from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator, Signal

from explorer import resources

TRANSLATIONS_DIR = resources.path("translations")
LANGUAGES = {"en": "English", "zh": "简体中文"}
#: Qt's own catalogue for each language: the texts Qt draws itself (dock float/close buttons,
#: tab scroll arrows, message-box and file-dialog buttons, line-edit context menus)
QT_CATALOGS = {"zh": "qtbase_zh_CN"}

_catalog: dict[str, str] = {}
_language = "en"
_qt_translator: QTranslator | None = None


class _Notifier(QObject):
    languageChanged = Signal(str)


notifier = _Notifier()


def tr(text: str) -> str:
    """Return *text* in the current language (English source text is the key)."""
    return _catalog.get(text, text)


def tr_error(exc: BaseException) -> str:
    """The message of *exc* in the current language: an error that carries a ``template`` and
    ``fields`` (:class:`explorer.core.errors.InputError`, ``encode.OutputError``) is translated
    template first, then filled; any other error shows as it is."""
    template = getattr(exc, "template", None)
    fields = getattr(exc, "fields", None)
    if isinstance(template, str) and isinstance(fields, dict):
        try:
            return tr(template).format(**fields)
        except (KeyError, IndexError, ValueError):
            return str(exc)
    return str(exc)


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
    _install_qt_catalog(lang)
    if changed:
        notifier.languageChanged.emit(lang)


def _install_qt_catalog(lang: str) -> None:
    """Translate Qt's built-in texts too (needs a QCoreApplication; Qt then retranslates its
    own widgets through LanguageChange events).  A missing .qm file leaves them in English."""
    global _qt_translator
    app = QCoreApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    name = QT_CATALOGS.get(lang)
    if name:
        translator = QTranslator(app)
        if translator.load(name, QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
            app.installTranslator(translator)
            _qt_translator = translator

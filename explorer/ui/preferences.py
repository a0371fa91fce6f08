"""View → Theme and View → Language: switch at runtime, remember the choice in QSettings.

The window owns one :class:`Preferences` (``window.prefs``).  :func:`initial_language` decides
the language at start-up: the ``--lang`` option, else the language chosen last time from the
menu, else the system locale (简体中文 for any Chinese locale, English otherwise).
"""
from __future__ import annotations

from PySide6.QtCore import QLocale, QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from explorer import i18n
from explorer.ui import theme

LANG_KEY = "ui/language"
THEME_KEY = theme.THEME_KEY


def system_language() -> str:
    """'zh' when the system locale is Chinese, else 'en'."""
    name = QLocale.system().name()           # e.g. "zh_CN", "en_US", "C"
    return "zh" if name.lower().startswith("zh") else "en"


def stored_language(settings) -> str | None:
    value = settings.value(LANG_KEY)
    return value if isinstance(value, str) and value in i18n.LANGUAGES else None


def initial_language(settings, requested: str | None = None) -> str:
    """``--lang`` if given, else the persisted choice, else the system locale."""
    if requested in i18n.LANGUAGES:
        return requested
    return stored_language(settings) or system_language()


def stored_theme(settings) -> str:
    value = settings.value(THEME_KEY)
    return value if isinstance(value, str) and value in theme.THEMES else "light"


class Preferences(QObject):
    """Theme and language menus of one window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.theme_menu = QMenu(window)
        self.theme_menu.setObjectName("themeMenu")
        self.language_menu = QMenu(window)
        self.language_menu.setObjectName("languageMenu")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name in theme.THEMES:
            act = QAction(window, checkable=True)
            act.setObjectName(f"actTheme_{name}")
            act.triggered.connect(lambda _checked=False, name=name: self.set_theme(name))
            self.theme_group.addAction(act)
            self.theme_menu.addAction(act)
            self.theme_actions[name] = act
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, native in i18n.LANGUAGES.items():
            # each language is listed in its own script, so anyone can find theirs
            act = QAction(native, window, checkable=True)
            act.setObjectName(f"actLanguage_{code}")
            act.triggered.connect(lambda _checked=False, code=code: self.set_language(code))
            self.language_group.addAction(act)
            self.language_menu.addAction(act)
            self.language_actions[code] = act
        self._sync_checks()

    @property
    def theme_name(self) -> str:
        return theme.current().name

    def apply_stored_theme(self) -> None:
        """At start-up, before the docks are built: the persisted theme.  Settings without one
        (first run, a recording's private window) keep the active theme — light in a fresh
        process — so a recording made from a dark window is dark too."""
        stored = self.settings.value(THEME_KEY)
        name = stored if isinstance(stored, str) and stored in theme.THEMES else theme.current().name
        theme.apply_app(theme.by_name(name))
        self._sync_checks()

    def set_theme(self, name: str) -> None:
        """Switch the whole window to theme *name* and remember it."""
        if name not in theme.THEMES:
            raise ValueError(f"theme: expected one of {', '.join(theme.THEMES)}, got {name!r}")
        theme.apply_to_window(self.window, theme.THEMES[name])
        self.settings.setValue(THEME_KEY, name)
        self.settings.sync()
        self._sync_checks()

    def set_language(self, lang: str) -> None:
        """Switch the interface language now (every widget retranslates) and remember it."""
        i18n.set_language(lang)
        self.settings.setValue(LANG_KEY, lang)
        self.settings.sync()
        self._sync_checks()

    def _sync_checks(self) -> None:
        for name, act in self.theme_actions.items():
            act.setChecked(name == theme.current().name)
        for code, act in self.language_actions.items():
            act.setChecked(code == i18n.language())

    def install(self, menu: QMenu) -> None:
        menu.addMenu(self.theme_menu)
        menu.addMenu(self.language_menu)

    def retranslate(self) -> None:
        tr = i18n.tr
        self.theme_menu.setTitle(tr("&Theme"))
        self.theme_menu.setToolTip(tr("Light or dark colours for the whole window"))
        self.theme_actions["light"].setText(tr("&Light"))
        self.theme_actions["light"].setStatusTip(tr("Dark text on a light background"))
        self.theme_actions["dark"].setText(tr("&Dark"))
        self.theme_actions["dark"].setStatusTip(tr("Light text on a dark background"))
        self.language_menu.setTitle(tr("&Language"))
        for code, act in self.language_actions.items():
            act.setStatusTip(tr("Show the interface in {language}").format(
                language=i18n.LANGUAGES[code]))
        self._sync_checks()

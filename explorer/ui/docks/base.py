"""Base class of every dock: a stable objectName, one model, redraw on change, retranslate."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from explorer import i18n
from explorer.ui import fit
from explorer.model import AppModel, Change


class ExplorerDock(QDockWidget):
    """A dock that draws what the shared model hands it.

    Subclasses implement :meth:`build` (create widgets), :meth:`retranslate` (set every
    user-visible text through :func:`explorer.i18n.tr`), :meth:`refresh` (redraw from the
    model; *change* says what changed, ``None`` means everything) and, when they choose colours
    of their own, :meth:`apply_theme`.  Hidden docks skip redraws and catch up when shown again.
    """

    OBJECT_NAME = ""
    TITLE = ""
    #: model change kinds this dock draws; an empty set means "any"
    KINDS: frozenset = frozenset()

    def __init__(self, model: AppModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.setObjectName(self.OBJECT_NAME)
        self.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                         | QDockWidget.DockWidgetClosable)
        self.setAllowedAreas(Qt.AllDockWidgetAreas)
        self._stale = False
        # A dock in a tab behind another one stays isVisible() (Qt moves it off-screen), but
        # visibilityChanged tells when its tab is selected or not: skip redraws until then.
        self._on_screen = True
        self.visibilityChanged.connect(self._on_visibility_changed)
        self.build()
        body = self.widget()
        if body is not None:
            # An opaque body: when one of its labels or fields repaints, Qt paints the body's
            # background and stops there, instead of repainting the dock and the main window
            # underneath first (the editors' value field changes on every drag move).
            body.setAutoFillBackground(True)
            # scroll vertically inside the dock, never sideways, and ask the window for a
            # bounded height (explorer/ui/fit.py): nothing clips, an expanding panel takes
            # room from its own dock only
            fit.wrap_body(self)
        self.retranslate()
        self.refresh(None)
        model.sigChanged.connect(self._on_model_changed)
        i18n.notifier.languageChanged.connect(self._on_language_changed)

    def body(self):
        """The dock's own widget (what :meth:`build` set), inside the scroll area the base
        class puts around it."""
        w = self.widget()
        return w.widget() if isinstance(w, fit.DockScroll) else w

    # -- subclass API --------------------------------------------------------------------
    def build(self) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        self.setWindowTitle(i18n.tr(self.TITLE))

    def refresh(self, change: Change | None) -> None:
        raise NotImplementedError

    def attempt(self, fn, *args, restore: bool = False, **kwargs) -> bool:
        """Run the model command ``fn(*args, **kwargs)`` for a user's edit.  A refusal (a
        ValueError, usually an InputError) is shown with :meth:`show_error` in the interface
        language; with *restore* the dock then redraws from the model, which puts its controls
        back to the state that was kept.  True if the command went through (the message is
        cleared)."""
        try:
            fn(*args, **kwargs)
        except ValueError as exc:
            self.show_error(i18n.tr_error(exc))
            if restore:
                self.refresh(None)
            return False
        self.show_error(None)
        return True

    def show_error(self, text: str | None) -> None:
        """Show why an edit was refused (None or "" clears it).  Docks with a message line of
        their own override this; the default is the window's status bar."""
        if text:
            window = self.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(text, 8000)

    def apply_theme(self) -> None:
        """Re-apply this dock's own colour choices after a theme switch (read them from
        :func:`explorer.ui.theme.current`); the window then calls :meth:`refresh`.  Plot items
        whose colour was one of the old theme's colours are restyled generically before."""

    # -- plumbing ----------------------------------------------------------------------
    def _on_model_changed(self, change: Change) -> None:
        if self.KINDS and not change.touches(*self.KINDS):
            return
        if not self.isVisible() or not self._on_screen:
            self._stale = True
            return
        self.refresh(change)

    def _on_visibility_changed(self, visible: bool) -> None:
        self._on_screen = bool(visible)
        if visible and self._stale:
            self._stale = False
            self.refresh(None)

    def _on_language_changed(self, _lang: str) -> None:
        self.retranslate()
        self.refresh(None)

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh(None)

    def disconnect_model(self) -> None:
        """Stop listening (called when the window closes; safe to call twice)."""
        if getattr(self, "_disconnected", False):
            return
        self._disconnected = True
        for signal, slot in ((self.model.sigChanged, self._on_model_changed),
                             (i18n.notifier.languageChanged, self._on_language_changed)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

"""Base class of every dock: a stable objectName, one model, redraw on change, retranslate."""
from __future__ import annotations

import functools
import inspect

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QWidget

from explorer import i18n
from explorer.ui import fit
from explorer.model import AppModel, Change


#: methods of a dock that never build a lazy dock's body (plumbing, or Qt's own)
_NEVER_BUILDS = frozenset({"build", "body", "is_built", "ensure_built", "disconnect_model",
                           "theme_switched"})


def _builds_first(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if not self._ready:
            self.ensure_built()
        return method(self, *args, **kwargs)
    return wrapper


class ExplorerDock(QDockWidget):
    """A dock that draws what the shared model hands it.

    Subclasses implement :meth:`build` (create widgets), :meth:`retranslate` (set every
    user-visible text through :func:`explorer.i18n.tr`), :meth:`refresh` (redraw from the
    model; *change* says what changed, ``None`` means everything) and, when they choose colours
    of their own, :meth:`apply_theme`.  Hidden docks skip redraws and catch up when shown again.

    A dock made with ``lazy=True`` (the window does this for every dock) has only its title
    until it is first needed: its tab is chosen, it is shown, a program asks for one of its
    attributes, or :meth:`ensure_built` is called (the window builds the rest in the
    background after its first paint).  Start-up then builds and paints only the docks on
    screen (issue 16).
    """

    #: emitted with the dock when its body has been built, or has grown plots since (the window
    #: then gives the new plots their export menu, the zoom and their minimum heights)
    built = Signal(object)

    def __init_subclass__(cls, **kwargs):
        # Every public method a dock defines builds the body first: a program calling
        # dock.set_topic(...) on a dock not built yet must not run half of it on no widgets
        # (and have the build reset what it set).  Qt's own methods are left alone.
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if (name.startswith("_") or name in _NEVER_BUILDS or hasattr(QDockWidget, name)
                    or not inspect.isfunction(value)):
                continue
            setattr(cls, name, _builds_first(value))

    OBJECT_NAME = ""
    TITLE = ""
    #: model change kinds this dock draws; an empty set means "any"
    KINDS: frozenset = frozenset()

    def __init__(self, model: AppModel, parent=None, lazy: bool = False):
        super().__init__(parent)
        self._ready = False            # the body is built (see ensure_built)
        self._building = self._attaching = False
        self.model = model
        self.setObjectName(self.OBJECT_NAME)
        self.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                         | QDockWidget.DockWidgetClosable)
        self.setAllowedAreas(Qt.AllDockWidgetAreas)
        self._stale = False
        self._theme_from = None        # see theme_switched
        # A dock in a tab behind another one stays isVisible() (Qt moves it off-screen), but
        # visibilityChanged tells when its tab is selected or not: skip redraws until then.
        self._on_screen = True
        self.visibilityChanged.connect(self._on_visibility_changed)
        model.sigChanged.connect(self._on_model_changed)
        i18n.notifier.languageChanged.connect(self._on_language_changed)
        if lazy:
            self.setWindowTitle(i18n.tr(self.TITLE))
            self.setWidget(QWidget())      # an empty body until the real one is built
        else:
            self.ensure_built()

    def is_built(self) -> bool:
        return self._ready

    def ensure_built(self) -> bool:
        """Build the body now if it is not built yet (True if this call built it)."""
        if self._ready or self._building or self._attaching:
            return False
        self._building = True
        placeholder = self.widget()
        try:
            self.build()
            # texts before the body is attached and measured: a combo box keeps the size hint
            # it was first measured with (an empty one: 5 px wide)
            self.retranslate()
            # attached only now, every attribute set: a dock on screen resizes (and so draws)
            # its new body at once
            body = self.__dict__.pop("_built_body", None)
            self._building = False
            self._attaching = True
            if body is not None:
                # An opaque body: when one of its labels or fields repaints, Qt paints the
                # body's background and stops there, instead of repainting the dock and the
                # main window underneath first (the editors' value field changes on every
                # drag move).
                body.setAutoFillBackground(True)
                # scroll vertically inside the dock, never sideways, and ask the window for
                # a bounded height (explorer/ui/fit.py): nothing clips, an expanding panel
                # takes room from its own dock only
                fit.wrap_body(self, body)
            self.refresh(None)
        finally:
            self._building = self._attaching = False
        self._ready = True
        self._stale = False
        if placeholder is not None and placeholder is not self.widget():
            placeholder.deleteLater()
        body = self.widget()
        if body is not None and self.isVisible():
            body.show()                    # a widget set on a visible dock starts hidden
        self.built.emit(self)
        return True

    def setWidget(self, widget) -> None:
        if self._building:
            self._built_body = widget      # ensure_built attaches it when build() is done
        else:
            super().setWidget(widget)

    def __getattr__(self, name: str):
        # only reached for a name the dock does not have: a lazy dock's widgets before its
        # body is built; build it and look again (a caller never sees the difference).
        # Private names never build: getattr(self, "_flag", default) is a question, not a use.
        state = self.__dict__
        if name.startswith("_") or state.get("_ready", True) or state.get("_building", True) \
                or state.get("_attaching", True):
            raise AttributeError(name)
        self.ensure_built()
        return object.__getattribute__(self, name)

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
        if not self._ready:
            return                         # the build draws everything
        if self.KINDS and not change.touches(*self.KINDS):
            return
        if not self.isVisible() or not self._on_screen:
            self._stale = True
            return
        self.refresh(change)

    def _on_visibility_changed(self, visible: bool) -> None:
        self._on_screen = bool(visible)
        if visible and self.ensure_built():
            return
        if visible and self._stale:
            self._catch_up()

    def _on_language_changed(self, _lang: str) -> None:
        if not self._ready:
            self.setWindowTitle(i18n.tr(self.TITLE))    # the tab's text; the rest at the build
            return
        self.retranslate()
        self.refresh(None)       # texts drawn in the plots too, also behind a tab

    def theme_switched(self, old) -> None:
        """The window switched from theme *old* to the current one.  A dock on screen restyles
        now; one behind a tab or closed when it is shown again (a switch then costs only what
        can be seen)."""
        if not self._ready:
            return                         # it will be built in the current theme
        if self.isVisible() and self._on_screen:
            self._restyle(old)
        else:
            if self._theme_from is None:
                self._theme_from = old     # the theme it is still drawn in
            self._stale = True

    def _restyle(self, old) -> None:
        import pyqtgraph as pg

        from explorer.ui import theme, zoom

        self._theme_from = None
        new = theme.current()
        for view in self.findChildren(pg.GraphicsView):
            theme.restyle_view(view, old, new)   # plot items in the old theme's colours
        self.apply_theme()
        self.refresh(None)
        zoom.rezoom(self)              # apply_theme set pens and fonts at 100 %

    def _catch_up(self) -> None:
        """Shown again: draw what changed while it was not on screen."""
        self._stale = False
        if self._theme_from is not None:
            self._restyle(self._theme_from)
        else:
            self.refresh(None)

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale and self._ready:
            self._catch_up()

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

"""View → Zoom, Full screen and Presentation mode of one window (``window.view_modes``).

* **Zoom** (Ctrl+= or Ctrl++ in, Ctrl+− out, Ctrl+0 back to 100 %, View → Zoom 75 %–250 %):
  :mod:`explorer.ui.zoom` scales every text, chart, axis, marker and line; remembered in
  QSettings (``ui/zoom``).
* **Full screen** (F11): the window fills the screen; F11 or Esc leaves.  Remembered with the
  window geometry.
* **Presentation mode** (F5): full screen, the menu bar, status bar and dock title bars hidden,
  and a larger zoom of its own (``ui/presentation_zoom``, 150 % at first; Ctrl+= / Ctrl+−
  change it while presenting).  Everything stays reachable by keyboard: every menu action keeps
  its shortcut (the actions are on the window, not only in the hidden menus), F10 opens the
  menus as one pop-up, Ctrl+1 … switch workspaces, Esc or F5 leaves.  Remembered
  (``ui/presentation``): a window closed while presenting opens presenting.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from explorer import i18n
from explorer.ui import fit, zoom

PRESENTATION_KEY = "ui/presentation"


class ViewModes(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.presenting = False
        self._was_full_screen = False
        self.zoom_percent = zoom.stored(self.settings, zoom.ZOOM_KEY, 100)
        self.presentation_percent = zoom.stored(self.settings, zoom.PRESENTATION_ZOOM_KEY,
                                                zoom.DEFAULT_PRESENTATION_ZOOM)

        def action(name, keys, slot, checkable=False):
            act = QAction(window, checkable=checkable)
            act.setObjectName(name)
            if keys:
                act.setShortcuts([QKeySequence(k) for k in keys])
            act.triggered.connect(slot)
            window.addAction(act)      # shortcuts work while the menu bar is hidden
            return act

        self.act_zoom_in = action("actZoomIn", ["Ctrl+=", "Ctrl++"], lambda: self.zoom_step(+1))
        self.act_zoom_out = action("actZoomOut", ["Ctrl+-"], lambda: self.zoom_step(-1))
        self.act_zoom_reset = action("actZoomReset", ["Ctrl+0"], lambda: self.set_zoom(100))
        self.act_full_screen = action("actFullScreen", ["F11"], self.toggle_full_screen, True)
        self.act_presentation = action("actPresentation", ["F5"], self.toggle_presentation, True)
        self.act_leave = action("actLeaveFullScreen", ["Esc"], self.leave)
        self.act_leave.setEnabled(False)
        self.act_menus = action("actShowMenus", ["F10"], self.popup_menus)
        self.zoom_menu = QMenu(window)
        self.zoom_menu.setObjectName("zoomMenu")
        self.zoom_menu.addActions([self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset])
        self.zoom_menu.addSeparator()
        self.zoom_group = QActionGroup(self)
        self.zoom_actions: dict[int, QAction] = {}
        for pct in zoom.STEPS:
            act = QAction(f"{pct} %", window, checkable=True)
            act.setObjectName(f"actZoom_{pct}")
            act.triggered.connect(lambda _c=False, pct=pct: self.set_zoom(pct))
            self.zoom_group.addAction(act)
            self.zoom_menu.addAction(act)
            self.zoom_actions[pct] = act
        self._sync()

    # ------------------------------------------------------------------ zoom
    @property
    def active_percent(self) -> int:
        return self.presentation_percent if self.presenting else self.zoom_percent

    def apply_zoom(self) -> None:
        """Apply the active zoom to the application and this window."""
        pct = self.active_percent
        if pct == zoom.percent() and pct == 100 and not getattr(self, "_zoomed_once", False):
            self._sync()
            return                      # 100 % at start-up: what the docks built, no restyle
        self._zoomed_once = True
        zoom.apply(self.window, pct)
        fit.refit(self.window)
        self._sync()

    def set_zoom(self, pct: int) -> None:
        """Zoom to *pct* % (75–250) and remember it (the presentation zoom while presenting)."""
        pct = zoom.clamp(pct)
        if self.presenting:
            self.presentation_percent = pct
            self.settings.setValue(zoom.PRESENTATION_ZOOM_KEY, pct)
        else:
            self.zoom_percent = pct
            self.settings.setValue(zoom.ZOOM_KEY, pct)
        self.apply_zoom()
        self.window.statusBar().showMessage(i18n.tr("Zoom {percent} %").format(percent=pct), 2000)

    def zoom_step(self, direction: int) -> None:
        self.set_zoom(zoom.step(self.active_percent, direction))

    # ------------------------------------------------------------------ full screen
    def toggle_full_screen(self) -> None:
        if self.presenting:
            self.set_presentation(False)
            return
        w = self.window
        if w.isFullScreen():
            w.showNormal()
        else:
            w.showFullScreen()
        self._sync()

    def leave(self) -> None:
        """Esc: leave presentation mode, else full screen."""
        if self.presenting:
            self.set_presentation(False)
        elif self.window.isFullScreen():
            self.window.showNormal()
            self._sync()

    # ------------------------------------------------------------------ presentation
    def toggle_presentation(self) -> None:
        self.set_presentation(not self.presenting)

    def set_presentation(self, on: bool, *, remember: bool = True) -> None:
        on = bool(on)
        w = self.window
        if on == self.presenting:
            self._sync()
            return
        self.presenting = on
        if on:
            self._was_full_screen = w.isFullScreen()
            w.menuBar().hide()
            w.statusBar().hide()
            for dock in w.docks.values():
                if dock.titleBarWidget() is None:
                    empty = QWidget(dock)
                    empty.setObjectName("presentationTitleBar")
                    dock.setTitleBarWidget(empty)
            w.showFullScreen()
        else:
            for dock in w.docks.values():
                bar = dock.titleBarWidget()
                if bar is not None and bar.objectName() == "presentationTitleBar":
                    dock.setTitleBarWidget(None)
                    bar.deleteLater()
            w.menuBar().show()
            w.statusBar().show()
            if not self._was_full_screen:
                w.showNormal()
        if remember:
            self.settings.setValue(PRESENTATION_KEY, on)
        self.apply_zoom()

    def restore(self) -> None:
        """At start-up: presentation mode if the window was closed presenting."""
        value = self.settings.value(PRESENTATION_KEY)
        if value in (True, "true", 1, "1"):
            self.set_presentation(True, remember=False)

    def popup_menus(self) -> QMenu:
        """F10: every menu of the menu bar as one pop-up (the way in while presenting)."""
        menu = QMenu(self.window)
        menu.setObjectName("allMenusPopup")
        for act in self.window.menuBar().actions():
            if act.menu() is not None:
                menu.addMenu(act.menu())
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.window.mapToGlobal(QPoint(8, 8)))
        return menu

    def _sync(self) -> None:
        w = self.window
        self.act_presentation.setChecked(self.presenting)
        self.act_full_screen.setChecked(w.isFullScreen() or self.presenting)
        self.act_leave.setEnabled(self.presenting or w.isFullScreen())
        pct = self.active_percent
        for value, act in self.zoom_actions.items():
            act.setChecked(value == pct)
        self.act_zoom_in.setEnabled(pct < zoom.MAX_ZOOM)
        self.act_zoom_out.setEnabled(pct > zoom.MIN_ZOOM)

    def window_state_changed(self) -> None:
        self._sync()

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        tr = i18n.tr
        self.zoom_menu.setTitle(tr("&Zoom"))
        self.act_zoom_in.setText(tr("Zoom &in"))
        self.act_zoom_in.setStatusTip(tr("Larger texts, charts and lines"))
        self.act_zoom_out.setText(tr("Zoom &out"))
        self.act_zoom_out.setStatusTip(tr("Smaller texts, charts and lines"))
        self.act_zoom_reset.setText(tr("&Actual size (100 %)"))
        self.act_full_screen.setText(tr("&Full screen"))
        self.act_full_screen.setStatusTip(tr("Fill the screen with the window (F11 or Esc leaves)"))
        self.act_presentation.setText(tr("&Presentation mode"))
        self.act_presentation.setStatusTip(tr(
            "Full screen with larger texts, no menu bar and no panel title bars; Esc leaves, "
            "F10 opens the menus"))
        self.act_leave.setText(tr("Leave full screen"))
        self.act_menus.setText(tr("Show the menus"))

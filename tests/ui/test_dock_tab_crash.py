"""Issue 14 item 1: dragging a dock tab right after a dock left the tab group crashed the app.

Qt 6.8–6.12 (PySide6 wheels, offscreen and xcb): QMainWindow removes a floated dock's tab only at
its next relayout (a posted LayoutRequest).  A mouse press that arrives before it picks a tab
index from the stale bar; the press makes that tab current, the relayout then runs *inside*
the press and removes the floated tab, and the drag start (``QTabBarPrivate::setupMovableTab``)
reads the tab list at the old index: SIGSEGV/SIGBUS.  The window flushes its layout before a
dock tab bar handles a press (``main_window.DockTabGuard``).


A second crash, found by the extended monkey (tests/ui/test_monkey.py) and shrunk to two
steps: View > Reset layout, then a drag across the dock tabs.  ``restoreState`` builds a new dock
tab bar and leaves the old one shown; reordering tabs on it ends in ``QTabBar::tabMoved`` for a
bar no dock area owns.  Both crashes live in QTabBar's drag-to-reorder code, so the window makes
its dock tab bars not movable (and flushes its layout before a dock tab bar takes a press).

The crash kills the process, so every sequence runs in a subprocess and must exit with 0.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Both subprocess scripts start the same way: settings in throw-away folders, no dialogs, the
#: window at 1600×1000, shown and exposed.
WINDOW = r"""
import os, sys, tempfile
os.environ["EXPLORER_NO_DIALOGS"] = "1"
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp()
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QTabBar
from PySide6.QtTest import QTest
app = QApplication(sys.argv[:1])
from explorer.ui.main_window import MainWindow
settings = QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.IniFormat)
win = MainWindow(settings=settings, restore_layout=False)
win.resize(1600, 1000)
win.show()
QTest.qWaitForWindowExposed(win)
QTest.qWait(50)
"""

#: The sequence from the issue, step by step as the monkey sent it: real events, no event-loop
#: turn between the steps (QTest delivers each event directly, as a burst of input would).
APP_SEQUENCE = WINDOW + r"""

def close_popups():
    w = QApplication.activePopupWidget() or QApplication.activeModalWidget()
    if w is not None:
        w.close()

closer = QTimer()
closer.timeout.connect(close_popups)
closer.start(20)
float_button = lambda name: win.docks[name].findChild(QAbstractButton, "qt_dockwidget_floatbutton")
# 1. click the float button of "Information readouts"
b = float_button("readoutsDock")
QTest.mouseClick(b, Qt.LeftButton, Qt.NoModifier, b.rect().center())
# 2. open and close q's "Presets" menu (its nested event loop applies the relayout)
menu_button = win.docks["qEditorDock"].preset_button
QTest.mouseClick(menu_button, Qt.LeftButton, Qt.NoModifier, menu_button.rect().center())
close_popups()
# 3. Shift+Space on the float button of "Per category": it floats, its tab stays until a relayout
b = float_button("breakdownDock")
b.setFocus()
QTest.keyClick(b, Qt.Key_Space, Qt.ShiftModifier)
# 4. drag on the dock tab bar from (261, 23) to (250, -1)
bar = next(t for t in win.findChildren(QTabBar) if t.parent() is win and t.isVisible())
stale = bar.count()
start, end = QPoint(261, 23), QPoint(250, -1)
QTest.mousePress(bar, Qt.LeftButton, Qt.NoModifier, start)
QTest.mouseMove(bar, QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2 + 6))
QTest.mouseMove(bar, end)
QTest.mouseRelease(bar, Qt.LeftButton, Qt.NoModifier, end)
app.processEvents()
closer.stop()
assert win.docks["readoutsDock"].isFloating() and win.docks["breakdownDock"].isFloating()
print("tabs", stale, bar.count(), [bar.tabText(i) for i in range(bar.count())], flush=True)
win.close()
print("sequence ok", flush=True)
os._exit(0)
"""

#: The second crash the extended monkey found: View > Reset layout (restoreState) leaves the old
#: dock tab bar shown beside the new one; dragging a tab across another on it crashed in
#: QTabBarPrivate::slide -> moveTab -> tabMoved (the old bar goes away once the relayout
#: animation has run).  Afterwards a plain click still selects a tab.
RESET_SEQUENCE = WINDOW + r"""
win.act_reset_layout.trigger()                       # View > Reset layout
bars = [t for t in win.findChildren(QTabBar) if t.parent() is win and t.isVisible()]
print("bars", len(bars), [[t.tabText(i) for i in range(t.count())] for t in bars], flush=True)
for bar in bars:                                      # drag "Formulas" over "Curves" on each
    start = bar.tabRect(2).center()
    QTest.mousePress(bar, Qt.LeftButton, Qt.NoModifier, start)
    QTest.mouseMove(bar, start + QPoint(38, -12))
    QTest.mouseMove(bar, start + QPoint(80, -12))
    QTest.mouseRelease(bar, Qt.LeftButton, Qt.NoModifier, start + QPoint(80, -12))
QTest.qWait(400)                                      # the relayout animation ends
assert all(not t.isMovable() for t in win.findChildren(QTabBar) if t.parent() is win)
# a click on the tab bar the user sees shows that dock
some_bar = next(t for t in win.findChildren(QTabBar) if t.parent() is win and t.isVisible())
curves = next(i for i in range(some_bar.count()) if some_bar.tabText(i) == "Curves")
spot = some_bar.mapTo(win, some_bar.tabRect(curves).center())
bar = win.childAt(spot)
assert isinstance(bar, QTabBar), bar
QTest.mouseClick(bar, Qt.LeftButton, Qt.NoModifier, bar.mapFrom(win, spot))
app.processEvents()
assert bar.currentIndex() == curves and not win.docks["curvesDock"].visibleRegion().isEmpty()
win.close()
print("reset ok", flush=True)
os._exit(0)
"""


def _run(code: str, platform: str = "offscreen", wrapper=()):
    env = dict(os.environ, QT_QPA_PLATFORM=platform)
    return subprocess.run([*wrapper, sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, cwd=ROOT)


def test_dock_tab_drag_after_floating_does_not_crash():
    proc = _run(APP_SEQUENCE)
    assert proc.returncode == 0, f"crashed (rc={proc.returncode}): {proc.stderr[-1500:]}"
    assert "sequence ok" in proc.stdout


def test_dock_tab_drag_after_reset_layout_does_not_crash():
    proc = _run(RESET_SEQUENCE)
    assert proc.returncode == 0, f"rc={proc.returncode}: {proc.stdout[-800:]} {proc.stderr[-1500:]}"
    assert "reset ok" in proc.stdout


@pytest.mark.skipif(not Path("/usr/bin/xvfb-run").exists(), reason="needs xvfb-run")
def test_dock_tab_drag_after_floating_does_not_crash_under_xcb():
    proc = _run(APP_SEQUENCE, platform="xcb", wrapper=("xvfb-run", "-a"))
    assert proc.returncode == 0, f"crashed (rc={proc.returncode}): {proc.stderr[-1500:]}"
    assert "sequence ok" in proc.stdout

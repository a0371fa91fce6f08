"""Plot export: every PlotWidget in the window gets a right-click menu; PNG with scale, SVG, copy."""
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from explorer.ui import export


def _plots(window):
    return export.plot_widgets(window)


def test_every_plot_in_the_window_has_the_export_menu(window):
    plots = _plots(window)
    assert len(plots) >= 8
    for pw in plots:
        menu = export.plot_menu(pw)
        assert menu is not None, pw
        names = [a.objectName() for a in menu.menu.actions()]
        assert names == ["actCopyPlot", "actExportPlot"]
        assert all(a.text() and a.toolTip() for a in menu.menu.actions())
    # idempotent: a second walk adds nothing
    assert export.install_plot_exports(window) == []


def test_right_click_opens_the_menu_unless_a_drag_is_running(qtbot, window):
    dock = window.docks["pEditorDock"]
    pw = dock.plot
    menu = export.plot_menu(pw).menu

    def right_click(pos):
        ev = QContextMenuEvent(QContextMenuEvent.Mouse, pos, pw.viewport().mapToGlobal(pos))
        QApplication.sendEvent(pw.viewport(), ev)

    right_click(pw.map_to_widget(0.5, 0.5).toPoint())      # between two bars: the export menu
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    menu.hide()
    # on a bar: that bar's own menu (lock, set to 0, …), not the export menu
    window.model.set_p([0.2, 0.5, 0.3])
    right_click(pw.map_to_widget(1, 0.25).toPoint())
    qtbot.waitUntil(lambda: dock.bar_menu.isVisible(), timeout=2000)
    assert not menu.isVisible()
    assert "Lock" in dock.bar_menu.actions()[0].text() and pw.selected == 1
    dock.bar_menu.hide()


def test_png_export_at_scale_and_svg(qtbot, window, tmp_path):
    pw = window.docks["sigmoidDock"].plot
    w, h = pw.width(), pw.height()
    for scale in (1, 2):
        path = export.export_plot(pw, tmp_path / f"s{scale}.png", scale)
        img = pg.QtGui.QImage(str(path))
        assert (img.width(), img.height()) == (w * scale, h * scale)
    # the 2x picture is the same plot: downscaled it matches the 1x one closely
    a = pg.QtGui.QImage(str(tmp_path / "s1.png")).convertToFormat(pg.QtGui.QImage.Format_RGB32)
    b = pg.QtGui.QImage(str(tmp_path / "s2.png")).scaled(w, h, Qt.IgnoreAspectRatio,
                                                        Qt.SmoothTransformation)
    b = b.convertToFormat(pg.QtGui.QImage.Format_RGB32)
    arr = lambda im: np.frombuffer(im.constBits(), np.uint8, im.sizeInBytes()).reshape(  # noqa: E731
        im.height(), im.bytesPerLine() // 4, 4)[:, :im.width(), :3].astype(int)
    assert np.mean(np.abs(arr(a) - arr(b))) < 12
    # the plot curve is drawn: the sigma colour appears in the picture
    svg = export.export_plot(pw, tmp_path / "s.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    paths = [el for el in root.iter() if el.tag.endswith("path") or el.tag.endswith("polyline")]
    assert len(paths) > 5
    with pytest.raises(ValueError, match="choose a .png or .svg"):
        export.export_plot(pw, tmp_path / "s.bmp")
    with pytest.raises(ValueError, match="folder does not exist"):
        export.export_plot(pw, tmp_path / "no" / "s.png")


def test_copy_and_dialog(qtbot, window, tmp_path):
    pw = window.docks["qEditorDock"].plot
    menu = export.plot_menu(pw)
    menu.act_copy.trigger()
    img = QApplication.clipboard().image()
    assert (img.width(), img.height()) == (2 * pw.width(), 2 * pw.height())
    assert "clipboard" in window.statusBar().currentMessage()
    dlg = menu.export_dialog()
    qtbot.addWidget(dlg)
    assert dlg.path_edit.text().endswith(".png")
    dlg.scale_spin.setValue(3)
    assert dlg.size_label.text() == f"{3 * pw.width()} × {3 * pw.height()} pixels"
    dlg.format_box.setCurrentIndex(dlg.format_box.findData("svg"))
    assert dlg.path_edit.text().endswith(".svg") and not dlg.scale_spin.isEnabled()
    dlg.format_box.setCurrentIndex(dlg.format_box.findData("png"))
    dlg.path_edit.setText(str(tmp_path / "missing" / "q.png"))
    dlg._save()
    assert dlg.error_label.isVisible() and dlg.isVisible()        # stays open with the reason
    dlg.path_edit.setText(str(tmp_path / "q.png"))
    dlg._save()
    assert (tmp_path / "q.png").is_file() and dlg.saved_path == tmp_path / "q.png"
    img = pg.QtGui.QImage(str(tmp_path / "q.png"))
    assert (img.width(), img.height()) == (3 * pw.width(), 3 * pw.height())
    assert "Exported" in window.statusBar().currentMessage()

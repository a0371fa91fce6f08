"""A new user's first ten minutes (issue 21): no silent refusals, no surprises.  Each test drives
real mouse and keyboard events."""
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def _focus(qtbot, widget):
    widget.window().activateWindow()
    widget.setFocus(Qt.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget or widget.isAncestorOf(QApplication.focusWidget()))


def test_ctrl_z_undoes_the_app_edit_while_the_n_spin_box_has_focus(window, model, qtbot):
    """Item 4: Ctrl+Z did nothing while the N spin box had focus (only Edit → Undo worked)."""
    spin = window.docks["pEditorDock"].n_spin
    _focus(qtbot, spin)
    qtbot.keyClick(spin, Qt.Key_Up)                 # N 3 -> 4, applied at once
    assert model.n == 4
    qtbot.keyClick(spin, Qt.Key_Z, Qt.ControlModifier)
    assert model.n == 3 and spin.value() == 3
    qtbot.keyClick(spin, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert model.n == 4


def test_ctrl_z_inside_uncommitted_typing_undoes_the_typing_not_the_app(window, model, qtbot):
    spin = window.docks["pEditorDock"].n_spin
    model.set_p([0.2, 0.3, 0.5])                   # an app edit that Ctrl+Z could undo
    _focus(qtbot, spin)
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "7")                      # typed, not applied (no keyboard tracking)
    assert model.n == 3 and spin.cleanText() == "7"
    qtbot.keyClick(spin, Qt.Key_Z, Qt.ControlModifier)
    np.testing.assert_allclose(model.p, [0.2, 0.3, 0.5])     # the app edit stays
    assert spin.cleanText() == "3"                            # the typing was undone


def _click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.LeftButton, pos=widget.rect().center())


def test_help_table_marks_clipped_values(window, model, qtbot):
    """Item 5: with clipping on, the help table showed q(x) = 0.0000 next to −log q(x) = 49.83,
    unmarked, while the prose said probability 0 is infinitely surprising."""
    model.set_distributions([0.5, 0.5, 0.0], [0.5, 0.0, 0.5], ["cat", "dog", "horse"])
    model.set_unit("bits")
    readouts = window.docks["readoutsDock"]
    readouts.raise_()
    qtbot.waitUntil(readouts.eps_check.isVisible)
    _click(qtbot, readouts.eps_check)                   # the user turns clipping on
    assert model.eps_enabled
    help_dock = window.docks["helpDock"]
    help_dock.set_topic("self_information")
    html = help_dock.html()
    # the dog row: q(x) = 0 is shown marked, and so is its (finite, clipped) −log q(x)
    row = html[html.index(">dog<"):]
    row = row[:row.index("</tr>")]
    assert "0.0000*" in row and f"{-np.log2(1e-15):.4f}*" in row
    assert "clipped" in help_dock.browser.toPlainText()
    # without clipping the same row reads ∞, unmarked
    _click(qtbot, readouts.eps_check)
    row = help_dock.html()
    row = row[row.index(">dog<"):]
    row = row[:row.index("</tr>")]
    assert "∞" in row and "*" not in row


def _curves(window, qtbot):
    curves = window.docks["curvesDock"]
    curves.raise_()
    qtbot.waitUntil(lambda: curves.info_plot.isVisible() and curves.info_plot.width() > 100)
    qtbot.wait(30)
    return curves


def _pixels_near(plot, x, y, radius=9):
    from PySide6.QtCore import QPointF
    vb = plot.getPlotItem().vb
    pt = plot.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
    img = plot.grab().toImage()
    dpr = img.devicePixelRatio()
    cx, cy = int(pt.x() * dpr), int(pt.y() * dpr)
    out = set()
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            c = img.pixelColor(cx + dx, cy + dy)
            out.add((c.red(), c.green(), c.blue()))
    return out


def _close(colours, hex_colour, tol=40):
    from PySide6.QtGui import QColor
    c = QColor(hex_colour)
    return any(abs(r - c.red()) + abs(g - c.green()) + abs(b - c.blue()) <= tol
               for r, g, b in colours)


def test_a_q_marker_no_longer_hides_an_equal_p_marker(window, model, qtbot):
    """Item 10: on the Curves tab a q marker drew over an equal p marker."""
    from explorer.ui import theme
    model.set_p([0.2, 0.5, 0.3])
    window.edit_actions.act_copy.trigger()               # Edit → Copy p → q: every q_i = p_i
    curves = _curves(window, qtbot)
    th = theme.current()
    x, y = 0.5, -np.log(0.5)
    colours = _pixels_near(curves.info_plot, x, y)
    assert _close(colours, th.p) and _close(colours, th.q)


def test_curves_mark_a_clipped_q_as_clipped(window, model, qtbot):
    model.set_distributions([0.5, 0.5, 0.0], [0.5, 0.0, 0.5], ["cat", "dog", "horse"])
    readouts = window.docks["readoutsDock"]
    readouts.raise_()
    qtbot.waitUntil(readouts.eps_check.isVisible)
    _click(qtbot, readouts.eps_check)
    curves = _curves(window, qtbot)
    xs, ys = curves.q_clipped.getData()
    assert list(xs) == [1e-15] and ys[0] == pytest.approx(-np.log(1e-15))
    assert "clipped" in curves.q_clipped.data["data"][0]
    labels = [label.text for _sample, label in curves.info_legend.items]
    assert any("clipped" in t for t in labels)
    qx, _qy = curves.q_markers.getData()
    assert 1e-15 not in list(qx)
    _click(qtbot, readouts.eps_check)                    # off again: the legend entry goes
    labels = [label.text for _sample, label in curves.info_legend.items]
    assert not any("clipped" in t for t in labels)


def test_every_training_plot_says_what_its_axes_and_colours_are(window, model, qtbot):
    """Item 7: the Multi-class tab had no legend for the class colours or the P(class) bars, and
    the dataset plots had no axis titles."""
    from explorer.ui import theme
    from explorer.ui.widgets.training_common import class_colours
    dock = window.docks["trainingDock"]
    bar = dock.tabs.tabBar()
    th = theme.current()
    for index, mode in ((2, "multiclass"), (1, "dataset"), (0, "neuron")):
        qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(index).center())
        assert model.training_mode == mode
        panel = dock.tabs.currentWidget().widget()
        qtbot.waitUntil(panel.legend.isVisible)
        legend = panel.legend.text()
        assert th.mse.lower() in legend.lower() and th.ce.lower() in legend.lower()
        if mode == "neuron":
            titles = [pw.title_label.text() for pw in panel.curve_plots.values()]
            assert all("epoch" in t for t in titles), titles
            continue
        for colour, name in zip(class_colours(panel.n_classes), panel.class_names()):
            assert colour.lower() in legend.lower() and name in legend
        for pw in panel.scatter_plots.values():
            assert "x₁" in pw.title_label.text() and "x₂" in pw.title_label.text()
        assert "epoch" in panel.loss_plot.title_label.text()
        if mode == "multiclass":
            title = panel.bar_plot.title_label.text()
            assert "MSE" in title and "CE" in title and "P(class)" in title


def test_unlinked_panels_do_not_move_each_others_temperature(window, model, qtbot):
    """Item 13: the T of the softmax panel and the T of q's logits were one number, so setting
    one moved the other even while "Use q's logits" was off."""
    q_dock, soft = window.docks["qEditorDock"], window.docks["softmaxDock"]
    soft.raise_()                    # its tab is behind the training panel's in "All panels"
    qtbot.waitUntil(lambda: not soft.visibleRegion().isEmpty())
    assert not soft.link_check.isChecked()
    soft.t_spin.setFocus()
    soft.t_spin.lineEdit().selectAll()
    qtbot.keyClicks(soft.t_spin, "3")
    qtbot.keyClick(soft.t_spin, Qt.Key_Return)
    assert model.softmax_temperature == 3.0 and model.softmax_numbers.panel.temperature == 3.0
    assert model.temperature == 1.0 and q_dock.t_value.text() == "T = 1.00"
    # linked, the panel shows q's logits at q's T …
    qtbot.mouseClick(soft.link_check, Qt.LeftButton, pos=soft.link_check.rect().center())
    assert model.q_logit_mode and soft.t_spin.value() == 1.0
    q_dock.t_slider.setFocus()
    for _ in range(10):
        qtbot.keyClick(q_dock.t_slider, Qt.Key_Right)
    assert model.temperature > 1.0
    assert soft.t_spin.value() == pytest.approx(model.temperature, abs=0.005)
    # … and unlinked again it is back at its own T, q's T kept
    t_q = model.temperature
    qtbot.mouseClick(soft.link_check, Qt.LeftButton, pos=soft.link_check.rect().center())
    assert not model.q_logit_mode and soft.t_spin.value() == 3.0 and model.temperature == t_q


def test_the_open_folder_button_goes_with_its_message(window, model, qtbot, tmp_path, monkeypatch):
    """Item 12: "Open folder" stayed in the status bar for good after a recording."""
    from explorer.ui import recording
    monkeypatch.setattr(recording, "OPEN_FOLDER_MS", 300)
    controller = window.recording
    out = tmp_path / "clip.gif"
    assert controller.start_recording("pEditorDock", out, fps=20)
    qtbot.wait(150)
    qtbot.keyClick(window, Qt.Key_R, Qt.ControlModifier | Qt.ShiftModifier)   # stop, as a user
    qtbot.waitUntil(lambda: controller.open_button.isVisible(), timeout=20000)
    assert out.is_file() and "Saved recording" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not controller.open_button.isVisible(), timeout=3000)


def test_opening_another_file_says_what_is_about_to_happen(window, model, qtbot, tmp_path):
    """Item 12: opening a file asked "Save them before closing?"."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox
    other = tmp_path / "other.json"
    assert window.save_session(other)
    model.set_p([0.2, 0.3, 0.5])                   # unsaved changes
    assert window.sessions.modified
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            qtbot.keyClick(box, Qt.Key_Escape)     # Cancel: nothing is opened
        else:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    import os
    os.environ.pop("EXPLORER_NO_DIALOGS", None)
    try:
        # File → Open recent → the other file
        assert not window.sessions.open_recent(str(other))
    finally:
        os.environ["EXPLORER_NO_DIALOGS"] = "1"
    assert seen and "opening another session" in seen[0] and "closing" not in seen[0]
    np.testing.assert_allclose(model.p, [0.2, 0.3, 0.5])


def test_the_save_dialog_starts_in_the_documents_folder(window):
    """Item 12: the save dialog started in the folder the app was run from."""
    from pathlib import Path
    from PySide6.QtCore import QStandardPaths
    window.sessions.clear_recent()
    start = Path(window.sessions._start_dir())
    docs = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())
    if window.sessions.recent_files():
        assert start.parent == Path(window.sessions.recent_files()[0]).parent
    else:
        assert start.parent == Path(docs) and start.parent != Path.cwd()


def test_a_model_refusal_reaches_the_user_in_their_language(window, model, qtbot):
    """Issue 12: model errors were English inside a translated interface; the view now shows
    the refusal's template translated (removing a batch's last row: the model refuses)."""
    from explorer import i18n
    d = window.docks["batchDock"]
    d.raise_()
    qtbot.waitUntil(d.table.isVisible)
    model.remove_batch_row(1)                       # one row left
    i18n.set_language("zh")
    try:
        qtbot.mouseClick(d.remove_btn, Qt.LeftButton, pos=d.remove_btn.rect().center())
        text = d.error.text()
        assert d.error.isVisible() and text == "批次：至少保留一行", text
        assert len(model.batch_table.binary) == 1
    finally:
        i18n.set_language("en")

"""Export any plot of the window: PNG (1×–4×), SVG, or a copy on the clipboard.

:func:`install_plot_exports` walks the window's pyqtgraph ``PlotWidget`` objects and its self-painted
charts (:class:`~explorer.ui.widgets.painted.PaintedPlot`) and gives every plot a
right-click menu (*Copy image*, *Export image…*), so it works for any dock without the dock
knowing.  A right-click that cancels a drag (another button still held) shows no menu.  Exports
go through pyqtgraph's exporters (:class:`ImageExporter`, :class:`SVGExporter`), which re-render
the scene at the requested size, so a 2× PNG has crisp text and lines; self-painted charts
draw themselves again at the requested scale (or into Qt's SVG generator).  (pyqtgraph 0.14's SVG
exporter fails on Qt 6's closed paths; then Qt's own SVG generator draws the plot instead.)

Training trajectories have their own CSV export in the training dock (*Export CSV…*).
"""
from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401  (registers the exporters)
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMenu, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from explorer.ui.controls import error_label
from explorer import i18n
from explorer.ui import theme
from explorer.ui.widgets.painted import PaintedPlot

FORMATS = ("png", "svg")
MAX_SCALE = 4
_INSTALLED = "_explorer_export_installed"


def _plot_item(pw: pg.PlotWidget):
    return pw.getPlotItem()


def _painted(pw) -> bool:
    """True for a chart that paints itself (no pyqtgraph scene)."""
    return isinstance(pw, PaintedPlot)


def plot_widgets(window: QWidget) -> list:
    """Every plot inside *window*: pyqtgraph PlotWidgets and self-painted charts."""
    return list(window.findChildren(pg.PlotWidget)) + list(window.findChildren(PaintedPlot))


def plot_image(pw: pg.PlotWidget, scale: float = 2.0):
    """The plot rendered at *scale* times its on-screen size, as a QImage."""
    if _painted(pw):
        return pw.render_image(scale)
    exporter = pg.exporters.ImageExporter(_plot_item(pw))
    w = max(1, int(round(pw.width() * scale)))
    h = max(1, int(round(pw.height() * scale)))
    exporter.parameters()["width"] = w
    exporter.parameters()["height"] = h   # keep exactly the widget's aspect ratio
    exporter.parameters()["background"] = pg.mkColor(theme.current().background)
    exporter.parameters()["antialias"] = True
    return exporter.export(toBytes=True)


def export_plot(pw: pg.PlotWidget, path, scale: float = 2.0) -> Path:
    """Write the plot to *path*: ``.png`` at *scale* × its size, or ``.svg``.  Raises
    ValueError with a reason on failure (unknown type, unwritable file)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(i18n.tr("{path}: choose a .png or .svg file name").format(path=path))
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(i18n.tr("scale must be between 1 and {max}").format(max=MAX_SCALE))
    if not path.parent.is_dir():
        raise ValueError(i18n.tr("{path}: the folder does not exist").format(path=path))
    if suffix == ".svg" and _painted(pw):
        _svg_with_qt(pw, path)
    elif suffix == ".svg":
        exporter = pg.exporters.SVGExporter(_plot_item(pw))
        exporter.parameters()["background"] = pg.mkColor(theme.current().background)
        try:
            exporter.export(str(path))
        except OSError as exc:
            raise ValueError(f"{path}: {exc.strerror or exc}") from None
        except ValueError:
            # pyqtgraph 0.14's SVG post-processing cannot parse closed paths ("… Z") that Qt 6
            # writes (pyqtgraph issues #3485, #3495): draw the plot into Qt's SVG generator.
            _svg_with_qt(pw, path)
    elif not plot_image(pw, scale).save(str(path)):
        raise ValueError(i18n.tr("{path}: the image could not be written").format(path=path))
    return path


def _svg_with_qt(pw: pg.PlotWidget, path: Path) -> None:
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    if _painted(pw):
        source = None
        w, h = max(1, pw.width()), max(1, pw.height())
    else:
        source = _plot_item(pw).sceneBoundingRect()
        w, h = max(1, int(round(source.width()))), max(1, int(round(source.height())))
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(QSize(w, h))
    gen.setViewBox(QRectF(0, 0, w, h))
    gen.setTitle(_plot_title(pw))
    painter = QPainter(gen)
    painter.setRenderHint(QPainter.Antialiasing, True)
    painter.fillRect(QRectF(0, 0, w, h), pg.mkColor(theme.current().background))
    if source is None:
        pw.paint_to(painter)
    else:
        pw.scene().render(painter, QRectF(0, 0, w, h), source)
    if not painter.end() or not path.is_file():
        raise ValueError(i18n.tr("{path}: the image could not be written").format(path=path))


def copy_plot(pw: pg.PlotWidget, scale: float = 2.0) -> None:
    """Put the plot on the clipboard as an image (2× for crisp pasting into slides)."""
    QApplication.clipboard().setImage(plot_image(pw, scale))


def _plot_title(pw: pg.PlotWidget) -> str:
    """A name for the plot: its title, else the title of the dock that holds it."""
    title = ""
    if not _painted(pw) and _plot_item(pw).titleLabel.isVisible():
        title = _plot_item(pw).titleLabel.text
    if title:
        return str(title)
    w = pw.parentWidget()
    while w is not None:
        if w.windowTitle():
            return w.windowTitle()
        w = w.parentWidget()
    return i18n.tr("plot")


def default_file_name(pw: pg.PlotWidget, fmt: str = "png") -> str:
    keep = "".join(c if c.isalnum() else "-" for c in _plot_title(pw).lower())
    stem = "-".join(part for part in keep.split("-") if part)[:40] or "plot"
    return f"{stem}.{fmt}"


class PlotExportDialog(QDialog):
    """File name, format (PNG / SVG) and scale for one plot, with the resulting pixel size."""

    def __init__(self, pw: pg.PlotWidget, parent=None, start_dir: str = ""):
        super().__init__(parent)
        self.setObjectName("plotExportDialog")
        self.pw = pw
        self.path_edit = QLineEdit(str(Path(start_dir or Path.home()) / default_file_name(pw)))
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.format_box = QComboBox()
        self.format_box.addItem("PNG", "png")
        self.format_box.addItem("SVG", "svg")
        self.format_box.currentIndexChanged.connect(self._on_format_changed)
        self.scale_spin = QSpinBox()
        self.scale_spin.setRange(1, MAX_SCALE)
        self.scale_spin.setValue(2)
        self.scale_spin.setSuffix("×")
        self.scale_spin.valueChanged.connect(self._update_size_label)
        self.size_label = QLabel()
        self.error_label = error_label()
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse)
        self.form = QFormLayout()
        self.row_labels = [QLabel() for _ in range(4)]
        for label, field, buddy in zip(self.row_labels,
                                       (path_row, self.format_box, self.scale_spin, self.size_label),
                                       (self.path_edit, self.format_box, self.scale_spin, None)):
            if buddy is not None:
                label.setBuddy(buddy)
            self.form.addRow(label, field)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.saved_path: Path | None = None
        self.setMinimumWidth(520)
        self.retranslate()
        self._update_size_label()

    def retranslate(self) -> None:
        tr = i18n.tr
        self.setWindowTitle(tr("Export plot “{title}”").format(title=_plot_title(self.pw)))
        for label, text in zip(self.row_labels, (tr("&File:"), tr("F&ormat:"), tr("&Scale:"),
                                                 tr("Size:"))):
            label.setText(text)
        self.browse.setText(tr("&Browse…"))
        self.browse.setToolTip(tr("Choose where to save the plot"))
        self.path_edit.setToolTip(tr("File to write; the format follows the choice below"))
        self.format_box.setToolTip(tr("PNG: a picture at the chosen scale. SVG: vectors that stay "
                                      "sharp at any size (for papers and slides)"))
        self.scale_spin.setToolTip(tr("PNG size as a multiple of the plot's size on screen "
                                      "(2× looks sharp on HiDPI screens and slides)"))
        self._update_size_label()

    def _on_format_changed(self) -> None:
        fmt = self.format_box.currentData()
        self.scale_spin.setEnabled(fmt == "png")
        p = Path(self.path_edit.text().strip() or default_file_name(self.pw, fmt))
        self.path_edit.setText(str(p.with_suffix("." + fmt)))
        self._update_size_label()

    def _update_size_label(self) -> None:
        if self.format_box.currentData() == "svg":
            self.size_label.setText(i18n.tr("vector (scales freely)"))
        else:
            s = self.scale_spin.value()
            self.size_label.setText(i18n.tr("{w} × {h} pixels").format(
                w=int(round(self.pw.width() * s)), h=int(round(self.pw.height() * s))))

    def _browse(self) -> None:
        fmt = self.format_box.currentData()
        filt = i18n.tr("PNG images (*.png)") if fmt == "png" else i18n.tr("SVG images (*.svg)")
        path, _ = QFileDialog.getSaveFileName(self, i18n.tr("Export plot"), self.path_edit.text(), filt)
        if path:
            self.path_edit.setText(path)

    def _save(self) -> None:
        text = self.path_edit.text().strip()
        fmt = self.format_box.currentData()
        if not text:
            return self._show_error(i18n.tr("Enter a file name."))
        path = Path(text)
        if path.suffix.lower() != "." + fmt:
            path = path.with_suffix("." + fmt)
        try:
            self.saved_path = export_plot(self.pw, path, self.scale_spin.value())
        except ValueError as exc:
            return self._show_error(str(exc))
        self.accept()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()


class _PlotMenu(QObject):
    """Event filter on one plot's viewport: right-click opens the export menu."""

    def __init__(self, pw: pg.PlotWidget, window):
        super().__init__(pw)
        self.pw = pw
        self.window = window
        self.menu = QMenu(pw)
        self.menu.setObjectName("plotExportMenu")
        self.act_copy = self.menu.addAction("", self.copy)
        self.act_export = self.menu.addAction("", self.export_dialog)
        self.act_copy.setObjectName("actCopyPlot")
        self.act_export.setObjectName("actExportPlot")
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)
        if _painted(pw):
            pw.plot_menu = self.menu        # the chart shows it (no per-event Python filter)
        else:
            pw.viewport().installEventFilter(self)

    def retranslate(self, *_args) -> None:
        tr = i18n.tr
        self.act_copy.setText(tr("&Copy image"))
        self.act_copy.setToolTip(tr("Copy this plot to the clipboard as a 2× image"))
        self.act_export.setText(tr("&Export image…"))
        self.act_export.setToolTip(tr("Save this plot as PNG (with a scale) or SVG"))

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.ContextMenu:
            # a right-click that cancels a drag must not open a menu
            if QApplication.mouseButtons() & ~Qt.RightButton:
                return False
            # nor one on a bar that has its own menu (the editors' lock / set-to-0 menu)
            owns = getattr(self.pw, "owns_context_menu", None)
            if owns is not None and owns(event.pos()):
                return False
            self.menu.popup(event.globalPos())
            return True
        return False

    def _status(self, text: str) -> None:
        if self.window is not None and hasattr(self.window, "statusBar"):
            self.window.statusBar().showMessage(text, 5000)

    def copy(self) -> None:
        copy_plot(self.pw)
        self._status(i18n.tr("Copied the plot “{title}” to the clipboard").format(
            title=_plot_title(self.pw)))

    def export_dialog(self) -> PlotExportDialog:
        dlg = PlotExportDialog(self.pw, self.window)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self._status(
            i18n.tr("Exported {path}").format(path=dlg.saved_path)))
        dlg.open()
        return dlg


def install_plot_exports(window: QWidget) -> list:
    """Give every PlotWidget inside *window* the export menu (idempotent: call again after
    docks add plots).  Returns the plots that got a menu now."""
    added = []
    for pw in plot_widgets(window):
        if pw.property(_INSTALLED):
            continue
        pw.setProperty(_INSTALLED, True)
        pw._explorer_export_menu = _PlotMenu(pw, window)
        added.append(pw)
    return added


def plot_menu(pw: pg.PlotWidget) -> _PlotMenu | None:
    """The export menu of *pw*, if installed."""
    return getattr(pw, "_explorer_export_menu", None)

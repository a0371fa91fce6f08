"""Zoom: one factor (75 %–250 %) that scales every text, chart, axis, marker and line together.

:func:`apply` sets the factor for the whole application:

* the application font (every widget that does not set a font of its own, and every font made
  from ``QFont()`` afterwards) gets the base point size × factor; the self-painted charts
  (:class:`~explorer.ui.widgets.painted.PaintedPlot`, the readout numbers, the paragraphs) lay
  out their texts with their widget font, so they follow; their line widths read
  :func:`factor` through ``PaintedPlot._zoom_changed``;
* every pyqtgraph view in the window is restyled generically (:func:`restyle_view`): tick
  fonts and lengths, fixed axis widths and heights, axis labels, legends, text items, curve,
  line and marker pens and symbol sizes.  The unzoomed value of each is remembered on the item
  the first time, so zooming is idempotent and 100 % gives back exactly what the dock built;
* minimum plot heights (:data:`MIN_PLOT_HEIGHT`) grow with the factor.

The factor is a preference of this machine (``ui/zoom`` in QSettings); presentation mode has its
own (``ui/presentation_zoom``, larger by default).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont, QPen
from PySide6.QtWidgets import QApplication

ZOOM_KEY = "ui/zoom"
PRESENTATION_ZOOM_KEY = "ui/presentation_zoom"
STEPS = (75, 90, 100, 110, 125, 150, 175, 200, 250)
MIN_ZOOM, MAX_ZOOM = STEPS[0], STEPS[-1]
DEFAULT_PRESENTATION_ZOOM = 150
#: Every chart keeps at least this height (logical px at 100 %, × the zoom factor): room for
#: an axis with three tick labels and a curve that can still be read.  The layout test checks it.
MIN_PLOT_HEIGHT = 90

_factor = 1.0
_base_font: QFont | None = None


def factor() -> float:
    """The current zoom factor (1.0 = 100 %)."""
    return _factor


def percent() -> int:
    return round(_factor * 100)


def px(value: float) -> float:
    """*value* logical pixels at 100 % → at the current zoom."""
    return value * _factor


def clamp(percent_value) -> int:
    try:
        v = int(round(float(percent_value)))
    except (TypeError, ValueError):
        return 100
    return max(MIN_ZOOM, min(MAX_ZOOM, v))


def step(percent_value: int, direction: int) -> int:
    """The next zoom step above (*direction* > 0) or below *percent_value*."""
    if direction > 0:
        return next((s for s in STEPS if s > percent_value), MAX_ZOOM)
    return next((s for s in reversed(STEPS) if s < percent_value), MIN_ZOOM)


def stored(settings, key: str = ZOOM_KEY, default: int = 100) -> int:
    value = settings.value(key)
    return clamp(value) if value is not None else default


def base_font() -> QFont:
    """The application font at 100 % (captured the first time the zoom is applied)."""
    global _base_font
    if _base_font is None:
        _base_font = QFont(QApplication.font())
    return QFont(_base_font)


def scaled_font(font: QFont, f: float) -> QFont:
    out = QFont(font)
    if font.pointSizeF() > 0:
        out.setPointSizeF(font.pointSizeF() * f)
    elif font.pixelSize() > 0:
        out.setPixelSize(max(1, round(font.pixelSize() * f)))
    return out


def apply(window, percent_value: int) -> int:
    """Zoom the application to *percent_value* (clamped to 75–250) and restyle *window*'s
    plots; return the percentage applied."""
    global _factor
    pct = clamp(percent_value)
    f = pct / 100.0
    base = base_font()
    _factor = f
    QApplication.setFont(scaled_font(base, f))
    if window is not None:
        restyle_window(window)
    return pct


#: a widget property: the point size of a text set smaller or larger than the application
#: font at 100 % (plot titles, legend rows); the zoom scales it with everything else
POINT_SIZE_PROPERTY = "explorerPointSize"


#: a label property: the sample text its fixed size was measured on (explorer.ui.widgets.
#: training_common.fixed_width); measured again when its font changes (the zoom)
FIXED_SAMPLE_PROPERTY = "explorerFixedSample"


class _FixedSizeFollower(QObject):
    """Measures a fixed-size label again when its font changes (a zoom step reaches each
    widget as a FontChange event, after :func:`apply` has returned)."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.FontChange and obj.property(FIXED_SAMPLE_PROPERTY):
            _fit_to_sample(obj)          # the font metrics are the new ones already
        return False


def _fit_to_sample(label) -> None:
    sample = label.property(FIXED_SAMPLE_PROPERTY)
    label.setFixedWidth(label.fontMetrics().horizontalAdvance(sample) + 4)
    label.setFixedHeight(label.fontMetrics().height())


_follower: _FixedSizeFollower | None = None


def fix_size_to(label, sample: str) -> None:
    """Give *label* the size of *sample* in its font, now and after every font change."""
    global _follower
    if _follower is None:
        _follower = _FixedSizeFollower(QApplication.instance())
    if not label.property(FIXED_SAMPLE_PROPERTY):
        label.installEventFilter(_follower)
    label.setProperty(FIXED_SAMPLE_PROPERTY, sample)
    _fit_to_sample(label)


def set_point_size(widget, points: float) -> None:
    """Give *widget* a font of *points* points at 100 %, × the zoom factor now and after every
    zoom change (a widget with a font size of its own does not follow the application font)."""
    widget.setProperty(POINT_SIZE_PROPERTY, float(points))
    font = widget.font()
    font.setPointSizeF(points * _factor)
    widget.setFont(font)


def restyle_window(window) -> None:
    """Apply the current factor to every pyqtgraph view, painted chart and text of its own
    size in *window*."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QWidget

    for view in window.findChildren(pg.GraphicsView):
        restyle_view(view, _factor)
    # the painted charts (explorer.ui.widgets.painted) restyle themselves; found by what they
    # can do, so this module (imported by the widgets) never imports them back
    for widget in window.findChildren(QWidget):
        hook = getattr(widget, "_zoom_changed", None)
        if hook is not None:
            hook()
        points = widget.property(POINT_SIZE_PROPERTY)
        if points:
            set_point_size(widget, float(points))


def rezoom(root) -> None:
    """Zoom what under *root* was just created or reset at its 100 % values (a dock built
    late, a dock's apply_theme): nothing to do at 100 %."""
    if _factor != 1.0:
        restyle_window(root)


# ------------------------------------------------------------------------------ pyqtgraph
def _base(item, key: str, value):
    """The unzoomed *value* of *key* on *item*, remembered the first time (or again when the
    dock replaced it since: the stored zoomed value no longer matches)."""
    bases = item.__dict__.setdefault("_zoom_bases", {})
    entry = bases.get(key)
    if entry is None or not _same(entry[1], value):
        entry = bases[key] = (value, None)
    return entry[0]


def _remember(item, key: str, zoomed) -> None:
    bases = item.__dict__["_zoom_bases"]
    bases[key] = (bases[key][0], zoomed)


def _same(zoomed, value) -> bool:
    if zoomed is None:
        return True            # not zoomed yet: the value is the base
    if isinstance(zoomed, QPen) and isinstance(value, QPen):
        return abs(zoomed.widthF() - value.widthF()) < 1e-9 and zoomed.color() == value.color()
    if isinstance(zoomed, QFont) and isinstance(value, QFont):
        return zoomed == value
    return zoomed == value


def _scaled_pen(pen, f: float):
    import pyqtgraph as pg

    out = QPen(pg.mkPen(pen))
    w = out.widthF()
    out.setWidthF((w if w > 0 else 1.0) * f)
    return out


def _zoom_pen_opt(item, key: str, getter, setter, f: float) -> None:
    value = getter()
    if value is None:
        return
    import pyqtgraph as pg
    current = QPen(pg.mkPen(value))
    base = _base(item, key, current)
    zoomed = _scaled_pen(base, f)
    setter(zoomed)
    _remember(item, key, QPen(zoomed))


def restyle_view(view, f: float) -> None:
    """Scale one pyqtgraph view's fonts, pens and sizes to factor *f* of their built values."""
    import pyqtgraph as pg

    scene = view.scene()
    if scene is None:
        return
    app_font = base_font()
    for item in scene.items():
        try:
            if isinstance(item, pg.AxisItem):
                _zoom_axis(item, f, app_font)
            elif isinstance(item, pg.PlotDataItem):
                opts = item.opts
                if opts.get("pen") is not None and not isinstance(opts["pen"], (list, dict)):
                    _zoom_pen_opt(item, "pen", lambda: item.opts.get("pen"), item.setPen, f)
                size = opts.get("symbolSize")
                if opts.get("symbol") is not None and isinstance(size, (int, float)):
                    base = _base(item, "symbolSize", size)
                    new = base * f
                    item.setSymbolSize(new)
                    _remember(item, "symbolSize", new)
            elif isinstance(item, pg.InfiniteLine):
                _zoom_pen_opt(item, "pen", lambda: item.pen, item.setPen, f)
            elif callable(getattr(item, "zoom_to", None)):
                item.zoom_to(f)               # an item that scales itself (a marker Dot)
            elif isinstance(item, pg.TextItem):
                font = item.textItem.font()
                base = _base(item, "font", QFont(font))
                new = scaled_font(base, f)
                item.setFont(new)
                _remember(item, "font", QFont(new))
            elif isinstance(item, pg.LegendItem):
                size = item.opts.get("labelTextSize") or "9pt"
                base = _base(item, "labelTextSize", size)
                try:
                    pt = float(str(base).rstrip("pt"))
                except ValueError:
                    continue
                new = f"{pt * f:.1f}pt"
                item.setLabelTextSize(new)
                _remember(item, "labelTextSize", new)
        except (TypeError, ValueError, AttributeError, RuntimeError):
            continue


def _zoom_axis(axis, f: float, app_font: QFont) -> None:
    tick = axis.style.get("tickFont")
    base = _base(axis, "tickFont", QFont(tick) if tick is not None else None)
    new_font = scaled_font(base if base is not None else app_font, f)
    length = _base(axis, "tickLength", axis.style.get("tickLength", -5))
    new_length = round(length * f)
    offset = _base(axis, "tickTextOffset", tuple(axis.style.get("tickTextOffset", (5, 2))))
    new_offset = [round(offset[0] * f), round(offset[1] * f)]
    axis.setStyle(tickFont=new_font, tickLength=new_length, tickTextOffset=new_offset)
    _remember(axis, "tickFont", QFont(new_font) if base is not None else None)
    _remember(axis, "tickLength", new_length)
    _remember(axis, "tickTextOffset", tuple(new_offset))
    for key, fixed, setter in (("fixedWidth", axis.fixedWidth, axis.setWidth),
                               ("fixedHeight", axis.fixedHeight, axis.setHeight)):
        if fixed is not None:
            b = _base(axis, key, fixed)
            new = round(b * f)
            setter(new)
            _remember(axis, key, new)
    label_font = _base(axis, "labelFont", QFont(axis.label.font()))
    axis.label.setFont(scaled_font(label_font, f))
    _remember(axis, "labelFont", QFont(axis.label.font()))
    axis.picture = None
    axis.update()

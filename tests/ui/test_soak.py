"""Guard against the PySide6 6.12.0 / Python 3.11 None-refcount crash (none_dealloc).

The crash kills the process, so the repaint loop runs in a subprocess and we check that it
finished cleanly after >= 3000 repaints of a pyqtgraph plot and of the app's own self-painted
bar editor (its paintEvent is Python, called on every drag move; 6.12.0 died within ~800)."""
import os
import subprocess
import sys
from pathlib import Path

SOAK = r"""
import sys
import numpy as np
from PySide6.QtWidgets import QApplication
import pyqtgraph as pg
app = QApplication(sys.argv[:1])
pw = pg.PlotWidget(); curve = pw.plot(); bars = pg.BarGraphItem(x=np.arange(10), height=np.ones(10), width=0.6)
pw.addItem(bars); line = pg.InfiniteLine(pos=0, movable=True); pw.addItem(line)
pw.resize(640, 480); pw.show()
from explorer.ui.widgets.bar_chart import BarChart
editor = BarChart(); editor.set_category_labels([f"c{i}" for i in range(10)])
editor.resize(420, 300); editor.show()
x = np.linspace(0, 10, 500)
n = int(sys.argv[1])
for k in range(n):
    curve.setData(x, np.sin(x + k * 0.01))
    bars.setOpts(height=np.abs(np.sin(np.arange(10) + k * 0.1)))
    line.setValue(k % 10)
    pw.setTitle(f"frame {k}")
    h = np.abs(np.sin(np.arange(10) + k * 0.1)); h /= h.sum()
    editor.set_data(h, [f"{v:.3f}" for v in h]); editor.set_hover_text(f"frame {k}")
    app.processEvents(); pw.repaint(); editor.repaint()
print("soak ok", n, flush=True)
"""


def test_repaint_soak_3000_frames():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", SOAK, "3000"], capture_output=True, text=True,
                          env=env, timeout=240, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 0, f"soak crashed (rc={proc.returncode}): {proc.stderr[-2000:]}"
    assert "soak ok 3000" in proc.stdout
    assert "none_dealloc" not in proc.stderr


def test_pyside_pin_respected():
    import PySide6
    if sys.version_info < (3, 12):
        assert tuple(int(v) for v in PySide6.__version__.split(".")[:2]) < (6, 12), PySide6.__version__

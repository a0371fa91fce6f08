"""Shared test setup: offscreen Qt, isolated settings, no rate-limited mouse moves."""
import os
import sys
import tempfile
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"          # before any QApplication exists
os.environ["EXPLORER_NO_DIALOGS"] = "1"               # errors go to the status bar, not modal boxes
_cfg = tempfile.mkdtemp(prefix="explorer-test-config-")
os.environ["XDG_CONFIG_HOME"] = _cfg                  # QSettings never touches the user's files
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="explorer-test-data-")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# Hypothesis budgets (property tests such as tests/core/test_properties.py).  "dev" is the
# default: 100 examples per property and no per-example deadline (these machines are shared
# and a deadline would make timing flaky).  EXPLORER_HYPOTHESIS_PROFILE=long runs 10 000
# examples per property, for a soak before a release (DEVELOPERS.md, "Tests").
settings.register_profile("dev", deadline=None)
settings.register_profile("long", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("EXPLORER_HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def qapp_cls():
    from PySide6.QtWidgets import QApplication
    return QApplication


@pytest.fixture(scope="session", autouse=True)
def _pg_config():
    import pyqtgraph as pg
    pg.setConfigOptions(mouseRateLimit=-1)
    from explorer.ui import theme
    theme.apply_pyqtgraph()


@pytest.fixture
def model():
    from explorer.model import AppModel
    return AppModel()


@pytest.fixture
def window(qtbot, model, tmp_path):
    from PySide6.QtCore import QSettings
    from explorer.ui.main_window import MainWindow
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    win = MainWindow(model, settings=settings, restore_layout=False)
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    win.show()
    qtbot.waitExposed(win)
    # what the app has a moment after start-up: the docks behind tabs built in the background
    # (tests/ui/test_lazy_docks.py checks the lazy start itself)
    win.build_pending_docks()
    qtbot.wait(50)
    yield win
    win.close()

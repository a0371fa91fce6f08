"""The window fits every screen it is shown on (issue 15).

For every workspace, at 1280×720, 1280×800, 1366×768, 1920×1080 and 2560×1440 (logical pixels:
what the window is given), at ``QT_SCALE_FACTOR`` 1, 1.5 and 2, in English and Chinese: no text
elided or clipped (labels, buttons, combo boxes, spin boxes, tabs, and the painted texts through
the charts' own API), no sideways scrolling, no two sibling widgets overlapping, no child outside
its parent, no stray dock tab bar, no chart under ``MIN_PLOT_HEIGHT`` × zoom, the window at the
size asked for; the same after opening and closing the softmax derivation (which must give every
dock its room back) and after Reset workspace (which must put every dock where the design put
it).  The checks are in ``layout_audit.py``, the walk in ``layout_matrix.py``.

``QT_SCALE_FACTOR`` must be set before the QApplication exists, so each scale runs in its own
process; the three are started together when the first test runs and run side by side.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCALES = ("1", "1.5", "2")


@pytest.fixture(scope="module")
def runs():
    procs = {}
    for scale in SCALES:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=scale,
                   EXPLORER_NO_DIALOGS="1")
        env.pop("QT_SCREEN_SCALE_FACTORS", None)
        procs[scale] = subprocess.Popen([sys.executable, str(HERE / "layout_matrix.py")],
                                        cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
    yield procs
    for proc in procs.values():
        if proc.poll() is None:
            proc.kill()


def _result(proc) -> dict:
    out, err = proc.communicate(timeout=280)
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize("scale", SCALES)
def test_every_workspace_fits_every_screen(runs, scale):
    result = _result(runs[scale])
    assert result["scale"] == scale
    assert result["cases"] >= 5 * 5 * 2          # workspaces × sizes × languages
    lines = []
    for f in result["failures"]:
        lines.append(f"{f['workspace']} {f['size'][0]}x{f['size'][1]} {f['lang']} "
                     f"after {f['stage']}:")
        lines.extend(f"    {p}" for p in f["problems"][:8])
    assert not lines, "\n".join(lines[:80])

#!/usr/bin/env python3
"""Render resources/icons/app.svg to the PNG sizes of the freedesktop hicolor icon theme.

    python tools/make_icons.py            # (re)write resources/icons/hicolor/NxN/apps/APP_ID.png
    python tools/make_icons.py --check    # exit 1 if a committed PNG differs from a fresh render

Run it after changing app.svg and commit the PNGs: desktops that show the app menu, the dock
and the window switcher pick the nearest size; `--install-desktop` copies them.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from explorer import desktop, resources  # noqa: E402


def render(size: int):
    """app.svg drawn into a transparent size x size ARGB image."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(resources.path("icons", "app.svg")))
    if not renderer.isValid():
        raise SystemExit("app.svg is not a valid SVG")
    img = QImage(size, size, QImage.Format_ARGB32)
    img.fill(Qt.transparent)
    painter = QPainter(img)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setRenderHint(QPainter.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return img


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args(argv)
    from PySide6.QtGui import QGuiApplication, QImage

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    stale = []
    for size in desktop.ICON_SIZES:
        target = resources.path(*desktop.png_icon_parts(size))
        img = render(size)
        if args.check:
            old = QImage(str(target))
            if old.isNull() or old.convertToFormat(QImage.Format_ARGB32) != img:
                stale.append(str(target))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if not img.save(str(target)):
            raise SystemExit(f"could not write {target}")
        print(f"wrote {target}")
    if stale:
        print("out of date (run python tools/make_icons.py):\n  " + "\n  ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

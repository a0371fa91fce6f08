"""Language rows, each against a baseline measured in the same run.

* English ↔ 简体中文 switch of the whole window until repainted (every dock retranslates and
  redraws, menus and Qt's own texts follow) vs one full redraw of every dock (``refresh(None)``)
  until repainted: what retranslating costs on top of the redraw a switch needs anyway.
* ``tr()`` lookups of every catalogue text in Chinese vs the same number of plain dict lookups.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from explorer.bench.runner import Goal, Result, timed
from explorer.bench.window import app_window

#: theme and language switch (issue 16): the median of a switch, until repainted
SWITCH_GOAL = Goal(median_max=100)


def rows(ctx) -> list[Result]:
    names = {
        "switch_base": "baseline: refresh(None) of every dock -> repainted",
        "switch": "language switch en<->zh -> whole window repainted",
        "tr_base": "baseline: dict lookups, one per catalogue text",
        "tr": "tr() of every catalogue text (zh)",
    }
    if not any(ctx.wanted(n) for n in names.values()):
        return []
    from PySide6.QtCore import QSettings

    from explorer import i18n
    from explorer.bench.paint import flush_paint

    ctx.app
    reps = ctx.repeat(20)
    start_language = i18n.language()
    ctx.progress("language: building a window")
    folder = Path(tempfile.mkdtemp(prefix="explorer-bench-language-"))
    _, win = app_window(ctx, settings=QSettings(str(folder / "s.ini"), QSettings.IniFormat),
                        interactive=True)
    results = []
    try:
        ctx.progress("language: switch")

        def redraw():
            for dock in win.docks.values():
                dock.refresh(None)
            flush_paint(win)
            win.grab()

        k = [0]

        def switch():
            # until the event loop has repainted every widget the switch made dirty (a grab()
            # after it would render the whole window a second time)
            k[0] += 1
            win.prefs.set_language("zh" if k[0] % 2 else "en")
            flush_paint(win)

        results.append(Result(names["switch_base"], timed(redraw, reps)))
        results.append(Result(names["switch"], timed(switch, reps), baseline=names["switch_base"],
                              goal=SWITCH_GOAL,
                              note="retranslate + refresh(None) of every dock, menus, Qt catalogue"))

        if not ctx.scale_free:
            return results
        ctx.progress("language: tr()")
        i18n.set_language("zh")
        keys = list(i18n.load_catalog("zh"))
        plain = dict(i18n.load_catalog("zh"))

        def lookups():
            for key in keys:
                plain.get(key, key)

        def translate():
            for key in keys:
                i18n.tr(key)

        results.append(Result(names["tr_base"], timed(lookups, reps * 5)))
        results.append(Result(names["tr"], timed(translate, reps * 5), baseline=names["tr_base"],
                              note=f"{len(keys)} texts"))
    finally:
        i18n.set_language(start_language)
        win.sessions.ask_unsaved = lambda: "discard"
        win.close()
        win.deleteLater()
    return results

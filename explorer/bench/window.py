"""The window every full-window benchmark row measures: the "All panels" workspace (the
issue-16 dashboard) at 1600×1000 logical pixels, in throw-away settings, with the docks the row
drives brought to the front of their tab groups (a tab behind another is not on screen)."""
from __future__ import annotations

#: the logical size of every full-window row (device pixels = this × QT_SCALE_FACTOR)
SIZE = (1600, 1000)
WORKSPACE = "all"


def app_window(ctx, model=None, *, front: tuple[str, ...] = (), settings=None,
               interactive: bool = False, settle_ms: int = 300):
    """``(model, window)``: a MainWindow on the "all" workspace, resized to :data:`SIZE`,
    every dock built, docks named in *front* raised, shown and settled."""
    from explorer.app import settle
    from explorer.bench.runner import scratch_settings
    from explorer.model import AppModel
    from explorer.ui.main_window import MainWindow

    ctx.app
    model = model if model is not None else AppModel()
    window = MainWindow(model, settings=settings if settings is not None else scratch_settings(),
                        restore_layout=False, interactive=interactive, workspace=WORKSPACE)
    window.resize(*SIZE)
    settle(window, settle_ms)
    # every dock built, as in the app a moment after start-up (the docks behind tabs are built
    # in the background after the first paint): the rows measure the steady state
    window.build_pending_docks()
    if front:
        for name in front:
            window.docks[name].raise_()
        settle(window, 100)
    return model, window


def visible_docks(window) -> list[str]:
    """Names of the docks whose body is on screen (for a row's note)."""
    return [n for n, d in window.docks.items() if not d.body().visibleRegion().isEmpty()]

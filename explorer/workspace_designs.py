"""The designs of the workspaces (pure data, no Qt): which docks each workspace shows, where,
and with what share of the window.  :mod:`explorer.ui.workspaces` builds them in the window;
scenario validation (:mod:`explorer.record.scenario`) reads which docks a workspace shows.

A design is columns of dock cells, left to right; each column a stack of cells top to bottom;
each cell one dock or a tab group, its first dock in front.  Shares are relative.
"""
from __future__ import annotations

from dataclasses import dataclass

#: the first launch opens a focused workspace, not the dashboard
FIRST_RUN_WORKSPACE = "information"
#: windows made by programs (tests, benchmarks, recordings) start on the dashboard they had
PROGRAM_WORKSPACE = "all"


@dataclass(frozen=True)
class Design:
    """*columns*: ``((width share, ((height share, (dock, …)), …)), …)``."""

    name: str
    title: str          # full title (menu, welcome), translated with tr()
    short: str          # button text, translated with tr()
    tip: str            # what the story is, translated with tr()
    columns: tuple

    @property
    def docks(self) -> tuple[str, ...]:
        return tuple(d for _w, cells in self.columns for _h, group in cells for d in group)


def _col(width, *cells):
    return (width, tuple(cells))


WORKSPACES: tuple[Design, ...] = (
    Design("information", "Information", "Information",
           "Entropy, cross-entropy and KL divergence: drag p and q, read every number, see what "
           "each category contributes",
           (_col(0.25, (0.5, ("pEditorDock",)), (0.5, ("qEditorDock",))),
            _col(0.33, (1.0, ("readoutsDock", "formulaDock", "helpDock"))),
            _col(0.42, (0.55, ("breakdownDock",)), (0.45, ("curvesDock",))))),
    Design("ce_vs_mse", "Why cross-entropy, not MSE", "CE vs MSE",
           "A sigmoid neuron: where the MSE gradient vanishes, and the training race that shows it",
           (_col(0.42, (1.0, ("sigmoidDock",))),
            _col(0.58, (1.0, ("trainingDock",))))),
    Design("softmax", "Softmax", "Softmax",
           "Logits, softmax and the categorical cross-entropy, its gradient a − y, and a batch "
           "of losses",
           (_col(0.30, (0.5, ("qEditorDock",)), (0.5, ("readoutsDock",))),
            _col(0.70, (0.6, ("softmaxDock",)), (0.4, ("batchDock", "trainingDock"))))),
    Design("sampling", "Sampling & likelihood", "Sampling",
           "Draw data from p and score it with q: cross-entropy is the average surprise, and the "
           "q with the least cross-entropy makes the data most likely",
           (_col(0.28, (0.5, ("pEditorDock",)), (0.5, ("qEditorDock",))),
            _col(0.42, (1.0, ("samplingDock",))),
            _col(0.30, (1.0, ("codeDock", "batchDock"))))),
    Design("all", "All panels", "All panels",
           "Every panel at once, as a dashboard (best on a large screen)",
           (_col(0.26, (0.5, ("pEditorDock",)), (0.5, ("qEditorDock",))),
            _col(0.32, (1.0, ("readoutsDock", "breakdownDock", "formulaDock", "curvesDock",
                              "samplingDock", "codeDock", "helpDock")),),
            _col(0.42, (0.5, ("sigmoidDock",)),
                 (0.5, ("trainingDock", "softmaxDock", "batchDock"))))),
)
BY_NAME = {w.name: w for w in WORKSPACES}
NAMES = tuple(BY_NAME)


def design(name: str) -> Design:
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"workspace: expected one of {', '.join(NAMES)}, got {name!r}") from None



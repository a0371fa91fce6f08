"""CSV export of the training race trajectories (no GUI needed: usable from scripts and tests)."""
from __future__ import annotations

import csv
import os
from pathlib import Path

from explorer import core

#: digits kept in the CSV (float64 round-trips with 17 significant digits; 12 is plenty here)
SIGNIFICANT = 12


def trajectory_rows(model, mode: str | None = None):
    """``(header, rows)`` of the race shown in *mode* (default: the model's current mode).

    ``"neuron"``: per run ``w, b, z, a, loss, grad_w, grad_b``; ``"dataset"`` /
    ``"multiclass"``: per run ``loss, accuracy, grad_norm`` and every weight.
    """
    mode = model.training_mode if mode is None else mode
    if mode == "neuron":
        return core.trajectory_table(histories=model.histories)
    return core.trajectory_table(race=model.race(mode))


def export_trajectories_csv(path, model, mode: str | None = None) -> int:
    """Write the current race's trajectories to *path* as CSV; return the number of data rows.

    The file is written to a temporary name beside *path* and renamed, so a failed write never
    leaves half a file.  Raises ``OSError`` (with the path) when the file cannot be written.
    """
    header, rows = trajectory_rows(model, mode)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for row in rows:
                writer.writerow([row[0]] + [f"{v:.{SIGNIFICANT}g}" for v in row[1:]])
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    return len(rows)

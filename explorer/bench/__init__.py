"""``python main.py bench``: speed figures, each reported against a baseline measured in the same run.

Every module listed in :data:`ROW_MODULES` has a function ``rows(ctx)`` returning a list of
:class:`explorer.bench.runner.Result`.  Later features add their module here.
"""

ROW_MODULES = [
    "explorer.bench.rows_foundation",
    "explorer.bench.rows_readouts",
    "explorer.bench.rows_panels",
    "explorer.bench.rows_editors",
    "explorer.bench.rows_training",
    "explorer.bench.rows_sessions",
    "explorer.bench.rows_record",
    "explorer.bench.rows_language",
    "explorer.bench.rows_code",
    "explorer.bench.rows_sampling",
    "explorer.bench.rows_formats",
]

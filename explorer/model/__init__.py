"""The shared application model (Qt signals, numpy state; maths delegated to :mod:`explorer.core`).

``AppModel`` (app_model.py) is the one Qt object the views talk to.  Its state is
``ModelState`` (state.py): small immutable sections with declared fields (fields.py), one file
per concern — distribution.py, readout.py, sigmoid_state.py, softmax_state.py,
training_state.py.  Derived numbers: info_numbers.py, panel_numbers.py, training_numbers.py.
Kinds of change: change.py.  Undo: undo.py.
"""
from explorer.model.app_model import (  # noqa: F401
    AppModel, InfoNumbers, TrainingParams, UNITS, UNIT_SYMBOLS, SCHEMA_VERSION,
    validate_distribution, validate_logits,
)
from explorer.model.change import Change  # noqa: F401

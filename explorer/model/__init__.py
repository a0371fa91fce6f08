"""The shared application model (Qt signals, numpy state; maths delegated to :mod:`explorer.core`)."""
from explorer.model.app_model import (  # noqa: F401
    AppModel, Change, InfoNumbers, TrainingParams, UNITS, UNIT_SYMBOLS, SCHEMA_VERSION,
    validate_distribution, validate_logits,
)

"""The whole saved state of the app as one declared section: every field is listed exactly once,
in the section it belongs to.

* :class:`~explorer.model.distribution.DistributionState` — p, q, labels, locks, q's logits, T
* :class:`~explorer.model.readout.ReadoutSettings` — unit, decimals, eps
* :class:`~explorer.model.sigmoid_state.SigmoidPanelState` — z marker, x, y, z range, …
* :class:`~explorer.model.softmax_state.SoftmaxPanelState` — free logits, target, focus
* :class:`~explorer.model.training_state.TrainingState` — race parameters, playback, datasets
* :class:`~explorer.model.sampling_state.SamplingState` — the sample drawn from p (seed, draws)
* :class:`~explorer.model.batch_state.BatchState` — the batch table's rows

The saved dict is flat at the top (``"p"``, ``"unit"``, ``"z_marker"``, …) with nested objects
where a section says so (``"training"``, ``"training_playback"``, ``"dataset"``), exactly the
keys session files have always had.  ``SCHEMA_VERSION`` is the version of this layout; renaming
or removing a key bumps it and adds a step to ``explorer.session.MODEL_MIGRATIONS``.
"""
from __future__ import annotations

from dataclasses import dataclass

from explorer.core.errors import InputError
from explorer.model.batch_state import BatchState
from explorer.model.distribution import DistributionState
from explorer.model.fields import Section, state_field
from explorer.model.readout import ReadoutSettings
from explorer.model.sampling_state import SamplingState
from explorer.model.sigmoid_state import SigmoidPanelState
from explorer.model.softmax_state import SoftmaxPanelState
from explorer.model.training_state import TrainingState

SCHEMA_VERSION = 1


@dataclass(frozen=True, eq=False)
class ModelState(Section):
    dist: DistributionState = state_field(factory=DistributionState, key="", section=True)
    readout: ReadoutSettings = state_field(factory=ReadoutSettings, key="", section=True)
    sigmoid: SigmoidPanelState = state_field(factory=SigmoidPanelState, key="", section=True)
    softmax: SoftmaxPanelState = state_field(factory=SoftmaxPanelState, key="", section=True)
    training: TrainingState = state_field(factory=TrainingState, key="", section=True)
    sampling: SamplingState = state_field(factory=SamplingState, key="", section=True)
    batch: BatchState = state_field(factory=BatchState, key="", section=True)

    def validated(self, prefix: str = "") -> "ModelState":
        n = self.sampling.n_categories
        if n is not None and n != self.dist.n:
            raise InputError("sample_segments: drawn with {n} categories, but p has {size}",
                             n=n, size=self.dist.n)
        return self

    def consistent(self) -> "ModelState":
        """This state, or with the sample reset when N no longer matches it (a sample is
        drawn with one N; changing N — by an edit or an undo — starts a new one)."""
        n = self.sampling.n_categories
        if n is not None and n != self.dist.n:
            return self.evolve(sampling=self.sampling.reset())
        return self

    def to_dict(self) -> dict:
        return {"version": SCHEMA_VERSION, **super().to_dict()}

    @classmethod
    def from_dict(cls, data: dict, prefix: str = "", strict: bool = False) -> "ModelState":
        if not isinstance(data, dict):
            raise InputError("session: expected a JSON object")
        version = data.get("version")
        if version != SCHEMA_VERSION or isinstance(version, bool):
            raise InputError("version: unsupported version {version} (expected {expected})",
                             version=repr(version)[:40], expected=SCHEMA_VERSION)
        try:
            return super().from_dict(data, prefix, strict)
        except RecursionError:
            raise InputError("session: nested too deeply") from None


def sections() -> dict:
    """``{attribute: section class}`` of :class:`ModelState` (for tools and tests)."""
    return {s.name: ModelState._sub_section(s) for s in ModelState.specs()}

"""Package-level checks: GUI-free import, public API documentation."""

import inspect
import subprocess
import sys
from pathlib import Path

from explorer import core

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_core_does_not_import_gui_modules():
    code = ("import explorer.core, sys; "
            "print([m for m in sys.modules if m.startswith(('PySide6','pyqtgraph','shiboken'))])")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                         text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api_is_documented():
    assert "inf" in core.__doc__ and "eps" in core.__doc__ and "ValueError" in core.__doc__
    expected = {
        "self_information", "entropy", "cross_entropy", "kl_divergence", "js_divergence",
        "sigmoid", "sigmoid_derivative", "softmax", "mse_loss", "binary_cross_entropy",
        "categorical_cross_entropy", "neuron_gradients", "softmax_cross_entropy_gradient",
        "train_neuron", "NeuronHistory", "normalize", "binary_entropy", "information_terms",
        "logits_from_probs", "softmax_jacobian", "finite_difference_gradient",
    }
    assert expected <= set(core.__all__)
    for name in core.__all__:
        obj = getattr(core, name)
        if inspect.isfunction(obj):
            doc = inspect.getdoc(obj)
            assert doc and "Parameters" in doc and "Returns" in doc, name
        elif inspect.isclass(obj):
            assert inspect.getdoc(obj), name

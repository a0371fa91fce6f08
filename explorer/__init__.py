"""Cross-Entropy Explorer: an interactive tour of entropy, cross-entropy and KL divergence.

The package is split in layers with one-way dependencies:

* :mod:`explorer.core` - pure numpy maths (never imports Qt);
* :mod:`explorer.model` - the one shared, Qt-signalling model that owns all state;
* :mod:`explorer.ui` - the main window and one file per dock, drawing what the model hands them;
* :mod:`explorer.cli` - command-line entry points (GUI, ``screenshot``, ``bench``).
"""

__version__ = "0.1.0"
APP_NAME = "Cross-Entropy Explorer"
ORG_NAME = "CrossEntropyExplorer"

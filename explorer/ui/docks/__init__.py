"""One module per dock.  :data:`DOCKS` lists them in their default layout order."""
from explorer.ui.docks.editor_dock import PEditorDock, QEditorDock
from explorer.ui.docks.batch_dock import BatchDock
from explorer.ui.docks.breakdown_dock import BreakdownDock
from explorer.ui.docks.code_dock import CodeDock
from explorer.ui.docks.curves_dock import CurvesDock
from explorer.ui.docks.formula_dock import FormulaDock
from explorer.ui.docks.help_dock import HelpDock
from explorer.ui.docks.readouts_dock import ReadoutsDock
from explorer.ui.docks.sampling_dock import SamplingDock
from explorer.ui.docks.sigmoid_dock import SigmoidDock
from explorer.ui.docks.softmax_dock import SoftmaxDock
from explorer.ui.docks.training_dock import TrainingDock

DOCKS = [PEditorDock, QEditorDock, ReadoutsDock, SigmoidDock, SoftmaxDock, TrainingDock,
         BreakdownDock, FormulaDock, CurvesDock, SamplingDock, CodeDock, BatchDock, HelpDock]
DOCK_NAMES = [cls.OBJECT_NAME for cls in DOCKS]

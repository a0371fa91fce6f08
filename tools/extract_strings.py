"""Collect every English source text the interface passes through ``explorer.i18n.tr``.

Usage::

    python tools/extract_strings.py            # list texts missing from resources/translations/zh.json
    python tools/extract_strings.py --all      # list every text (one JSON string per line)
    python tools/extract_strings.py --stubs    # print a JSON object of the missing texts -> "" to fill in

Two kinds of texts:

* **literals** — the source is parsed with :mod:`ast` and every string-literal first argument of a
  call to ``tr(...)``, ``i18n.tr(...)`` or ``self.tr(...)`` is collected (implicitly concatenated
  literals, ``"a" if c else "b"`` and ``tr("... {x}").format(x=...)`` included).
* **data** — calls whose argument is not a literal (``tr(self.TITLE)``, ``tr(UNIT_NAMES[u])``,
  preset titles, ...) translate texts that live in tables or data files.  Each such call site is
  listed in :data:`DYNAMIC_SITES` together with the function that yields its texts; an unlisted
  dynamic call is reported by :func:`unlisted_dynamic_sites` (and fails ``tests/test_translations.py``),
  so a new table cannot slip past the catalogue.
"""
from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "explorer"
CATALOG = ROOT / "resources" / "translations" / "zh.json"
TR_NAMES = {"tr"}


# --------------------------------------------------------------------------- literal texts
def _is_tr_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    f = node.func
    if isinstance(f, ast.Name):
        return f.id in TR_NAMES
    if isinstance(f, ast.Attribute):
        # i18n.tr(...), self.tr(...), explorer.i18n.tr(...)
        return f.attr in TR_NAMES
    return False


def _literals(node: ast.AST) -> list[str] | None:
    """The string(s) an argument expression can evaluate to, or None when it is not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _literals(node.body), _literals(node.orelse)
        if a is not None and b is not None:
            return a + b
    return None


def scan_file(path: Path) -> tuple[list[tuple[str, int, str]], list[tuple[str, int, str]]]:
    """Return ``(literals, dynamic)``: ``(file, line, text)`` for literal arguments and
    ``(file, line, expression)`` for the rest."""
    rel = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
    found, dynamic = [], []
    for node in ast.walk(tree):
        if not _is_tr_call(node):
            continue
        arg = node.args[0]
        texts = _literals(arg)
        if texts is None:
            dynamic.append((rel, node.lineno, ast.unparse(arg)))
        else:
            found.extend((rel, node.lineno, t) for t in texts)
    return found, dynamic


def scan(package: Path = PACKAGE):
    literals, dynamic = [], []
    for path in sorted(package.rglob("*.py")):
        if "bench" in path.relative_to(package).parts:
            continue   # benchmarks time tr() on catalogue keys
        a, b = scan_file(path)
        literals += a
        dynamic += b
    return literals, dynamic


# --------------------------------------------------------------------------- data texts
def _dock_titles():
    from explorer.ui.docks import DOCKS
    return [cls.TITLE for cls in DOCKS]


def _preset_texts():
    from explorer import presets
    out = []
    for name in presets.PRESETS:
        out += [presets.title(name), presets.description(name)]
    return out


def _preset_labels():
    from explorer import presets
    out = []
    for name in presets.PRESETS:
        if presets.is_example(name):
            out += list(presets.EXAMPLES[name].labels)
    return out


def _undo_names():
    """The English step names :func:`explorer.model.undo.describe` can return."""
    src = (PACKAGE / "model" / "undo.py").read_text(encoding="utf-8")
    fn = next(n for n in ast.walk(ast.parse(src))
              if isinstance(n, ast.FunctionDef) and n.name == "describe")
    return [n.value.value for n in ast.walk(fn)
            if isinstance(n, ast.Return) and isinstance(n.value, ast.Constant)]


def _unit_words():
    from explorer.model.app_model import UNITS
    return list(UNITS)


def _app_name():
    from explorer import APP_NAME
    return [APP_NAME]


def _readout_tables():
    from explorer.ui.docks import readouts_dock as r
    return list(r.UNIT_NAMES.values()) + [desc for _k, _s, desc in r.QUANTITIES]


def _breakdown_columns():
    from explorer.ui.docks import breakdown_dock as b
    out = []
    for key, header, tip in b.COLUMNS:
        if key == "label":
            out.append(header)
        out.append(tip)
    return out


#: Error classes whose first argument is an English template translated by ``i18n.tr_error``
TEMPLATE_ERRORS = {"InputError", "OutputError"}


def _error_templates():
    """English templates of :class:`explorer.core.errors.InputError` and its subclasses (first
    literal argument of every ``InputError(...)`` / ``OutputError(...)`` call in the package)."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = getattr(node, "func", None)
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if isinstance(node, ast.Call) and name in TEMPLATE_ERRORS and node.args:
                texts = _literals(node.args[0])
                out += texts or []
            if isinstance(node, ast.Call) and name == "_Fail":     # scenario.py: translatable
                for kw in node.keywords:
                    if kw.arg == "template":
                        out += [SCENARIO_PREFIX + t for t in _literals(kw.value) or []]
    return out


#: how explorer.record.scenario prefixes a translatable problem (file, action and key)
SCENARIO_PREFIX = "{source}: {where}: "


def _workspace_texts():
    """Titles, button names and stories of the workspaces (explorer/workspace_designs.py)."""
    sys.path.insert(0, str(ROOT))
    from explorer.workspace_designs import WORKSPACES

    return [t for d in WORKSPACES for t in (d.title, d.short, d.tip)]


#: (file, expression inside tr(...)) -> function returning the texts that call can translate
DYNAMIC_SITES = {
    ("explorer/ui/docks/base.py", "self.TITLE"): _dock_titles,
    ("explorer/ui/workspaces.py", "d.title"): _workspace_texts,
    ("explorer/ui/workspaces.py", "d.short"): _workspace_texts,
    ("explorer/ui/workspaces.py", "d.tip"): _workspace_texts,
    ("explorer/ui/welcome.py", "d.title"): _workspace_texts,
    ("explorer/ui/welcome.py", "d.tip"): _workspace_texts,
    ("explorer/ui/recording.py", "d.title"): _workspace_texts,
    ("explorer/i18n.py", "template"): _error_templates,
    ("explorer/model/app_model.py", "describe(before, snap)"): _undo_names,
    ("explorer/model/app_model.py", "presets_mod.title(name)"): _preset_texts,
    ("explorer/model/app_model.py", "x"): _preset_labels,
    ("explorer/ui/sessions.py", "APP_NAME"): _app_name,
    ("explorer/ui/docks/breakdown_dock.py", "header"): _breakdown_columns,
    ("explorer/ui/docks/breakdown_dock.py", "tip"): _breakdown_columns,
    ("explorer/ui/docks/readouts_dock.py", "UNIT_NAMES.get(unit, unit)"): _readout_tables,
    ("explorer/ui/docks/readouts_dock.py", "desc"): _readout_tables,
    ("explorer/ui/docks/readouts_dock.py", "info.unit"): _unit_words,
    ("explorer/ui/docks/formula_dock.py", "self.model.info.unit"): _unit_words,
    ("explorer/ui/docks/sampling_dock.py", "info.unit"): _unit_words,
    ("explorer/ui/docks/curves_dock.py", "info.unit"): _unit_words,
    ("explorer/ui/docks/editor_dock.py", "presets.title(name)"): _preset_texts,
    ("explorer/ui/docks/editor_dock.py", "presets.description(name)"): _preset_texts,
    ("explorer/ui/docks/editor_dock.py", "presets.title('uniform')"): _preset_texts,
    ("explorer/ui/docks/editor_dock.py", "presets.description('uniform')"): _preset_texts,
    ("explorer/ui/docks/editor_dock.py", "presets.title('one-hot')"): _preset_texts,
    ("explorer/ui/docks/editor_dock.py", "presets.description('one-hot')"): _preset_texts,
    ("explorer/ui/docks/editor_dock.py", "presets.title('random')"): _preset_texts,
    ("explorer/ui/docks/editor_dock.py", "presets.description('random')"): _preset_texts,
}


def unlisted_dynamic_sites(dynamic=None) -> list[tuple[str, int, str]]:
    """Dynamic ``tr(...)`` calls that :data:`DYNAMIC_SITES` does not know."""
    if dynamic is None:
        dynamic = scan()[1]
    return [d for d in dynamic if (d[0], d[2]) not in DYNAMIC_SITES]


def all_texts() -> dict[str, str]:
    """Every source text -> where it comes from (first occurrence)."""
    literals, dynamic = scan()
    out: dict[str, str] = {}
    for rel, line, text in literals:
        if text:
            out.setdefault(text, f"{rel}:{line}")
    seen = set()
    for rel, line, expr in dynamic:
        fn = DYNAMIC_SITES.get((rel, expr))
        if fn is None or fn in seen:
            continue
        seen.add(fn)
        for text in fn():
            if text:   # an empty TITLE (the editor docks set their own title)
                out.setdefault(text, f"{rel}:{line} ({fn.__name__})")
    return out


# --------------------------------------------------------------------------- English left over
#: Latin-letter words allowed in Chinese mode: function and symbol names as formulas and Chinese
#: textbooks write them, key names, proper names, file formats
ALLOWED_WORDS = {
    # maths and ML symbols/functions
    "softmax", "sigmoid", "logit", "logits", "log", "ln", "exp", "cosh", "max", "min", "eps",
    "lim", "argmax", "tanh",
    # keys (Chinese keyboards and software keep these names)
    "ctrl", "shift", "esc", "enter", "alt", "tab", "del",
    # proper names, formats
    "nielsen", "olah", "chris", "bob", "alice", "jensen", "shannon", "kullback", "leibler",
    "unicode", "latex", "hidpi", "json",
    # Python libraries the Code panel names
    "numpy", "scipy", "torch", "sklearn", "nan",
    # View → Language lists each language in its own script
    "english",
}
_FILE_NAME = re.compile(r"\S+\.(?:json|md|png|gif|mp4|svg|csv|ini|py)\b")
_FILE_FILTER = re.compile(r"\*\.\w+")
_IDENTIFIER = re.compile(r"\b\w+_\w+\b")           # D_KL, z_j, log_loss
_ABBREVIATION = re.compile(r"\b[A-Z][A-Z0-9.]*\b")    # MSE, CE, KL, JS, PNG, H.264
_LIBRARY = re.compile(r"\bscikit-learn\b")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")                # {name}, {eps:g}
# code in the Code panel's texts: dotted names, CamelCase class names, keyword arguments and
# dtypes stay as they are in Chinese (scipy.stats.entropy, nn.KLDivLoss, NumPy, BCELoss,
# reduction="mean", float64)
_DOTTED = re.compile(r"\b\w+(?:\.\w+)+")
_CAMEL = re.compile(r"\b(?:[A-Za-z]*[a-z][A-Z]\w*|[A-Z]{2,}[a-z]\w*)\b")
_KEYWORD = re.compile(r"\b\w+=(?:\"[^\"]*\"|\{[^{}]*\}|\w+)")
_DTYPE = re.compile(r"\bfloat(?:16|32|64)\b")
_COMMAND = re.compile(r"\bpython\s+\S+\.py(?:\s+[a-z]+)?")       # python main.py code
_EXTENSION = re.compile(r"(?<![\w.])\.[a-z0-9]+\b")    # .png, .mp4


def english_words(text: str, extra_allowed=()) -> list[str]:
    """Latin words of three or more letters left in *text* once file names, file-type filters,
    identifiers, abbreviations and :data:`ALLOWED_WORDS` (plus *extra_allowed*) are removed.

    ``"自信息 I(x) = −log x"`` → ``[]``; ``"播放 Play"`` → ``["Play"]``; ``"0.9 nats"`` → ``["nats"]``.
    """
    allowed = ALLOWED_WORDS | {w.lower() for w in extra_allowed}
    t = text
    for pattern in (_COMMAND, _FILE_NAME, _KEYWORD, _PLACEHOLDER, _DOTTED, _FILE_FILTER, _EXTENSION,
                    _IDENTIFIER, _CAMEL, _DTYPE, _ABBREVIATION, _LIBRARY):
        t = pattern.sub(" ", t)
    return [w for w in re.findall(r"[A-Za-z]{3,}", t) if w.lower() not in allowed]


def load_catalog(path: Path = CATALOG) -> dict[str, str]:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--all", action="store_true", help="list every source text")
    ap.add_argument("--stubs", action="store_true", help="print missing texts as a JSON object")
    ap.add_argument("--unused", action="store_true", help="list catalogue keys no code uses")
    ap.add_argument("--check", action="store_true",
                    help="list translations that still contain English words")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    texts = all_texts()
    catalog = load_catalog()
    for rel, line, expr in unlisted_dynamic_sites():
        print(f"{rel}:{line}: tr({expr}) is not a literal and not in DYNAMIC_SITES",
              file=sys.stderr)
    if args.check:
        for key, value in catalog.items():
            if english_words(value):
                print(f"{json.dumps(key, ensure_ascii=False)}: {english_words(value)}")
        return 0
    if args.unused:
        for key in catalog:
            if key not in texts:
                print(json.dumps(key, ensure_ascii=False))
        return 0
    wanted = texts if args.all else {t: w for t, w in texts.items() if t not in catalog}
    if args.stubs:
        print(json.dumps({t: "" for t in wanted}, ensure_ascii=False, indent=1))
    else:
        for text, where in wanted.items():
            print(f"{where}\t{json.dumps(text, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

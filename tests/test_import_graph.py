"""The package's import graph has no cycle: imports between explorer modules — at module level
and the lazy ones inside functions alike — form a DAG.  (``if TYPE_CHECKING:`` blocks are not
imports at run time and are skipped.)"""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "explorer"


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(name: str) -> bool:
    return (PACKAGE.parent / Path(*name.split(".")) / "__init__.py").exists()


def _resolve(name: str, known: set) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(files)
    graph = {m: set() for m in files}
    for mod, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        pkg = mod if _is_package(mod) else mod.rpartition(".")[0]
        skip = set()
        for node in ast.walk(tree):             # `if TYPE_CHECKING:` blocks are not imports
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skip.update(id(n) for n in ast.walk(node))
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = pkg.split(".")
                    up = up[:len(up) - (node.level - 1)]
                    base = ".".join(up + ([base] if base else []))
                subs = [f"{base}.{a.name}" for a in node.names]
                # `from pkg import module` needs pkg's __init__ only for names that are not
                # submodules
                targets = [s for s in subs if s in known]
                if len(targets) < len(subs):
                    targets.append(base)
            for t in targets:
                if not t.startswith("explorer"):
                    continue
                # `from explorer.x import y` depends on explorer.x.y when y is a module,
                # else on explorer.x
                r = t if t in known else _resolve(t, known)
                # a module's own ancestor packages are always initialised before it runs
                if r and r != mod and not mod.startswith(r + "."):
                    graph[mod].add(r)
    return graph


def find_cycle(graph: dict):
    state, stack = {}, []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_find_cycle_detects_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_graph_sees_real_edges():
    graph = import_graph()
    assert "explorer.model.change" in graph["explorer.model.app_model"]
    assert "explorer.core" in graph["explorer.model.distribution"]
    # a lazy import inside a function is an edge too
    assert "explorer.ui.main_window" in graph["explorer.record.render"]


def test_no_import_cycle_in_the_package():
    cycle = find_cycle(import_graph())
    # a package __init__ re-exporting its own modules is not a cycle worth reporting when the
    # modules never import the package back; anything else is
    assert cycle is None, " -> ".join(cycle)


def test_layers_point_one_way():
    """core imports nothing of ours but itself; widgets never import docks; the model never
    imports the UI."""
    graph = import_graph()
    for mod, deps in graph.items():
        if mod.startswith("explorer.core"):
            assert all(d.startswith("explorer.core") for d in deps), (mod, deps)
        if mod.startswith("explorer.ui.widgets"):
            assert not any(d.startswith("explorer.ui.docks") for d in deps), (mod, deps)
        if mod.startswith("explorer.model"):
            assert not any(d.startswith("explorer.ui") for d in deps), (mod, deps)

"""The import graph of the code (issue 15): the pipeline (graph) never imports the web layer (web), and
no module imports, even lazily inside a function, one that imports it back. Read from the source
with `ast`, so imports inside functions count too."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "web")


def _module(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """module -> the modules of graph and web it imports (anywhere in its source)."""
    modules = {_module(p): p for pkg in PACKAGES for p in (REPO / pkg).rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    target = f"{base}.{node.module}" if node.module else base
                else:
                    target = node.module or ""
                candidates = [target] + [f"{target}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                candidates = [a.name for a in node.names]
            else:
                continue
            deps |= {c for c in candidates if c in modules and c != name}
        edges[name] = deps
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in edges:
        if v not in index:
            visit(v)
    return out


def test_the_pipeline_never_imports_the_web_layer() -> None:
    edges = import_graph()
    wrong = sorted((m, d) for m, deps in edges.items() for d in deps if m.startswith("graph") and d.startswith("web"))
    assert not wrong, wrong


def test_no_import_cycles() -> None:
    edges = import_graph()
    # packages import their own modules in __init__; a module importing its package's __init__ is
    # the same package, not a cycle of design
    for name in list(edges):
        edges[name] = {d for d in edges[name] if not name.startswith(d + ".") and not d.startswith(name + ".")}
    assert not _cycles(edges), _cycles(edges)


def test_the_checker_sees_lazy_imports_and_cycles(tmp_path: Path) -> None:
    """The check itself: an import inside a function counts, and a two-module cycle is found."""
    edges = {"a": {"b"}, "b": {"a"}, "c": set()}
    assert _cycles(edges) == [["a", "b"]]
    tree = ast.parse("def f():\n    from .store import Store\n")
    assert any(isinstance(n, ast.ImportFrom) and n.module == "store" for n in ast.walk(tree))

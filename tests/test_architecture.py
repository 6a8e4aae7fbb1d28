"""The import rules of docs/architecture.md: stages import only earlier stages, no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KB = Path(__file__).resolve().parent.parent / "kb"

# Pipeline order. A module may import its own stage and earlier ones, never a later one.
STAGES: tuple[tuple[str, ...], ...] = (
    ("kb", "kb.errors", "kb.contract", "kb.records"),   # the shared vocabulary
    ("kb.pages",),                                       # news pages: main text + metadata (trafilatura)
    ("kb.sources",),
    ("kb.fetch", "kb.feeds"),                            # HTTP fetching; RSS/Atom feeds
    ("kb.segment",),
    ("kb.nlp",),
    ("kb.amounts",),
    ("kb.entities",),
    ("kb.claims",),
    ("kb.tracking", "kb.syndication"),
    ("kb.store",),
    ("kb.pipeline",),
    ("kb.graph", "kb.evaluate"),
    ("kb.web",),
    ("kb.cli",),
)
# Who may import kb.store (the only owner of SQL).
STORE_USERS = ("kb.store", "kb.pipeline", "kb.graph", "kb.evaluate", "kb.web", "kb.cli")
# Documented exceptions: `kb.nlp.entity_spans` forwards lazily to the entity stage (its public entry point).
ALLOWED = {("kb.nlp", "kb.entities.spans")}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(KB.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> int:
    best, index = "", -1
    for i, names in enumerate(STAGES):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > len(best):
                best, index = name, i
    return index


def imports_of(path: Path) -> list[tuple[str, bool]]:
    """(imported kb module, at module level?) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from kb.claims import ja` imports the submodule; `from kb.claims import X` the package's name X
            subs = [f"{node.module}.{a.name}" for a in node.names]
            names = [n for n in subs if n in MODULE_FILES]
            if len(names) < len(subs):
                names.append(node.module)
        else:
            continue
        for name in names:
            if name == "kb" or name.startswith("kb."):
                found.append((name, id(node) in top))
    return found


MODULES = {module_name(p): p for p in sorted(KB.rglob("*.py"))}
MODULE_FILES = set(MODULES)


def resolve(name: str) -> str | None:
    """The kb module an imported name refers to (a module, or the module defining an attribute)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def test_every_module_has_a_stage():
    assert [m for m in MODULES if stage_of(m) < 0] == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_stages_import_only_earlier_stages(module):
    own = stage_of(module)
    bad = sorted({target for name, _ in imports_of(MODULES[module])
                  if (target := resolve(name)) and stage_of(target) > own and (module, target) not in ALLOWED})
    assert bad == [], f"{module} (stage {own}) imports later stages: {bad}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_pipeline_graph_web_and_cli_import_the_store(module):
    if module.startswith(STORE_USERS):
        return
    bad = sorted({t for name, _ in imports_of(MODULES[module]) if (t := resolve(name)) and t.startswith("kb.store")})
    assert bad == [], f"{module} imports the store: {bad}"


def test_entities_never_import_claims():
    bad = [(m, name) for m, p in MODULES.items() if m.startswith("kb.entities")
           for name, _ in imports_of(p) if name.startswith("kb.claims")]
    assert bad == []


def test_no_import_cycles():
    """Module-level imports form no cycle (a package's __init__ running first is not an edge: Python
    binds a submodule of a partially imported package without running anything of it twice)."""
    graph = {m: sorted({t for name, top in imports_of(p) if top and (t := resolve(name)) and t != m})
             for m, p in MODULES.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == [], f"import cycles: {cycles}"


def test_no_import_error_guards_around_kb_modules():
    """An `except ImportError` around a kb import would hide a real bug (every amount silently dropped)."""
    bad = []
    for m, p in MODULES.items():
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and any(
                    isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                    for h in node.handlers):
                inner = [n for stmt in node.body for n in ast.walk(stmt)
                         if isinstance(n, (ast.Import, ast.ImportFrom))]
                if any((isinstance(n, ast.ImportFrom) and (n.module or "").startswith("kb")) or
                       (isinstance(n, ast.Import) and any(a.name.startswith("kb") for a in n.names)) for n in inner):
                    bad.append(m)
    assert bad == []

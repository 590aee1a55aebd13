"""The shape of the code: no import cycles, the core never reaches up, no module too long."""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("shared", "functions", "infra")
# Length counts everywhere Python is written, the tests' scaffolding included.
WRITTEN = (*PACKAGES, "tests", "localstack")
LONGEST_MODULE = 600


def modules() -> dict[str, Path]:
    """Every module of the product by dotted name (migrations' versions aside)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations/versions" in path.as_posix():
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports(path: Path, known: set[str]) -> Iterator[str]:
    """The product modules `path` imports (also under TYPE_CHECKING: a cycle all the same)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        yield from (name for name in names if name in known)


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: set(imports(path, set(found))) - {name} for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_no_module_imports_itself_back() -> None:
    assert cycles(graph()) == []


def test_no_package_imports_itself_back() -> None:
    edges: dict[str, set[str]] = {}
    for source, targets in graph().items():
        edges.setdefault(package_of(source), set()).update(
            package_of(target) for target in targets if package_of(target) != package_of(source)
        )
    assert cycles(edges) == []


def test_the_core_never_imports_its_entry_points_or_the_local_runner() -> None:
    upward = [
        f"{source} -> {target}"
        for source, targets in graph().items()
        if source.startswith("shared")
        for target in targets
        if not target.startswith("shared")
    ]
    assert upward == []


@pytest.mark.parametrize("folder", WRITTEN)
def test_no_module_is_longer_than_a_reader_can_hold(folder: str) -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / folder).rglob("*.py")
        if "migrations/versions" not in path.as_posix()
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE
    }
    assert long == {}


def test_the_checks_see_a_cycle_when_there_is_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]

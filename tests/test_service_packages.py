"""The service packages keep the map in `workstation/services/__init__.py`: one way, no circle, no reflex."""

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parent.parent / "workstation" / "services"

ALLOWED = {
    "common": set(),
    "staff": {"common"},
    "messaging": {"common", "staff"},
    "backoffice": {"common", "staff"},
    "pickup": {"backoffice", "common", "messaging", "staff"},
    "queue": {"common", "staff"},
    "metrics": {"booking", "common"},
    "privacy": set(),
    "briefing": {"common", "metrics", "staff"},
    "booking": {"common", "staff"},
    "lobby": {"common", "queue", "staff"},
    "city": {"common", "metrics", "staff"},
    "demo": {"backoffice", "booking", "common", "lobby", "metrics", "pickup", "queue", "staff"},
}


def _imports(path: Path) -> set[str]:
    """Fully qualified names a module imports (absolute imports only; the project uses no others)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _package_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in SERVICES.rglob("*.py"):
        parts = path.relative_to(SERVICES).parts
        if len(parts) == 1:
            continue
        used = edges.setdefault(parts[0], set())
        for name in _imports(path):
            if name.startswith("workstation.services."):
                target = name.split(".")[2]
                if target != parts[0]:
                    used.add(target)
    return edges


def test_every_service_module_sits_in_a_domain_package():
    loose = [p.name for p in SERVICES.glob("*.py") if p.name != "__init__.py"]
    assert loose == []
    assert {p.name for p in SERVICES.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(ALLOWED)


def test_packages_import_each_other_only_along_the_map():
    wrong = {pkg: used - ALLOWED[pkg] for pkg, used in _package_edges().items() if used - ALLOWED[pkg]}
    assert wrong == {}


def test_the_map_has_no_circle():
    seen: dict[str, int] = {}

    def visit(pkg: str, path: tuple[str, ...]) -> None:
        assert pkg not in path, f"circle: {' -> '.join((*path, pkg))}"
        for nxt in ALLOWED[pkg]:
            visit(nxt, (*path, pkg))
        seen[pkg] = 1

    for pkg in ALLOWED:
        visit(pkg, ())


def test_services_never_import_reflex():
    offenders = [
        str(p.relative_to(SERVICES))
        for p in SERVICES.rglob("*.py")
        if any(n == "reflex" or n.startswith("reflex.") for n in _imports(p))
    ]
    assert offenders == []

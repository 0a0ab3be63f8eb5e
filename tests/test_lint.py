"""The sources pass the project's linters: ruff for Python, sphinx-lint for reST."""

import subprocess
import sys

from sitebuild import REPO


def run(*command):
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff():
    result = run(sys.executable, "-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_sphinx_lint():
    result = run(sys.executable, "-m", "sphinxlint", "index.rst", "beginner/pytorch_with_examples.rst",
                 "beginner_source")
    assert result.returncode == 0, result.stdout + result.stderr


def _imports_of_sphinxext() -> dict[str, set[str]]:
    """Each module of sphinxext/ and the modules of sphinxext/ it imports, anywhere in it."""
    import ast

    root = REPO / "sphinxext"
    modules = {}
    for path in root.rglob("*.py"):
        name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sphinxext."):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    found.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.startswith("sphinxext."))
        graph[name] = {module for module in found if module in modules and module != name}
    return graph


def test_sphinxext_has_no_import_cycle_and_core_imports_no_part():
    """Imports go down: no module reaches itself, even through an import inside a function."""
    graph = _imports_of_sphinxext()
    assert "sphinxext.tutorial.includenodoc" in graph and graph["sphinxext.tutorial.includenodoc"]

    def reachable(start):
        seen, todo = set(), [start]
        while todo:
            for module in graph[todo.pop()]:
                if module not in seen:
                    seen.add(module)
                    todo.append(module)
        return seen

    cycles = {name: sorted(m for m in graph[name] if name in reachable(m)) for name in graph if name in reachable(name)}
    assert cycles == {}, f"import cycles (module: the imports that lead back to it): {cycles}"
    core = {name: sorted(m for m in deps if not m.startswith("sphinxext.core."))
            for name, deps in graph.items() if name.startswith("sphinxext.core.")}
    assert all(not deps for deps in core.values()), f"core/ imports a part: {core}"


def test_nothing_sets_sys_path():
    """The extensions are an installed package, the tools on pytest's pythonpath: no path set by hand."""
    tracked = run("git", "ls-files", "-z", "*.py").stdout.split("\0")[:-1]
    calls = [f"sys.path.{verb}(" for verb in ("insert", "append", "extend")]
    setting = [name for name in tracked
               if any(call in (REPO / name).read_text(encoding="utf-8") for call in calls)]
    assert tracked and setting == [], setting

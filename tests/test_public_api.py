"""The package's public surface: ``__all__`` in every module, ``py.typed``, and ``mypy --strict``
clean on the query layer (run here, so that the test command runs it)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import iapontology

PACKAGE = Path(iapontology.__file__).parent
ROOT = PACKAGE.parent

#: The modules held to ``mypy --strict`` (the query layer and what it builds on).
STRICT_MODULES = ("rdf/graph", "rdf/answers", "rdf/query_text", "sparql/named", "rdf/rqfile",
                  "sparql/results", "sparql/terms", "identifiers", "rdf/relation_graph",
                  "rdf/oxstore", "rdf/shipped", "__init__")


def _modules() -> list[str]:
    """Every module of the package, as a path relative to it without ``.py``."""
    return sorted(str(p.relative_to(PACKAGE).with_suffix("")) for p in PACKAGE.rglob("*.py")
                  if p.stem != "__main__")


@pytest.mark.parametrize("name", _modules())
def test_every_module_declares_all_and_every_name_exists(name: str) -> None:
    parts = [part for part in name.split("/") if part != "__init__"]
    dotted = ".".join(["iapontology", *parts])
    source = (PACKAGE / f"{name}.py").read_text(encoding="utf-8")
    declared = [node for node in ast.parse(source).body
                if (isinstance(node, ast.Assign)
                    and any(getattr(t, "id", None) == "__all__" for t in node.targets))
                or (isinstance(node, ast.AnnAssign)
                    and getattr(node.target, "id", None) == "__all__")]
    assert len(declared) == 1, f"{dotted} declares __all__ {len(declared)} times"
    module = importlib.import_module(dotted)
    exported = module.__all__
    assert len(exported) == len(set(exported)), f"{dotted}: a name is listed twice"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{dotted}.__all__ lists names it lacks: {missing}"


def test_the_package_says_it_is_typed() -> None:
    assert (PACKAGE / "py.typed").is_file()


def test_query_layer_is_mypy_strict_clean() -> None:
    files = [str(PACKAGE / f"{m}.py") for m in STRICT_MODULES]
    run = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                          "--cache-dir", "/dev/null", *files],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_package_imports_its_public_names_on_first_use() -> None:
    """``import iapontology`` (and the ``iapo`` command's module) import no rdflib; each
    public name is the function or class of its home module once asked for."""
    probe = ("import sys, iapontology, iapontology.cli\n"
             "print('rdflib' in sys.modules)\n"
             "from iapontology.rdf.graph import graph, query\n"
             "from iapontology.sparql.named import run\n"
             "print(iapontology.graph is graph, iapontology.query is query, "
             "iapontology.run is run)\n"
             "print(sorted(set(iapontology.__all__) - set(dir(iapontology))))\n"
             "print(iapontology.vocab.compress('https://w3id.org/iapo/IAPO_1'))\n"
             "try:\n    iapontology.nothing_here\nexcept AttributeError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.splitlines()
    assert out == ["False", "True True True", "[]", "IAPO:1",
                   "module 'iapontology' has no attribute 'nothing_here'"]

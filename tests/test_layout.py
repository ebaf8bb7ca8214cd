"""The package's layout shows the pipeline: one subpackage per stage, and imports that only
run downward (tables -> build -> query -> serving and docs -> command line)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "iapontology"
# Each stage's rank: a module may import its own stage, or a stage of lower rank. Stages of
# equal rank (build and sparql; serve and sphinx) may not import each other.
RANKS = {"paths": 0, "identifiers": 0, "vocab": 0, "rdf": 1, "knowledge": 2, "build": 3,
         "sparql": 3, "serve": 4, "sphinx": 4, "cli": 5}
STAGES = ("rdf", "knowledge", "build", "sparql", "serve", "sphinx")


def stage_of(module: str) -> str:
    """``iapontology.build.pipeline`` -> ``build``; ``iapontology.paths`` -> ``paths``."""
    return module.split(".")[1]


def imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, imported names) of every ``iapontology`` import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "iapontology" or node.module.startswith("iapontology."):
                found.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names
                      if a.name.startswith("iapontology.")]
    return found


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")


def test_every_module_belongs_to_a_stage() -> None:
    unknown = [p for p in modules()
               if (p.relative_to(PACKAGE).parts[0].removesuffix(".py")) not in RANKS]
    assert unknown == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_run_downward(path: Path) -> None:
    own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    wrong = []
    for line, module, names in imports(path):
        if module == "iapontology":  # the version number, or a bottom-layer module
            targets = [name for name in names if name != "__version__"]
            if any(name not in RANKS for name in targets):
                wrong.append(f"{line}: from iapontology import {', '.join(names)}")
                continue
        else:
            targets = [stage_of(module)]
        for target in targets:
            bottom = RANKS[target] == RANKS[own] == 0  # paths, vocab, identifiers
            if target != own and not bottom and RANKS[target] >= RANKS[own]:
                wrong.append(f"{line}: {module} (stage {target}) from stage {own}")
    assert wrong == [], f"{path.relative_to(PACKAGE)} imports upward or sideways: {wrong}"


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_its_job_and_what_it_may_import(stage: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text("utf-8")))
    assert doc and "May import" in doc, f"iapontology/{stage}/__init__.py"


def test_no_module_shadows_a_public_function() -> None:
    import iapontology

    public = set(iapontology.__all__)
    top_level = {p.stem for p in PACKAGE.glob("*.py")} | {p.name for p in PACKAGE.iterdir()
                                                           if p.is_dir()}
    assert public & top_level == set()
    for name in public - {"__version__"}:
        assert not isinstance(getattr(iapontology, name), type(iapontology)), name

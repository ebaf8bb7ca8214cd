"""The documentation site: built with -W, a page per term, links resolve, pages render."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, URIRef

from iapontology.graph import graph
from iapontology.sphinx import TERM_TYPES, page_name

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "_build" / "screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(ROOT / "docs"), str(out)],
        capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return out


def ontology_terms() -> set[str]:
    g = graph()
    return {str(s) for kind in TERM_TYPES for s in g.subjects(RDF.type, kind)
            if isinstance(s, URIRef)}


def test_every_term_has_a_page(site: Path) -> None:
    terms = ontology_terms()
    pages = {p.stem for p in (site / "generated" / "terms").glob("*.html")} - {"index"}
    assert pages == {page_name(t) for t in terms}
    assert len(pages) == len(terms)


def test_term_page_shows_definition_sources_and_links(site: Path) -> None:
    html = (site / "generated" / "terms" / "IAPO_0000104.html").read_text(encoding="utf-8")
    assert "X-linked human inhibitor of apoptosis protein" in html
    assert "https://pubmed.ncbi.nlm.nih.gov/9230442/" in html
    assert "https://www.uniprot.org/uniprotkb/P98170" in html
    assert "<svg" in html or ".svg" in html  # the neighbourhood diagram


def test_cookbook_tables_are_computed(site: Path) -> None:
    html = (site / "generated" / "cookbook.html").read_text(encoding="utf-8")
    assert "iaps_inhibiting_caspase" in html and "agents_in_phase_3" in html
    assert "xevinapant" in html and "row(s)" in html


def test_internal_links_resolve(site: Path) -> None:
    broken = []
    for page in site.rglob("*.html"):
        for target in re.findall(r'href="([^"#:?]+\.html)(?:#[^"]*)?"',
                                 page.read_text(encoding="utf-8")):
            if not (page.parent / target).resolve().exists():
                broken.append(f"{page.relative_to(site)} -> {target}")
    assert broken == []


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Debian's chromium is not installed (scripts/system-deps.sh installs it)")
    return path


def browser(*args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             "--user-data-dir=" + str(SHOTS / "profile")]
    return subprocess.run([chromium(), *flags, *args], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize(
    ("page", "expected"),
    [("index.html", "The biology in plain words"),
     ("generated/terms/IAPO_0000104.html", "XIAP"),
     ("generated/cookbook.html", "Query cookbook")],
)
def test_pages_render_in_chromium(site: Path, page: str, expected: str) -> None:
    from PIL import Image

    SHOTS.mkdir(parents=True, exist_ok=True)
    url = (site / page).as_uri()
    dom = browser("--dump-dom", url).stdout
    assert expected in dom
    shot = SHOTS / (page.replace("/", "_").removesuffix(".html") + ".png")
    browser("--window-size=1280,1400", f"--screenshot={shot}", url)
    image = Image.open(shot).convert("L")
    low, high = image.getextrema()
    assert high - low > 100, f"{shot} looks blank"

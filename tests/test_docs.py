"""The documentation site: built with -W, a page per term, evidence on every relation,
"why?" pages, tables that filter and download, legible diagrams, and pages that fit the
screen at 1280 px and 400 px in headless Chromium."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import pytest
from rdflib import RDF, URIRef

from iapontology.identifiers import xref_url
from iapontology.paths import bundled_ontology_dir
from iapontology.rdf.graph import graph
from iapontology.sphinx import TERM_TYPES, page_name
from iapontology.sphinx.diagrams import load_panels, pathway_page
from iapontology.sphinx.site import Site
from tests import browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "_build" / "screenshots"
XIAP, CIAP1 = "IAPO_0000104", "IAPO_0000102"
BIRINAPANT = "IAPO_0000701"
XIAP_OVARIAN_CISPLATIN = "IAPO_1000001"


def ontology_terms() -> set[str]:
    g = graph()
    return {str(s) for kind in TERM_TYPES for s in g.subjects(RDF.type, kind)
            if isinstance(s, URIRef)}


def text_of(html: str) -> str:
    """The visible text of a page: inline tags dropped, others made spaces, spaces folded."""
    inline = re.sub(r"</?(?:a|span|em|strong|code)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split())


def test_every_term_has_a_page(docs_site: Path) -> None:
    terms = ontology_terms()
    pages = {p.stem for p in (docs_site / "generated" / "terms").glob("*.html")} - {"index"}
    assert pages == {page_name(t) for t in terms}


def test_term_page_shows_evidence_for_each_relation(docs_site: Path) -> None:
    html = (docs_site / "generated" / "terms" / f"{XIAP}.html").read_text(encoding="utf-8")
    text = text_of(html)
    assert "X-linked human inhibitor of apoptosis protein" in html
    assert "https://www.uniprot.org/uniprotkb/P98170" in html
    assert "has domain exactly 3 BIR domain" in text  # the cardinality, not just the target
    # the caspase-9 inhibition with its source link and its note
    assert ("directly negatively regulates activity of some caspase-9 (through XIAP BIR3 "
            "domain; direct inhibition: BIR3 holds caspase-9 as an inactive monomer) "
            "[PMID:12620238]") in text
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12620238/"' in html
    assert "Agents that act on it, by furthest clinical phase" in text
    assert "Findings on treatment response" in text and "why?" in text
    assert "<svg" in html  # the neighbourhood diagram, inline


def test_agent_page_shows_targets_trials_and_outcomes(docs_site: Path) -> None:
    html = (docs_site / "generated" / "terms" / f"{BIRINAPANT}.html").read_text(
        encoding="utf-8")
    text = text_of(html)
    assert "Clinical trials" in text and "NCT01681368" in text
    assert 'href="https://clinicaltrials.gov/study/NCT01681368"' in html
    assert "no clinical benefit despite cIAP1 target engagement" in text  # the outcome


def test_why_page_walks_from_iap_to_treatment(docs_site: Path) -> None:
    page = docs_site / "generated" / "why" / f"{XIAP_OVARIAN_CISPLATIN}.html"
    text = text_of(page.read_text(encoding="utf-8"))
    for heading in ("What the treatment needs", "What the IAP can do", "Step by step"):
        assert heading in text
    assert "cisplatin" in text and "triggers apoptosis" in text
    assert "XIAP capable of some caspase inhibition by an IAP" in text
    assert re.search(r"caspase-9 .*\[PMID:12620238\] then participates in some intrinsic "
                     r"apoptotic signaling pathway (\([^)]*\) )?\[PMID:10929711\]", text)


def test_every_finding_has_a_why_page(docs_site: Path) -> None:
    site = Site(graph(), docs_site / "unused")
    findings = [r for r in site.records.values() if r.kind.endswith("IAPO_0000450")]
    pages = {p.stem for p in (docs_site / "generated" / "why").glob("*.html")} - {"index"}
    assert pages == {page_name(r.iri) for r in findings}


@pytest.mark.parametrize("table", ["agents", "trials", "findings", "biomarkers"])
def test_tables_download_as_csv_with_every_row(docs_site: Path, table: str) -> None:
    html = (docs_site / "generated" / f"{table}.html").read_text(encoding="utf-8")
    link = re.search(rf'href="(\.\./_downloads/[0-9a-f]+/{table}\.csv)"', html)
    assert link, f"no CSV download link on {table}.html"
    rows = list(csv.reader(io.StringIO((docs_site / "generated" / link.group(1))
                                       .read_text(encoding="utf-8"))))
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert len(rows) - 1 == body.count("<tr") > 0
    assert 'class="data-table' in html or "data-table" in html


def test_registry_numbers_and_sources_are_links(docs_site: Path) -> None:
    site = Site(graph(), docs_site / "unused")
    html = (docs_site / "generated" / "trials.html").read_text(encoding="utf-8")
    for record in site.records.values():
        for identifier in record.xrefs + record.sources:
            url = xref_url(identifier)
            assert url, f"{identifier} (on {record.iri}) has no link"
            if record.kind.endswith("IAPO_0000470"):
                assert f'href="{url}"' in html.replace("&amp;", "&")


def test_downloads_page_lists_every_release_file(docs_site: Path) -> None:
    text = text_of((docs_site / "generated" / "downloads.html").read_text(encoding="utf-8"))
    for path in sorted(bundled_ontology_dir().glob("iapo*")):
        assert path.name in text
        assert hashlib.sha256(path.read_bytes()).hexdigest() in text
    for section in ("How to load them", "How to cite", "Licence", "Contact", "Protégé",
                    "pronto", "OAK", "rdflib", "doi:10.3389/fphar.2025.1562167"):
        assert section in text


def test_pathway_panels_show_every_iap(tmp_path: Path) -> None:
    site = Site(graph(), tmp_path)
    _, shown = pathway_page(site, load_panels())
    assert shown and all(shown.values()), {k: v for k, v in shown.items() if not v}


def test_cookbook_tables_are_computed(docs_site: Path) -> None:
    html = (docs_site / "generated" / "cookbook.html").read_text(encoding="utf-8")
    assert "iaps_inhibiting_caspase" in html and "agents_in_phase_3" in html
    assert "xevinapant" in html and "row(s)" in html


def test_internal_links_resolve(docs_site: Path) -> None:
    broken = []
    for page in docs_site.rglob("*.html"):
        for target in re.findall(r'(?:href|xlink:href)="([^"#:?]+\.(?:html|csv|svg))(?:#[^"]*)?"',
                                 page.read_text(encoding="utf-8")):
            if not (page.parent / target).resolve().exists():
                broken.append(f"{page.relative_to(docs_site)} -> {target}")
    assert broken == []


PAGES = {
    "term": f"generated/terms/{XIAP}.html",
    "agent": f"generated/terms/{BIRINAPANT}.html",
    "why": f"generated/why/{XIAP_OVARIAN_CISPLATIN}.html",
    "findings": "generated/findings.html",
    "pathway": "generated/pathway.html",
}


@pytest.mark.parametrize("width", [1280, 400])
@pytest.mark.parametrize("kind", list(PAGES))
def test_pages_fit_the_screen_in_chromium(docs_site: Path, tmp_path: Path, kind: str,
                                          width: int) -> None:
    report = browser.measure(docs_site / PAGES[kind], width, tmp_path / "profile",
                             type_filter="XIAP cisplatin" if kind == "findings" else "")
    assert report["innerWidth"] == width  # the probe really ran at this width
    assert report["scrollWidth"] <= width, report
    assert report["wideElements"] == [], report
    if kind in ("term", "agent", "pathway"):
        assert report["diagramTexts"] > 0 and report["minTextPx"] >= 10, report
    if kind == "findings":
        assert report["filterBox"]
        assert 0 < report["rowsAfter"] < report["rowsBefore"], report


@pytest.mark.parametrize("kind", ["term", "why", "pathway"])
def test_screenshots_are_not_blank(docs_site: Path, tmp_path: Path, kind: str) -> None:
    from PIL import Image

    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{kind}.png"
    browser.run(["--window-size=1280,1400", f"--screenshot={shot}",
                 (docs_site / PAGES[kind]).as_uri()], tmp_path / "profile")
    low, high = Image.open(shot).convert("L").getextrema()
    assert high - low > 100, f"{shot} looks blank"

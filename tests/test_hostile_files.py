"""Hostile input files are refused whole, in any encoding, before any parser or Java sees them.

Each case of issue 11 ("Hostile files") is generated here in a temporary folder: a
billion-laughs DTD after a 1 MiB comment, a UTF-16 file with a DOCTYPE, 4.8 MB of nesting,
a 200 MB comment that never ends, plus generated variants (encodings x byte order mark x
declaration x placement). Each must be refused with a clear ``file:line:column`` message,
nothing written, and neither rdflib/Oxigraph nor Java (the OWL API, HermiT) called. How the
time grows with the size is measured in ``benchmarks/hostile_files.py``, not here.
"""

from __future__ import annotations

import itertools
import os
import random
import stat
import xml.parsers.expat
from pathlib import Path

import pytest
import rdflib

import iapontology as iapo
from iapontology.build import reasoner
from iapontology.cli import main
from iapontology.paths import QUERY_GRAPH_FILE
from iapontology.rdf import xmlguard
from iapontology.rdf.graph import load_graph
from iapontology.rdf.safety import RefusedInput
from iapontology.rdf.xmlguard import FileLimits, scan_xml
from tests.hostile import (
    ENCODINGS,
    PAYLOADS,
    RDF_BODY,
    RDF_CLOSE,
    RDF_OPEN,
    billion_laughs_after_comment,
    deep_nesting,
    document,
    encode,
    giant_comment,
)

DTD_REFUSAL = "declaration"


@pytest.fixture()
def spies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Record every rdflib parse and every start of ``java``/``javac`` (a PATH shim that fails)."""
    shims = tmp_path / "shims"
    shims.mkdir()
    log = tmp_path / "java-calls.log"
    for tool in ("java", "javac"):
        shim = shims / tool
        shim.write_text(f'#!/bin/sh\necho "{tool} $*" >> {log}\necho "shim {tool}" >&2\n'
                        "exit 1\n", encoding="utf-8")
        shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{shims}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    parsed: list[str] = []
    real_parse = rdflib.Graph.parse

    def recording_parse(self, source=None, *args, **kwargs):
        parsed.append(str(source if source is not None else kwargs.get("data", ""))[:200])
        return real_parse(self, source, *args, **kwargs)

    monkeypatch.setattr(rdflib.Graph, "parse", recording_parse)
    reasoned: list[list[str]] = []
    real_session = reasoner._run_in_own_session

    def recording_session(command, *args, **kwargs):
        reasoned.append(command)
        return real_session(command, *args, **kwargs)

    monkeypatch.setattr(reasoner, "_run_in_own_session", recording_session)
    return {"parsed": parsed, "java_log": log, "owlready2": reasoned}


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def parsed_besides_the_shipped_graph(spies: dict) -> list[str]:
    """What rdflib parsed, less the package's own query graph (``graph(path)`` loads it)."""
    return [source for source in spies["parsed"] if QUERY_GRAPH_FILE not in source]


def assert_refused_everywhere(path: Path, reason: str, spies: dict,
                              capsys: pytest.CaptureFixture[str]) -> None:
    """``iapo check``, ``iapo diff`` and ``graph(path)`` refuse ``path``; no parser ran."""
    folder = path.parent
    before = listing(folder)
    for argv in (["check", str(path)], ["diff", str(path), str(path)]):
        assert main(argv) == 2, argv
        out, err = capsys.readouterr()
        assert out == ""
        assert err.count("\n") == 1 and err.startswith(f"iapo: error: {path}:"), err
        assert reason in err, err
    with pytest.raises(RefusedInput, match=reason):
        iapo.graph(path)
    assert parsed_besides_the_shipped_graph(spies) == [], "rdflib/Oxigraph got a refused file"
    assert not spies["java_log"].exists(), "Java was started for a refused file"
    assert spies["owlready2"] == [], "Owlready2 (HermiT) was given a refused file"
    assert listing(folder) == before, "something was written"


def test_the_spies_see_an_accepted_file(tmp_path: Path, spies: dict,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    # the control: a harmless file reaches rdflib and then Java (whose shim fails: exit 2)
    path = tmp_path / "fine.owl"
    path.write_bytes(encode(document("", "prolog"), "utf-8", False, True))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("iapo: error:")]
    assert len(errors) == 1 and "shim javac" in errors[0] and "Traceback" not in err, err
    assert spies["parsed"] and spies["java_log"].exists()
    assert main(["check", "--no-owlapi", str(path)]) == 2  # HermiT's child runs the fake java
    assert "shim java" in capsys.readouterr().err and spies["owlready2"]


def test_billion_laughs_after_a_1_mib_comment(tmp_path: Path, spies: dict,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = billion_laughs_after_comment(tmp_path / "laughs.owl", 1 << 20)
    assert_refused_everywhere(path, "entity declaration", spies, capsys)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("bom", [True, False])
def test_utf16_file_with_a_doctype(tmp_path: Path, spies: dict, codec: str, bom: bool,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "utf16.owl"
    path.write_bytes(encode(document(PAYLOADS["laughs"], "prolog"), codec, bom, True))
    assert_refused_everywhere(path, "entity declaration", spies, capsys)


def test_deep_nesting_of_4_8_mb(tmp_path: Path, spies: dict,
                                capsys: pytest.CaptureFixture[str]) -> None:
    path = deep_nesting(tmp_path / "deep.owl", 370_000)
    assert path.stat().st_size > 4_800_000
    assert_refused_everywhere(path, "nested deeper than 1000", spies, capsys)


def test_unterminated_comment_of_200_mb(tmp_path: Path, spies: dict,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = giant_comment(tmp_path / "comment.owl", 200 * 10**6, closed=False)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == f"iapo: error: {path}:4:1: the comment opened at 3:1 is never closed\n"
    path.unlink()  # pytest keeps the last few temporary folders: do not leave 200 MB there
    assert parsed_besides_the_shipped_graph(spies) == [] and not spies["java_log"].exists()
    assert spies["owlready2"] == []


def test_size_limit_is_configurable(tmp_path: Path, spies: dict,
                                    monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "small.owl"
    path.write_bytes(encode(document("", "prolog"), "utf-8", False, True))
    size = path.stat().st_size
    assert main(["check", "--max-file-bytes", str(size - 1), str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{size} bytes is over the input size limit" in err
    monkeypatch.setenv("IAPO_MAX_FILE_BYTES", str(size - 1))
    with pytest.raises(RefusedInput, match=f"{size} bytes is over the input size limit"):
        load_graph([path])
    monkeypatch.setenv("IAPO_MAX_FILE_BYTES", "lots")
    with pytest.raises(RefusedInput, match="IAPO_MAX_FILE_BYTES must be a whole number"):
        load_graph([path])
    assert spies["parsed"] == []
    assert scan_xml(path, FileLimits(max_bytes=size)).elements == 3


PLACEMENTS = ["prolog", "after-comment", "in-comment", "in-body"]
#: UTF-16 and UTF-32 need a byte order mark or an XML declaration to be XML at all.
VARIANTS = [v for v in itertools.product(sorted(ENCODINGS), [True, False], [True, False],
                                         PLACEMENTS, sorted(PAYLOADS))
            if v[0] == "utf-8" or v[1] or v[2]]


def _variant_bytes(codec: str, bom: bool, declare: bool, placement: str, payload: str,
                   before: int | None = None) -> bytes:
    """The variant's bytes; with ``before``, the payload after a comment starts ``before``
    characters ahead of the scanner's 1 MiB block boundary, so that it is split."""
    data = encode(document(payload, placement, 100), codec, bom, declare)
    if before is None:
        return data
    unit = len("<".encode(codec))
    mark = len(ENCODINGS[codec][0]) if bom else 0
    start = data.find(payload[:9].encode(codec), mark)
    pad = 100 + (mark + (1 << 20) - before * unit - start) // unit
    data = encode(document(payload, placement, pad), codec, bom, declare)
    assert data.find(payload[:9].encode(codec), mark) == mark + (1 << 20) - before * unit
    return data


@pytest.mark.parametrize(("codec", "bom", "declare", "placement", "payload"), VARIANTS)
def test_generated_variants_are_refused(tmp_path: Path, codec: str, bom: bool, declare: bool,
                                        placement: str, payload: str) -> None:
    path = tmp_path / "variant.owl"
    path.write_bytes(_variant_bytes(codec, bom, declare, placement, PAYLOADS[payload]))
    with pytest.raises(RefusedInput, match=DTD_REFUSAL) as refused:
        scan_xml(path)
    assert str(refused.value).startswith(f"{path}:")


@pytest.mark.parametrize("before", [1, 2, 5, 8, 9, 10, 17])
@pytest.mark.parametrize("codec", sorted(ENCODINGS))
def test_declarations_split_across_blocks_are_refused(tmp_path: Path, codec: str,
                                                      before: int) -> None:
    path = tmp_path / "split.owl"
    path.write_bytes(_variant_bytes(codec, True, True, "after-comment", PAYLOADS["laughs"],
                                    before))
    with pytest.raises(RefusedInput, match=DTD_REFUSAL):
        scan_xml(path)


@pytest.mark.parametrize(("codec", "bom", "declare"),
                         [(c, b, d) for c in sorted(ENCODINGS) for b in (True, False)
                          for d in (True, False) if c == "utf-8" or b or d])
def test_the_same_files_without_a_dtd_load_in_every_encoding(tmp_path: Path, codec: str,
                                                             bom: bool, declare: bool) -> None:
    path = tmp_path / "clean.owl"
    path.write_bytes(encode(document("", "after-comment", 5), codec, bom, declare))
    scan = scan_xml(path)
    assert scan.encoding == codec and scan.elements == 3
    loaded = load_graph([path], relation_view=False)
    value = loaded.value(rdflib.URIRef("http://example.org/s"),
                         rdflib.URIRef("http://example.org/p"))
    assert str(value) == "caf\u00e9 \u2014 \U0001f9ec"


@pytest.mark.parametrize(("data", "reason"), [
    (b'<?xml version="1.0" encoding="UTF-16"?><r/>', "says 'UTF-16'"),
    (b'\xff\xfe' + '<?xml version="1.0" encoding="UTF-8"?><r/>'.encode("utf-16-le"),
     "says 'UTF-8'"),
    (b'\xfe\xff' + '<?xml version="1.0" encoding="UTF-16LE"?><r/>'.encode("utf-16-be"),
     "byte order"),
    (b'<?xml version="1.0" encoding="UTF-7"?><r/>', "not supported"),
    (b'<?xml version="1.0" encoding="EBCDIC-CP-US"?><r/>', "not supported"),
    (b"\x4c\x6f\xa7\x94\x93\x40", "EBCDIC"),
    (b'<?xml version="1.1"?><r/>', "XML version '1.1'"),
    (b"<r>\xff</r>", "not valid UTF-8"),
    ("<r>\u0000</r>".encode(), "U+0000"),
    ("<r/>".encode("utf-16-le"), "U+0000"),  # UTF-16 with neither mark nor declaration
    (b"<r><!-- never closed </r>", "comment opened at 1:4 is never closed"),
    (b"<r><![CDATA[ never closed </r>", "CDATA section opened at 1:4 is never closed"),
    (b"<r><?pi never closed </r>", "processing instruction opened at 1:4 is never closed"),
    (b'<r a="never closed', "tag opened at 1:1 is never closed"),
    (b"<r>\n <a>\n </b>\n</r>", "3:2: the end tag </b> does not match <a> (opened at 2:2)"),
    (b"<r><a></r>", "does not match <a>"),
    (b"<r/><r/>", "second root element"),
    (b"<r/></r>", "no open element"),
    (b"<r>\n<a>", "element <a> opened at 2:1 is never closed"),
    (b"", "no root element"),
    (b"<r> a < b </r>", "does not start a tag"),
    (b'<r a="<"/>', "'<' in an attribute value"),
    (b"<r><?xml version='1.0'?></r>", "not at the start"),
    (b"<r><!ELEMENT r ANY></r>", "markup declaration"),
    (b"<r><!-- <!DOCTYPE r> --></r>", "document type declaration"),
])
def test_malformed_and_odd_files_are_refused_with_a_position(tmp_path: Path, data: bytes,
                                                             reason: str) -> None:
    path = tmp_path / "odd.owl"
    path.write_bytes(data)
    with pytest.raises(RefusedInput) as refused:
        scan_xml(path)
    assert reason in str(refused.value)
    assert str(refused.value).startswith(f"{path}:")


# --- the guard never refuses what an XML parser accepts -------------------------------------

WELL_FORMED = [
    RDF_OPEN + RDF_BODY + RDF_CLOSE,
    '<r a=">" b=\'/\' c="x/>y"/>',
    "<r><a x='1'/><b></b ><c\n/></r>",
    "<r><![CDATA[ <not> a tag ]] > ]]></r>",
    "<r><!-- <a> - no, still a comment --></r>",
    "<?xml-stylesheet href='a.xsl'?><r><?pi data > ? ?></r>",
    "<r>\u00e9\u4e2d\U0001f9ec &amp; &#60; &#x3C;</r>",
    "<\u00e9l\u00e9ment attr\u00e9='v'>text</\u00e9l\u00e9ment>",
    "<r>" + "<a>" * 999 + "</a>" * 999 + "</r>",
    "<r>" + "<a b='" + "x" * 3_000_000 + "'/>" + "</r>",
    "<!--" + "c" * 2_500_000 + "--><r/>",
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<r>\r\n</r>\r\n',
]


def expat_accepts(data: bytes) -> bool:
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        return False
    return True


@pytest.mark.parametrize("text", WELL_FORMED, ids=range(len(WELL_FORMED)))
def test_well_formed_documents_pass(tmp_path: Path, text: str) -> None:
    data = text.encode("utf-8")
    assert expat_accepts(data)
    path = tmp_path / "ok.xml"
    path.write_bytes(data)
    scan_xml(path)


def test_every_truncation_is_judged_as_expat_judges_it(tmp_path: Path) -> None:
    # every prefix of a document with every kind of markup: the guard accepts exactly the
    # prefixes expat accepts (only the complete document)
    text = (b'<?xml version="1.0"?>\n<?pi x?><r a="1>" b=\'2\'><!-- c --><a/>'
            b"<b x='/'>t &amp; u<![CDATA[<z>]]></b ></r>\n")
    path = tmp_path / "cut.xml"
    for end in range(len(text) + 1):
        path.write_bytes(text[:end])
        try:
            scan_xml(path)
            guard = True
        except RefusedInput:
            guard = False
        assert guard == expat_accepts(text[:end]), text[:end]


def test_the_built_release_files_pass(fresh_build: Path) -> None:
    owl_files = sorted(fresh_build.glob("*.owl"))
    assert {p.name for p in owl_files} >= {"iapo.owl", "iapo-base.owl"}
    for path in owl_files:
        scan = scan_xml(path)
        assert scan.encoding == "utf-8" and scan.elements > 10_000


# --- the same verdicts whatever the block size: every token cut at every place ------------

def _verdict(path: Path) -> str:
    try:
        scan = scan_xml(path)
    except RefusedInput as refused:
        return str(refused)
    return f"ok {scan.elements} {scan.max_depth}"


def _random_document(rng: random.Random, depth: int = 0) -> str:
    """A random well-formed element: attributes with awkward values, text, references,
    comments, CDATA, processing instructions, self-closing and nested children."""
    name = rng.choice(["a", "rdf:Description", "ex:p", "\u00e9l\u00e9ment", "x-1.y"])
    values = ["", ">", "/", "/>", "it's", 'say "hi"', "a > b / c", "\u4e2d"]
    attributes = ""
    for index in range(rng.randrange(3)):
        value = rng.choice(values)
        quote = "'" if "'" not in value and ('"' in value or rng.random() < 0.5) else '"'
        attributes += f"{rng.choice([' ', chr(10), chr(9) + ' '])}k{index}={quote}{value}{quote}"
    if depth > 4 or rng.random() < 0.25:
        return f"<{name}{attributes}{rng.choice(['', ' '])}/>"
    parts = []
    for _ in range(rng.randrange(4)):
        parts.append(rng.choice([
            "text &amp; more &#60; \u00e9",
            "<!-- a <comment> with > and - -->",
            "<![CDATA[ <raw> & ]] > ]]>",
            "<?target data ? > ?>",
            "\n  ",
        ]) if rng.random() < 0.5 else _random_document(rng, depth + 1))
    return f"<{name}{attributes}>{''.join(parts)}</{name}{rng.choice(['', ' ', chr(10)])}>"


@pytest.fixture()
def block(monkeypatch: pytest.MonkeyPatch):
    """Set the scanner's block size (bytes read at a time)."""
    def set_size(size: int) -> None:
        monkeypatch.setattr(xmlguard, "_CHUNK", size)
    return set_size


def test_random_well_formed_documents_pass_at_every_block_size(tmp_path: Path, block) -> None:
    rng = random.Random(11)
    path = tmp_path / "random.xml"
    for number in range(150):
        text = '<?xml version="1.0"?>\n' * (number % 2) + _random_document(rng)
        data = text.encode("utf-8")
        assert expat_accepts(data), text
        path.write_bytes(data)
        verdicts = set()
        for size in (1, 2, 3, 5, 8, 13, 1 << 20):
            block(size)
            verdicts.add(_verdict(path))
        assert len(verdicts) == 1 and verdicts.pop().startswith("ok"), text


def test_mutated_documents_get_one_verdict_at_every_block_size(tmp_path: Path, block) -> None:
    # broken documents: whatever the guard says, it says it the same way for every block
    # size, and it never refuses what expat accepts
    rng = random.Random(12)
    path = tmp_path / "mutated.xml"
    for _ in range(300):
        text = _random_document(rng)
        at = rng.randrange(len(text) + 1)
        mutated = rng.choice([text[:at] + rng.choice("<>\"'/&!?-[]") + text[at:],
                              text[:at] + text[at + 1:], text[:at]])
        data = mutated.encode("utf-8")
        path.write_bytes(data)
        verdicts = set()
        for size in (1, 3, 7, 1 << 20):
            block(size)
            verdicts.add(_verdict(path))
        assert len(verdicts) == 1, (mutated, verdicts)
        if expat_accepts(data):
            assert verdicts.pop().startswith("ok"), mutated


@pytest.mark.parametrize("text", [t for t in WELL_FORMED if len(t) < 10_000])
def test_well_formed_documents_pass_at_every_block_size(tmp_path: Path, block,
                                                        text: str) -> None:
    path = tmp_path / "ok.xml"
    path.write_bytes(text.encode("utf-8"))
    for size in (1, 2, 3, 4, 7):
        block(size)
        assert _verdict(path).startswith("ok"), size


# --- every failure of every command: one line, exit 2 ----------------------------------------

@pytest.mark.parametrize(("argv", "message"), [
    (["check", "--bogus"], "unrecognized arguments: --bogus"),
    ([], "the following arguments are required: command"),
    (["query", "--format", "xml", "x"], "query: argument --format: invalid choice"),
    (["check", "--max-file-bytes", "0", "x.owl"], "must be positive"),
    (["check", "{tmp}/missing.owl"], "does not exist"),
    (["check", "{tmp}/notes.txt"], "unknown RDF file type '.txt'"),
    (["diff", "{tmp}/laughs.owl", "{tmp}/laughs.owl"], "entity declaration"),
    (["check", "--no-owlapi", "--no-reasoner", "{tmp}/cut.owl"], "is never closed"),
    (["build", "--out", "{tmp}/notes.txt"], "is not a folder; nothing was written"),
    (["query", "--file", "{tmp}/missing.rq"], "No such file"),
])
def test_every_failure_is_one_line_and_exit_2(tmp_path: Path, argv: list[str], message: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("notes\n", encoding="utf-8")
    (tmp_path / "laughs.owl").write_bytes(encode(document(PAYLOADS["laughs"], "prolog"),
                                                 "utf-8", False, True))
    (tmp_path / "cut.owl").write_bytes(encode(document("", "prolog"), "utf-8", False, True)[:-30])
    before = listing(tmp_path)
    try:
        code = main([arg.replace("{tmp}", str(tmp_path)) for arg in argv])
    except SystemExit as exited:  # argparse's usage errors, reported by iapo's own parser
        code = exited.code
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == "" and err.count("\n") == 1 and err.startswith("iapo: error: "), err
    assert message in err, err
    assert listing(tmp_path) == before


def test_latin1_and_ascii_files_are_read_in_their_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin1.owl"
    text = document("", "prolog").replace(RDF_BODY, RDF_BODY.replace(
        " \u2014 \U0001f9ec", ""))
    path.write_bytes(text.replace("{encoding}", "ISO-8859-1").encode("latin-1"))
    assert scan_xml(path).encoding == "latin-1"
    loaded = load_graph([path], relation_view=False)
    assert "caf\u00e9" in {str(o) for o in loaded.objects()}
    path.write_bytes(text.replace("{encoding}", "US-ASCII").encode("latin-1"))
    with pytest.raises(RefusedInput, match="not valid ASCII"):
        scan_xml(path)


def test_the_depth_limit_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = deep_nesting(tmp_path / "deep.owl", 40)
    assert scan_xml(path).max_depth == 41
    monkeypatch.setenv("IAPO_MAX_XML_DEPTH", "40")
    with pytest.raises(RefusedInput, match="nested deeper than 40"):
        load_graph([path], relation_view=False)
    assert scan_xml(path, FileLimits(max_depth=41)).max_depth == 41

"""Generators of hostile XML files, shared by the hostile-files tests and the benchmark.

Large files are written in blocks, never built in memory.
"""

from __future__ import annotations

from pathlib import Path

RDF_OPEN = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:ex="http://example.org/">')
RDF_BODY = ('<rdf:Description rdf:about="http://example.org/s">'
            '<ex:p>caf\u00e9 \u2014 \U0001f9ec</ex:p></rdf:Description>')
RDF_CLOSE = "</rdf:RDF>"
#: Ten levels of ten: 10**10 copies of "lol" once expanded.
LAUGHS = ('<!DOCTYPE rdf:RDF [\n <!ENTITY lol "lol">\n'
          + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                    for i in range(1, 10))
          + "]>\n")
_BLOCK = 1 << 20


def billion_laughs_after_comment(path: Path, comment_bytes: int = _BLOCK) -> Path:
    """A billion-laughs DOCTYPE placed after a comment of ``comment_bytes`` (UTF-8)."""
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0"?>\n<!--')
        written = 0
        while written < comment_bytes:
            piece = "x" * min(_BLOCK, comment_bytes - written)
            out.write(piece)
            written += len(piece)
        out.write("-->\n" + LAUGHS + RDF_OPEN
                  + '<rdf:Description rdf:about="http://example.org/s"><ex:p>&lol9;</ex:p>'
                  + "</rdf:Description>" + RDF_CLOSE + "\n")
    return path


def deep_nesting(path: Path, depth: int) -> Path:
    """Property and node elements nested ``depth`` deep (13 bytes a level)."""
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0"?>\n' + RDF_OPEN + "\n")
        for start in range(0, depth, 10_000):
            out.write("<ex:a>" * min(10_000, depth - start))
        for start in range(0, depth, 10_000):
            out.write("</ex:a>" * min(10_000, depth - start))
        out.write(RDF_CLOSE + "\n")
    return path


def giant_comment(path: Path, size: int, closed: bool) -> Path:
    """A document holding one comment of ``size`` bytes, closed or never closed."""
    block = ("giant comment - - " * (_BLOCK // 18 + 1))[:_BLOCK]
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0"?>\n' + RDF_OPEN + "\n<!--")
        written = 0
        while written < size:
            piece = block[: min(_BLOCK, size - written)]
            out.write(piece)
            written += len(piece)
        out.write("-->\n" + RDF_CLOSE + "\n" if closed else "\n")
    return path


#: Python codec -> (byte order mark, name for the XML declaration)
ENCODINGS = {
    "utf-8": (b"\xef\xbb\xbf", "UTF-8"),
    "utf-16-le": (b"\xff\xfe", "UTF-16"),
    "utf-16-be": (b"\xfe\xff", "UTF-16"),
    "utf-32-le": (b"\xff\xfe\x00\x00", "UTF-32"),
    "utf-32-be": (b"\x00\x00\xfe\xff", "UTF-32"),
}
PAYLOADS = {
    "laughs": LAUGHS,
    "xxe": '<!DOCTYPE rdf:RDF [ <!ENTITY s SYSTEM "file:///etc/passwd"> ]>\n',
    "parameter": '<!DOCTYPE r [ <!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p; ]>\n',
    "bare-doctype": "<!DOCTYPE rdf:RDF>\n",
    "lower-case": '<!doctype rdf:RDF [ <!entity a "b"> ]>\n',
}


def document(payload: str, placement: str, pad: int = 0) -> str:
    """An RDF/XML document with ``payload`` (a DTD, or '') placed as ``placement`` says.

    ``prolog``: where a DTD belongs; ``after-comment``: after a comment of ``pad``
    characters (to put it across the scanner's block boundary); ``in-comment``: inside a
    comment; ``in-body``: between two elements.
    """
    declaration = '<?xml version="1.0" encoding="{encoding}"?>\n'
    if placement == "prolog":
        return declaration + payload + RDF_OPEN + RDF_BODY + RDF_CLOSE + "\n"
    if placement == "after-comment":
        return (declaration + "<!--" + "y" * pad + "-->\n" + payload
                + RDF_OPEN + RDF_BODY + RDF_CLOSE + "\n")
    if placement == "in-comment":
        return (declaration + "<!-- " + payload + " -->\n"
                + RDF_OPEN + RDF_BODY + RDF_CLOSE + "\n")
    if placement == "in-body":
        return declaration + RDF_OPEN + RDF_BODY + payload + RDF_BODY + RDF_CLOSE + "\n"
    raise ValueError(placement)


def encode(text: str, codec: str, bom: bool, declare: bool) -> bytes:
    """``text`` in ``codec``, with or without its byte order mark and encoding name."""
    mark, name = ENCODINGS[codec]
    if declare:
        text = text.replace("{encoding}", name)
    else:
        text = text.replace(' encoding="{encoding}"', "")
    return (mark if bom else b"") + text.encode(codec)

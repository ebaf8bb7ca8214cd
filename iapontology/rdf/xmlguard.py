"""Read an XML file once, as an XML parser would, before any parser is given it.

RDF/XML from outside can be hostile: a document type declaration with entities that expand
exponentially ("billion laughs") or read files and URLs (XXE), nesting so deep that parsers
slow down quadratically, a comment that never ends, or an encoding a byte-level check does not
see through. This module decodes the file the way XML 1.0 (appendix F) says a parser must --
byte order mark, then the first four bytes, then the encoding declaration -- and walks the
whole decoded text once, in time linear in its size, refusing:

* any ``<!DOCTYPE`` or other markup declaration (``<!ENTITY``, ...), wherever it is;
* nesting deeper than a limit, and files larger than a limit (:class:`FileLimits`);
* a comment, CDATA section, processing instruction or tag that is never closed, an end tag
  that does not match its start tag, a second root element, characters XML forbids, bytes
  that are not valid in the file's encoding, and encodings other than UTF-8, UTF-16, UTF-32,
  US-ASCII and ISO-8859-1.

This module finds the encoding and applies the limits; :mod:`iapontology.rdf.xmlscan` walks the
text. Every refusal is a :class:`~iapontology.rdf.safety.RefusedInput` whose message starts with
``file:line:column:``. A file that passes is given to Oxigraph as the very text that was
checked, in UTF-8 (:func:`utf8_bytes` transcodes the other encodings).
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path

from iapontology.rdf.safety import RefusedInput
from iapontology.rdf.xmlscan import XmlScanner

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_DEPTH", "FileLimits", "XmlScan", "check_size",
           "detect_encoding", "scan_xml", "utf8_bytes"]

#: Defaults; the environment variables of the same purpose override them.
DEFAULT_MAX_BYTES = 512 * 2**20
DEFAULT_MAX_DEPTH = 1000
_CHUNK = 1 << 20


def _env_int(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise RefusedInput(f"{name} must be a whole number, not {text!r}") from None
    if value <= 0:
        raise RefusedInput(f"{name} must be positive, not {value}")
    return value


@dataclass(frozen=True)
class FileLimits:
    """How large and how deeply nested an input file may be."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH

    @classmethod
    def from_env(cls) -> FileLimits:
        """The limits set by ``IAPO_MAX_FILE_BYTES`` and ``IAPO_MAX_XML_DEPTH`` (or defaults)."""
        return cls(_env_int("IAPO_MAX_FILE_BYTES", DEFAULT_MAX_BYTES),
                   _env_int("IAPO_MAX_XML_DEPTH", DEFAULT_MAX_DEPTH))


@dataclass(frozen=True)
class XmlScan:
    """What the scan found out about a file it accepted."""

    encoding: str  #: the Python codec the text was decoded with
    bom: int  #: length in bytes of the byte order mark (0 if none)
    declared: str | None  #: the encoding named in the XML declaration, if any
    elements: int
    max_depth: int


def check_size(path: Path, limits: FileLimits | None = None) -> int:
    """Refuse a file over the size limit; return its size in bytes."""
    limits = limits or FileLimits.from_env()
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise RefusedInput(
            f"{path}: {size} bytes is over the input size limit of {limits.max_bytes} bytes "
            "(set IAPO_MAX_FILE_BYTES or --max-file-bytes to raise it)")
    return size


# --- encoding, as XML 1.0 appendix F detects it -------------------------------------------

_BOMS = (  # longest first: FF FE 00 00 is UTF-32 LE, not UTF-16 LE
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_SIGNATURES = (  # no byte order mark: "<?" in each encoding
    (b"\x00\x00\x00\x3c", "utf-32-be"),
    (b"\x3c\x00\x00\x00", "utf-32-le"),
    (b"\x00\x3c\x00\x3f", "utf-16-be"),
    (b"\x3c\x00\x3f\x00", "utf-16-le"),
)
_UNSUPPORTED_STARTS = {
    b"\x00\x00\xff\xfe": "UCS-4 in unusual byte order (2143)",
    b"\xfe\xff\x00\x00": "UCS-4 in unusual byte order (3412)",
    b"\x00\x00\x3c\x00": "UCS-4 in unusual byte order (2143)",
    b"\x00\x3c\x00\x00": "UCS-4 in unusual byte order (3412)",
    b"\x4c\x6f\xa7\x94": "EBCDIC",
}
#: Encoding names a declaration may give -> (family, Python codec).
_DECLARED = {
    "utf-8": ("utf-8", "utf-8"), "utf8": ("utf-8", "utf-8"),
    "us-ascii": ("utf-8", "ascii"), "ascii": ("utf-8", "ascii"),
    "iso-8859-1": ("utf-8", "latin-1"), "latin1": ("utf-8", "latin-1"),
    "latin-1": ("utf-8", "latin-1"),
    "utf-16": ("utf-16", None), "utf-16le": ("utf-16", "utf-16-le"),
    "utf-16be": ("utf-16", "utf-16-be"), "iso-10646-ucs-2": ("utf-16", None),
    "utf-32": ("utf-32", None), "utf-32le": ("utf-32", "utf-32-le"),
    "utf-32be": ("utf-32", "utf-32-be"), "iso-10646-ucs-4": ("utf-32", None),
}
_DECLARATION = re.compile(
    r"<\?xml\s+version\s*=\s*(['\"])(?P<version>[^'\"]*)\1"
    r"(?:\s+encoding\s*=\s*(['\"])(?P<encoding>[^'\"]*)\3)?"
    r"(?:\s+standalone\s*=\s*(['\"])(?:yes|no)\5)?\s*\?>")
_DECLARATION_START = re.compile(r"<\?xml[\s?]")


def _family(codec: str) -> str:
    return codec[:6] if codec.startswith(("utf-16", "utf-32")) else "utf-8"


def detect_encoding(path: Path, head: bytes) -> tuple[str, int, str | None]:
    """``(codec, byte-order-mark length, declared name)`` for a file starting with ``head``."""
    bom, codec = 0, "utf-8"
    for mark, name in _BOMS:
        if head.startswith(mark):
            bom, codec = len(mark), name
            break
    else:
        for signature, name in _SIGNATURES:
            if head.startswith(signature):
                codec = name
                break
        else:
            if head[:4] in _UNSUPPORTED_STARTS:
                raise RefusedInput(f"{path}:1:1: the file is in {_UNSUPPORTED_STARTS[head[:4]]},"
                                   " which is not supported: save it as UTF-8")
    unit = 4 if codec.startswith("utf-32") else 2 if codec.startswith("utf-16") else 1
    body = head[bom:]
    body = body[: len(body) - len(body) % unit]
    text = body.decode("latin-1" if unit == 1 else codec, errors="replace")
    if not _DECLARATION_START.match(text):
        return codec, bom, None
    match = _DECLARATION.match(text)
    if match is None:
        raise RefusedInput(f"{path}:1:1: malformed XML declaration")
    if match["version"] != "1.0":
        raise RefusedInput(f"{path}:1:1: XML version {match['version']!r} is not supported "
                           "(RDF/XML is XML 1.0)")
    declared = match["encoding"]
    if declared is None:
        return codec, bom, None
    known = _DECLARED.get(declared.strip().lower())
    if known is None:
        raise RefusedInput(f"{path}:1:1: the encoding {declared!r} is not supported "
                           "(use UTF-8, UTF-16 or UTF-32)")
    family, named_codec = known
    if family != _family(codec):
        raise RefusedInput(f"{path}:1:1: the XML declaration says {declared!r} but the file's "
                           f"first bytes are {codec.upper()}")
    if named_codec is not None and family != "utf-8" and named_codec != codec:
        raise RefusedInput(f"{path}:1:1: the XML declaration says {declared!r} but the byte "
                           f"order is {codec.upper()}")
    if family == "utf-8" and bom == 0:
        codec = named_codec or codec
    elif family == "utf-8" and named_codec != "utf-8":
        raise RefusedInput(f"{path}:1:1: a UTF-8 byte order mark with the encoding {declared!r}")
    return codec, bom, declared


def scan_xml(path: Path, limits: FileLimits | None = None) -> XmlScan:
    """Check an XML file as described in the module docstring; raise ``RefusedInput``."""
    limits = limits or FileLimits.from_env()
    check_size(path, limits)
    with path.open("rb") as handle:
        head = handle.read(512)
        codec, bom, declared = detect_encoding(path, head)
        handle.seek(bom)
        decoder = codecs.getincrementaldecoder(codec)(errors="strict")
        scanner = XmlScanner(path, limits.max_depth)
        offset = bom
        while True:
            chunk = handle.read(_CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                raise RefusedInput(f"{path}: byte {offset + error.start}: not valid "
                                   f"{codec.upper()} ({error.reason})") from None
            offset += len(chunk)
            scanner.feed(text, final=not chunk)
            if not chunk:
                break
    return XmlScan(codec, bom, declared, scanner.elements, scanner.deepest)


def utf8_bytes(path: Path, scan: XmlScan) -> bytes:
    """The checked text of ``path`` as UTF-8 bytes, its XML declaration saying so."""
    raw = path.read_bytes()[scan.bom:]
    if scan.encoding == "utf-8":
        return raw
    text = raw.decode(scan.encoding)
    if scan.declared is not None:
        match = _DECLARATION.match(text)
        if match is not None and match.start("encoding") >= 0:
            text = text[: match.start("encoding")] + "UTF-8" + text[match.end("encoding"):]
    return text.encode("utf-8")

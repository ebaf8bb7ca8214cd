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

Every refusal is a :class:`~iapontology.safety.RefusedInput` whose message starts with
``file:line:column:``. A file that passes is given to Oxigraph as the very text that was
checked, in UTF-8 (:func:`utf8_bytes` transcodes the other encodings).
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path

from iapontology.safety import RefusedInput

#: Defaults; the environment variables of the same purpose override them.
DEFAULT_MAX_BYTES = 512 * 2**20
DEFAULT_MAX_DEPTH = 1000
#: The longest element name or processing-instruction target accepted (characters).
MAX_NAME = 10_000
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


# --- the one pass over the decoded text ---------------------------------------------------

_TEXT, _COMMENT, _CDATA, _PI, _TAG = range(5)
_ENDINGS = {_COMMENT: "-->", _CDATA: "]]>", _PI: "?>"}
_WHAT = {_COMMENT: "comment", _CDATA: "CDATA section", _PI: "processing instruction",
         _TAG: "tag"}
#: A name as far as matching start and end tags needs (parsers check the exact grammar).
_NAME = re.compile(r"[^\s/>=\"'<&!?]+")
_TAG_STOP = re.compile(r"[<>\"']")
_START_TAG = re.compile(
    r"<([^\s/>=\"'<&!?]++)(?:[^<>\"'/]++|/(?!>)|\"[^\"<]*+\"|'[^'<]*+')*+(/?)>")
_END_TAG = re.compile(r"</([^\s/>=\"'<&!?]++)\s*+>")
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Looked for everywhere, comments and CDATA included, so no disagreement between this scan
#: and a parser about where a comment ends can hide a declaration.
_DECLARATION_ANYWHERE = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_OVERLAP = 16


#: Bytes that may stand in UTF-8 text (control characters other than tab, LF, CR may not).
_ALLOWED_BYTES = bytes(range(0x20, 0x100)) + b"\t\n\r"


def _has_bad_char(text: str) -> bool:
    """Whether ``text`` has a character XML forbids (a fast test; the regex finds where)."""
    return bool(text.encode("utf-8").translate(None, _ALLOWED_BYTES)
                or "\ufffe" in text or "\uffff" in text)


class _Scanner:
    """A streaming, linear-time walk over decoded XML text (see the module docstring).

    Whole start and end tags are matched by one regular expression each (possessive, so a
    failed match costs no backtracking); a tag, comment, CDATA section or processing
    instruction cut by the end of a piece is followed by a small state machine that keeps
    only a few characters between pieces. Line and column are counted only up to where a
    position is needed: open elements record their offset and get a line and column when
    the text around them is about to be dropped.
    """

    def __init__(self, path: Path, max_depth: int):
        self.path, self.max_depth = path, max_depth
        self.buf = ""
        self.tail = ""  # the end of the text before, for declarations split between pieces
        self.base = 0  # characters of the file before buf[0]
        self.mark, self.line, self.col = 0, 1, 1  # position of buf[mark]
        self.state = _TEXT
        self.quote = ""
        self.opened_at = (1, 1)  # where the current comment / CDATA / PI / tag began
        #: open elements: [name, offset in the file, line, column]; line 0 = not yet counted
        self.stack: list[list] = []
        self.unresolved = 0  # how many of the innermost open elements have line 0
        self.elements = self.deepest = 0
        self.root_closed = False

    def _advance(self, index: int) -> tuple[int, int]:
        if index > self.mark:
            chunk = self.buf[self.mark:index]
            newlines = chunk.count("\n")
            if newlines:
                self.line += newlines
                self.col = len(chunk) - chunk.rfind("\n")
            else:
                self.col += len(chunk)
            self.mark = index
        return self.line, self.col

    def position(self, index: int) -> tuple[int, int]:
        """Line and column (1-based) of ``buf[index]``; positions are asked in text order."""
        if self.unresolved:
            pending = self.stack[len(self.stack) - self.unresolved:]
            self.unresolved = 0
            for entry in pending:
                entry[2], entry[3] = self._advance(entry[1] - self.base)
        return self._advance(index)

    def refuse(self, index: int, reason: str) -> RefusedInput:
        line, col = self.position(max(index, self.mark))
        return RefusedInput(f"{self.path}:{line}:{col}: {reason}")

    def feed(self, text: str, final: bool = False) -> None:
        """Scan the next piece of decoded text; ``final`` for the last piece."""
        bad = _NOT_XML_CHAR.search(text) if _has_bad_char(text) else None
        if bad:
            self.buf += text[: bad.start()]
            raise self.refuse(len(self.buf), f"character U+{ord(bad.group()):04X} is not "
                              "allowed in XML (is the encoding right?)")
        window = self.tail + text
        hidden = _DECLARATION_ANYWHERE.search(window)
        self.buf += text
        if hidden:
            index = len(self.buf) - len(window) + hidden.start()
            raise self.refuse(index, self._declaration(window, hidden.start()))
        self.tail = window[-_OVERLAP:]
        keep = self._walk(final)
        self.position(keep)
        self.base += keep
        self.buf = self.buf[keep:]
        self.mark = 0
        if final:
            self._finish()

    def _walk(self, final: bool) -> int:
        """Advance over ``self.buf``; return how much of it is decided and may be dropped."""
        buf, i, n = self.buf, 0, len(self.buf)
        stack = self.stack
        while True:
            if self.state != _TEXT:
                i = self._inside(buf, i, n)
                if self.state != _TEXT:
                    return i
            j = buf.find("<", i)
            if j < 0:
                return n
            after = buf[j + 1:j + 2]
            if after == "/":
                tag = _END_TAG.match(buf, j)
                if tag is not None:
                    if not stack or stack[-1][0] != tag.group(1):
                        self._end_tag(j, tag.group(1))
                    stack.pop()
                    if self.unresolved:
                        self.unresolved -= 1
                    self.root_closed = not stack
                    i = tag.end()
                    continue
            elif after not in ("!", "?", ""):
                tag = _START_TAG.match(buf, j)
                if tag is not None:
                    if not stack and self.root_closed:
                        raise self.refuse(j, f"a second root element <{tag.group(1)}>")
                    self.elements += 1
                    if tag.group(2):
                        self.root_closed = not stack
                        if len(stack) >= self.deepest:
                            self._deeper(j, len(stack) + 1)
                    else:
                        stack.append([tag.group(1), self.base + j, 0, 0])
                        self.unresolved += 1
                        if len(stack) > self.deepest:
                            self._deeper(j, len(stack))
                    i = tag.end()
                    continue
            if n - j < 9 and not final:
                return j
            i = self._other_markup(buf, j, n, final)
            if i < 0:
                return j

    def _deeper(self, j: int, depth: int) -> None:
        self.deepest = depth
        if depth > self.max_depth:
            raise self.refuse(j, f"elements nested deeper than {self.max_depth} "
                              "(set IAPO_MAX_XML_DEPTH to raise the limit)")

    def _other_markup(self, buf: str, j: int, n: int, final: bool) -> int:
        """Enter the markup at ``buf[j]`` that is not a whole tag; -1 to wait for more."""
        if buf.startswith("<!--", j):
            self.state, self.opened_at = _COMMENT, self.position(j)
            return j + 4
        if buf.startswith("<![CDATA[", j):
            if not self.stack:
                raise self.refuse(j, "a CDATA section outside the root element")
            self.state, self.opened_at = _CDATA, self.position(j)
            return j + 9
        if buf.startswith("<!", j):
            raise self.refuse(j, self._declaration(buf, j))
        if buf.startswith("<?", j):
            target = _NAME.match(buf, j + 2)
            end = target.end() if target else j + 2
            if end == n and not final:
                self._bounded(j, n)
                return -1
            if target and target.group().lower() == "xml" and self.base + j != 0:
                raise self.refuse(j, "an XML declaration that is not at the start")
            self.state, self.opened_at = _PI, self.position(j)
            return end
        if buf.startswith("</", j):
            k = buf.find(">", j)
            if k < 0:
                if final:
                    raise self.refuse(j, "an end tag that is never closed")
                self._bounded(j, n)
                return -1
            self._end_tag(j, buf[j + 2:k].strip())
            raise self.refuse(j, f"a malformed end tag {buf[j:k + 1][:80]!r}")
        name = _NAME.match(buf, j + 1)
        if name is None:
            raise self.refuse(j, "'<' that does not start a tag (write &lt; in text)")
        if name.end() == n and not final:
            self._bounded(j, n)
            return -1
        if not self.stack and self.root_closed:
            raise self.refuse(j, f"a second root element <{name.group()}>")
        self.elements += 1
        self.stack.append([name.group(), self.base + j, 0, 0])
        self.unresolved += 1
        if len(self.stack) > self.deepest:
            self._deeper(j, len(self.stack))
        self.state, self.quote, self.opened_at = _TAG, "", self.position(j)
        return name.end()

    def _inside(self, buf: str, i: int, n: int) -> int:
        """Go on inside a tag, comment, CDATA section or PI; return where scanning stopped."""
        if self.state != _TAG:
            ending = _ENDINGS[self.state]
            k = buf.find(ending, i)
            if k < 0:
                return max(n - len(ending) + 1, i)
            self.state = _TEXT
            return k + len(ending)
        while True:
            if self.quote:
                k = buf.find(self.quote, i)
                stop = n if k < 0 else k
                if buf.find("<", i, stop) >= 0:
                    raise self.refuse(buf.find("<", i, stop), "'<' in an attribute value")
                if k < 0:
                    return max(n - 1, i)
                self.quote, i = "", k + 1
                continue
            stop = _TAG_STOP.search(buf, i)
            if stop is None:
                return max(n - 1, i)
            char = stop.group()
            if char == "<":
                raise self.refuse(stop.start(), "'<' inside a tag")
            if char in "\"'":
                self.quote, i = char, stop.end()
                continue
            if stop.start() > 0 and buf[stop.start() - 1] == "/":
                self.stack.pop()
                if self.unresolved:
                    self.unresolved -= 1
                self.root_closed = not self.stack
            self.state = _TEXT
            return stop.end()

    def _bounded(self, start: int, end: int) -> None:
        if end - start > MAX_NAME:
            raise self.refuse(start, f"a name longer than {MAX_NAME} characters")

    def _declaration(self, buf: str, j: int) -> str:
        word = re.match(r"<!\s*([A-Za-z]*)", buf[j:j + 20])
        keyword = (word.group(1) if word else "").upper()
        if keyword == "DOCTYPE" and re.search(r"<!\s*ENTITY", buf[j:j + 65536], re.IGNORECASE):
            return ("refusing an XML entity declaration (<!ENTITY>) in a document type "
                    "declaration: DTDs, entity expansion and external entities are not allowed")
        if keyword == "DOCTYPE":
            return ("refusing a document type declaration (<!DOCTYPE>): DTDs and XML "
                    "entities (entity expansion, external entities) are not allowed in input")
        if keyword == "ENTITY":
            return "refusing an XML entity declaration (<!ENTITY>): entities are not allowed"
        return f"refusing a markup declaration (<!{keyword}...>): DTDs are not allowed in input"

    def _end_tag(self, j: int, name: str) -> None:
        """Refuse an end tag that closes nothing or not the innermost open element."""
        if not self.stack:
            raise self.refuse(j, f"an end tag </{name}> with no open element")
        if name != self.stack[-1][0]:
            self.position(j)
            opened, _, line, col = self.stack[-1]
            raise self.refuse(j, f"the end tag </{name}> does not match <{opened}> "
                              f"(opened at {line}:{col})")

    def _finish(self) -> None:
        end = len(self.buf)
        self.position(end)
        if self.state != _TEXT:
            line, col = self.opened_at
            raise self.refuse(end, f"the {_WHAT[self.state]} opened at {line}:{col} is never "
                              "closed")
        if self.stack:
            name, _, line, col = self.stack[-1]
            raise self.refuse(end, f"the element <{name}> opened at {line}:{col} is never closed")
        if not self.root_closed:
            raise self.refuse(end, "no root element")


def scan_xml(path: Path, limits: FileLimits | None = None) -> XmlScan:
    """Check an XML file as described in the module docstring; raise ``RefusedInput``."""
    limits = limits or FileLimits.from_env()
    check_size(path, limits)
    with path.open("rb") as handle:
        head = handle.read(512)
        codec, bom, declared = detect_encoding(path, head)
        handle.seek(bom)
        decoder = codecs.getincrementaldecoder(codec)(errors="strict")
        scanner = _Scanner(path, limits.max_depth)
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

"""The one pass over decoded XML text that :func:`iapontology.rdf.xmlguard.scan_xml` makes.

:class:`XmlScanner` is fed the text piece by piece and keeps only a few characters between
pieces, so its time and memory grow linearly with the file, whatever the file holds. It
refuses (:class:`~iapontology.rdf.safety.RefusedInput`, ``file:line:column: reason``) any
``<!DOCTYPE`` or other markup declaration, nesting deeper than a limit, markup that is never
closed, end tags that do not match, a second root element and characters XML forbids.
"""

from __future__ import annotations

import re
from pathlib import Path

from iapontology.rdf.safety import RefusedInput

__all__ = ["MAX_NAME", "MarkupReader", "PositionTracker", "XmlScanner", "declaration_refusal"]

#: The longest element name or processing-instruction target accepted (characters).
MAX_NAME = 10_000

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


def declaration_refusal(buf: str, j: int) -> str:
    """Why the markup declaration at ``buf[j]`` (``<!DOCTYPE``, ``<!ENTITY``...) is refused."""
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


class PositionTracker:
    """The state of a scan and the line and column of any point of it, counted lazily.

    Holds the text not yet dropped (``buf``), the open elements and the scan state;
    :class:`XmlScanner` does the walking.
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
        """The refusal to raise, with the line and column of ``buf[index]``."""
        line, col = self.position(max(index, self.mark))
        return RefusedInput(f"{self.path}:{line}:{col}: {reason}")


class MarkupReader(PositionTracker):
    """Reading on inside a tag, comment, CDATA section or processing instruction, and the
    checks made when an element or the file ends."""

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


class XmlScanner(MarkupReader):
    """A streaming, linear-time walk over decoded XML text (see the module docstring).

    Whole start and end tags are matched by one regular expression each (possessive, so a
    failed match costs no backtracking); a tag, comment, CDATA section or processing
    instruction cut by the end of a piece is followed by a small state machine that keeps
    only a few characters between pieces. Line and column are counted only up to where a
    position is needed: open elements record their offset and get a line and column when
    the text around them is about to be dropped.
    """

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
            raise self.refuse(index, declaration_refusal(window, hidden.start()))
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
            raise self.refuse(j, declaration_refusal(buf, j))
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

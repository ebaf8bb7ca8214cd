"""One text, one reading: the query check and the text the engine runs are the same.

The endpoint never hands a client's text to the engine. :func:`prepare` reads the query with
the lexical rules of Oxigraph's SPARQL grammar (comments end only at CR or LF, ``\\u`` escapes
are read only inside IRIs and strings, keywords are ASCII and case-insensitive) and writes it
back out in a canonical form: one space between tokens, no comments, strings and IRIs
re-escaped so that no ``#``, quote, brace or space can appear inside them, and every
``SERVICE`` endpoint replaced by the absolute IRI that was checked. (A keyword keeps its
opening parenthesis, ``CONCAT(``: Oxigraph's grammar allows no space there for some
functions.) The check is made on those
tokens and the engine runs exactly that canonical text, so the guard and the engine cannot
read it two ways. Any word that contains ``service`` and could be read by the engine as the
keyword (``SERVICE:x``, ``SERVICESILENT``, ``123SERVICE``, ``ex:a.b.SERVICE`` ...) is
refused unless it is the keyword itself followed by an allowed endpoint: a prefixed name or
blank node label containing ``service`` is refused too (an IRI written in full is fine).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["AllowedEndpoint", "Prepared", "Refused", "Token", "prepare", "resolve", "tokens"]


class Refused(ValueError):
    """The request is refused; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# --- character classes of the SPARQL grammar, as Oxigraph's parser defines them -------------
_PN_CHARS_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
                  "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf"
                  "\ufdf0-\ufffd\U00010000-\U000effff")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
# As Oxigraph reads it (one run of dots at most: ``ex:a.b.c`` is ``ex:a.b`` then ``.c``).
_PN_LOCAL = (f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:[{_PN_CHARS}:]|{_PLX})*"
             f"(?:\\.+(?:[{_PN_CHARS}:]|{_PLX})+)?")
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"

_WS = re.compile(r"[ \t\r\n]+")
_COMMENT = re.compile(r"#[^\r\n]*")
_PNAME = re.compile(f"({_PN_PREFIX})?:({_PN_LOCAL})?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VAR = re.compile(f"[?$]({_VARNAME})")
_BNODE = re.compile(f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?")
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
_NUMBER = re.compile(r"(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+")
_IRIREF = re.compile(r"<((?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*)>")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_PUNCT = ("<<(", ")>>", "^^", "&&", "||", "!=", "<=", ">=", "<<", ">>", "{|", "|}",
          "{", "}", "(", ")", "[", "]", ".", ",", ";", "|", "/", "^", "*", "+", "?", "!",
          "=", "<", ">", "-", "~")
_IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|^`\\\x7f-\x9f]")
_IRI_PLAIN = re.compile(r"[A-Za-z0-9\-._~:/?\[\]@!$&()*+,;=%]")
_UPDATE_WORDS = {"insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy",
                 "with"}
_QUERY_WORDS = {"select", "ask", "construct", "describe"}


@dataclass(frozen=True)
class Token:
    """One token: its kind, its canonical text and (for IRIs and strings) its value."""

    kind: str  # iri, string, var, pname, bnode, langtag, number, word, punct
    text: str
    value: str = ""
    prefix: str = ""  # for pname: the prefix part


@dataclass(frozen=True)
class Prepared:
    """A query read once: the text the engine runs, its form and the SERVICE IRIs it calls."""

    text: str
    form: str  # select, ask, construct, describe (or "" if the engine must decide)
    services: tuple[str, ...]
    has_dataset: bool = False  # the query names its own dataset (FROM, FROM NAMED)


def _position(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"


def _unescape_uchars(raw: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), raw)


def _read_string(text: str, start: int) -> tuple[str, int]:
    """Read a string literal at ``start``; return its value and the index after it."""
    quote = text[start]
    long_form = text.startswith(quote * 3, start)
    i = start + (3 if long_form else 1)
    out: list[str] = []
    while True:
        if i >= len(text):
            raise Refused(f"malformed SPARQL: unterminated string at {_position(text, start)}")
        ch = text[i]
        if long_form and text.startswith(quote * 3, i):
            return "".join(out), i + 3
        if not long_form and ch == quote:
            return "".join(out), i + 1
        if not long_form and ch in "\r\n":
            raise Refused(f"malformed SPARQL: line break in a string at {_position(text, i)}")
        if ch == "\\":
            escape = _UCHAR.match(text, i)
            if escape:
                out.append(_unescape_uchars(escape.group()))
                i = escape.end()
                continue
            if i + 1 < len(text) and text[i + 1] in _ECHAR:
                out.append(_ECHAR[text[i + 1]])
                i += 2
                continue
            raise Refused(f"malformed SPARQL: bad escape in a string at {_position(text, i)}")
        out.append(ch)
        i += 1


def tokens(text: str) -> list[Token]:
    """Split a query into tokens by the engine's lexical rules (comments are dropped)."""
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i = _WS.match(text, i).end()
        elif ch == "#":
            i = _COMMENT.match(text, i).end()
        elif ch in "\"'":
            value, i = _read_string(text, i)
            out.append(Token("string", _string_text(value), value))
        elif ch == "<" and not text.startswith("<<", i) and (m := _IRIREF.match(text, i)):
            value = _unescape_uchars(m.group(1))
            if _IRI_FORBIDDEN.search(value):
                raise Refused(f"malformed SPARQL: invalid IRI at {_position(text, i)}")
            out.append(Token("iri", _iri_text(value), value))
            i = m.end()
        elif ch in "?$" and (m := _VAR.match(text, i)):
            out.append(Token("var", m.group()))
            i = m.end()
        elif text.startswith("_:", i) and (m := _BNODE.match(text, i)):
            out.append(Token("bnode", m.group()))
            i = m.end()
        elif ch == "@" and (m := _LANGTAG.match(text, i)):
            out.append(Token("langtag", m.group()))
            i = m.end()
        elif m := _NUMBER.match(text, i):
            out.append(Token("number", m.group()))
            i = m.end()
        elif m := _PNAME.match(text, i):
            out.append(Token("pname", m.group(), prefix=m.group(1) or ""))
            i = m.end()
        elif m := _WORD.match(text, i):
            out.append(Token("word", m.group()))
            i = m.end()
        else:
            for punct in _PUNCT:
                if text.startswith(punct, i):
                    out.append(Token("punct", punct))
                    i += len(punct)
                    break
            else:
                raise Refused(f"malformed SPARQL: unexpected character {ch!r} at "
                              f"{_position(text, i)}")
    return out


def _string_text(value: str) -> str:
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"'


def _iri_text(value: str) -> str:
    """An IRI written with only characters that cannot start a comment, string or group."""
    out = []
    for ch in value:
        if _IRI_PLAIN.fullmatch(ch):
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(f"\\U{ord(ch):08X}")
    return f"<{''.join(out)}>"


# --- IRI resolution (RFC 3986, section 5.2) -------------------------------------------------
_URI = re.compile(r"^(?:([A-Za-z][A-Za-z0-9+.\-]*):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?"
                  r"(?:#(.*))?$", re.DOTALL)


def _remove_dot_segments(path: str) -> str:
    output: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./") or path.startswith("/./"):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../"):
            path = path[3:]
            if output:
                output.pop()
        elif path == "/..":
            path = "/"
            if output:
                output.pop()
        elif path in (".", ".."):
            path = ""
        else:
            cut = path.find("/", 1)
            segment, path = (path, "") if cut == -1 else (path[:cut], path[cut:])
            output.append(segment)
    return "".join(output)


def resolve(reference: str, base: str | None) -> str | None:
    """The absolute IRI of ``reference`` against ``base`` (``None`` if it stays relative)."""
    scheme, authority, path, query, fragment = _URI.match(reference).groups()
    if scheme is None:
        if base is None:
            return None
        b_scheme, b_auth, b_path, b_query, _ = _URI.match(base).groups()
        if b_scheme is None:
            return None
        scheme = b_scheme
        if authority is None:
            if path == "":
                path, query = b_path, query if query is not None else b_query
            else:
                if not path.startswith("/"):
                    if b_auth is not None and b_path == "":
                        path = "/" + path
                    else:
                        path = b_path[: b_path.rfind("/") + 1] + path
            authority = b_auth
    path = _remove_dot_segments(path)
    out = f"{scheme}:"
    if authority is not None:
        out += f"//{authority}"
    out += path
    if query is not None:
        out += f"?{query}"
    if fragment is not None:
        out += f"#{fragment}"
    return out


# --- the allow-list --------------------------------------------------------------------------
@dataclass(frozen=True)
class AllowedEndpoint:
    """One allow-list entry, parsed: scheme, host, port and path prefix."""

    scheme: str
    host: str
    port: int
    path: str

    @classmethod
    def parse(cls, url: str) -> AllowedEndpoint:
        """Parse an ``--allow-service`` entry; raise :class:`ValueError` if it is not usable."""
        parts = _url_parts(url)
        if parts is None:
            raise ValueError(f"--allow-service {url!r}: give an absolute http(s) URL with a "
                             "host and no user name, query or fragment")
        scheme, host, port, path, query = parts
        if query is not None or "#" in url:
            raise ValueError(f"--allow-service {url!r}: no query or fragment allowed")
        return cls(scheme, host, port, path or "/")

    def admits(self, iri: str) -> bool:
        """True if ``iri`` is this endpoint or below its path (compared as parsed URLs)."""
        parts = _url_parts(iri)
        if parts is None:
            return False
        scheme, host, port, path, _ = parts
        if (scheme, host, port) != (self.scheme, self.host, self.port):
            return False
        path = path or "/"
        if self.path.endswith("/"):
            return path.startswith(self.path)
        return path == self.path or path.startswith(self.path + "/")


def _url_parts(url: str) -> tuple[str, str, int, str, str | None] | None:
    if _IRI_FORBIDDEN.search(url) or not url.isascii():
        return None
    try:
        split = urlsplit(url)
        port = split.port
    except ValueError:
        return None
    scheme = split.scheme.lower()
    if scheme not in ("http", "https") or not split.hostname or "@" in split.netloc:
        return None
    if re.search(r"%(2e|2f|5c)", split.path, re.IGNORECASE) or "/../" in split.path + "/" \
            or "/./" in split.path + "/":
        return None
    port = port if port is not None else (443 if scheme == "https" else 80)
    return scheme, split.hostname.lower(), port, split.path, (split.query or None)


# --- the check ------------------------------------------------------------------------------
def _has_service(word: str) -> bool:
    return "service" in word.lower() if word.isascii() else "service" in word.casefold()


def prepare(text: str, allowed: Iterable[AllowedEndpoint] = (),
            prefixes: Mapping[str, str] | None = None) -> Prepared:
    """Read ``text`` once, check it and return the canonical text the engine must run.

    Raises :class:`Refused`: 403 for SPARQL Update or a SERVICE call that is not allowed,
    400 for text that is not SPARQL.
    """
    allowed = tuple(allowed)
    toks = tokens(text)
    namespaces = dict(prefixes or {})
    base: str | None = None
    form = ""
    services: list[str] = []
    out: list[str] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        lowered = tok.text.lower() if tok.kind == "word" else ""
        if lowered == "base" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = resolve(toks[i + 1].value, base) or base
        elif (lowered == "prefix" and i + 2 < len(toks) and toks[i + 1].kind == "pname"
              and toks[i + 2].kind == "iri"):
            target = resolve(toks[i + 2].value, base)
            namespaces[toks[i + 1].prefix] = target or toks[i + 2].value
        elif not form and lowered in _QUERY_WORDS:
            form = lowered
        elif not form and lowered in _UPDATE_WORDS:
            raise Refused("SPARQL Update is not allowed: this endpoint is read-only", 403)
        if lowered == "service":
            j = i + 1
            out.append(tok.text)
            if j < len(toks) and toks[j].kind == "word" and toks[j].text.lower() == "silent":
                out.append(toks[j].text)
                j += 1
            endpoint = _service_target(toks[j] if j < len(toks) else None, base, namespaces)
            if not any(entry.admits(endpoint) for entry in allowed):
                raise Refused(f"SERVICE <{endpoint}> is not allowed on this endpoint", 403)
            services.append(endpoint)
            out.append(_iri_text(endpoint))
            i = j + 1
            continue
        if tok.kind in ("word", "pname", "bnode", "langtag") and _has_service(tok.text):
            raise Refused(f"{tok.text!r} could be read as SERVICE: not allowed on this "
                          "endpoint (write such an IRI in full, <...>)", 403)
        if tok.text == "(" and i and toks[i - 1].kind == "word" and out:
            out[-1] += "("  # the engine wants CONCAT(, BNODE(, MD5( ... without a space
        else:
            out.append(tok.text)
        i += 1
    has_dataset = any(t.kind == "word" and t.text.lower() == "from" for t in toks)
    return Prepared(" ".join(out), form, tuple(services), has_dataset)


def _service_target(tok: Token | None, base: str | None, namespaces: Mapping[str, str]) -> str:
    if tok is None:
        raise Refused("malformed SPARQL: SERVICE without an endpoint")
    if tok.kind == "var":
        raise Refused("SERVICE with a variable endpoint is not allowed on this endpoint", 403)
    if tok.kind == "iri":
        absolute = resolve(tok.value, base)
    elif tok.kind == "pname":
        namespace = namespaces.get(tok.prefix)
        if namespace is None:
            raise Refused(f"malformed SPARQL: unknown prefix {tok.prefix + ':'!r}")
        local = tok.text[len(tok.prefix) + 1:]
        local = re.sub(r"\\(.)", r"\1", local)
        absolute = resolve(namespace + local, base)
    else:
        raise Refused("malformed SPARQL: SERVICE must be followed by an IRI")
    if absolute is None:
        raise Refused("SERVICE with a relative IRI and no BASE is not allowed", 403)
    return absolute

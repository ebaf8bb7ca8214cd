"""SPARQL files with a header: the named questions and the quality checks are both kept so.

A header is the run of ``# key: value`` comment lines at the top of the file::

    # name: iaps_with_domain
    # title: Which IAPs have a given domain?
    # description: ...
    # param: domain: term = RING domain -- the domain, by label or CURIE

The SPARQL follows the header. Parameters are SPARQL variables (``?domain``); when the query
runs, their values are written into it as a ``VALUES`` block of escaped RDF terms (see
:func:`iapontology.rdf.query_text.inline_values`), never as raw text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_HEADER = re.compile(r"^#\s*([a-z_]+)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>term|string|integer)"
    r"(?:\s*=\s*(?P<default>.*?))?(?:\s+--\s+(?P<help>.*))?$"
)
PARAM_TYPES = ("term", "string", "integer")


@dataclass(frozen=True)
class Parameter:
    """A query parameter: a variable of the query with a type, default and help text."""

    name: str
    type: str
    default: str | None = None
    help: str = ""


@dataclass(frozen=True)
class SparqlFile:
    """One ``.rq`` file: its header fields and its SPARQL text."""

    name: str
    title: str
    description: str
    sparql: str
    path: Path
    parameters: tuple[Parameter, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)


def read_sparql_file(path: Path) -> SparqlFile:
    """Parse the header and body of one ``.rq`` file (ValueError when the header is bad)."""
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    body: list[str] = []
    in_header = True
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _HEADER.match(line) if in_header else None
        if match:
            key, value = match.groups()
            if key == "param":
                param = _PARAM.match(value)
                if not param:
                    raise ValueError(f"{path}:{number}: bad parameter line {value!r}")
                parameters.append(Parameter(param["name"], param["type"], param["default"],
                                            param["help"] or ""))
            elif key in fields:
                fields[key] += " " + value
            else:
                fields[key] = value
            continue
        if in_header and line.startswith("#"):
            continue
        in_header = False
        body.append(line)
    for required in ("name", "title", "description"):
        if not fields.get(required):
            raise ValueError(f"{path}:1: the header has no {required!r}")
    if fields["name"] != path.stem:
        raise ValueError(f"{path}:1: name {fields['name']!r} differs from the file name")
    sparql = "\n".join(body).strip() + "\n"
    _check_parameters_projected(path, sparql, parameters)
    return SparqlFile(fields["name"], fields["title"], fields["description"],
                      sparql, path, tuple(parameters), fields)


def _check_parameters_projected(path: Path, sparql: str, parameters: list[Parameter]) -> None:
    """Each parameter must be a column of the answer (Oxigraph's own substitution, which the
    server uses, binds only variables the SELECT clause projects): check that."""
    select = re.search(r"SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE|FROM|\{)",
                       sparql, re.IGNORECASE | re.DOTALL)
    projected = select.group(1) if select else ""
    for param in parameters:
        if projected.strip() != "*" and not re.search(rf"\?{param.name}\b", projected):
            raise ValueError(f"{path}:1: parameter ?{param.name} must be in the SELECT clause")


def read_folder(folder: Path) -> dict[str, SparqlFile]:
    """Every ``.rq`` file of a folder, by name, sorted."""
    return {f.name: f for f in (read_sparql_file(p) for p in sorted(folder.glob("*.rq")))}


__all__ = ["PARAM_TYPES", "Parameter", "SparqlFile", "read_folder", "read_sparql_file"]

"""The ``iapo`` command: build, check and query the ontology from the shell."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from iapontology import __version__

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1

#: The questions ``iapo examples`` answers after a build: (named query, parameters).
EXAMPLES: list[tuple[str, dict[str, str]]] = [
    ("iaps", {}),
    ("domain_architecture", {}),
    ("iaps_with_domain", {"domain": "RING domain"}),
    ("iaps_with_domain", {"domain": "UBC domain"}),
    ("iaps_by_bir_count", {"count": "3"}),
    ("iap_actions", {"iap": "XIAP"}),
    ("iaps_inhibiting_caspase", {"caspase": "caspase-9"}),
    ("iaps_retaining_smac", {}),
    ("iap_mechanisms", {}),
    ("mechanisms_for_treatment", {"treatment": "cisplatin"}),
    ("agents_targeting", {"iap": "cIAP1"}),
    ("agents_in_phase_3", {}),
    ("biomarkers_for_agent", {"agent": "SMAC mimetic"}),
]


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    print(f"iapo: error: {message}", file=sys.stderr)
    return code


def _progress(message: str) -> None:
    print(f"iapo: {message}", file=sys.stderr, flush=True)


def _cmd_build(args: argparse.Namespace) -> int:
    from iapontology.build import BuildError, build
    from iapontology.tables import CurationError

    try:
        report = build(Path(args.out), reason=not args.no_reason, progress=_progress)
    except CurationError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return _fail(f"{len(error.problems)} problem(s) in the source tables; nothing written")
    except BuildError as error:
        return _fail(str(error), EXIT_FAILED)
    print(f"built {report.triples} triples (+{report.relation_triples} relation-graph triples)")
    return 0


def _parse_params(pairs: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--param needs KEY=VALUE, not {pair!r}")
        params[key.strip()] = value
    return params


def _cmd_query(args: argparse.Namespace) -> int:
    from iapontology.graph import GraphLike, QueryError, graph, query, shipped_store
    from iapontology.queries import BadParameter, UnknownQuery, bind_parameters, get_query, queries
    from iapontology.results import format_rows

    if args.list:
        for named in queries().values():
            params = " ".join(f"[{p.name}={p.default}]" for p in named.parameters)
            print(f"{named.name:28} {named.title} {params}".rstrip())
        return 0
    try:
        params = _parse_params(args.param)
        # the bare Oxigraph store: no rdflib SPARQL machinery is imported on this path
        g: GraphLike = graph(endpoint=args.endpoint) if args.endpoint else shipped_store()
        if args.file:
            sparql = Path(args.file).read_text(encoding="utf-8")
            rows = query(sparql, g)
        elif args.text is None:
            return _fail("give a SPARQL query, a query name, --file F or --list")
        elif any(ch.isspace() or ch == "{" for ch in args.text):
            rows = query(args.text, g)
        else:
            named = get_query(args.text)
            rows = query(named.sparql, g,
                         bind_parameters(named, params, g, allow_empty=args.allow_empty))
    except (QueryError, UnknownQuery, BadParameter, ValueError, OSError) as error:
        return _fail(str(error).splitlines()[0] if str(error) else repr(error))
    except Exception as error:  # a remote endpoint's own errors (HTTP, parsing)
        if not args.endpoint:
            raise
        return _fail(f"{args.endpoint}: {str(error).splitlines()[0]}", EXIT_FAILED)
    sys.stdout.write(format_rows(rows, args.format, g))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from iapontology.owlapi import OwlApiUnavailable
    from iapontology.paths import PRIMARY_FILE, bundled_ontology_dir
    from iapontology.quality import quality_report
    from iapontology.reasoner import ReasonerUnavailable

    path = Path(args.file) if args.file else bundled_ontology_dir() / PRIMARY_FILE
    if not path.exists():
        return _fail(f"{path} does not exist")
    try:
        if not args.no_reasoner:
            _progress("running the OWL API and the HermiT reasoner (Java) ...")
        report = quality_report(path, owlapi=not args.no_owlapi, reasoner=not args.no_reasoner)
    except (OwlApiUnavailable, ReasonerUnavailable) as error:
        return _fail(str(error), EXIT_FAILED)
    except ValueError as error:  # includes refused entity declarations and parse errors
        return _fail(str(error).splitlines()[0])
    print(f"file: {path}")
    if report.owlapi is not None:
        owlapi = report.owlapi
        if not owlapi.parsed:
            print(f"OWL API: parse error: {owlapi.error}")
        else:
            profile = "OWL 2 DL" if not owlapi.violations else (
                f"NOT OWL 2 DL ({len(owlapi.violations)} violations)")
            counts = owlapi.counts
            print(f"OWL API: {profile}; {counts.get('unparsed-triples', 0)} unparsed triples")
            print(f"counts: {counts.get('classes', 0)} classes, "
                  f"{counts.get('object-properties', 0)} object properties, "
                  f"{counts.get('annotation-properties', 0)} annotation properties, "
                  f"{counts.get('individuals', 0)} individuals, {counts.get('axioms', 0)} axioms "
                  f"({counts.get('logical-axioms', 0)} logical, "
                  f"{counts.get('annotated-axioms', 0)} with axiom annotations)")
            for violation in owlapi.violations:
                print(f"  violation: {violation}")
    if report.reasoner is not None:
        reasoner = report.reasoner
        verdict = "consistent" if reasoner.consistent else "INCONSISTENT"
        print(f"HermiT: {verdict}, {len(reasoner.unsatisfiable)} unsatisfiable classes "
              f"({reasoner.seconds:.1f} s)")
        for iri in reasoner.unsatisfiable:
            print(f"  unsatisfiable: {iri}")
    print(f"report: {len(report.errors)} ERROR-level findings "
          f"({len(report.findings)} findings in all)")
    for finding in report.findings:
        print(f"  {finding}")
    print("result: PASS" if report.ok else "result: FAIL")
    return 0 if report.ok else EXIT_FAILED


def _cmd_serve(args: argparse.Namespace) -> int:
    from iapontology.server import ServerSettings, serve

    settings = ServerSettings(
        timeout_seconds=args.timeout, max_rows=args.max_rows,
        max_request_bytes=args.max_request_bytes, workers=args.workers,
        allowed_services=tuple(args.allow_service),
    )
    where = f"http://{args.host}:{args.port}"
    _progress(f"serving SPARQL at {where}/sparql (read-only; Ctrl-C stops)")
    serve(args.host, args.port, settings)
    return 0


def _cmd_push(args: argparse.Namespace) -> int:
    from iapontology.remote import RemoteError, push

    try:
        sent = push(args.endpoint, args.graph)
    except RemoteError as error:
        return _fail(str(error), EXIT_FAILED)
    target = args.graph or "the default graph"
    print(f"uploaded {sent} bytes (ontology + relation-graph view) to {target} "
          f"at {args.endpoint}")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from iapontology.diff import diff_releases

    for path in (args.old, args.new):
        if not Path(path).exists():
            return _fail(f"{path} does not exist")
    try:
        result = diff_releases(Path(args.old), Path(args.new))
    except ValueError as error:
        return _fail(str(error).splitlines()[0])
    sys.stdout.write(result.as_json() if args.format == "json" else result.as_text())
    return 0


def _version_text() -> str:
    import tomllib

    from iapontology.assemble import version_iri
    from iapontology.paths import KNOWLEDGE_DIR

    meta = tomllib.loads((KNOWLEDGE_DIR / "metadata.toml").read_text(encoding="utf-8"))
    ontology = meta["ontology"]
    return f"iapo {__version__} (ontology {ontology['version']}, {version_iri(ontology)})"


class _VersionAction(argparse.Action):
    """Print the versions on one line (argparse's own version action re-wraps text)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(_version_text())
        parser.exit()


def _cmd_examples(args: argparse.Namespace) -> int:
    from iapontology.graph import shipped_store
    from iapontology.queries import get_query, run
    from iapontology.results import format_rows

    g = shipped_store()
    for name, params in EXAMPLES:
        named = get_query(name)
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        print(f"== {named.title}" + (f"  [{shown}]" if shown else ""))
        print(format_rows(run(name, g, **params), "table", g))
    return 0


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of ``iapo`` (exposed for the docs)."""
    parser = argparse.ArgumentParser(
        prog="iapo", description="Build, check and query the IAP ontology (iapontology)."
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="show the package and ontology versions and exit")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build ontology/ from the curated tables")
    p.add_argument("--out", default=None, help="output folder (default: ontology/)")
    p.add_argument("--no-reason", action="store_true", help="skip the HermiT check")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("query", help="run SPARQL or a named question")
    p.add_argument("text", nargs="?", help="a SPARQL query, or the name of a named question")
    p.add_argument("-f", "--file", help="read the SPARQL query from a file")
    p.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                   help="a parameter of a named question (repeatable)")
    p.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table")
    p.add_argument("--list", action="store_true", help="list the named questions")
    p.add_argument("--endpoint", help="run against a remote SPARQL endpoint (query URL)")
    p.add_argument("--allow-empty", action="store_true",
                   help="run even when a term parameter names no term (matching nothing); "
                        "without it such a value is an error with suggestions")
    p.set_defaults(func=_cmd_query)

    p = sub.add_parser("serve", help="serve a read-only SPARQL endpoint")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per query")
    p.add_argument("--max-rows", type=int, default=10_000, help="rows per result")
    p.add_argument("--max-request-bytes", type=int, default=64 * 1024)
    p.add_argument("--workers", type=int, default=2, help="query worker processes")
    p.add_argument("--allow-service", action="append", default=[], metavar="PREFIX",
                   help="allow SERVICE calls to endpoints under this IRI prefix")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("push", help="upload to a triple store (SPARQL Graph Store Protocol)")
    p.add_argument("--endpoint", required=True, help="Graph Store URL, e.g. http://host/store")
    p.add_argument("--graph", help="named graph IRI (default: the default graph)")
    p.set_defaults(func=_cmd_push)

    p = sub.add_parser("check", help="quality report: OWL API, HermiT and report checks")
    p.add_argument("file", nargs="?", help="OWL file to check (default: the built ontology)")
    p.add_argument("--no-owlapi", action="store_true", help="skip the OWL API (Java) check")
    p.add_argument("--no-reasoner", action="store_true", help="skip the HermiT check")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("diff", help="what changed between two releases")
    p.add_argument("old", help="the older release (OWL, Turtle, N-Triples)")
    p.add_argument("new", help="the newer release")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_cmd_diff)

    p = sub.add_parser("examples", help="answer the example questions from the built ontology")
    p.set_defaults(func=_cmd_examples)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``iapo`` command; returns the exit code."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if getattr(args, "out", "unset") is None:
        from iapontology.paths import DEFAULT_OUTPUT_DIR

        args.out = str(DEFAULT_OUTPUT_DIR)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["EXAMPLES", "EXIT_BAD_INPUT", "EXIT_FAILED", "main", "make_parser"]

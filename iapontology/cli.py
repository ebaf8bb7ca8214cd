"""The ``iapo`` command: build, check and query the ontology from the shell."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from iapontology import __version__

#: Every failure of every command: one ``iapo: error: ...`` line on stderr.
EXIT_BAD_INPUT = 2
#: Only ``iapo check``'s verdict FAIL (the report itself is on stdout).
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
    ("nik_degradation", {}),
    ("iap_loss_consequences", {"iap": "cIAP1"}),
]


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    print(f"iapo: error: {message}", file=sys.stderr)
    return code


def _progress(message: str) -> None:
    print(f"iapo: {message}", file=sys.stderr, flush=True)


def _cmd_validate(args: argparse.Namespace) -> int:
    """Check the curated tables against the schema alone (no Owlready2, no Java)."""
    from iapontology.knowledge.curation import load_knowledge
    from iapontology.knowledge.tables import CurationError
    from iapontology.paths import KNOWLEDGE_DIR

    directory = Path(args.knowledge) if args.knowledge else KNOWLEDGE_DIR
    if not directory.is_dir():
        return _fail(f"{directory} is not a folder")
    try:
        knowledge = load_knowledge(directory)
    except CurationError as error:
        for problem in error.problems:
            print(problem)
        return _fail(f"{len(error.problems)} problem(s) in the tables of {directory}")
    rows = sum(knowledge.counts.values())
    print(f"{directory.name}: {len(knowledge.counts)} tables, {rows} rows, "
          f"{knowledge.references} references ({knowledge.by_name} by label or synonym) "
          "and metadata.toml match the schema: no problems")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from iapontology.build.pipeline import BuildError, build
    from iapontology.build.reasoner import ReasonerError, ReasonerUnavailable
    from iapontology.knowledge.tables import CurationError

    try:
        report = build(Path(args.out), reason=not args.no_reason, progress=_progress)
    except CurationError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return _fail(f"{len(error.problems)} problem(s) in the source tables; nothing written")
    except BuildError as error:  # its message says that nothing was written
        return _fail(str(error))
    except (ReasonerError, ReasonerUnavailable) as error:
        return _fail(f"{error}; nothing was written")
    from iapontology.build.quality import summary

    print(f"built {report.triples} triples (+{report.relation_triples} relation-graph triples)")
    print(f"report: {summary(report.findings)} (`iapo check --report FILE` lists them)")
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
    if not args.endpoint and not args.list:
        from iapontology.rdf.shipped import load_in_background

        load_in_background()  # Oxigraph parses the store while rdflib is being imported
    from iapontology.rdf.graph import GraphLike, QueryError, graph, query, shipped_store
    from iapontology.sparql.named import (
        BadParameter,
        UnknownQuery,
        bind_parameters,
        get_query,
        queries,
    )
    from iapontology.sparql.results import format_rows

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
        return _fail(f"{args.endpoint}: {str(error).splitlines()[0]}")
    sys.stdout.write(format_rows(rows, args.format, g))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from iapontology.build.owlapi import OwlApiError, OwlApiUnavailable
    from iapontology.build.quality import quality_report, report_tsv
    from iapontology.build.reasoner import ReasonerError, ReasonerUnavailable
    from iapontology.paths import PRIMARY_FILE, bundled_ontology_dir

    path = Path(args.file) if args.file else bundled_ontology_dir() / PRIMARY_FILE
    if not path.exists():
        return _fail(f"{path} does not exist")
    if args.report and (Path(args.report).is_dir() or not Path(args.report).parent.is_dir()):
        return _fail(f"--report {args.report}: not a file in an existing folder")
    try:
        report = quality_report(path, owlapi=not args.no_owlapi, reasoner=not args.no_reasoner,
                                follow_imports=args.follow_imports, progress=_progress)
    except (OwlApiUnavailable, ReasonerUnavailable, OwlApiError, ReasonerError) as error:
        return _fail(str(error))
    except (ValueError, OSError) as error:  # refused input (DTD, size, nesting), parse errors
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
        for iri in owlapi.imports_not_loaded:
            hint = "" if args.follow_imports else " (not followed; see --follow-imports)"
            print(f"owl:imports {iri}: not loaded{hint}")
    if report.reasoner is not None:
        reasoner = report.reasoner
        verdict = "consistent" if reasoner.consistent else "INCONSISTENT"
        print(f"HermiT: {verdict}, {len(reasoner.unsatisfiable)} unsatisfiable classes "
              f"({reasoner.seconds:.1f} s)")
        for iri in reasoner.unsatisfiable:
            print(f"  unsatisfiable: {iri}")
    _print_findings(report.findings)
    if args.report:
        from iapontology.build.serialise import write_atomically

        try:
            write_atomically(Path(args.report), report_tsv(report.findings))
        except OSError as error:
            return _fail(f"cannot write {args.report}: {error.strerror or error}")
        print(f"report table: {args.report} ({len(report.findings)} findings)")
    print("result: PASS" if report.ok else "result: FAIL")
    return 0 if report.ok else EXIT_FAILED


def _print_findings(findings: list) -> None:
    """Counts by level and by check; the ERROR-level findings themselves."""
    from iapontology.build.quality import counts_by_check, summary

    print(f"report: {summary(findings)}")
    for check, level, count in counts_by_check(findings):
        print(f"  {level:5} {check:40} {count}")
    for finding in findings:
        if finding.level == "ERROR":
            print(f"  {finding}")


def _cmd_serve(args: argparse.Namespace) -> int:
    from iapontology.serve import ServerSettings, serve

    settings = ServerSettings(
        timeout_seconds=args.timeout, max_rows=args.max_rows,
        max_request_bytes=args.max_request_bytes, workers=args.workers,
        per_client=args.per_client, queue=args.queue, memory_mb=args.max_memory_mb,
        preempt_after=args.preempt_after,
        allowed_services=tuple(args.allow_service), cors_origins=tuple(args.cors_origin),
    )
    try:
        settings.validate()
    except ValueError as error:
        return _fail(str(error))
    where = f"http://{args.host}:{args.port}"
    _progress(f"serving SPARQL at {where}/sparql (read-only; Ctrl-C stops)")
    try:
        serve(args.host, args.port, settings)
    except RuntimeError as error:
        return _fail(str(error))
    return 0


def _cmd_push(args: argparse.Namespace) -> int:
    from iapontology.sparql.remote import RemoteError, push

    try:
        sent = push(args.endpoint, args.graph)
    except RemoteError as error:
        return _fail(str(error))
    target = args.graph or "the default graph"
    print(f"uploaded {sent} bytes (ontology + relation-graph view) to {target} "
          f"at {args.endpoint}")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from iapontology.build.diff import diff_releases

    for path in (args.old, args.new):
        if not Path(path).exists():
            return _fail(f"{path} does not exist")
    try:
        result = diff_releases(Path(args.old), Path(args.new))
    except (ValueError, OSError) as error:
        return _fail(str(error).splitlines()[0])
    sys.stdout.write(result.as_json() if args.format == "json" else result.as_text())
    return 0


def _version_text() -> str:
    import tomllib

    from iapontology.build.assemble import version_iri
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
    from iapontology.rdf.graph import shipped_store
    from iapontology.sparql.named import get_query, run
    from iapontology.sparql.results import format_rows

    g = shipped_store()
    for name, params in EXAMPLES:
        named = get_query(name)
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        print(f"== {named.title}" + (f"  [{shown}]" if shown else ""))
        print(format_rows(run(name, g, **params), "table", g))
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one ``iapo: error:`` line and exit code 2."""

    def error(self, message: str):
        command = "" if self.prog == "iapo" else f"{self.prog.removeprefix('iapo ')}: "
        print(f"iapo: error: {command}{message} (see `{self.prog} --help`)", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _add_max_file_bytes(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-file-bytes", type=_positive_int, metavar="N",
                   help="refuse input files larger than N bytes (default 512 MiB, or "
                        "IAPO_MAX_FILE_BYTES)")


@contextlib.contextmanager
def _limit_file_size(max_bytes: int | None) -> Iterator[None]:
    """Set ``IAPO_MAX_FILE_BYTES`` (read by the input guard) for one command, then restore it."""
    if max_bytes is None:
        yield
        return
    before = os.environ.get("IAPO_MAX_FILE_BYTES")
    os.environ["IAPO_MAX_FILE_BYTES"] = str(max_bytes)
    try:
        yield
    finally:
        if before is None:
            del os.environ["IAPO_MAX_FILE_BYTES"]
        else:
            os.environ["IAPO_MAX_FILE_BYTES"] = before


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of ``iapo`` (exposed for the docs)."""
    parser = _Parser(
        prog="iapo", description="Build, check and query the IAP ontology (iapontology)."
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="show the package and ontology versions and exit")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check the curated tables against their schema")
    p.add_argument("--knowledge", metavar="DIR",
                   help="the folder of tables (default: the packaged knowledge/)")
    p.set_defaults(func=_cmd_validate)

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
    p.add_argument("--workers", type=int, default=4, help="query worker processes")
    p.add_argument("--per-client", type=int, default=2,
                   help="queries one client (IP address) may have running or waiting")
    p.add_argument("--queue", type=int, default=64, help="queries that may wait for a worker")
    p.add_argument("--max-memory-mb", type=int, default=1024, help="memory per query (MiB)")
    p.add_argument("--preempt-after", type=float, default=0.5, metavar="SECONDS",
                   help="when all workers are busy, a much lighter client's query may stop "
                        "a heavy client's query that has run this long")
    p.add_argument("--allow-service", action="append", default=[], metavar="URL",
                   help="allow SERVICE calls to this endpoint (scheme, host, port, path)")
    p.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                   help="allow browser pages from ORIGIN (or *) to query (off by default)")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("push", help="upload to a triple store (SPARQL Graph Store Protocol)")
    p.add_argument("--endpoint", required=True, help="Graph Store URL, e.g. http://host/store")
    p.add_argument("--graph", help="named graph IRI (default: the default graph)")
    p.set_defaults(func=_cmd_push)

    p = sub.add_parser("check", help="quality report: OWL API, HermiT and report checks")
    p.add_argument("file", nargs="?", help="OWL file to check (default: the built ontology)")
    p.add_argument("--no-owlapi", action="store_true", help="skip the OWL API (Java) check")
    p.add_argument("--no-reasoner", action="store_true", help="skip the HermiT check")
    p.add_argument("--report", metavar="FILE",
                   help="write every finding to FILE as TSV in ROBOT's columns")
    p.add_argument("--follow-imports", action="store_true",
                   help="load the file's owl:imports (over the network); off by default")
    _add_max_file_bytes(p)
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("diff", help="what changed between two releases")
    p.add_argument("old", help="the older release (OWL, Turtle, N-Triples)")
    p.add_argument("new", help="the newer release")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _add_max_file_bytes(p)
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
        with _limit_file_size(getattr(args, "max_file_bytes", None)):
            return args.func(args)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as error:  # the promise: one line and exit 2, never a traceback
        text = str(error).strip().splitlines()
        return _fail(f"{type(error).__name__}: {text[0] if text else 'no message'}")


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["EXAMPLES", "EXIT_BAD_INPUT", "EXIT_FAILED", "main", "make_parser"]

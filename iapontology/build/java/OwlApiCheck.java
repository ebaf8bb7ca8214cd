import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.NQuadsDocumentFormat;
import org.semanticweb.owlapi.formats.NTriplesDocumentFormat;
import org.semanticweb.owlapi.formats.RDFJsonLDDocumentFormat;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLParserException;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyIRIMapper;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

/**
 * Loads an OWL file with the OWL API (the library Protege is built on) as Protege does,
 * checks it against the OWL 2 DL profile and prints one summary line per fact:
 *
 *   parse: ok
 *   unparsed-triples: N   (triples the parser could not turn into axioms)
 *   axioms: N / logical: N / annotated-axioms: N / classes: N / object-properties: N / ...
 *   dl-violations: N   (followed by one "violation: ..." line each)
 *   import-not-loaded: IRI   (for each owl:imports not followed; see --follow-imports)
 *
 * Exit code 0 when the file parses completely and is in OWL 2 DL, 1 otherwise, 2 on bad usage.
 */
public final class OwlApiCheck {
    /** Where imports are "found" when they must not be loaded: no file can exist there. */
    private static final String REFUSED_IMPORT = "file:///dev/null/iapontology-import-not-followed";

    public static void main(String[] args) throws Exception {
        boolean followImports = false;
        String format = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--follow-imports")) {
                followImports = true;
            } else if (args[i].equals("--format") && i + 1 < args.length) {
                format = args[++i];
            } else {
                rest.add(args[i]);
            }
        }
        if (rest.size() == 3 && rest.get(0).equals("--convert")) {
            convert(new File(rest.get(1)), new File(rest.get(2)), followImports);
            return;
        }
        if (rest.size() == 3 && rest.get(0).equals("--roundtrip")) {
            roundTrip(new File(rest.get(1)), new File(rest.get(2)), followImports);
            return;
        }
        if (rest.size() != 1 || (format != null && documentFormat(format) == null)) {
            System.err.println("usage: OwlApiCheck [--follow-imports] [--format rdfxml|turtle|"
                    + "ntriples|nquads|jsonld] FILE | OwlApiCheck --roundtrip IN.owl OUT.owl");
            System.exit(2);
        }
        OWLOntologyManager manager = manager(followImports);
        manager.addMissingImportListener(event ->
                System.out.println("import-not-loaded: " + event.getImportedOntologyURI()));
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setReportStackTraces(false)
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        File file = new File(rest.get(0));
        FileDocumentSource source = format == null ? new FileDocumentSource(file)
                : new FileDocumentSource(file, documentFormat(format));
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(source, config);
        } catch (Exception e) {
            String message = String.valueOf(e.getMessage()).lines().limit(5)
                    .collect(Collectors.joining(" "));
            System.out.println("parse: error: " + message);
            System.exit(1);
            return;
        }
        long unparsed = manager.getOntologyFormat(ontology).getOntologyLoaderMetaData()
                .map(meta -> meta.getUnparsedTriples().count()).orElse(0L);
        System.out.println("parse: ok");
        System.out.println("unparsed-triples: " + unparsed);
        System.out.println("axioms: " + ontology.getAxiomCount());
        System.out.println("logical-axioms: " + ontology.getLogicalAxiomCount());
        long annotated = ontology.axioms().filter(a -> a.isAnnotated()).count();
        System.out.println("annotated-axioms: " + annotated);
        System.out.println("classes: " + ontology.classesInSignature(Imports.EXCLUDED).count());
        System.out.println("object-properties: "
                + ontology.objectPropertiesInSignature(Imports.EXCLUDED).count());
        System.out.println("annotation-properties: "
                + ontology.annotationPropertiesInSignature(Imports.EXCLUDED).count());
        System.out.println("individuals: "
                + ontology.individualsInSignature(Imports.EXCLUDED).count());
        System.out.println("subclass-axioms: " + ontology.getAxiomCount(AxiomType.SUBCLASS_OF));
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        List<OWLProfileViolation> violations = report.getViolations();
        System.out.println("dl-violations: " + violations.size());
        for (OWLProfileViolation v : violations) {
            System.out.println("violation: " + v.toString().replace('\n', ' '));
        }
        System.exit(violations.isEmpty() && unparsed == 0 ? 0 : 1);
    }

    /**
     * A manager that, unless imports are to be followed, maps every imported ontology's IRI
     * to a document that cannot be read (a path under /dev/null), so that loading an import
     * fails at once, without a network connection, and is reported as a missing import.
     */
    private static OWLOntologyManager manager(boolean followImports) {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        if (!followImports) {
            manager.getIRIMappers().clear();
            manager.getIRIMappers().add(
                    (OWLOntologyIRIMapper) iri -> IRI.create(REFUSED_IMPORT));
        }
        return manager;
    }

    /** The OWL API format for a format name, or null for an unknown name. */
    private static OWLDocumentFormat documentFormat(String name) {
        switch (name) {
            case "rdfxml": return new RDFXMLDocumentFormat();
            case "turtle": return new TurtleDocumentFormat();
            case "ntriples": return new NTriplesDocumentFormat();
            case "nquads": return new NQuadsDocumentFormat();
            case "jsonld": return new RDFJsonLDDocumentFormat();
            default: return null;
        }
    }

    /**
     * Load IN in whatever format the OWL API finds (RDF/XML, Turtle, OBO 1.4...), imports
     * not followed unless asked, and save what it read as RDF/XML to OUT, so another program
     * can compare it with the source.
     */
    private static void convert(File in, File out, boolean followImports) throws Exception {
        OWLOntologyManager manager = manager(followImports);
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(in);
        manager.saveOntology(ontology, new RDFXMLDocumentFormat(), IRI.create(out.toURI()));
        System.out.println("converted: " + ontology.getAxiomCount());
    }

    /**
     * Load IN, save it as RDF/XML the way Protege does (OWL API RDF/XML writer) to OUT, load
     * OUT again and compare: every axiom (with its annotations) and every ontology annotation.
     */
    private static void roundTrip(File in, File out, boolean followImports) throws Exception {
        OWLOntologyManager first = manager(followImports);
        OWLOntology original = first.loadOntologyFromOntologyDocument(in);
        first.saveOntology(original, new RDFXMLDocumentFormat(),
                org.semanticweb.owlapi.model.IRI.create(out.toURI()));
        OWLOntologyManager second = manager(followImports);
        OWLOntology reloaded = second.loadOntologyFromOntologyDocument(out);
        java.util.Set<org.semanticweb.owlapi.model.OWLAxiom> before =
                original.axioms().collect(Collectors.toSet());
        java.util.Set<org.semanticweb.owlapi.model.OWLAxiom> after =
                reloaded.axioms().collect(Collectors.toSet());
        System.out.println("axioms-before: " + before.size());
        System.out.println("axioms-after: " + after.size());
        System.out.println("annotated-before: " + before.stream().filter(a -> a.isAnnotated()).count());
        System.out.println("annotated-after: " + after.stream().filter(a -> a.isAnnotated()).count());
        boolean sameHeader = original.annotations().collect(Collectors.toSet())
                .equals(reloaded.annotations().collect(Collectors.toSet()));
        System.out.println("header-equal: " + sameHeader);
        System.out.println("axioms-equal: " + before.equals(after));
        System.exit(before.equals(after) && sameHeader ? 0 : 1);
    }
}

import java.io.File;
import java.util.List;
import java.util.stream.Collectors;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLParserException;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
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
 *
 * Exit code 0 when the file parses completely and is in OWL 2 DL, 1 otherwise, 2 on bad usage.
 */
public final class OwlApiCheck {
    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--convert")) {
            convert(new File(args[1]), new File(args[2]));
            return;
        }
        if (args.length == 3 && args[0].equals("--roundtrip")) {
            roundTrip(new File(args[1]), new File(args[2]));
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: OwlApiCheck FILE.owl | OwlApiCheck --roundtrip IN.owl OUT.owl");
            System.exit(2);
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setReportStackTraces(false)
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(
                    new FileDocumentSource(new File(args[0])), config);
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
     * Load IN in whatever format the OWL API finds (RDF/XML, Turtle, OBO 1.4...) and save
     * what it read as RDF/XML to OUT, so another program can compare it with the source.
     */
    private static void convert(File in, File out) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(in);
        manager.saveOntology(ontology, new org.semanticweb.owlapi.formats.RDFXMLDocumentFormat(),
                org.semanticweb.owlapi.model.IRI.create(out.toURI()));
        System.out.println("converted: " + ontology.getAxiomCount());
    }

    /**
     * Load IN, save it as RDF/XML the way Protege does (OWL API RDF/XML writer) to OUT, load
     * OUT again and compare: every axiom (with its annotations) and every ontology annotation.
     */
    private static void roundTrip(File in, File out) throws Exception {
        OWLOntologyManager first = OWLManager.createOWLOntologyManager();
        OWLOntology original = first.loadOntologyFromOntologyDocument(in);
        first.saveOntology(original, new org.semanticweb.owlapi.formats.RDFXMLDocumentFormat(),
                org.semanticweb.owlapi.model.IRI.create(out.toURI()));
        OWLOntologyManager second = OWLManager.createOWLOntologyManager();
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

package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * custody-bom pins every module that a user depends on, at the build's own version: a module
 * added to the root pom and forgotten in the BOM fails here.
 */
class BomTest {
    private static Document read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of the first child element of {@code parent} named {@code name}, or null. */
    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }

    @Test
    void theBomPinsEveryModuleAtTheBuildsVersion() throws Exception {
        Document root = read(Path.of("..", "pom.xml"));
        Document bom = read(Path.of("..", "custody-bom", "pom.xml"));
        List<String> modules = new ArrayList<>();
        var m = root.getElementsByTagName("module");
        for (int i = 0; i < m.getLength(); i++) {
            modules.add(m.item(i).getTextContent().strip());
        }
        assertThat(modules).contains("custody-bom");
        modules.removeAll(List.of("custody-bom", "custody-bench")); // the BOM itself; benchmarks are not a dependency

        Element bomProject = bom.getDocumentElement();
        assertThat(child(bomProject, "parent")).as("no parent: importing it pins custody's modules only").isNull();
        assertThat(child(bomProject, "groupId")).isEqualTo("dev.custody");
        assertThat(child(bomProject, "artifactId")).isEqualTo("custody-bom");
        assertThat(child(bomProject, "version")).isEqualTo(child(root.getDocumentElement(), "version"));

        List<String> pinned = new ArrayList<>();
        var deps = bom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            assertThat(child(d, "groupId")).isEqualTo("dev.custody");
            assertThat(child(d, "version")).isEqualTo("${project.version}");
            pinned.add(child(d, "artifactId") + (child(d, "classifier") == null ? "" : ":" + child(d, "classifier")));
        }
        assertThat(pinned).containsAll(modules).contains("custody-agent:agent").doesNotHaveDuplicates();
    }
}

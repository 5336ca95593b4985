package dev.custody.cli;

import java.io.StringWriter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes well-formed HTML (XHTML syntax, with inline SVG) through the JDK's XML stream writer,
 * which escapes every text and attribute value. Use {@link #empty} only for void elements and
 * SVG shapes; every other element is opened and closed.
 */
final class Xhtml {
    private final StringWriter buffer = new StringWriter();
    private final XMLStreamWriter w;

    Xhtml() {
        try {
            w = XMLOutputFactory.newFactory().createXMLStreamWriter(buffer);
        } catch (XMLStreamException e) {
            throw broken(e);
        }
        write(() -> w.writeDTD("<!DOCTYPE html>\n"));
    }

    /** Opens an element with attributes given as name, value, name, value... */
    Xhtml open(String name, String... attributes) {
        return write(() -> {
            w.writeStartElement(name);
            attributes(attributes);
        });
    }

    /** Closes the innermost open element. */
    Xhtml close() {
        return write(w::writeEndElement);
    }

    /** A self-closed element: a void HTML element or an SVG shape. */
    Xhtml empty(String name, String... attributes) {
        return write(() -> {
            w.writeEmptyElement(name);
            attributes(attributes);
        });
    }

    /** Escaped text. */
    Xhtml text(String text) {
        return write(() -> w.writeCharacters(text));
    }

    /** An element holding only text. */
    Xhtml element(String name, String text, String... attributes) {
        return open(name, attributes).text(text).close();
    }

    /** Closes every open element and returns the document. */
    String finish() {
        write(() -> {
            w.writeEndDocument();
            w.close();
        });
        return buffer.toString();
    }

    /** One step of writing. */
    @FunctionalInterface
    private interface Step {
        void run() throws XMLStreamException;
    }

    private Xhtml write(Step step) {
        try {
            step.run();
            return this;
        } catch (XMLStreamException e) {
            throw broken(e);
        }
    }

    private void attributes(String[] attributes) throws XMLStreamException {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            w.writeAttribute(attributes[i], attributes[i + 1]);
        }
    }

    /** The writer only fails on a programming error: it writes to memory. */
    private static IllegalStateException broken(XMLStreamException e) {
        return new IllegalStateException("cannot write the HTML report: " + e.getMessage(), e);
    }
}

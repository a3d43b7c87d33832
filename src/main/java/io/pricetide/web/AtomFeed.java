package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.template.Html;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Change events as an Atom 1.0 feed (RFC 4287). The XML writer escapes markup; characters XML forbids are dropped
 * first ({@link Html#xmlText}), so a hostile model name stays text and the feed stays well-formed. Ids are
 * name-based UUID URNs of the public URL and the event id, stable across requests.
 */
final class AtomFeed {
  static final String NS = "http://www.w3.org/2005/Atom";

  private AtomFeed() {}

  /**
   * Renders a feed.
   *
   * @param base public base URL without trailing slash, e.g. {@code http://localhost:8080}
   * @param title feed title
   * @param selfPath path and query of this feed
   * @param htmlPath path and query of the matching HTML page
   * @param events events, newest first (each dated by when it happened: {@code updated} and {@code published})
   */
  static String render(String base, String title, String selfPath, String htmlPath, List<FeedQueries.Dated> events) {
    try {
      StringWriter sw = new StringWriter();
      XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(sw);
      w.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
      w.writeStartElement("feed");
      w.writeDefaultNamespace(NS);
      text(w, "id", urn(base + selfPath));
      text(w, "title", title);
      Instant updated = Instant.EPOCH;
      for (FeedQueries.Dated d : events) {
        updated = d.at().isAfter(updated) ? d.at() : updated;
      }
      text(w, "updated", updated.toString());
      link(w, "self", "application/atom+xml", base + selfPath);
      link(w, "alternate", "text/html", base + htmlPath);
      w.writeStartElement("author");
      text(w, "name", "Pricetide");
      w.writeEndElement();
      text(w, "generator", "Pricetide");
      for (FeedQueries.Dated d : events) {
        entry(w, base, d.event(), d.at());
      }
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
      return sw.toString();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing Atom feed", e);
    }
  }

  private static void entry(XMLStreamWriter w, String base, ChangeEvent e, Instant at) throws XMLStreamException {
    w.writeStartElement("entry");
    text(w, "id", urn(base + "/changes/" + e.id()));
    text(w, "title", Describe.headline(e));
    text(w, "updated", at.toString());
    text(w, "published", at.toString());
    String href = e.isUsage() ? base + "/usage" : e.canonicalModel() == null ? base + "/sources"
        : base + "/model?id=" + Urls.enc(e.canonicalModel());
    link(w, "alternate", "text/html", href);
    w.writeStartElement("category");
    w.writeAttribute("term", e.kind());
    w.writeEndElement();
    w.writeStartElement("summary");
    w.writeAttribute("type", "text");
    w.writeCharacters(Html.xmlText(Describe.summary(e)));
    w.writeEndElement();
    w.writeEndElement();
  }

  private static void text(XMLStreamWriter w, String element, String value) throws XMLStreamException {
    w.writeStartElement(element);
    w.writeCharacters(Html.xmlText(value));
    w.writeEndElement();
  }

  private static void link(XMLStreamWriter w, String rel, String type, String href) throws XMLStreamException {
    w.writeStartElement("link");
    w.writeAttribute("rel", rel);
    w.writeAttribute("type", type);
    w.writeAttribute("href", Html.xmlText(href));
    w.writeEndElement();
  }

  static String urn(String name) {
    return "urn:uuid:" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }
}

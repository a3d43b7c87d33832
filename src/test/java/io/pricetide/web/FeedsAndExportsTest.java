package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Feeds, exports and the OpenAPI document over a replayed history, read as a client reads them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedsAndExportsTest {
  UiFixture fx;

  @BeforeAll
  void start(@TempDir Path root) throws Exception {
    fx = UiFixture.start(root);
  }

  @AfterAll
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  @DisplayName("The Atom feeds are well-formed Atom 1.0 with id, title and updated on the feed and every entry; "
      + "the hostile model name is plain text in an entry title")
  void atomValidates() throws Exception {
    for (String path : List.of("/feeds/changes.atom", "/feeds/providers/acme.atom", "/feeds/models/acme-large.atom",
        "/feeds/changes.atom?kind=price_cut")) {
      HttpResponse<String> r = fx.send(path);
      assertEquals(200, r.statusCode(), path);
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/atom+xml"), path);
      Document doc = parse(r.body());
      Element feed = doc.getDocumentElement();
      assertEquals(AtomFeed.NS, feed.getNamespaceURI(), path);
      assertEquals("feed", feed.getLocalName());
      requireAtom(feed, path);
      assertNotNull(child(feed, "author"), "feed author (entries carry none)");
      List<Element> entries = children(feed, "entry");
      assertFalse(entries.isEmpty(), path + " has entries");
      Set<String> ids = new HashSet<>();
      for (Element e : entries) {
        requireAtom(e, path + " entry");
        assertTrue(ids.add(text(e, "id")), "entry ids are unique");
        Element link = child(e, "link");
        assertNotNull(link, "entry link");
        assertTrue(link.getAttribute("href").startsWith(fx.base + "/"), link.getAttribute("href"));
      }
    }
    Document all = parse(fx.get("/feeds/changes.atom"));
    List<String> titles = children(all.getDocumentElement(), "entry").stream().map(e -> text(e, "title")).toList();
    assertTrue(titles.contains(UiFixture.HOSTILE + " input added at $1.00 / 1M tokens"), titles::toString);
    assertTrue(titles.contains("Acme Large input -41.67% to $7.00 / 1M tokens"), titles::toString);
    Document acme = parse(fx.get("/feeds/models/acme-large.atom"));
    assertTrue(children(acme.getDocumentElement(), "entry").stream()
        .allMatch(e -> text(e, "title").startsWith("Acme Large ")), "a model's feed has only that model");
  }

  @Test
  @DisplayName("The price CSV export round-trips: parsed back, it equals /api/prices field by field")
  void pricesCsvRoundTrips() throws Exception {
    HttpResponse<String> r = fx.send("/api/export/prices.csv");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Disposition").orElse("").contains("attachment"));
    List<List<String>> rows = parseCsv(r.body());
    assertEquals(Exports.PRICE_COLUMNS, rows.get(0));
    JsonArray api = new JsonObject(fx.get("/api/prices")).getJsonArray("prices");
    assertEquals(api.size(), rows.size() - 1);
    for (int i = 0; i < api.size(); i++) {
      JsonObject p = api.getJsonObject(i);
      for (int c = 0; c < Exports.PRICE_COLUMNS.size(); c++) {
        String expected = p.getString(Exports.PRICE_COLUMNS.get(c));
        assertEquals(expected == null ? "" : expected, rows.get(i + 1).get(c), "row " + i + " "
            + Exports.PRICE_COLUMNS.get(c));
      }
    }
    assertTrue(rows.stream().anyMatch(row -> row.get(2).equals(UiFixture.HOSTILE)), "the hostile name survives");
    JsonArray json = new JsonObject(fx.get("/api/export/prices.json")).getJsonArray("prices");
    assertEquals(api, json);
  }

  @Test
  @DisplayName("The series CSV export round-trips against /api/series, removals as empty values")
  void seriesCsvRoundTrips() throws Exception {
    List<List<String>> rows = parseCsv(fx.get("/api/export/series.csv?model=acme-large&metric=input"));
    assertEquals(Exports.SERIES_COLUMNS, rows.get(0));
    JsonArray series = new JsonObject(fx.get("/api/series?model=acme-large&metric=input")).getJsonArray("series");
    List<List<String>> expected = new ArrayList<>();
    for (Object o : series) {
      JsonObject s = (JsonObject) o;
      for (Object po : s.getJsonArray("points")) {
        JsonObject p = (JsonObject) po;
        expected.add(List.of(s.getString("source"), s.getString("provider"), s.getString("model"),
            s.getString("canonical_model"), s.getString("metric"), "", p.getString("observed_at"),
            p.getString("value"), s.getString("currency"), p.getString("usd_per_1m")));
      }
    }
    assertEquals(expected, rows.subList(1, rows.size()));
    assertEquals(List.of("10.00", "8.00", "12.00", "7.00"), rows.subList(1, rows.size()).stream()
        .map(x -> x.get(9)).toList());
    assertEquals(400, fx.send("/api/export/series.csv?model=acme-large").statusCode());
  }

  @Test
  @DisplayName("CSV quoting: commas, quotes and line breaks are quoted; formula-like text is defused")
  void csvQuoting() {
    StringBuilder b = new StringBuilder();
    Csv.row(b, List.of("a,b", "say \"hi\"", "two\nlines", "=SUM(A1)", "-30.00"), new boolean[] {false, false, false,
        false, true});
    assertEquals("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",'=SUM(A1),-30.00\r\n", b.toString());
    assertEquals(List.of(List.of("a,b", "say \"hi\"", "two\nlines", "'=SUM(A1)", "-30.00")), parseCsv(b.toString()));
  }

  @Test
  @DisplayName("/api/openapi.json is OpenAPI 3 and documents every /api route the code mounts")
  void openApiCoversEveryRoute() throws Exception {
    JsonObject doc = new JsonObject(fx.get("/api/openapi.json"));
    assertTrue(doc.getString("openapi").startsWith("3."));
    JsonObject paths = doc.getJsonObject("paths");
    Set<String> declared = declaredApiRoutes(Path.of("src/main/java"));
    assertTrue(declared.contains("get /api/prices") && declared.contains("get /api/openapi.json"), declared::toString);
    List<String> missing = new ArrayList<>();
    for (String route : declared) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1).replaceAll(":([A-Za-z_]+)", "{$1}");
      JsonObject item = paths.getJsonObject(path);
      if (item == null || !item.containsKey(method)) {
        missing.add(route);
      }
    }
    assertTrue(missing.isEmpty(), () -> "routes missing from openapi.json: " + missing);
  }

  @Test
  @DisplayName("Unknown pages answer an HTML 404 page, unknown API paths a JSON 404")
  void notFound() throws Exception {
    HttpResponse<String> page = fx.send("/no-such-page");
    assertEquals(404, page.statusCode());
    assertTrue(page.body().contains("There is no page at this address."));
    HttpResponse<String> api = fx.send("/api/no-such-thing");
    assertEquals(404, api.statusCode());
    assertTrue(new JsonObject(api.body()).getString("error").startsWith("no such endpoint"));
    assertEquals(404, fx.send("/model?id=no-such-model").statusCode());
  }

  @Test
  @DisplayName("Pages escape the hostile name in text and attributes: no raw tag or attribute breaker is served")
  void pagesEscape() throws Exception {
    String canonical = io.pricetide.price.CanonicalModels.RULES.canonical(UiFixture.HOSTILE);
    for (String path : List.of("/", "/changes", "/model?id=" + Urls.enc(canonical),
        "/compare?m=acme-large&m=" + Urls.enc(canonical))) {
      // JSON blocks escape '"' their own way (\"); they are checked below for '<'.
      String body = fx.get(path).replaceAll("(?s)<script type=\"application/json\" class=\"chart-data\">.*?</script>",
          "");
      assertFalse(body.contains("<script>window"), path);
      assertFalse(body.contains("<img src=x"), path);
      assertFalse(body.contains("\"onerror"), path);
      // Names may carry <wbr> between their parts (Describe.breakable): markup of ours, not the page's.
      assertTrue(body.replace("<wbr>", "").contains("Evil &lt;script&gt;window.__pwned=1&lt;/script&gt; &quot;onerror"),
          path);
    }
    String model = fx.get("/model?id=" + Urls.enc(canonical));
    Matcher m = Pattern.compile("<script type=\"application/json\" class=\"chart-data\">(.*?)</script>",
        Pattern.DOTALL).matcher(model);
    assertTrue(m.find(), "the chart's JSON block");
    assertFalse(m.group(1).contains("<"), "no '<' inside the JSON block");
    JsonObject chart = new JsonObject(m.group(1));
    assertTrue(chart.getJsonArray("series").getJsonObject(0).getString("label").startsWith(UiFixture.HOSTILE));
  }

  static Set<String> declaredApiRoutes(Path src) throws IOException {
    Pattern route = Pattern.compile("\\.(get|post|put|delete|patch)\\(\"(/api/[^\"]*)\"");
    Set<String> out = new HashSet<>();
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = route.matcher(Files.readString(f));
        while (m.find()) {
          out.add(m.group(1) + " " + m.group(2));
        }
      }
    }
    return out;
  }

  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  /** RFC 4287: atom:id, atom:title and atom:updated (a date-time) once each. */
  private static void requireAtom(Element e, String where) {
    for (String name : List.of("id", "title", "updated")) {
      assertEquals(1, children(e, name).size(), where + " has exactly one " + name);
      assertFalse(text(e, name).isBlank(), where + " " + name + " is not empty");
    }
    Instant.parse(text(e, "updated"));
    assertTrue(text(e, "id").matches("[a-z][a-z0-9+.-]*:.+"), where + " id is an IRI: " + text(e, "id"));
  }

  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nl = parent.getChildNodes();
    for (int i = 0; i < nl.getLength(); i++) {
      Node n = nl.item(i);
      if (n instanceof Element el && AtomFeed.NS.equals(el.getNamespaceURI()) && name.equals(el.getLocalName())) {
        out.add(el);
      }
    }
    return out;
  }

  static Element child(Element parent, String name) {
    List<Element> c = children(parent, name);
    return c.isEmpty() ? null : c.get(0);
  }

  static String text(Element parent, String name) {
    Element c = child(parent, name);
    return c == null ? "" : c.getTextContent();
  }

  /** An RFC 4180 reader, independent of the writer. */
  static List<List<String>> parseCsv(String s) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
          f.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          f.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(f.toString());
        f.setLength(0);
      } else if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
        row.add(f.toString());
        f.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        f.append(c);
      }
    }
    if (f.length() > 0 || !row.isEmpty()) {
      row.add(f.toString());
      rows.add(row);
    }
    return rows;
  }
}

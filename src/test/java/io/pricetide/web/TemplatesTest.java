package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.template.Html;
import io.pricetide.template.Templates;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page template renderer: escaping by default, sections, partials, overrides and clear errors. */
class TemplatesTest {
  @TempDir
  Path dir;

  private Templates with(String name, String text) throws Exception {
    Files.createDirectories(dir.resolve("page"));
    Files.writeString(dir.resolve("page/" + name + ".html"), text);
    return Templates.pages(dir);
  }

  @Test
  @DisplayName("Values are HTML-escaped in text and attributes; {{&x}} is raw only for Html.Safe")
  void escapes() throws Exception {
    Templates t = with("t", "<p title=\"{{v}}\">{{v}}</p>{{&v}}{{&safe}}");
    String out = t.render("t", Map.of("v", "<script>\"x'&`", "safe", new Html.Safe("<b>ok</b>")));
    assertEquals("<p title=\"&lt;script&gt;&quot;x&#39;&amp;&#96;\">&lt;script&gt;&quot;x&#39;&amp;&#96;</p>"
        + "&lt;script&gt;&quot;x&#39;&amp;&#96;<b>ok</b>", out);
  }

  @Test
  @DisplayName("Sections iterate lists, test truthiness, invert, and look names up the context stack")
  void sections() throws Exception {
    Templates t = with("t", "{{#rows}}[{{name}}:{{unit}}{{#hot}}!{{/hot}}]{{/rows}}{{^rows}}none{{/rows}}"
        + "{{#empty}}x{{/empty}}{{^empty}}empty{{/empty}}{{#obj}}{{a.b}}{{/obj}}{{! a comment }}{{#list}}{{.}},{{/list}}");
    String out = t.render("t", Map.of("unit", "USD", "rows", List.of(Map.of("name", "a", "hot", true),
        Map.of("name", "b", "hot", false)), "empty", List.of(), "obj", new JsonObject().put("a",
        new JsonObject().put("b", "deep")), "list", List.of("x", "y")));
    assertEquals("[a:USD!][b:USD]emptydeepx,y,", out);
  }

  @Test
  @DisplayName("Partials include other templates; a folder on disk overrides the classpath per file")
  void partialsAndOverride() throws Exception {
    Templates t = with("t", "{{>inner}}|{{>inner}}");
    Files.writeString(dir.resolve("page/inner.html"), "<i>{{v}}</i>");
    assertEquals("<i>&lt;</i>|<i>&lt;</i>", t.render("t", Map.of("v", "<")));
    Templates jar = Templates.pages(null);
    String page = jar.render("error", Map.of("title", "T<", "message", "M<", "nav", List.of()));
    assertTrue(page.contains("<h1>T&lt;</h1>") && page.contains("<p>M&lt;</p>"), page);
  }

  @Test
  @DisplayName("The usage page states plainly when no usage source is configured or none has reported yet")
  void usageEmptyState() {
    Templates jar = Templates.pages(null);
    String none = jar.render("usage", Map.of("title", "Usage", "nav", List.of(), "empty", true, "no_sources", true,
        "sections", List.of(), "overtakes", List.of()));
    assertTrue(none.contains("No usage statistics yet") && none.contains("No usage source is configured"), none);
    String waiting = jar.render("usage", Map.of("title", "Usage", "nav", List.of(), "empty", true, "no_sources",
        false, "usage_sources", List.of(Map.of("id", "openrouter-rankings", "name", "OpenRouter <rankings>")),
        "sections", List.of(), "overtakes", List.of()));
    assertTrue(waiting.contains("have not reported any figures yet") && waiting.contains("OpenRouter &lt;rankings&gt;"),
        waiting);
  }

  @Test
  @DisplayName("Broken templates fail with file and line")
  void errors() throws Exception {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> with("bad", "ok\n{{#a}}\n{{/b}}").render("bad", Map.of()));
    assertEquals("template bad.html:3: unexpected {{/b}}, open is a", e.getMessage());
    assertThrows(IllegalStateException.class, () -> with("open", "{{#a}}x").render("open", Map.of()));
    assertThrows(IllegalArgumentException.class, () -> Templates.pages(dir).render("../etc", Map.of()));
  }

  @Test
  @DisplayName("JSON for script blocks cannot close the block or start markup")
  void jsonScript() {
    String s = Html.jsonScript(new JsonObject().put("label", "</script><img src=x onerror=alert(1)>&\u2028"))
        .text();
    assertEquals("{\"label\":\"\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e\\u0026\\u2028\"}", s);
    assertEquals("a\tb", Html.xmlText("a\u0000\tb\u0001"));
  }
}

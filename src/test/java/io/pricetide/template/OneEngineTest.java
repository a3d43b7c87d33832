package io.pricetide.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one engine serves emails (named by file) and pages (named by page) with the one escaper. */
class OneEngineTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("An HTML email escapes & < > \" ' and the backtick and drops control characters, as pages do; "
      + "plain-text mail prints values as they are")
  void emailsUseTheStricterEscaper() throws Exception {
    Files.createDirectories(dir.resolve("email"));
    Files.writeString(dir.resolve("email/x.html"), "<p title=\"{{v}}\">{{v}}</p>");
    Files.writeString(dir.resolve("email/x.txt"), "{{v}}");
    Templates t = Templates.files(dir);
    Map<String, Object> m = Map.of("v", "<a href='x'>\"&`\u0001</a>");
    assertEquals("<p title=\"&lt;a href=&#39;x&#39;&gt;&quot;&amp;&#96;&lt;/a&gt;\">"
        + "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&#96;&lt;/a&gt;</p>", t.render("email/x.html", m));
    assertEquals("<a href='x'>\"&`\u0001</a>", t.render("email/x.txt", m));
    Files.createDirectories(dir.resolve("page"));
    Files.writeString(dir.resolve("page/x.html"), "{{v}}");
    assertEquals(Html.escape((String) m.get("v")), Templates.pages(dir).render("x", m));
  }

  @Test
  @DisplayName("Every built-in email and page template parses; a bad tag names the file and line")
  void builtInsParse() throws Exception {
    Templates.files(null).check(List.of("email/change.html", "email/change.txt", "email/change.subject.txt",
        "email/confirm.html", "email/digest.html", "email/operator.html", "email/operator.txt"));
    Templates.pages(null).preload("prices", "model", "changes", "sources", "error", "usage");
    Files.writeString(dir.resolve("bad.txt"), "ok\n{{ not a name }}");
    TemplateException e = assertThrows(TemplateException.class,
        () -> Templates.files(dir).render("bad.txt", Map.of()));
    assertTrue(e.getMessage().startsWith("template bad.txt:2: bad tag"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Templates.files(dir).render("../bad.txt", Map.of()));
  }
}

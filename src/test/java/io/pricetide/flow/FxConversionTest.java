package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pricetide.cli.Cli;
import io.pricetide.testing.Pages;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prices in CNY convert to USD at the ECB rate of their own day; before any rate, at the configured one. */
class FxConversionTest {
  @TempDir
  Path root;

  private static String ecb(String day, String usd, String cny) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
            xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
          <gesmes:subject>Reference rates</gesmes:subject>
          <Cube><Cube time="%s">
            <Cube currency="USD" rate="%s"/><Cube currency="JPY" rate="160.00"/><Cube currency="CNY" rate="%s"/>
          </Cube></Cube>
        </gesmes:Envelope>
        """.formatted(day, usd, cny);
  }

  private static String cnyPage(String large) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("Acme Large", new String[] {large, "30"});
    return Pages.table(rows).replace("$", "¥");
  }

  private List<String> cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err,
        Map.of("PRICETIDE_DATA_DIR", root.resolve("data").toString()));
    assertEquals(0, code, () -> "exit code of " + List.of(args));
    String s = out.toString(StandardCharsets.UTF_8).strip();
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }

  @Test
  @DisplayName("A CNY cut converts old and new at their own day's ECB rate; the percent is on CNY")
  void convertsAtTheRateOfTheDay() throws Exception {
    Path sources = Files.createDirectories(root.resolve("sources"));
    Files.writeString(sources.resolve("ecb-fx.yaml"), """
        id: ecb-fx
        kind: fx
        url: https://ecb.example/eurofxref-daily.xml
        format: xml
        schedule: "0 10 16 ? * MON-FRI"
        extractor:
          kind: ecb-fx
        """);
    Files.writeString(sources.resolve("acme-cn.yaml"), Pages.sourceYaml("acme-cn", "https://acme.example/cn",
        "0 0 0 * * ?").replace("currency: USD", "currency: CNY"));
    Path fx = Files.createDirectories(root.resolve("fx"));
    Files.writeString(fx.resolve("2026-01-02T161000_ecb.xml"), ecb("2026-01-02", "1.10", "7.70"));
    Files.writeString(fx.resolve("2026-01-05T161000_ecb.xml"), ecb("2026-01-05", "1.10", "8.00"));
    Path pages = Files.createDirectories(root.resolve("pages"));
    Files.writeString(pages.resolve("2026-01-01_acme.html"), cnyPage("10"));
    Files.writeString(pages.resolve("2026-01-02T090000_acme.html"), cnyPage("8"));
    Files.writeString(pages.resolve("2026-01-06_acme.html"), cnyPage("5"));

    String s = "--sources=" + sources;
    cli("replay", "--source", "ecb-fx", s, fx.toString());
    cli("replay", "--source", "acme-cn", s, pages.toString());
    List<JsonObject> events = cli("events", "--source", "acme-cn", "--format", "jsonl", s).stream()
        .map(JsonObject::new).toList();
    assertEquals(2, events.size(), events::toString);
    // 2026-01-02 09:00: that day's rate is 1.10/7.70 (published later that day); the baseline of 2026-01-01 had
    // no rate yet and used the configured 0.1380.
    JsonObject first = events.get(0);
    assertEquals("1.38", first.getString("old"), "10 CNY at the configured fallback rate");
    assertEquals("1.1428571432", first.getString("new"), "8 CNY at the recorded rate 0.1428571429 (1.10/7.70), "
        + "every digit of the product");
    assertEquals("-20.00", first.getString("change_pct"));
    JsonObject second = events.get(1);
    assertEquals("0.6875", second.getString("new"), "5 CNY at 1.10/8.00");
    assertEquals("CNY", second.getString("currency"));
    assertEquals("5.00", second.getString("new_value"));
    assertEquals("-37.50", second.getString("change_pct"));
  }
}

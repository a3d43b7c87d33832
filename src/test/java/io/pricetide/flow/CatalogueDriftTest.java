package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pricetide.testing.CliRunner;
import io.pricetide.testing.Pages;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catalogue that disagrees with the vendor's own page by more than 5% is recorded once, as catalogue_drift. */
class CatalogueDriftTest {
  @TempDir
  Path root;

  private List<String> cli(String... args) {
    return new CliRunner(root).run(args);
  }

  private static String catalogue(String largeInput) {
    return "{\"models\":[{\"id\":\"acme/acme-large-2026-01\",\"in\":\"" + largeInput + "\",\"out\":\"30\"},"
        + "{\"id\":\"acme/acme-small\",\"in\":\"0.15\",\"out\":\"0.60\"},"
        // The vendor prices acme-mini under two names: a catalogue copying either one is not wrong.
        + "{\"id\":\"acme/acme-mini\",\"in\":\"2\",\"out\":\"4\"},"
        // A reseller's own price for the same model is its price, not a wrong copy of the vendor's: never drift.
        + "{\"id\":\"resell/acme-large-2026-01\",\"in\":\"4\",\"out\":\"9\"}]}";
  }

  @Test
  @DisplayName("Drift starts once (naming both prices, since when and who agrees), only for the vendor's own offering, "
      + "is forgotten when they agree, and can start again")
  void drift() throws Exception {
    Path sources = Files.createDirectories(root.resolve("sources"));
    Files.writeString(sources.resolve("acme.yaml"), Pages.sourceYaml("acme", "https://acme.example/pricing",
        "0 0 0 * * ?"));
    Files.writeString(sources.resolve("acme-catalogue.yaml"), """
        id: acme-catalogue
        url: https://catalogue.example/prices.json
        format: json
        schedule: "0 0 0 * * ?"
        extractor:
          kind: json
          items: models
          model: id
          provider: $prefix
          prices: {input: in, output: out}
        """);
    Files.writeString(sources.resolve("other-catalogue.yaml"), """
        id: other-catalogue
        url: https://other.example/prices.json
        format: json
        schedule: "0 0 0 * * ?"
        extractor:
          kind: json
          items: models
          model: id
          provider: $prefix
          prices: {input: in, output: out}
        """);
    Files.writeString(sources.resolve("_model-aliases.yaml"), "acme-large: [acme-large-2026-01]\nacme-mini: [acme-mini-latest]\n");
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put("Acme Large", new String[] {"10.00", "30.00"});
    rows.put("Acme Small", new String[] {"0.15", "0.60"});
    rows.put("Acme Mini", new String[] {"1.00", "2.00"});
    rows.put("Acme Mini Latest", new String[] {"2.00", "4.00"});
    Path vendor = Files.createDirectories(root.resolve("vendor"));
    Files.writeString(vendor.resolve("2026-01-01_acme.html"), Pages.table(rows));
    cli("replay", "--source", "acme", vendor.toString());

    Path other = Files.createDirectories(root.resolve("other"));
    Files.writeString(other.resolve("2026-01-01_o.json"), "{\"models\":[{\"id\":\"acme/acme-large\",\"in\":\"10\","
        + "\"out\":\"30\"}]}");
    cli("replay", "--source", "other-catalogue", other.toString());
    Path cat = Files.createDirectories(root.resolve("catalogue"));
    Files.writeString(cat.resolve("2026-01-02_c.json"), catalogue("12"));
    Files.writeString(cat.resolve("2026-01-03_c.json"), catalogue("12.5"));
    Files.writeString(cat.resolve("2026-01-04_c.json"), catalogue("10.2"));
    Files.writeString(cat.resolve("2026-01-05_c.json"), catalogue("9"));
    cli("replay", "--source", "acme-catalogue", cat.toString());

    List<JsonObject> drift = cli("events", "--kind", "catalogue_drift", "--format", "jsonl").stream()
        .map(JsonObject::new).toList();
    assertEquals(2, drift.size(), drift::toString);
    JsonObject first = drift.get(0);
    assertEquals("acme-catalogue", first.getString("source"));
    assertEquals("acme/acme-large-2026-01", first.getString("model"));
    assertEquals("acme-large", first.getString("canonical_model"), "matched through the alias file");
    assertEquals("input", first.getString("metric"));
    assertEquals("10.00", first.getString("old"), "the first-party price");
    assertEquals("12.00", first.getString("new"), "the catalogue's price");
    assertEquals("20.00", first.getString("change_pct"));
    assertEquals("2026-01-02T00:00:00Z", first.getString("observed_at"));
    assertEquals("acme-catalogue lists acme/acme-large-2026-01 input at $12.00 per 1M, 20.00% off acme's own $10.00, "
        + "since 2026-01-02; 1 of 1 other catalogue agrees with acme", first.getString("reason"));
    assertEquals("2026-01-05T00:00:00Z", drift.get(1).getString("observed_at"), "again after agreeing on 01-04");
    assertEquals("-10.00", drift.get(1).getString("change_pct"));
  }
}

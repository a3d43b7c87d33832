package io.pricetide.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckRequest;
import io.pricetide.bus.PageFetched;
import io.pricetide.bus.PricesExtracted;
import io.pricetide.price.Observation;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The bus contract as code: each address is in the document, has a consumer, and its body encodes one way. */
class BusContractTest {
  static List<String> addresses() throws IllegalAccessException {
    List<String> out = new ArrayList<>();
    for (Field f : Addresses.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        out.add((String) f.get(null));
      }
    }
    assertTrue(out.size() >= 4, "found the addresses");
    return out;
  }

  @Test
  @DisplayName("Every address in code is in the address table of docs/architecture.md, and nothing else is")
  void everyAddressIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("docs/architecture.md"));
    for (String a : addresses()) {
      assertTrue(doc.contains("| `" + a + "` |"), "docs/architecture.md has no row for the address " + a);
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\| `([a-z]+\\.[a-z.]+)` \\|").matcher(doc);
    List<String> rows = new ArrayList<>();
    while (m.find()) {
      rows.add(m.group(1));
    }
    assertEquals(addresses().stream().sorted().toList(), rows.stream().sorted().toList(),
        "the address table lists exactly the addresses in bus/Addresses.java");
  }

  @Test
  @DisplayName("Every address has a consumer in src/main (an address nobody consumes is removed)")
  void everyAddressIsConsumed() throws Exception {
    Map<Path, String> sources = LayersTest.sources();
    for (Field f : Addresses.class.getFields()) {
      if (f.getType() != String.class) {
        continue;
      }
      String use = "consumer(Addresses." + f.getName();
      String local = "localConsumer(Addresses." + f.getName();
      assertTrue(sources.values().stream().anyMatch(s -> s.contains(use) || s.contains(local)), "nothing consumes "
          + f.get(null) + " (no '" + use + "' or '" + local + "' in src/main)");
    }
  }

  @Test
  @DisplayName("In cluster mode the hand-offs stay on their node: they carry a body and name this node's raw archive")
  void handOffsAreLocal() throws Exception {
    Map<Path, String> sources = LayersTest.sources();
    for (String name : List.of("PAGE_FETCHED", "PRICES_EXTRACTED")) {
      assertTrue(sources.values().stream().anyMatch(s -> s.contains("localConsumer(Addresses." + name)),
          name + " is consumed with localConsumer");
      assertTrue(sources.values().stream().noneMatch(s -> s.contains(">consumer(Addresses." + name)
          || s.contains(".consumer(Addresses." + name)), name + " has no cluster-wide consumer");
    }
  }

  @Test
  @DisplayName("Message bodies survive their one encoding")
  void bodiesRoundTrip() {
    CheckRequest r = new CheckRequest("acme", Instant.parse("2026-01-02T03:04:05Z"));
    assertEquals(r, CheckRequest.fromJson(r.toJson()));
    PageFetched p = new PageFetched("acme", "ab12", Instant.parse("2026-01-02T03:04:05Z"),
        "text/html; charset=iso-8859-1", "\"e1\"", "Tue, 01 Dec 2026 00:00:00 GMT", 200);
    JsonObject sent = p.toJson(new byte[] {1, 2, 3});
    assertEquals(3, PageFetched.takeBody(sent).length);
    assertEquals(null, PageFetched.takeBody(sent), "the body is taken out of the message");
    assertEquals(p, PageFetched.fromJson(sent));
    Observation o = new Observation("acme", "m", "m", "input", "", new BigDecimal("2.50"), "USD",
        new BigDecimal("2.50"), Instant.parse("2025-07-28T00:00:00Z"));
    PricesExtracted x = new PricesExtracted(p, List.of(o), null);
    assertEquals(x, PricesExtracted.fromJson(x.toJson()));
    PricesExtracted failed = new PricesExtracted(p, List.of(), "source acme: no table");
    assertEquals(failed, PricesExtracted.fromJson(failed.toJson()));
  }
}

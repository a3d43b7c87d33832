package io.pricetide.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import io.pricetide.source.Guards;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The change detector's rename step, pure: history and observations in, a plan out. */
class RenamesTest {
  private static final Instant AT = Instant.parse("2026-02-01T00:00:00Z");

  private static Observation obs(String model, String canonical, String metric, String value) {
    BigDecimal v = new BigDecimal(value);
    return new Observation("acme", model, canonical, metric, "", v, "USD", v);
  }

  private static Map<SeriesKey, Previous> history(Observation... before) {
    Map<SeriesKey, Previous> h = new LinkedHashMap<>();
    for (Observation o : before) {
      h.put(o.key(), new Previous(o.provider(), o.canonicalModel(), o.value(), o.usdPer1m(), o.currency(), true, 0));
    }
    return h;
  }

  private static List<String> kinds(ChangePlan p) {
    return p.events.stream().map(e -> e.kind() + ":" + e.model()).toList();
  }

  @Test
  @DisplayName("Every row lost, the same prices under the words in another order: one quiet model_renamed")
  void wordOrder() {
    Map<SeriesKey, Previous> h = history(obs("Claude 3 Opus", null, "input", "15"),
        obs("Claude 3 Opus", null, "output", "75"));
    ChangePlan p = ChangeDetector.plan("s", h, List.of(obs("Claude Opus 3", null, "input", "15.00"),
        obs("Claude Opus 3", null, "output", "75")), Guards.DEFAULTS, AT);
    assertFalse(p.isFailure(), () -> p.failure.reason());
    assertEquals(List.of("model_renamed:Claude Opus 3"), kinds(p));
    ChangeEvent e = p.events.get(0);
    assertFalse(e.toSubscribers());
    assertTrue(e.reason().contains("Claude 3 Opus"), e.reason());
    assertEquals(2, p.renamed.size());
    assertTrue(p.added.isEmpty() && p.removed.isEmpty() && p.missing.isEmpty());
    assertEquals("Claude Opus 3", p.renamed.get(new SeriesKey("Claude 3 Opus", "input", "")).model());
    assertTrue(p.changesHistory());
  }

  @Test
  @DisplayName("A catalogue's keys are its own: no rename there, and another provider's series is no rename either")
  void catalogueAndProvider() {
    Map<SeriesKey, Previous> h = history(obs("Claude 3 Opus", null, "input", "15"));
    List<Observation> page = List.of(obs("Claude Opus 3", null, "input", "15"));
    assertTrue(Detection.plan(EventMode.PRICES, true, "cat", h, page, Guards.DEFAULTS, AT).isFailure());
    assertFalse(Detection.plan(EventMode.PRICES, false, "s", h, page, Guards.DEFAULTS, AT).isFailure());
    BigDecimal v = new BigDecimal("15");
    Observation reseller = new Observation("reseller", "Claude Opus 3", null, "input", "", v, "USD", v);
    assertTrue(ChangeDetector.plan("s", h, List.of(reseller), Guards.DEFAULTS, AT).isFailure());
  }

  @Test
  @DisplayName("A new name of the same canonical model is a rename; its extra metric is metric_added")
  void canonicalId() {
    Map<SeriesKey, Previous> h = history(obs("Haiku", "claude-3-haiku", "input", "0.25"));
    ChangePlan p = ChangeDetector.plan("s", h, List.of(obs("Claude Haiku 3", "claude-3-haiku", "input", "0.25"),
        obs("Claude Haiku 3", "claude-3-haiku", "cache_read", "0.03")), Guards.DEFAULTS, AT);
    assertEquals(List.of("model_renamed:Claude Haiku 3", "metric_added:Claude Haiku 3"), kinds(p));
  }

  @Test
  @DisplayName("A different value, another model or two candidates is no rename: the lost rows still fail the check")
  void noRename() {
    Map<SeriesKey, Previous> h = history(obs("Claude 3 Opus", "claude-3-opus", "input", "15"));
    ChangePlan moved = ChangeDetector.plan("s", h, List.of(obs("Claude Opus 3", "claude-3-opus", "input", "12")),
        Guards.DEFAULTS, AT);
    assertNotNull(moved.failure, "a rename keeps the price");
    ChangePlan other = ChangeDetector.plan("s", h, List.of(obs("Claude Opus 4", "claude-4-opus", "input", "15")),
        Guards.DEFAULTS, AT);
    assertNotNull(other.failure, "another model at the same price is no rename");
    ChangePlan twice = ChangeDetector.plan("s", h, List.of(obs("Opus 3", "claude-3-opus", "input", "15"),
        obs("Opus 3 (legacy)", "claude-3-opus", "input", "15")), Guards.DEFAULTS, AT);
    assertNotNull(twice.failure, "two candidates: ambiguous, no rename");
    assertTrue(twice.renamed.isEmpty());
  }

  @Test
  @DisplayName("A redesign: renamed models, retired models removed, new ones added, as long as the page reads as much")
  void redesign() {
    Map<SeriesKey, Previous> h = history(obs("Claude 3 Opus", "claude-3-opus", "input", "15"),
        obs("Claude 3 Opus", "claude-3-opus", "output", "75"), obs("Claude 2.1", "claude-2.1", "input", "8"),
        obs("Claude 2.1", "claude-2.1", "output", "24"), obs("Claude Instant", "claude-instant", "input", "0.8"));
    List<Observation> page = List.of(obs("Claude Opus 3", "claude-3-opus", "input", "15"),
        obs("Claude Opus 3", "claude-3-opus", "output", "75"), obs("Claude Opus 4", "claude-4-opus", "input", "15"),
        obs("Claude Opus 4", "claude-4-opus", "output", "75"), obs("Claude Sonnet 4", "claude-4-sonnet", "input", "3"));
    ChangePlan p = ChangeDetector.plan("s", h, page, Guards.DEFAULTS, AT);
    assertNull(p.failure, () -> p.failure.reason());
    assertEquals(List.of("model_renamed:Claude Opus 3", "model_added:Claude Opus 4", "model_added:Claude Sonnet 4",
        "model_removed:Claude 2.1", "model_removed:Claude Instant"), kinds(p));
    ChangePlan thin = ChangeDetector.plan("s", h, page.subList(0, 4), Guards.DEFAULTS, AT);
    assertNotNull(thin.failure, "a page that reads fewer prices than before is not trusted as a redesign");
    assertTrue(thin.failure.reason().contains("lost 3 of 5"), thin.failure.reason());
  }
}

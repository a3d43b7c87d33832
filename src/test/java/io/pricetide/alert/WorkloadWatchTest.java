package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bus.CheckOutcome;
import io.pricetide.workload.Workloads;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure decision of a workload subscription on a fresh ranking. */
class WorkloadWatchTest {
  private static final Workloads.Workload W = new Workloads.Workload(10_000_000, 0, 2_000_000, null, null, false,
      true);
  private static final WorkloadAlert ON_CHANGE = new WorkloadAlert(W, true, null);

  /** A ranking of "model=monthly" offers, cheapest first as given. */
  private static Workloads.Ranking ranking(String... offers) {
    List<Workloads.Offer> out = new ArrayList<>();
    for (String o : offers) {
      String[] kv = o.split("=");
      out.add(new Workloads.Offer(kv[0], "src", "p", kv[0].toUpperCase(), true, BigDecimal.ONE, BigDecimal.ONE,
          BigDecimal.ONE, new BigDecimal(kv[1]), 1, null));
    }
    return new Workloads.Ranking(out, out.size(), 0, 0, 0);
  }

  private static WorkloadWatch.Place place(String model, String monthly) {
    return new WorkloadWatch.Place(model, model.toUpperCase(), "p", "src", new BigDecimal(monthly));
  }

  private static WorkloadWatch.State state(String cheapest, String ref) {
    String[] c = cheapest.split("=");
    String[] r = ref.split("=");
    return new WorkloadWatch.State(place(c[0], c[1]), place(r[0], r[1]), 3);
  }

  @Test
  @DisplayName("The first evaluation records the first place and sends nothing; an empty ranking changes nothing")
  void baselineAndEmpty() {
    WorkloadWatch.Decision d = WorkloadWatch.decide(new WorkloadWatch.State(null, null, 0), ranking("a=2.70",
        "b=3"), ON_CHANGE);
    assertNull(d.notice());
    assertTrue(d.changed());
    assertEquals("a", d.cheapest().canonical());
    assertEquals("a", d.reference().canonical());
    WorkloadWatch.Decision empty = WorkloadWatch.decide(state("a=2.70", "a=2.70"), ranking(), ON_CHANGE);
    assertFalse(empty.changed());
    assertNull(empty.notice());
  }

  @ParameterizedTest(name = "stored {0} (told {1}), ranking {2}, trigger change={3} fall={4}: {5}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      a=2.70 | a=2.70 | b=2.60 a=2.70 | true  | -  | cheapest_changed a 2.70 -3.70
      a=2.70 | a=2.70 | b=2.70 a=2.70 | true  | -  | none
      a=2.70 | a=2.70 | b=2.60 a=2.70 | false | -  | none
      a=2.70 | a=2.70 | a=2.60        | true  | -  | none
      a=2.20 | a=2.70 | a=2.10        | false | 20 | cost_fell a 2.70 -22.22
      a=2.20 | a=2.70 | a=2.20        | false | 20 | none
      a=2.70 | a=2.70 | a=2.17        | false | 20 | none
      a=2.70 | a=2.70 | a=2.16        | false | 20 | cost_fell a 2.70 -20.00
      a=3.00 | a=3.00 | b=2.00 a=3.00 | true  | 20 | cheapest_changed a 3.00 -33.33
      a=2.70 | a=2.70 | b=2.80 c=3    | true  | -  | cheapest_changed a 2.70 +3.70
      """)
  void decides(String stored, String told, String offers, boolean onChange, BigDecimal fall, String expected) {
    WorkloadWatch.Decision d = WorkloadWatch.decide(state(stored, told), ranking(offers.split(" ")),
        new WorkloadAlert(W, onChange, fall));
    if (expected.equals("none")) {
      assertNull(d.notice(), () -> String.valueOf(d.notice()));
      return;
    }
    String[] e = expected.split(" ");
    assertEquals(e[0], d.notice().reason());
    assertEquals(e[1], d.notice().was().canonical());
    assertEquals(0, new BigDecimal(e[2]).compareTo(d.notice().was().monthly()));
    assertEquals(new BigDecimal(e[3]), d.notice().changePct());
    assertEquals(d.cheapest(), d.reference(), "after a message the reference is what was told");
  }

  @Test
  @DisplayName("A rise raises the reference, so a fall back to where it was is no fall; a tie keeps the stored model")
  void riseThenFallBack() {
    WorkloadAlert fall20 = new WorkloadAlert(W, false, new BigDecimal("20"));
    WorkloadWatch.Decision up = WorkloadWatch.decide(state("a=2.00", "a=2.00"), ranking("a=3.00"), fall20);
    assertNull(up.notice());
    assertEquals(0, new BigDecimal("3.00").compareTo(up.reference().monthly()));
    WorkloadWatch.Decision back = WorkloadWatch.decide(new WorkloadWatch.State(up.cheapest(), up.reference(), 4),
        ranking("a=2.50"), fall20);
    assertNull(back.notice(), "-16.67% from 3.00");
    assertEquals(0, new BigDecimal("3.00").compareTo(back.reference().monthly()), "the reference stays at the high");
    WorkloadWatch.Decision tie = WorkloadWatch.decide(state("b=2.70", "b=2.70"), ranking("a=2.70", "b=2.70"),
        ON_CHANGE);
    assertEquals("b", tie.cheapest().canonical());
    assertFalse(tie.changed());
  }

  @ParameterizedTest(name = "a check that ended {0} is news to workloads: {1}")
  @CsvSource({"changed, true", "unchanged, false", "new, false", "error, false"})
  @DisplayName("Only a check that changed prices is evaluated: never a failed one or one with held-back values")
  void onlyChangedChecks(String outcome, boolean news) {
    assertEquals(news, AlertVerticle.movesWorkloads(new CheckOutcome(1, "acme", outcome, null, null, 3, List.of())));
  }
}

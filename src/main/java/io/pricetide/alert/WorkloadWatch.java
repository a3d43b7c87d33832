package io.pricetide.alert;

import io.pricetide.price.Decimals;
import io.pricetide.workload.Workloads;
import java.math.BigDecimal;

/**
 * Decides, for one workload subscription, what a fresh ranking of its workload means. Pure: the stored state and
 * the ranking come in; the new state and the message (if any) go out.
 *
 * <p>Rules: with no stored first place (a new subscription whose market was empty) the ranking's first place is
 * recorded and nothing is sent. A ranking with no costed model changes nothing (an empty market says nothing about
 * the cheapest). When the stored cheapest model still ties for first place it stays the cheapest (a newcomer at the
 * same cost is no change). A message goes out when the cheapest model changed (if the subscriber asked for that) or
 * when its monthly cost fell by at least the subscriber's percentage from the reference: the first place they were
 * last told of, or the first baseline, raised whenever the cost rises above it, so a fall in several small steps
 * adds up and a rise then a fall back is no fall. After a message the reference is the new first place.
 */
final class WorkloadWatch {
  static final String CHEAPEST_CHANGED = "cheapest_changed";
  static final String COST_FELL = "cost_fell";

  private WorkloadWatch() {}

  /** One first place: a model as one source sells it, and the workload's monthly cost there (USD). */
  record Place(String canonical, String model, String provider, String source, BigDecimal monthly) {
    static Place of(Workloads.Offer o) {
      return new Place(o.canonical(), o.model(), o.provider(), o.source(), o.monthly());
    }

    boolean same(Place p) {
      return p != null && canonical.equals(p.canonical) && model.equals(p.model) && source.equals(p.source)
          && monthly.compareTo(p.monthly) == 0;
    }
  }

  /** A subscription's stored state: the last-known first place and the reference; null places before any. */
  record State(Place cheapest, Place reference, long revision) {
    static final State NONE = new State(null, null, -1);

    boolean exists() {
      return revision >= 0;
    }
  }

  /**
   * A message: why ({@link #CHEAPEST_CHANGED} or {@link #COST_FELL}), whether the model changed, the place it is
   * measured against and its change in percent (two decimals; null when that was free).
   */
  record Notice(String reason, boolean modelChanged, Place was, Workloads.Offer now, BigDecimal changePct) {}

  /** The state to store and the message to send (null for none); {@code changed} is false when nothing moved. */
  record Decision(Place cheapest, Place reference, Notice notice, boolean changed) {}

  static Decision decide(State prev, Workloads.Ranking ranking, WorkloadAlert alert) {
    Workloads.Offer first = ranking.cheapest();
    if (first == null) {
      return new Decision(prev.cheapest(), prev.reference(), null, false);
    }
    if (prev.cheapest() == null) {
      Place p = Place.of(first);
      return new Decision(p, p, null, true);
    }
    Workloads.Offer kept = ranking.of(prev.cheapest().canonical());
    Workloads.Offer now = kept != null && kept.monthly().compareTo(first.monthly()) == 0 ? kept : first;
    Place here = Place.of(now);
    Place ref = prev.reference() != null ? prev.reference() : prev.cheapest();
    boolean modelChanged = !now.canonical().equals(prev.cheapest().canonical());
    BigDecimal sinceRef = Decimals.changePct(ref.monthly(), now.monthly());
    boolean fell = alert.fallPercent() != null && sinceRef != null
        && sinceRef.negate().compareTo(alert.fallPercent()) >= 0;
    boolean tellChange = alert.onCheapestChange() && modelChanged;
    if (tellChange || fell) {
      Place was = fell ? ref : prev.cheapest();
      BigDecimal pct = Decimals.changePct(was.monthly(), now.monthly());
      return new Decision(here, here, new Notice(tellChange ? CHEAPEST_CHANGED : COST_FELL, modelChanged, was, now,
          pct), true);
    }
    Place nextRef = now.monthly().compareTo(ref.monthly()) > 0 ? here : ref;
    return new Decision(here, nextRef, null, !here.same(prev.cheapest()) || !nextRef.same(ref));
  }
}

package io.pricetide.history;

import io.pricetide.db.Transactions;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.detect.Announcements;
import io.pricetide.detect.ChangePlan;
import io.pricetide.detect.Previous;
import io.pricetide.detect.Detection;
import io.pricetide.detect.EventMode;
import io.pricetide.price.ModelFacts;
import io.pricetide.price.Observation;
import io.pricetide.price.SeriesKey;
import io.pricetide.source.Guards;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Append-only price history on JDBC. Every method blocks; callers run it off the event loop. A check's points,
 * events and check row are written in one transaction, so a crash never leaves points without their events.
 */
public final class HistoryStore {
  private final DataSource ds;
  private final SeriesCache cache;

  public HistoryStore(DataSource ds) {
    this(ds, SeriesCache.DEFAULT_CAPACITY);
  }

  /** The default cache; {@code lockPerSource} as in {@link #HistoryStore(DataSource, int, boolean)}. */
  public HistoryStore(DataSource ds, boolean lockPerSource) {
    this(ds, SeriesCache.DEFAULT_CAPACITY, lockPerSource);
  }

  /** A store that keeps at most {@code cachedSeries} series of recently checked sources in memory (0: none). */
  public HistoryStore(DataSource ds, int cachedSeries) {
    this(ds, cachedSeries, false);
  }

  /**
   * With {@code lockPerSource} (cluster mode) a check's transaction first locks its source's {@code fetch_state} row,
   * so two nodes that check one source at once apply their checks one after the other, the second against what the
   * first wrote, and a change is detected once. One process never applies a source twice at once (its check stage
   * refuses an overlapping check), so a single node needs no lock.
   */
  public HistoryStore(DataSource ds, int cachedSeries, boolean lockPerSource) {
    this.ds = ds;
    this.cache = new SeriesCache(cachedSeries);
    this.lockPerSource = lockPerSource;
  }

  private final boolean lockPerSource;

  /**
   * The last-seen time of a series, as SQL over {@code series s LEFT JOIN fetch_state f ON f.source_id =
   * s.source_id}: a series present in its source's latest extraction was seen by every check that confirmed it
   * since ({@code fetch_state.seen_at}); any other keeps the time stored on it.
   */
  public static final String LAST_SEEN = "CASE WHEN s.active AND s.missing_checks = 0 AND f.seen_at > s.last_seen "
      + "THEN f.seen_at ELSE s.last_seen END";

  /** How many checks found their source's series in memory ({@link SeriesCache}). */
  public long cacheHits() {
    return cache.hits();
  }

  // ---------------------------------------------------------------- writing

  /** As {@link #apply(String, Instant, List, Guards, CheckInfo, EventMode, Set)} for a price source alone. */
  public CheckOutcome apply(String sourceId, Instant observedAt, List<Observation> observations, Guards guards,
      CheckInfo info) {
    return apply(sourceId, observedAt, observations, guards, info, EventMode.PRICES, Set.of());
  }

  /** As {@link #apply(String, Instant, List, Guards, CheckInfo, EventMode, Set)} with no catalogues to compare. */
  public CheckOutcome apply(String sourceId, Instant observedAt, List<Observation> observations, Guards guards,
      CheckInfo info, EventMode mode) {
    return apply(sourceId, observedAt, observations, guards, info, mode, Set.of());
  }

  /**
   * Applies one successful extraction in one transaction: reads the source's series, asks {@link Detection} for
   * the plan of a source of this kind, writes points, series, events and the check row, and (unless the check
   * ended in error) the source's fetch state: the body's hash, the validators, extracted and seen now. A plan
   * refused by a guard writes only the check row and the failure event; a check with held-back values moves only
   * the seen time, so its body is extracted again next time. {@code catalogues} names the catalogue sources, whose
   * prices are compared with first-party prices for {@code catalogue_drift} events.
   */
  public CheckOutcome apply(String sourceId, Instant observedAt, List<Observation> extracted, Guards guards,
      CheckInfo info, EventMode mode, Set<String> catalogues) {
    ModelFacts.Split split = ModelFacts.split(extracted); // model facts are attributes, not series (ModelAttributes)
    List<Observation> observations = split.prices();
    SeriesCache.Entry[] next = {null};
    boolean[] wroteSeries = {false};
    if (mode == EventMode.USAGE && observations.stream().anyMatch(o -> o.effectiveFrom() != null)) {
      cache.remove(sourceId);
      return tx("apply weekly check of " + sourceId, c -> WeeklyWriter.apply(c, sourceId, observedAt, observations,
          info));
    }
    CheckOutcome result = tx("apply check of " + sourceId, c -> {
      if (lockPerSource) {
        FetchStates.lock(c, sourceId);
      }
      // Announced prices whose time has come by this check take effect first, dated at their time (a replayed
      // snapshot after the date applies them at once, so replay order holds).
      List<ChangeEvent> due = mode == EventMode.PRICES
          ? ScheduledChanges.applyDue(c, sourceId, observedAt, new java.util.HashSet<>()) : List.of();
      FetchStates.Seen seen = FetchStates.seen(c, sourceId);
      Map<SeriesKey, SeriesWriter.SeriesRow> cached = due.isEmpty() ? cache.get(sourceId, seen.seriesCheck()) : null;
      Map<SeriesKey, SeriesWriter.SeriesRow> rows = cached != null ? cached : SeriesWriter.loadSeries(c, sourceId);
      Map<SeriesKey, Previous> previous = new LinkedHashMap<>();
      rows.forEach((k, r) -> previous.put(k, r.previous()));
      // Pages that still list a model they could not read this time (ModelFacts.UNREAD): detection sets its series
      // aside (detect.Unread).
      Set<List<String>> unread = ModelFacts.unread(split.facts());
      boolean baseline = !rows.isEmpty() && Baselines.pending(c, sourceId);
      ChangePlan plan = baseline ? AnnouncedPrices.acceptedBaseline(sourceId, previous, observations, guards, mode,
          observedAt)
          : Detection.plan(mode, catalogues.contains(sourceId), sourceId, previous, observations, unread, guards,
              new SourceWitnesses(c, sourceId), observedAt);
      if (plan.isFailure()) {
        long checkId = CheckLog.insertCheck(c, sourceId, info, CheckOutcome.ERROR, plan.failure.stage(),
            plan.failure.reason(), observations.size(), 1);
        ChangeEvent ev = CheckLog.insertEvent(c, plan.failure, checkId);
        List<ChangeEvent> out = new ArrayList<>(due);
        out.add(ev);
        return new CheckOutcome(checkId, sourceId, CheckOutcome.ERROR, ev.stage(), ev.reason(), observations.size(),
            out);
      }
      Announcements.Judgement announced = mode != EventMode.PRICES ? new Announcements.Judgement()
          : AnnouncedPrices.judge(c, sourceId, observations, plan, previous, guards, rows.isEmpty() || baseline,
              observedAt);
      plan.events.addAll(announced.events);
      plan.events.addAll(announced.withdrawals);
      String outcome = plan.heldReason != null ? CheckOutcome.ERROR : rows.isEmpty() || baseline ? CheckOutcome.NEW
          : plan.changesHistory() || !announced.isEmpty() ? CheckOutcome.CHANGED : CheckOutcome.UNCHANGED;
      String stage = plan.heldReason != null ? "detect" : null;
      String reason = baseline ? Baselines.APPLIED + (plan.refused.isEmpty() ? ""
          : "; refused " + plan.refused.size() + " value(s) that are no price") : plan.heldReason;
      long checkId = CheckLog.insertCheck(c, sourceId, info, outcome, stage, reason, observations.size(),
          plan.events.size());
      wroteSeries[0] = true;
      Set<Long> touched = SeriesWriter.execute(c, sourceId, observedAt, plan, rows, checkId, seen.at());
      ScheduledChanges.write(c, sourceId, announced, checkId, observedAt);
      PriceRows.rewrite(c, sourceId, PriceRows.keysOf(plan), rows.isEmpty() || baseline); // the table
      // A body with held-back values is read again next time (its sightings count); one whose only fault is values
      // refused as no price is remembered, so the same body is not parsed, nor reported, again.
      FetchStates.write(c, sourceId, observedAt, !plan.held.isEmpty() ? null
          : new FetchState(info.etag(), info.lastModified(), info.contentHash()), true, checkId);
      if (SeriesCache.worthRefreshing(touched.size(), rows.size())) {
        next[0] = new SeriesCache.Entry(checkId, SeriesWriter.refreshed(c, rows, touched));
      }
      if (Detection.checksDrift(mode, plan) || !due.isEmpty()) {
        plan.events.addAll(DriftCheck.run(c, sourceId, catalogues, observedAt));
      }
      plan.events.addAll(ModelAttributes.write(c, sourceId, observedAt, unread.isEmpty() ? split.facts()
          : split.facts().stream().filter(f -> !ModelFacts.UNREAD.equals(f.metric())).toList()));
      List<ChangeEvent> stored = new ArrayList<>(due);
      for (ChangeEvent e : plan.events) {
        stored.add(CheckLog.insertEvent(c, e, checkId));
      }
      return new CheckOutcome(checkId, sourceId, outcome, stage, reason, observations.size(), stored);
    });
    if (next[0] != null) {
      cache.put(sourceId, next[0]);
    } else if (wroteSeries[0]) {
      cache.remove(sourceId);
    }
    return result;
  }

  /** As {@link #recordUnchanged(String, Instant, CheckInfo, FetchState)}, keeping the stored validators and hash. */
  public CheckOutcome recordUnchanged(String sourceId, Instant at, CheckInfo info) {
    return recordUnchanged(sourceId, at, info, null);
  }

  /**
   * Records a check whose body was the same as the last one, in one transaction of two rows whatever the size of
   * the source: the check, and the fetch state (seen now; the validators and hash of {@code state} when given).
   * Nothing is parsed and no series is written: their last-seen time follows the source's ({@link #LAST_SEEN}).
   */
  public CheckOutcome recordUnchanged(String sourceId, Instant at, CheckInfo info, FetchState state) {
    return tx("record unchanged check of " + sourceId, c -> {
      FetchStates.write(c, sourceId, at, state, false, null);
      long id = CheckLog.insertCheck(c, sourceId, info, CheckOutcome.UNCHANGED, null, null, null, 0);
      return new CheckOutcome(id, sourceId, CheckOutcome.UNCHANGED, null, null, 0, List.of());
    });
  }

  /** Records a failed check and its {@code source_failure} event; history is left as it was. */
  public CheckOutcome recordFailure(String sourceId, Instant at, String stage, String reason, CheckInfo info) {
    return tx("record failed check of " + sourceId, c -> {
      long id = CheckLog.insertCheck(c, sourceId, info, CheckOutcome.ERROR, stage, reason, null, 1);
      ChangeEvent ev = CheckLog.insertEvent(c, ChangeEvent.sourceFailure(sourceId, stage, reason, at), id);
      return new CheckOutcome(id, sourceId, CheckOutcome.ERROR, stage, reason, 0, List.of(ev));
    });
  }

  /**
   * Records an operator's acceptance of a new baseline for a source in its check log: its next check replaces the
   * source's series with what the page then says, without events ({@link AcceptedBaseline}). Returns the row's id.
   */
  public long acceptBaseline(String sourceId, Instant at) {
    cache.remove(sourceId);
    return tx("accept a new baseline for " + sourceId, c -> Baselines.accept(c, sourceId, at));
  }

  /** Deletes a source's series, points, events and body checks (before {@code reextract}); fetch failures stay. */
  public void resetSource(String sourceId) {
    cache.remove(sourceId);
    tx("reset " + sourceId, c -> {
      for (String sql : List.of(
          "DELETE FROM price_row WHERE source_id = ?",
          "DELETE FROM price_point WHERE series_id IN (SELECT id FROM series WHERE source_id = ?)",
          "DELETE FROM scheduled_change WHERE source_id = ?",
          "DELETE FROM series WHERE source_id = ?",
          "DELETE FROM change_event WHERE source_id = ? AND (stage IS NULL OR stage <> 'fetch')",
          "DELETE FROM source_check WHERE source_id = ? AND content_hash IS NOT NULL",
          "DELETE FROM fetch_state WHERE source_id = ?")) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setString(1, sourceId);
          ps.executeUpdate();
        }
      }
      return null;
    });
  }

  /** As {@link #applyScheduled(Instant, Set)} with no catalogues to compare. */
  public List<ChangeEvent> applyScheduled(Instant now) {
    return applyScheduled(now, Set.of());
  }

  /**
   * Applies every announced price due by {@code now}, each in this one transaction with its event, and returns the
   * events to publish (for the timer, {@code check.AnnouncedPricesVerticle}). A source whose price changed so is
   * compared with the others as a check's change would be ({@code catalogues} names the catalogue sources): a
   * catalogue that stops agreeing with the vendor at that moment is a {@code catalogue_drift} then, not at the next
   * check.
   */
  public List<ChangeEvent> applyScheduled(Instant now, Set<String> catalogues) {
    Set<String> sources = new java.util.HashSet<>();
    List<ChangeEvent> events = tx("apply announced prices due by " + now, c -> {
      List<ChangeEvent> out = new ArrayList<>(ScheduledChanges.applyDue(c, null, now, sources));
      java.util.TreeSet<String> changed = new java.util.TreeSet<>();
      out.forEach(e -> changed.add(e.sourceId()));
      for (String s : changed) {
        for (ChangeEvent d : DriftCheck.run(c, s, catalogues, now)) {
          out.add(CheckLog.insertEvent(c, d, 0));
        }
      }
      return out;
    });
    sources.forEach(cache::remove);
    return events;
  }

  /** When the next announced price takes effect, or null when none is pending. */
  public Instant nextScheduled() {
    return tx("read the next announced price", ScheduledChanges::next);
  }

  // ---------------------------------------------------------------- reading

  public Optional<FetchState> fetchState(String sourceId) {
    return tx("read fetch state of " + sourceId, c -> FetchStates.read(c, sourceId));
  }

  /** The time of the source's latest check with a body, or null before the first. */
  public Instant lastObservedAt(String sourceId) {
    return tx("read last check of " + sourceId, c -> CheckLog.lastObservedAt(c, sourceId));
  }

  /** A stored body of a past check, with the content type its fetch declared (null when not recorded). */
  public record ArchivedCheck(Instant at, String contentHash, String contentType) {}

  /** Every distinct body a source's checks fetched, oldest first (consecutive repeats dropped). */
  public List<ArchivedCheck> archivedChecks(String sourceId) {
    return tx("list archived checks of " + sourceId, c -> CheckLog.archivedChecks(c, sourceId).stream()
        .map(a -> new ArchivedCheck(a.at(), a.contentHash(), a.contentType())).toList());
  }

  private <T> T tx(String what, Transactions.Work<T> work) {
    try {
      return Transactions.run(ds, work);
    } catch (SQLException e) {
      throw new HistoryException(what, e);
    }
  }
}

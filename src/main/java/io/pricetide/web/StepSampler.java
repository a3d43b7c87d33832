package io.pricetide.web;

import io.pricetide.history.HistoryQueries.Point;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Step-preserving downsampling of one timeline read oldest first. A price holds until its next point, so a
 * thinned timeline must not move a change nor show a value that was never in force: time is cut into buckets of
 * equal width and each bucket keeps its first point and its last change (the last point whose value differs from
 * the one before it); a removal (null value) is always kept. Every change the answer shows is at its exact time,
 * the value in force at each bucket's end is exact, and at most two points per bucket plus removals are kept.
 * Holds two points, whatever the length of the timeline.
 */
final class StepSampler implements Consumer<Point> {
  private final long originMillis;
  private final long widthMillis;
  private final Consumer<Point> out;
  private long bucket = Long.MIN_VALUE;
  private boolean started;
  private Point previous;
  private Point pendingChange;
  private long read;
  private long kept;

  /**
   * @param originMillis start of the first bucket, epoch millis
   * @param widthMillis bucket width, at least 1
   * @param out receives the kept points in time order
   */
  StepSampler(long originMillis, long widthMillis, Consumer<Point> out) {
    this.originMillis = originMillis;
    this.widthMillis = Math.max(1, widthMillis);
    this.out = out;
  }

  /** Buckets for a span and a point budget: two points a bucket, so {@code maxPoints / 2} buckets, at least one. */
  static long width(long spanMillis, int maxPoints) {
    long buckets = Math.max(1, maxPoints / 2);
    return Math.max(1, (Math.max(0, spanMillis) + buckets) / buckets);
  }

  @Override
  public void accept(Point p) {
    read++;
    boolean change = previous == null || !Objects.equals(previous.value(), p.value())
        || !Objects.equals(previous.usdPer1m(), p.usdPer1m());
    previous = p;
    long b = Math.floorDiv(p.at().toEpochMilli() - originMillis, widthMillis);
    if (!started || b != bucket) {
      flushPending();
      started = true;
      bucket = b;
      emit(p);
    } else if (p.value() == null) {
      flushPending();
      emit(p);
    } else if (change) {
      pendingChange = p;
    }
  }

  /** Emits the last change of the open bucket; call once the timeline has been read. */
  void finish() {
    flushPending();
  }

  long read() {
    return read;
  }

  long kept() {
    return kept;
  }

  private void flushPending() {
    if (pendingChange != null) {
      emit(pendingChange);
      pendingChange = null;
    }
  }

  private void emit(Point p) {
    kept++;
    out.accept(p);
  }
}

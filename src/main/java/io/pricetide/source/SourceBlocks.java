package io.pricetide.source;

import static io.pricetide.source.SourceNodes.entries;
import static io.pricetide.source.SourceNodes.flag;
import static io.pricetide.source.SourceNodes.line;
import static io.pricetide.source.SourceNodes.mapping;
import static io.pricetide.source.SourceNodes.number;
import static io.pricetide.source.SourceNodes.scalar;
import static io.pricetide.source.SourceNodes.step;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/** The {@code fetch:} and {@code guards:} blocks of a source file, with their defaults. */
final class SourceBlocks {
  static final java.util.Set<String> FETCH_KEYS = SourceLoader.FETCH_KEYS;
  static final java.util.Set<String> GUARD_KEYS = SourceLoader.GUARD_KEYS;

  private SourceBlocks() {}

  static FetchSettings fetchSettings(String file, Node node, List<SourceException> p) {
    if (node == null) {
      return FetchSettings.DEFAULTS;
    }
    Map<String, Node> m = entries(file, mapping(file, node, "fetch"), null, FETCH_KEYS, p);
    FetchSettings d = FetchSettings.DEFAULTS;
    FetchSettings plain = new FetchSettings(
        (int) (long) step(p, () -> number(file, m, "connect_timeout_ms", d.connectTimeoutMs()), 0L),
        (int) (long) step(p, () -> number(file, m, "read_timeout_ms", d.readTimeoutMs()), 0L),
        step(p, () -> number(file, m, "max_bytes", d.maxBytes()), 0L),
        (int) (long) step(p, () -> number(file, m, "retries", d.retries()), 0L),
        step(p, () -> number(file, m, "backoff_ms", d.backoffMs()), 0L),
        step(p, () -> number(file, m, "max_backoff_ms", d.maxBackoffMs()), 0L),
        step(p, () -> number(file, m, "deadline_ms", d.deadlineMs()), 0L),
        step(p, () -> flag(file, m, "allow_private", d.allowPrivate()), false));
    Node render = m.get("render");
    boolean rendered = false;
    if (render != null) {
      String v = scalar(file, render);
      if (!v.equals("true") && !v.equals("false")) {
        throw new SourceException(file, line(render), "'render' must be true or false, not '" + v + "'");
      }
      rendered = Boolean.parseBoolean(v);
    }
    Node timeout = m.get("render_timeout_ms");
    if (timeout != null && !rendered) {
      throw new SourceException(file, line(timeout), "'render_timeout_ms' applies only with render: true");
    }
    long limit = number(file, m, "render_timeout_ms", FetchSettings.DEFAULT_RENDER_TIMEOUT_MS);
    if (limit < 1_000) {
      throw new SourceException(file, line(timeout), "'render_timeout_ms' must be at least 1000 (a browser takes"
          + " seconds to start), not " + limit);
    }
    return rendered ? plain.rendered(limit) : plain;
  }

  static Guards guards(String file, Node node, List<SourceException> p) {
    if (node == null) {
      return Guards.DEFAULTS;
    }
    Map<String, Node> m = entries(file, mapping(file, node, "guards"), null, GUARD_KEYS, p);
    Guards d = Guards.DEFAULTS;
    // Each guard on its own: a file with two bad guards reports both.
    Node zero = m.get("zero_is_suspect");
    boolean zeroIsSuspect = zero == null ? d.zeroIsSuspect() : step(p, () -> {
      String v = scalar(file, zero);
      if (!v.equals("true") && !v.equals("false")) {
        throw new SourceException(file, line(zero), "'zero_is_suspect' must be true or false, not '" + v + "'");
      }
      return Boolean.parseBoolean(v);
    }, false);
    int removal = step(p, () -> {
      int r = (int) number(file, m, "removal_checks", d.removalChecks());
      if (r < 1) {
        throw new SourceException(file, line(m.get("removal_checks")), "'removal_checks' must be at least 1");
      }
      return r;
    }, 1);
    return new Guards((int) (long) step(p, () -> number(file, m, "max_row_loss_pct", d.maxRowLossPct()), 0L), removal,
        (int) (long) step(p, () -> number(file, m, "max_jump_ratio", d.maxJumpRatio()), 0L), zeroIsSuspect,
        (int) (long) step(p, () -> number(file, m, "correction_hours", d.correctionHours()), 0L),
        (int) (long) step(p, () -> number(file, m, "suspect_checks", d.suspectChecks()), 0L),
        step(p, () -> ceiling(file, m.get("max_usd_per_1m")), Guards.MAX_USD_PER_1M));
  }

  private static java.math.BigDecimal ceiling(String file, Node n) {
    if (n == null) {
      return Guards.MAX_USD_PER_1M;
    }
    String v = scalar(file, n);
    try {
      java.math.BigDecimal d = new java.math.BigDecimal(v);
      if (d.signum() > 0) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SourceException(file, line(n), "'max_usd_per_1m' must be a positive number, not '" + v + "'");
  }
}

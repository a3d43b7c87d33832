package io.pricetide.alert;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Decimals;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** How alerts write money, percentages and one-line summaries of events, and how each channel escapes text. */
final class Formats {
  static final char MINUS = '\u2212';

  private Formats() {}

  /** {@code $7.00}; a dash when unknown. */
  static String usd(BigDecimal usd) {
    return usd == null ? "\u2014" : "$" + Decimals.money(usd);
  }

  /** A signed percentage with two decimals and a true minus sign: {@code −30.00%}, {@code +12.00%}. */
  static String pct(BigDecimal pct) {
    if (pct == null) {
      return "";
    }
    BigDecimal p = pct.setScale(2, RoundingMode.HALF_UP);
    return (p.signum() < 0 ? String.valueOf(MINUS) : p.signum() > 0 ? "+" : "") + p.abs().toPlainString() + "%";
  }

  /** {@code input} or {@code input (>200k)}. */
  static String metric(ChangeEvent e) {
    String m = e.metric() == null ? "" : e.metric();
    String c = e.condition() == null || e.condition().isEmpty() ? "" : " (" + e.condition() + ")";
    return m + c;
  }

  /** Words for the subscriber's baseline in "(was $10.00 …)". */
  static String baselineNote(String baseline, int days) {
    return switch (baseline) {
      case Subscription.LAST_NOTIFIED -> "when you were last notified";
      case Subscription.N_DAY_HIGH -> days + "-day high";
      case Subscription.ALL_TIME_LOW -> "all-time low";
      default -> "";
    };
  }

  /**
   * One line that says what moved: "Qwen-Max input −30.00% to $0.56 / 1M tokens (was $0.80)". The percentage and
   * the "was" price are against the subscriber's baseline when one is given.
   */
  static String headline(ChangeEvent e, BigDecimal pct, BigDecimal referenceUsd, String baseline, int days) {
    String model = e.model() == null ? e.sourceId() : e.model();
    String metric = metric(e);
    String kind = e.kind();
    if (ChangeEvent.PRICE_CUT.equals(kind) || ChangeEvent.PRICE_INCREASE.equals(kind)) {
      BigDecimal p = pct == null ? e.changePct() : pct;
      BigDecimal was = referenceUsd == null ? e.oldUsd() : referenceUsd;
      String note = baselineNote(baseline == null ? Subscription.PREVIOUS : baseline, days);
      return model + " " + metric + " " + pct(p) + " to " + usd(e.newUsd()) + " / 1M tokens (was " + usd(was)
          + (note.isEmpty() ? "" : ", " + note) + ")";
    }
    return switch (kind) {
      case ChangeEvent.MODEL_ADDED -> "New model " + model + (e.provider() == null ? "" : " from " + e.provider())
          + ": " + metric + " " + usd(e.newUsd()) + " / 1M tokens";
      case ChangeEvent.MODEL_REMOVED -> model + " removed from " + (e.provider() == null ? e.sourceId()
          : e.provider()) + "'s price list";
      case ChangeEvent.METRIC_ADDED -> model + " " + metric + " now priced at " + usd(e.newUsd()) + " / 1M tokens";
      case ChangeEvent.PRICE_CORRECTION -> model + " " + metric + " corrected to " + usd(e.newUsd())
          + " / 1M tokens (reported " + usd(e.oldUsd()) + " by mistake)";
      case ChangeEvent.METRIC_REMOVED -> model + " " + metric + " no longer listed (was " + usd(e.oldUsd()) + ")";
      case ChangeEvent.SOURCE_FAILURE -> "Source " + e.sourceId() + " failed at " + e.stage() + ": " + e.reason();
      // Usage events carry their own sentence: "qwen passed openai in weekly tokens, week of …: 1.2T vs 1.1T".
      case ChangeEvent.OVERTAKE, ChangeEvent.RANK_CHANGE, ChangeEvent.SHARE_CHANGE, ChangeEvent.USAGE_REVISED ->
          e.reason() != null && !e.reason().isBlank() ? e.reason() : usageLine(e, model, metric);
      default -> kind.replace('_', ' ') + ": " + model + (metric.isEmpty() ? "" : " " + metric)
          + (e.changePct() == null ? "" : " " + pct(e.changePct()));
    };
  }

  /** A usage event without its sentence (an older row): what moved, in words rather than as a price. */
  private static String usageLine(ChangeEvent e, String model, String metric) {
    String who = e.provider() != null && e.model() == null ? e.provider() : model;
    return switch (e.kind()) {
      case ChangeEvent.OVERTAKE -> who + " " + (e.condition() == null || e.condition().isEmpty() ? "passed a rival" : e.condition()) + " in "
          + metric.replace('_', ' ');
      case ChangeEvent.RANK_CHANGE -> who + " moved from #" + plain(e.oldValue()) + " to #" + plain(e.newValue())
          + " in " + metric.replace('_', ' ');
      default -> who + " " + metric.replace('_', ' ') + " changed";
    };
  }

  private static String plain(BigDecimal v) {
    return v == null ? "?" : v.stripTrailingZeros().toPlainString();
  }

  /** A header-safe subject: no control characters, at most 200 characters. */
  static String subject(String s) {
    String clean = s.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").trim();
    return clean.length() <= 200 ? clean : clean.substring(0, 197) + "...";
  }

  /** Slack's own escaping for text in messages and Block Kit: {@code &}, {@code <} and {@code >}. */
  static String slack(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Discord markdown escaped, and {@code @} defused so no scraped text can mention anyone. */
  static String discord(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\*_~`|>[]()#-".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
      if (c == '@') {
        b.append('\u200b');
      }
    }
    return b.toString();
  }
}

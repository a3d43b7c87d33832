package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Decimals;
import io.vertx.core.json.JsonObject;

/** Plain-text wording of change events for feeds and pages; the caller escapes it for its format. */
public final class Describe {
  private Describe() {}

  /**
   * One line saying what moved: "Acme Large input -30.00% to $7.00 / 1M tokens", "dall-e-3 output image added at
   * $0.04 / image", "gpt-4 retires on 2026-06-06", "deepseek-chat input to $0.27 / 1M tokens from 2025-02-08 16:00
   * UTC (announced)".
   */
  public static String headline(ChangeEvent e) {
    String what = subject(e);
    String per = " / " + unit(e);
    return switch (e.kind()) {
      case ChangeEvent.PRICE_CUT, ChangeEvent.PRICE_INCREASE -> what + " " + signed(e) + "% to " + usd(e.newUsd())
          + per;
      case ChangeEvent.MODEL_ADDED, ChangeEvent.METRIC_ADDED -> what + " added at " + usd(e.newUsd()) + per;
      case ChangeEvent.MODEL_REMOVED, ChangeEvent.METRIC_REMOVED -> what + " removed (was " + usd(e.oldUsd())
          + per + ")";
      case ChangeEvent.PRICE_CORRECTION -> what + " corrected to " + usd(e.newUsd()) + per + " (was "
          + usd(e.oldUsd()) + ")";
      case ChangeEvent.PRICE_ANNOUNCED -> what + " to " + usd(e.newUsd()) + per + (e.effectiveFrom() == null ? ""
          : " from " + Ui.minute(e.effectiveFrom())) + " (announced" + (e.changePct() == null ? "" : ", "
          + signed(e) + "%") + ")";
      case ChangeEvent.ANNOUNCEMENT_WITHDRAWN -> what + ": the announced " + usd(e.newUsd()) + per
          + (e.effectiveFrom() == null ? "" : " from " + Ui.minute(e.effectiveFrom())) + " was withdrawn";
      case ChangeEvent.MODEL_DEPRECATED -> retirement(e);
      case ChangeEvent.SOURCE_FAILURE -> "Source " + e.sourceId() + " failed at " + e.stage();
      default -> e.reason() != null && !e.reason().isBlank() ? e.reason() : e.kind().replace('_', ' ') + ": " + what;
    };
  }

  /** "gpt-4 retires on 2026-06-06", or "... (moved from 2026-03-01)" when the source moved the date. */
  private static String retirement(ChangeEvent e) {
    JsonObject j = e.toJson();
    String now = j.getString("new");
    String before = j.getString("old");
    String what = subject(e);
    if (now == null) {
      return what + ": retirement date withdrawn" + (before == null ? "" : " (was " + before + ")");
    }
    return what + " retires on " + now + (before == null ? "" : " (moved from " + before + ")");
  }

  /** The unit of the event's price: {@code 1M tokens}, {@code image}, {@code second}, … */
  static String unit(ChangeEvent e) {
    return Ui.unit(e.metric());
  }

  /** The headline plus old and new values in the source's currency, the source and the time. */
  public static String summary(ChangeEvent e) {
    StringBuilder b = new StringBuilder(headline(e)).append('.');
    if (e.kind().equals(ChangeEvent.SOURCE_FAILURE)) {
      b.append(' ').append(e.reason() == null ? "" : e.reason());
    } else if (e.isDate()) {
      b.append(" Source: ").append(e.sourceId()).append('.');
    } else if (e.isUsage()) {
      JsonObject j = e.toJson();
      b.append(" Old: ").append(j.getString("old")).append(", new: ").append(j.getString("new")).append(" (")
          .append(j.getString("unit")).append("). Source: ").append(e.sourceId()).append('.');
    } else {
      if (e.oldUsd() != null || e.newUsd() != null) {
        b.append(" Old: ").append(usd(e.oldUsd())).append(", new: ").append(usd(e.newUsd())).append(' ')
            .append(io.pricetide.price.Metrics.usdUnit(e.metric()));
      }
      if (e.currency() != null && !"USD".equals(e.currency())) {
        b.append(" (").append(e.currency()).append(' ').append(money(e.oldValue())).append(" -> ")
            .append(money(e.newValue())).append(')');
      }
      b.append(". Source: ").append(e.sourceId()).append('.');
    }
    b.append(" Observed ").append(e.observedAt()).append('.');
    return b.toString();
  }

  /** "Model metric (condition)". */
  public static String subject(ChangeEvent e) {
    StringBuilder b = new StringBuilder(e.model() == null ? e.sourceId() : e.model());
    if (e.metric() != null) {
      b.append(' ').append(e.metric());
    }
    if (e.condition() != null && !e.condition().isEmpty()) {
      b.append(" (").append(e.condition()).append(')');
    }
    return b.toString();
  }

  /** The percent with its sign: "-30.00", "+12.50"; empty when unknown. */
  public static String signed(ChangeEvent e) {
    if (e.changePct() == null) {
      return "";
    }
    String s = e.changePct().toPlainString();
    return e.changePct().signum() > 0 ? "+" + s : s;
  }

  /** Parts longer than this may also wrap after a hyphen or a dot. */
  static final int LONG_PART = 20;

  /**
   * A model or source name as HTML that wraps only between its parts: escaped, with a {@code <wbr>} after each
   * {@code /}, {@code _} and {@code :}, and after a {@code -} or a {@code .} between words (not in {@code 3.5}) only inside a part longer than
   * {@value #LONG_PART} characters (so {@code openrouter/openai/gpt-4o} breaks at a slash, never inside
   * {@code gpt-4o} or {@code claude-3.5-sonnet}, and never mid-letter); a piece with a hyphen is kept in a
   * {@code <span class="nb">} (CSS {@code white-space: nowrap}) so the browser does not wrap after its hyphen
   * either. Printed with {@code {{&name}}}.
   */
  public static io.pricetide.template.Html.Safe breakable(String name) {
    String e = io.pricetide.template.Html.escape(name);
    StringBuilder b = new StringBuilder(e.length() + 32);
    int partStart = 0;
    int segment = 0;
    for (int i = 0; i < e.length(); i++) {
      char c = e.charAt(i);
      boolean last = i == e.length() - 1;
      boolean wrap;
      if (c == '/' || c == '_' || c == ':') {
        partStart = i + 1;
        wrap = !last;
      } else {
        wrap = (c == '-' || c == '.' && !digitAround(e, i)) && !last && partLength(e, partStart) > LONG_PART;
      }
      if (wrap || last) {
        segment(b, e.substring(segment, i + 1));
        if (wrap) {
          b.append("<wbr>");
        }
        segment = i + 1;
      }
    }
    return new io.pricetide.template.Html.Safe(b.toString());
  }

  /**
   * One unbreakable piece: browsers wrap after any hyphen by themselves ({@code deepseek-} / {@code r1}), so a piece
   * with a hyphen is kept whole in a {@code nowrap} span and wraps only at the {@code <wbr>} around it.
   */
  private static void segment(StringBuilder b, String piece) {
    if (piece.indexOf('-') >= 0) {
      b.append("<span class=\"nb\">").append(piece).append("</span>");
    } else {
      b.append(piece);
    }
  }

  /** Whether the dot at {@code i} sits in a number ({@code 3.5}, {@code v2.1}): never broken there. */
  private static boolean digitAround(String s, int i) {
    return i > 0 && Character.isDigit(s.charAt(i - 1)) || i + 1 < s.length() && Character.isDigit(s.charAt(i + 1));
  }

  private static int partLength(String s, int from) {
    int i = from;
    while (i < s.length() && s.charAt(i) != '/' && s.charAt(i) != '_' && s.charAt(i) != ':') {
      i++;
    }
    return i - from;
  }

  static String usd(java.math.BigDecimal d) {
    return d == null ? "n/a" : "$" + Decimals.money(d);
  }

  static String money(java.math.BigDecimal d) {
    return d == null ? "n/a" : Decimals.money(d);
  }
}

package io.pricetide.web;

import io.pricetide.workload.Workloads;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscribe, confirm and unsubscribe pages. They only render forms: the browser posts JSON to the alert API
 * ({@code POST /api/subscriptions} per the contract, and the confirm and unsubscribe endpoints below) and shows its
 * answer; nothing here stores a subscription.
 */
final class SubscribePages {
  /** Where the confirm page posts {@code {"token": …}}. */
  static final String CONFIRM_ENDPOINT = "/api/subscriptions/confirm";
  /** Where the unsubscribe page posts {@code {"token": …}}. */
  static final String UNSUBSCRIBE_ENDPOINT = "/api/subscriptions/unsubscribe";

  /** The kinds the form offers, with their labels: what the API's filter takes. */
  static final List<List<String>> KINDS = List.of(List.of("price_cut", "price cuts"),
      List.of("price_increase", "price increases"), List.of("model_added", "new models"),
      List.of("model_removed", "removed models"), List.of("price_announced", "announced prices"),
      List.of("model_deprecated", "deprecations"), List.of("overtake", "usage overtakes"),
      List.of("usage_share_change", "usage share moves"), List.of("rank_change", "usage rank changes"));

  private final Ui ui;
  private final FeedQueries feed;

  SubscribePages(Ui ui) {
    this.ui = ui;
    this.feed = new FeedQueries(ui.queries.dataSource());
  }

  void subscribe(RoutingContext ctx) {
    if ("workload".equals(Ui.param(ctx, "alert"))) {
      workload(ctx);
      return;
    }
    ui.page(ctx, "subscribe", "Subscribe to price changes", "subscribe", () -> {
      Map<String, Object> m = new HashMap<>();
      m.put("providers", ActivityPages.vendorOptions(ui, feed, Ui.param(ctx, "provider")));
      m.put("metrics", List.of("input", "output", "cache_read", "cache_write", "batch_input", "batch_output"));
      m.put("kinds", KINDS.stream().map(k -> Map.of("value", k.get(0), "label", k.get(1))).toList());
      m.put("model", Ui.param(ctx, "model") == null ? "" : Ui.param(ctx, "model"));
      return m;
    });
  }

  /**
   * The workload alert's form: the workload pre-filled from the calculator's parameters in the URL (the
   * calculator's "Tell me when this changes" link carries them), a bad one a 400 naming it.
   */
  private void workload(RoutingContext ctx) {
    ui.page(ctx, "subscribe_workload", "Tell me when the cheapest model for my workload changes", "subscribe", () -> {
      Workloads.Workload w = CalculatorPage.workload(ctx);
      Map<String, Object> m = new HashMap<>();
      Map<String, String> p = w.parameters();
      m.put("in", p.get("in"));
      m.put("cached", p.get("cached"));
      m.put("out", p.get("out"));
      m.put("context", p.getOrDefault("context", ""));
      m.put("modalities", CalculatorPage.modalityOptions(w));
      m.put("first_party", w.firstPartyOnly());
      m.put("free", !w.hideFree());
      m.put("describe", w.describe());
      m.put("calculator", "/calculator?" + w.query());
      return m;
    });
  }

  void confirm(RoutingContext ctx) {
    token(ctx, "confirm", "Confirm your subscription", CONFIRM_ENDPOINT);
  }

  void unsubscribe(RoutingContext ctx) {
    token(ctx, "unsubscribe", "Unsubscribe", UNSUBSCRIBE_ENDPOINT);
  }

  private void token(RoutingContext ctx, String template, String title, String endpoint) {
    String token = Ui.param(ctx, "token");
    ui.page(ctx, template, title, "subscribe", () -> {
      Map<String, Object> m = new HashMap<>();
      m.put("token", token == null ? "" : token);
      m.put("has_token", token != null);
      m.put("endpoint", endpoint);
      return m;
    });
  }
}

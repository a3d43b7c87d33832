package io.pricetide.testing;

import java.util.Map;
import java.util.StringJoiner;

/** Pricing pages we write for tests, shaped like a vendor's server-rendered price table. */
public final class Pages {
  private Pages() {}

  /** A page with one {@code table.pricing}: Model, Input, Cached input, Output, all "per 1M tokens". */
  public static String table(Map<String, String[]> rows) {
    StringJoiner body = new StringJoiner("\n");
    rows.forEach((model, p) -> body.add("<tr><td>" + model + "</td><td>$" + p[0] + "</td><td>"
        + (p.length > 2 && p[2] != null ? "$" + p[2] : "-") + "</td><td>$" + p[1] + "</td></tr>"));
    return """
        <!doctype html><html><head><title>Acme AI pricing</title></head><body>
        <h1>Acme AI API pricing</h1><p>Prices are per 1M tokens.</p>
        <table class="pricing"><thead><tr><th>Model</th><th>Input (per 1M tokens)</th>
        <th>Cached input (per 1M tokens)</th><th>Output (per 1M tokens)</th></tr></thead><tbody>
        %s
        </tbody></table><footer>Acme AI</footer></body></html>
        """.formatted(body);
  }

  /** The same page after a redesign that dropped the table. */
  public static String withoutTable() {
    return """
        <!doctype html><html><head><title>Acme AI pricing</title></head><body>
        <h1>Acme AI API pricing</h1><p>Contact sales for our new pricing.</p></body></html>
        """;
  }

  /** The source file for such a page. */
  public static String sourceYaml(String id, String url, String schedule) {
    return """
        id: %s
        name: Acme AI pricing page
        provider: acme
        kind: prices
        url: %s
        format: html
        schedule: "%s"
        currency: USD
        unit: per_1m
        fetch:
          allow_private: true
          connect_timeout_ms: 2000
          read_timeout_ms: 1500
          retries: 3
          backoff_ms: 20
          max_backoff_ms: 200
        extractor:
          kind: html-table
          table: table.pricing
          model_column: Model
          columns:
            Input: input
            Cached input: cache_read
            Output: output
        """.formatted(id, url, schedule);
  }
}

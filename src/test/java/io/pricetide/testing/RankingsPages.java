package io.pricetide.testing;

import java.time.LocalDate;
import java.util.StringJoiner;

/**
 * Rankings-like pages for flow and web tests: the weekly token leaderboard (model ids) and the weekly market share
 * by author (the same weeks dated by their Sundays, models' tokens summed per author), each in its page section, in
 * a Next.js script payload (JSON inside a JavaScript string). The reader emits every point but the first (the
 * window's edge) and the last (the week in progress): give three points for one complete week.
 */
public final class RankingsPages {
  private RankingsPages() {}

  /** One leaderboard point: a Monday and the tokens of three made-up models plus a rest bucket. */
  public static String week(String monday, long openai, long anthropic, long qwen) {
    return "{\"x\":\"" + monday + "\",\"ys\":{\"openai/gpt-5\":" + openai + ",\"anthropic/claude-sonnet-4\":"
        + anthropic + ",\"qwen/qwen3-coder\":" + qwen + ",\"Others\":100}}";
  }

  /** The page of these leaderboard points (oldest first). */
  public static String page(String... points) {
    StringJoiner models = new StringJoiner(",");
    StringJoiner authors = new StringJoiner(",");
    for (String p : points) {
      models.add(p);
      String day = p.substring(6, 16);
      authors.add(p.replace(day, LocalDate.parse(day).minusDays(1).toString())
          .replace("openai/gpt-5", "openai").replace("anthropic/claude-sonnet-4", "anthropic")
          .replace("qwen/qwen3-coder", "qwen"));
    }
    String rows = "1:[\"$\",\"main\",null,{\"children\":[[\"$\",\"div\",null,{\"id\":\"leaderboard\","
        + "\"children\":\"$L2\"}],[\"$\",\"div\",null,{\"id\":\"market-share\",\"children\":\"$L3\"}]]}]\n"
        + "2:[\"$\",\"$L9\",null,{\"data\":[" + models + "]}]\n"
        + "3:[\"$\",\"$L9\",null,{\"data\":[" + authors + "]}]\n";
    String payload = rows.replace("\n", "\\n").replace("\"", "\\\"");
    return "<!doctype html><html><body><h1>LLM leaderboard</h1><script>self.__next_f.push([1,\"" + payload
        + "\"])</script></body></html>";
  }
}

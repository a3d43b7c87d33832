package io.pricetide.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weekly tokens per model from the data the OpenRouter rankings page embeds: chart points shaped
 * {@code {"x":"2026-11-17","ys":{"qwen/qwen3-coder":123,…}}}, in the page's script payload (quotes may be
 * escaped as {@code \"} inside JavaScript strings). The last complete week is used: when the latest point holds
 * less than half the tokens of the one before, it is the current week still filling (a rolling window) and the
 * point before it is taken. The provider is the part of the model id before {@code /}; the "others" bucket is not
 * a model and is skipped.
 */
final class OpenRouterRankingsExtractor implements Extractor {
  static final ExtractorFactory FACTORY = ExtractorFactory.withoutSettings(OpenRouterRankingsExtractor::new);

  private static final Pattern POINT = Pattern.compile(
      "\\{\"x\":\"(\\d{4}-\\d{2}-\\d{2})[^\"]*\",\"ys\":(\\{[^{}]*\\})\\}");

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    String text = body.replace("\\\\", "\u0000").replace("\\\"", "\"").replace("\u0000", "\\");
    Map<String, JsonNode> weeks = new TreeMap<>();
    Matcher m = POINT.matcher(text);
    while (m.find()) {
      weeks.put(m.group(1), Json.parse(m.group(2), ctx));
    }
    if (weeks.isEmpty()) {
      throw ctx.fail("no weekly usage points ({\"x\":date,\"ys\":{model:tokens}}) in the page");
    }
    List<String> dates = new ArrayList<>(weeks.keySet());
    String week = dates.get(dates.size() - 1);
    if (dates.size() > 1) {
      String before = dates.get(dates.size() - 2);
      if (total(weeks.get(week)).multiply(BigDecimal.valueOf(2)).compareTo(total(weeks.get(before))) < 0) {
        week = before;
      }
    }
    List<Observation> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = weeks.get(week).fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String model = e.getKey();
      if (model.toLowerCase(Locale.ROOT).equals("others") || !model.contains("/")) {
        continue;
      }
      BigDecimal tokens = Json.decimal(e.getValue()).orElse(null);
      if (tokens == null || tokens.signum() < 0) {
        continue;
      }
      String provider = model.substring(0, model.indexOf('/')).toLowerCase(Locale.ROOT);
      out.add(new Observation(provider, model, ctx.canonical(model),
          Metrics.WEEKLY_TOKENS, "", tokens.stripTrailingZeros().setScale(0, java.math.RoundingMode.HALF_UP),
          Metrics.COUNT, null));
    }
    if (out.isEmpty()) {
      throw ctx.fail("the week of " + week + " lists no models");
    }
    return out;
  }

  private static BigDecimal total(JsonNode ys) {
    BigDecimal sum = BigDecimal.ZERO;
    Iterator<Map.Entry<String, JsonNode>> it = ys.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equalsIgnoreCase("others")) {
        sum = sum.add(Json.decimal(e.getValue()).orElse(BigDecimal.ZERO));
      }
    }
    return sum;
  }
}

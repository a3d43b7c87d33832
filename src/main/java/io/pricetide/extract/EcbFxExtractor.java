package io.pricetide.extract;

import io.pricetide.price.Metrics;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceDefinition;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

/**
 * The ECB's daily euro reference rates ({@code eurofxref-daily.xml}): {@code Cube time=…} holding
 * {@code Cube currency=… rate=…} in units per EUR. Each currency becomes an observation with metric
 * {@value FxRateStore#METRIC}, the currency code as model and the value in USD per one unit (EUR included), which
 * is what price conversion reads. A document without a USD rate cannot give USD rates and fails.
 */
final class EcbFxExtractor implements Extractor {
  static final int RATE_SCALE = 10;

  static final ExtractorFactory FACTORY = new ExtractorFactory() {
    @Override
    public Set<String> keys() {
      return Set.of();
    }

    @Override
    public Extractor create(SourceDefinition source, Map<String, Object> config) {
      return new EcbFxExtractor();
    }
  };

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    Document doc = Jsoup.parse(body, "", Parser.xmlParser());
    Element day = doc.selectFirst("Cube[time]");
    if (day == null) {
      throw ctx.fail("no <Cube time=…> element: not an ECB reference-rate document");
    }
    Element usd = day.selectFirst("Cube[currency=USD]");
    if (usd == null) {
      throw ctx.fail("no USD rate in the ECB document of " + day.attr("time"));
    }
    BigDecimal usdPerEur = rate(usd, ctx);
    List<Observation> out = new ArrayList<>();
    out.add(rateObservation("EUR", usdPerEur));
    for (Element cube : day.select("Cube[currency][rate]")) {
      String currency = cube.attr("currency");
      if (currency.equals("USD")) {
        continue;
      }
      BigDecimal perEur = rate(cube, ctx);
      out.add(rateObservation(currency, usdPerEur.divide(perEur, MathContext.DECIMAL64)));
    }
    return out;
  }

  /** Rates keep ten decimal places (prices keep six): 1.10 / 7.70 must not lose the digits a price multiplies. */
  private static Observation rateObservation(String currency, BigDecimal usdPerUnit) {
    BigDecimal v = usdPerUnit.setScale(RATE_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
    return new Observation("ecb", currency, currency, Metrics.FX_RATE, "", v, "USD", v);
  }

  private static BigDecimal rate(Element cube, ExtractContext ctx) {
    try {
      BigDecimal r = new BigDecimal(cube.attr("rate").trim());
      if (r.signum() <= 0) {
        throw ctx.fail("non-positive rate for " + cube.attr("currency"));
      }
      return r;
    } catch (NumberFormatException e) {
      throw ctx.fail("unreadable rate '" + cube.attr("rate") + "' for " + cube.attr("currency"));
    }
  }
}

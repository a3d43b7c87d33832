package io.pricetide.history;

import io.pricetide.source.SourceDefinition;
import io.pricetide.source.Sources;
import io.pricetide.workload.Workloads;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The market a workload is ranked on, read once: the current prices of price sources (a source whose file is gone
 * counts as one), which of those sources are vendors' own pages (a price source with a provider), and what the
 * catalogues state of each model. The calculator and workload alerts both rank on it. Reading blocks.
 */
public final class WorkloadMarket {
  private final HistoryQueries queries;
  private final ModelAttributes attributes;
  private final Sources sources;

  public WorkloadMarket(HistoryQueries queries, Sources sources) {
    this.queries = queries;
    this.attributes = new ModelAttributes(queries.dataSource());
    this.sources = sources;
  }

  /** The current prices and facts, read now (blocking). */
  public Snapshot snapshot() {
    List<JsonObject> prices = new ArrayList<>();
    queries.eachPrice(null, null, null, 0, p -> {
      if ("prices".equals(sources.source(p.getString("source")).map(SourceDefinition::kind).orElse("prices"))) {
        prices.add(p);
      }
    });
    Map<String, Boolean> vendor = new HashMap<>();
    Predicate<String> firstParty = id -> vendor.computeIfAbsent(id, k -> sources.source(k)
        .map(SourceDefinition::provider).map(p -> !p.isBlank()).orElse(false));
    return new Snapshot(prices, firstParty, new AttributeFacts(attributes.all()));
  }

  /** One reading of the market; rank as many workloads on it as needed. */
  public record Snapshot(List<JsonObject> prices, Predicate<String> firstParty, Workloads.Facts facts) {
    public Workloads.Ranking rank(Workloads.Workload w) {
      return Workloads.rank(prices, firstParty, facts, w);
    }
  }
}

package io.pricetide.source;

import java.util.Map;

/**
 * One watched source, as written in {@code sources/<id>.yaml}.
 *
 * @param id unique id, also the file's name
 * @param name human name
 * @param provider the vendor for first-party pages; empty for catalogues, whose models carry their own
 * @param kind {@code prices}, {@code usage} or {@code fx}
 * @param url what is fetched
 * @param format {@code html}, {@code markdown} or {@code json}
 * @param schedule a Quartz cron expression
 * @param currency the currency the page quotes in; default USD
 * @param unit the token unit of quoted prices ({@code per_token}, {@code per_1k}, {@code per_1m}); extractors that
 *     read units from the page itself override it
 * @param extractorKind registry key of the extractor
 * @param extractorConfig the extractor's own settings
 * @param enabled disabled sources are validated but never scheduled
 * @param file the file it came from, for messages
 */
public record SourceDefinition(String id, String name, String provider, String kind, String url, String format,
    String schedule, String currency, String unit, String extractorKind, Map<String, Object> extractorConfig,
    FetchSettings fetch, Guards guards, boolean enabled, String file) {}

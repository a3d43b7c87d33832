package io.pricetide.source;

import java.util.List;
import java.util.Map;

/**
 * One watched source, as written in {@code sources/<id>.yaml}.
 *
 * @param id unique id, also the file's name
 * @param name human name
 * @param provider the vendor for first-party pages; empty for catalogues, whose models carry their own
 * @param kind {@code prices}, {@code usage} or {@code fx}
 * @param url what is fetched (the first of {@link #urls} when the source has several)
 * @param format {@code html}, {@code markdown} or {@code json}
 * @param schedule a Quartz cron expression
 * @param currency the currency the page quotes in; default USD
 * @param unit the token unit of quoted prices ({@code per_token}, {@code per_1k}, {@code per_1m}); extractors that
 *     read units from the page itself override it
 * @param extractorKind registry key of the extractor
 * @param extractorConfig the extractor's own settings
 * @param enabled disabled sources are validated but never scheduled
 * @param file the file it came from, for messages
 * @param urls every URL one check fetches, in order: {@code url} followed by the file's {@code urls:} list. A
 *     source with more than one hands its extractor all the answers in one body ({@link SourceBodies}).
 */
public record SourceDefinition(String id, String name, String provider, String kind, String url, String format,
    String schedule, String currency, String unit, String extractorKind, Map<String, Object> extractorConfig,
    FetchSettings fetch, Guards guards, boolean enabled, String file, List<String> urls) {

  public SourceDefinition {
    urls = urls == null || urls.isEmpty() ? (url == null ? List.of() : List.of(url)) : List.copyOf(urls);
  }

  /** A source of one URL. */
  public SourceDefinition(String id, String name, String provider, String kind, String url, String format,
      String schedule, String currency, String unit, String extractorKind, Map<String, Object> extractorConfig,
      FetchSettings fetch, Guards guards, boolean enabled, String file) {
    this(id, name, provider, kind, url, format, schedule, currency, unit, extractorKind, extractorConfig, fetch,
        guards, enabled, file, null);
  }

  /** The same source fetched at another of its URLs (one part of a check of several URLs). */
  public SourceDefinition at(String otherUrl) {
    return new SourceDefinition(id, name, provider, kind, otherUrl, format, schedule, currency, unit, extractorKind,
        extractorConfig, fetch, guards, enabled, file, urls);
  }

  /** Whether one check fetches several URLs. */
  public boolean multiUrl() {
    return urls.size() > 1;
  }
}

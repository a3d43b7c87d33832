package io.pricetide.extract;

import io.pricetide.price.Currencies;
import io.pricetide.source.SourceDefinition;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The loaded sources, each with its built extractor: the read-only catalogue every stage shares. */
public final class ExtractorSet {
  private final io.pricetide.price.CanonicalModels models;
  private final Map<String, SourceDefinition> sources = new LinkedHashMap<>();
  private final Map<String, Extractor> extractors = new LinkedHashMap<>();
  private final Currencies currencies;

  public ExtractorSet(List<SourceDefinition> defs, ExtractorRegistry registry, Currencies currencies) {
    this(defs, registry, currencies, io.pricetide.price.CanonicalModels.RULES);
  }

  /** The sources a directory load found, with its alias file; throws when the load found errors. */
  public static ExtractorSet of(io.pricetide.source.SourceLoader.Result loaded, ExtractorRegistry registry,
      Currencies currencies) {
    return new ExtractorSet(loaded.orThrow(), registry, currencies, loaded.models());
  }

  /** The sources with their extractors; {@code models} names models by the rules and the alias file. */
  public ExtractorSet(List<SourceDefinition> defs, ExtractorRegistry registry, Currencies currencies,
      io.pricetide.price.CanonicalModels models) {
    this.currencies = currencies;
    this.models = models;
    for (SourceDefinition d : defs) {
      sources.put(d.id(), d);
      extractors.put(d.id(), registry.factory(d.extractorKind()).orElseThrow().create(d, d.extractorConfig()));
    }
  }

  public Optional<SourceDefinition> source(String id) {
    return Optional.ofNullable(sources.get(id));
  }

  public List<SourceDefinition> sources() {
    return List.copyOf(sources.values());
  }

  /** Ids of the catalogue sources: price sources without a {@code provider} of their own. */
  public java.util.Set<String> catalogueIds() {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    sources.values().forEach(d -> {
      if (d.kind().equals("prices") && d.provider().isEmpty()) {
        ids.add(d.id());
      }
    });
    return ids;
  }

  public Currencies currencies() {
    return currencies;
  }

  /**
   * Runs the source's extractor over a body in {@code format} (the source's own when null), observed now. Throws
   * {@link ExtractException} naming the source; any unexpected exception is wrapped the same way.
   */
  public List<io.pricetide.price.Observation> extract(String sourceId, String body, String format) {
    return extract(sourceId, body, format, null);
  }

  /**
   * Like {@link #extract(String, String, String)} for a body observed at {@code observedAt} (now when null): a
   * replayed snapshot resolves dated catalogue prices as of its own date, not as of today.
   */
  public List<io.pricetide.price.Observation> extract(String sourceId, String body, String format,
      Instant observedAt) {
    SourceDefinition d = sources.get(sourceId);
    if (d == null) {
      throw new IllegalArgumentException("unknown source '" + sourceId + "'");
    }
    ExtractContext ctx = new ExtractContext(d, format == null ? d.format() : format, currencies, observedAt, models);
    try {
      return extractors.get(sourceId).extract(body, ctx);
    } catch (ExtractException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ExtractException(sourceId, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Decodes a body by the charset of its content type, UTF-8 by default. */
  public static String decode(byte[] body, String contentType) {
    Charset cs = StandardCharsets.UTF_8;
    if (contentType != null) {
      int i = contentType.toLowerCase().indexOf("charset=");
      if (i >= 0) {
        try {
          cs = Charset.forName(contentType.substring(i + 8).replace("\"", "").split(";")[0].trim());
        } catch (RuntimeException ignored) {
          // an unknown charset label falls back to UTF-8
        }
      }
    }
    return new String(body, cs);
  }
}

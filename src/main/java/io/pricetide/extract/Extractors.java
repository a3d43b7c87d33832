package io.pricetide.extract;

import io.pricetide.price.Currencies;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.Sources;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The extractor of every loaded source, built once from its definition: runs a body through its source's
 * extractor and decodes bodies by their declared charset.
 */
public final class Extractors {
  private final Sources sources;
  private volatile Map<String, Extractor> extractors;
  private final ExtractorRegistry registry;
  private final Currencies currencies;

  public Extractors(Sources sources, ExtractorRegistry registry, Currencies currencies) {
    this.sources = sources;
    this.registry = registry;
    this.currencies = currencies;
    this.extractors = build(sources);
  }

  private Map<String, Extractor> build(Sources defs) {
    Map<String, Extractor> m = new LinkedHashMap<>();
    for (SourceDefinition d : defs.all()) {
      m.put(d.id(), registry.factory(d.extractorKind()).orElseThrow().create(d, d.extractorConfig()));
    }
    return m;
  }

  /**
   * Reload hook (ops.SourceReload, issue #14): builds the extractors of {@code next} first (a failure changes
   * nothing), then the shared {@link Sources} and these extractors name the new definitions.
   */
  public void reload(Sources next) {
    Map<String, Extractor> built = build(next);
    this.extractors = built;
    sources.replaceWith(next);
  }

  /** The sources these extractors were built for. */
  public Sources sources() {
    return sources;
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
    SourceDefinition d = sources.require(sourceId);
    ExtractContext ctx = new ExtractContext(d, format == null ? d.format() : format, currencies, observedAt,
        sources.models());
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

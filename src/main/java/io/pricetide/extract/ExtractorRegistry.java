package io.pricetide.extract;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Extractor factories keyed by {@code kind}. The declarative kinds are {@code json}, {@code html-table} and
 * {@code markdown-table}; named Java extractors register under their own kind. An unknown kind is rejected when
 * sources load.
 */
public final class ExtractorRegistry implements io.pricetide.source.ExtractorKinds {
  private final Map<String, ExtractorFactory> factories = new TreeMap<>();

  /** The registry with every built-in kind. */
  public static ExtractorRegistry builtIn() {
    ExtractorRegistry r = new ExtractorRegistry();
    r.register("json", JsonMappingExtractor.FACTORY);
    r.register("html-table", HtmlTableExtractor.FACTORY);
    r.register("markdown-table", MarkdownTableExtractor.FACTORY);
    r.register("ecb-fx", EcbFxExtractor.FACTORY);
    r.register("openrouter-rankings", OpenRouterRankingsExtractor.FACTORY);
    r.register("huggingface-hub", HuggingFaceHubExtractor.FACTORY);
    Catalogues.register(r);
    Vendors.register(r);
    return r;
  }

  public ExtractorRegistry register(String kind, ExtractorFactory factory) {
    if (factories.putIfAbsent(kind, factory) != null) {
      throw new IllegalStateException("extractor kind '" + kind + "' registered twice");
    }
    return this;
  }

  public Optional<ExtractorFactory> factory(String kind) {
    return Optional.ofNullable(factories.get(kind));
  }

  @Override
  public Optional<java.util.Set<String>> keys(String kind) {
    return factory(kind).map(ExtractorFactory::keys);
  }

  @Override
  public void check(io.pricetide.source.SourceDefinition def) {
    factory(def.extractorKind()).orElseThrow(() -> new IllegalArgumentException("unknown extractor kind '"
        + def.extractorKind() + "'")).create(def, def.extractorConfig());
  }

  @Override
  public java.util.Set<String> kinds() {
    return factories.keySet();
  }
}

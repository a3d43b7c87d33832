package io.pricetide.extract;

import io.pricetide.source.SourceDefinition;
import java.util.Map;
import java.util.Set;

/**
 * Builds an {@link Extractor} for one source from the source file's {@code extractor:} block. {@link #keys} lists
 * the keys the block may hold besides {@code kind}; any other key is rejected when sources are loaded.
 */
public interface ExtractorFactory {
  Set<String> keys();

  /** Builds the extractor or throws {@link IllegalArgumentException} naming the bad key. */
  Extractor create(SourceDefinition source, Map<String, Object> config);

  /** A factory for an extractor that takes no settings: any key besides {@code kind} is rejected. */
  static ExtractorFactory withoutSettings(java.util.function.Supplier<Extractor> extractor) {
    return new ExtractorFactory() {
      @Override
      public Set<String> keys() {
        return Set.of();
      }

      @Override
      public Extractor create(SourceDefinition source, Map<String, Object> config) {
        return extractor.get();
      }
    };
  }
}

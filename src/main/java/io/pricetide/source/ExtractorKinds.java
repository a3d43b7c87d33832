package io.pricetide.source;

import java.util.Optional;
import java.util.Set;

/**
 * What the source loader needs to know of extraction to validate a source file: the extractor kinds, the keys each
 * takes, and whether a definition builds. Extraction implements it, so sources never import extraction.
 */
public interface ExtractorKinds {
  Set<String> kinds();

  /** The keys an extractor kind takes besides {@code kind}; empty when the kind is unknown. */
  Optional<Set<String>> keys(String kind);

  /** Builds the definition's extractor once, or throws {@link IllegalArgumentException} naming the bad setting. */
  void check(SourceDefinition def);
}

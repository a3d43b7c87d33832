package io.pricetide.extract;

/** Registers the named extractors of the machine-readable price catalogues. */
final class Catalogues {
  private Catalogues() {}

  static void register(ExtractorRegistry r) {
    // filled in by the catalogue extractors
  }
}

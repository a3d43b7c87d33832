/** Extraction: the extractor registry, the declarative JSON/HTML/markdown mappings and the named extractors. */
package io.pricetide.extract;

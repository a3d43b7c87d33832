package io.pricetide.extract;

import io.pricetide.price.Observation;
import java.util.List;

/**
 * Reads one fetched document into observations. Implementations are stateless after construction and safe to call
 * from several threads. They fail loudly: a document without what they look for throws {@link ExtractException};
 * an empty list is never a quiet stand-in for "could not read".
 */
public interface Extractor {
  List<Observation> extract(String body, ExtractContext ctx);
}

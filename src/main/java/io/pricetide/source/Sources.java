package io.pricetide.source;

import io.pricetide.price.CanonicalModels;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The loaded sources: the read-only catalogue of definitions every stage shares, with the model names the
 * sources directory's alias file gives. Extraction builds its extractors from it; nothing here extracts.
 */
public final class Sources {
  /** One loaded set, swapped whole by {@link #replaceWith}, so a reader never sees half of a reload. */
  private record State(Map<String, SourceDefinition> byId, CanonicalModels models, Set<String> catalogues) {}

  private volatile State state;

  public Sources(List<SourceDefinition> defs, CanonicalModels models) {
    Map<String, SourceDefinition> byId = new LinkedHashMap<>();
    Set<String> ids = new TreeSet<>();
    for (SourceDefinition d : defs) {
      byId.put(d.id(), d);
      if (d.kind().equals("prices") && d.provider().isEmpty()) {
        ids.add(d.id());
      }
    }
    this.state = new State(Collections.unmodifiableMap(byId), models, Collections.unmodifiableSet(ids));
  }

  /**
   * Every holder of this catalogue sees {@code next}'s definitions from now on: the service's reload of
   * {@code sources/} without a restart (issue #14). The swap is one write; a reader sees the old set or the new.
   */
  public void replaceWith(Sources next) {
    this.state = next.state;
  }

  /** The definitions named by the rules alone (no alias file). */
  public Sources(List<SourceDefinition> defs) {
    this(defs, CanonicalModels.RULES);
  }

  /** The sources a directory load found, with its alias file; throws when the load found errors. */
  public static Sources of(SourceLoader.Result loaded) {
    return new Sources(loaded.orThrow(), loaded.models());
  }

  public Optional<SourceDefinition> source(String id) {
    return Optional.ofNullable(state.byId().get(id));
  }

  /** The definition of {@code id}, or an {@link IllegalArgumentException} naming it. */
  public SourceDefinition require(String id) {
    SourceDefinition d = state.byId().get(id);
    if (d == null) {
      throw new IllegalArgumentException("unknown source '" + id + "'");
    }
    return d;
  }

  public List<SourceDefinition> all() {
    return List.copyOf(state.byId().values());
  }

  /** Ids of the catalogue sources: price sources without a {@code provider} of their own. */
  public Set<String> catalogueIds() {
    return state.catalogues();
  }

  /** Canonical model names: the rules plus the sources directory's alias file. */
  public CanonicalModels models() {
    return state.models();
  }
}

package io.pricetide.history;

import io.pricetide.workload.Workloads;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the catalogues state of each model ({@link ModelAttributes}), read once per ranking: the largest context
 * window any source states, the union of input and of output modalities, and the kinds the sources give it.
 */
public final class AttributeFacts implements Workloads.Facts {
  private final Map<String, List<ModelAttributes.Attributes>> all;

  public AttributeFacts(Map<String, List<ModelAttributes.Attributes>> all) {
    this.all = all;
  }

  @Override
  public Long context(String canonicalModel) {
    Long best = null;
    for (ModelAttributes.Attributes a : all.getOrDefault(canonicalModel, List.of())) {
      if (a.contextWindow() != null && (best == null || a.contextWindow() > best)) {
        best = a.contextWindow();
      }
    }
    return best;
  }

  @Override
  public Set<String> inputModalities(String canonicalModel) {
    return union(canonicalModel, ModelAttributes.Attributes::inputModalities);
  }

  @Override
  public Set<String> outputModalities(String canonicalModel) {
    return union(canonicalModel, ModelAttributes.Attributes::outputModalities);
  }

  /** Every source's comma-separated list of one attribute of the model, as one set. */
  private Set<String> union(String canonicalModel,
      java.util.function.Function<ModelAttributes.Attributes, String> list) {
    Set<String> out = new HashSet<>();
    for (ModelAttributes.Attributes a : all.getOrDefault(canonicalModel, List.of())) {
      String v = list.apply(a);
      if (v != null) {
        out.addAll(List.of(v.split(",")));
      }
    }
    return out;
  }

  @Override
  public Set<String> kinds(String canonicalModel) {
    Set<String> out = new HashSet<>();
    for (ModelAttributes.Attributes a : all.getOrDefault(canonicalModel, List.of())) {
      if (a.kind() != null) {
        out.add(a.kind());
      }
    }
    return out;
  }
}

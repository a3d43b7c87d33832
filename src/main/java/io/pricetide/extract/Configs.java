package io.pricetide.extract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed reads of an extractor's settings, failing with the key's name. */
final class Configs {
  private Configs() {}

  static String string(Map<String, Object> cfg, String key, String fallback) {
    Object v = cfg.get(key);
    if (v == null) {
      if (fallback == null) {
        throw new IllegalArgumentException("extractor key '" + key + "' is required");
      }
      return fallback;
    }
    if (v instanceof Map || v instanceof List) {
      throw new IllegalArgumentException("extractor key '" + key + "' must be a string");
    }
    return v.toString();
  }

  static Map<String, Object> map(Map<String, Object> cfg, String key) {
    Object v = cfg.get(key);
    if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
      throw new IllegalArgumentException("extractor key '" + key + "' must be a non-empty mapping");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, val) -> out.put(String.valueOf(k), val));
    return out;
  }
}

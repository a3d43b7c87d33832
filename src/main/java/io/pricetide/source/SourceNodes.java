package io.pricetide.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reading YAML nodes of a source file: scalars, mappings, numbers, flags, each problem as {@code file:line}. */
final class SourceNodes {
  private SourceNodes() {}

  /** A check that, failing, adds its problem and gives {@code fallback} so that the following checks still run. */
  static <T> T step(List<SourceException> problems, java.util.function.Supplier<T> check, T fallback) {
    try {
      return check.get();
    } catch (SourceException e) {
      problems.add(e);
      return fallback;
    }
  }

  static MappingNode mapping(String file, Node node, String key) {
    if (node instanceof MappingNode m) {
      return m;
    }
    throw new SourceException(file, line(node), "'" + key + "' must be a mapping");
  }

  static boolean flag(String file, Map<String, Node> m, String key, boolean fallback) {
    Node n = m.get(key);
    if (n == null) {
      return fallback;
    }
    String v = scalar(file, n).toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new SourceException(file, line(n), "'" + key + "' must be true or false, not '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  static long number(String file, Map<String, Node> m, String key, long fallback) {
    Node n = m.get(key);
    if (n == null) {
      return fallback;
    }
    String v = scalar(file, n);
    try {
      long value = Long.parseLong(v);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new SourceException(file, line(n), "'" + key + "' must be a whole number >= 0, not '" + v + "'");
    }
  }

  /**
   * The entries of a mapping; keys outside {@code required ∪ optional} are errors unless {@code optional} is null
   * (then the caller checks them). Each unknown, duplicate or non-scalar key is one problem in {@code p}.
   */
  static Map<String, Node> entries(String file, MappingNode map, Set<String> required, Set<String> optional,
      List<SourceException> p) {
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = step(p, () -> scalar(file, t.getKeyNode()), null);
      if (key == null) {
        continue;
      }
      boolean known = optional == null || optional.contains(key) || (required != null && required.contains(key));
      if (!known) {
        p.add(new SourceException(file, line(t.getKeyNode()), "unknown key '" + key + "'"));
      } else if (out.putIfAbsent(key, t.getValueNode()) != null) {
        p.add(new SourceException(file, line(t.getKeyNode()), "duplicate key '" + key + "'"));
      }
    }
    return out;
  }

  static String optional(String file, Map<String, Node> m, String key, String fallback) {
    Node n = m.get(key);
    return n == null ? fallback : scalar(file, n);
  }

  static String scalar(String file, Node n) {
    if (n instanceof ScalarNode s) {
      return s.getValue();
    }
    throw new SourceException(file, line(n), "expected a single value here");
  }

  static Object plain(Node n) {
    if (n instanceof ScalarNode s) {
      return s.getValue();
    }
    if (n instanceof SequenceNode seq) {
      List<Object> list = new ArrayList<>();
      seq.getValue().forEach(x -> list.add(plain(x)));
      return list;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (NodeTuple t : ((MappingNode) n).getValue()) {
      m.put(((ScalarNode) t.getKeyNode()).getValue(), plain(t.getValueNode()));
    }
    return m;
  }

  static int line(Node n) {
    return n.getStartMark().getLine() + 1;
  }
}

package io.pricetide.source;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The alias file {@value #FILE} in the sources directory: canonical model id → the names sources use for it.
 * <pre>
 * claude-sonnet-4.5: [claude-sonnet-4-5-20250929, anthropic/claude-sonnet-4.5]
 * </pre>
 * Names are matched without regard to case, before and after the naming rules. A name listed under two ids is an
 * error, as is anything but a mapping of lists.
 */
public final class ModelAliases {
  public static final String FILE = "_model-aliases.yaml";

  private ModelAliases() {}

  /** The alias table of a sources directory (empty when the file is absent); errors name file and reason. */
  public static Map<String, String> load(Path sourcesDir) {
    Path f = sourcesDir.resolve(FILE);
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(f)) {
      return out;
    }
    Object root;
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      LoaderOptions o = new LoaderOptions();
      o.setAllowDuplicateKeys(false);
      root = new Yaml(o).load(r);
    } catch (MarkedYAMLException e) {
      throw new SourceException(f.toString(), e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1,
          "YAML syntax: " + e.getProblem());
    } catch (IOException e) {
      throw new SourceException(f.toString(), 1, "cannot read: " + e.getMessage());
    }
    if (root == null) {
      return out;
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new SourceException(f.toString(), 1, "the alias file must map canonical ids to lists of names");
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String id = String.valueOf(e.getKey());
      if (!(e.getValue() instanceof List<?> names)) {
        throw new SourceException(f.toString(), 1, "aliases of '" + id + "' must be a list");
      }
      for (Object n : names) {
        String prior = out.put(String.valueOf(n).toLowerCase(java.util.Locale.ROOT), id);
        if (prior != null && !prior.equals(id)) {
          throw new SourceException(f.toString(), 1, "'" + n + "' is an alias of both '" + prior + "' and '" + id + "'");
        }
      }
    }
    return out;
  }
}

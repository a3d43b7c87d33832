package io.pricetide.source;

import static io.pricetide.source.SourceBlocks.fetchSettings;
import static io.pricetide.source.SourceBlocks.guards;
import static io.pricetide.source.SourceNodes.entries;
import static io.pricetide.source.SourceNodes.line;
import static io.pricetide.source.SourceNodes.optional;
import static io.pricetide.source.SourceNodes.plain;
import static io.pricetide.source.SourceNodes.scalar;
import static io.pricetide.source.SourceNodes.step;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.quartz.CronExpression;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads and validates {@code sources/*.yaml}. Every problem is reported as {@code file:line: reason}: unknown or
 * duplicate keys, missing required keys, a bad cron, an unknown extractor or extractor key, duplicate ids. All
 * problems of all files are collected, so one run of {@code sources validate} shows them all.
 */
public final class SourceLoader {
  static final Set<String> REQUIRED = Set.of("id", "url", "schedule");
  static final Set<String> OPTIONAL = Set.of("name", "provider", "kind", "format", "currency", "unit", "extractor",
      "fetch", "guards", "enabled", "description", "urls");
  static final Set<String> FETCH_KEYS = Set.of("connect_timeout_ms", "read_timeout_ms", "max_bytes", "retries",
      "backoff_ms", "max_backoff_ms", "render", "render_timeout_ms", "deadline_ms", "allow_private");
  static final Set<String> GUARD_KEYS = Set.of("max_row_loss_pct", "removal_checks", "max_jump_ratio",
      "zero_is_suspect", "correction_hours", "suspect_checks", "max_usd_per_1m");
  static final Set<String> KINDS = Set.of("prices", "usage", "fx");
  static final Set<String> FORMATS = Set.of("html", "markdown", "json", "xml", "text", "rendered");

  private final ExtractorKinds extractors;

  public SourceLoader(ExtractorKinds extractors) {
    this.extractors = extractors;
  }

  /**
   * The outcome of loading a directory: the valid sources, every error found, and the model identity rules with the
   * directory's alias file ({@code _model-aliases.yaml}).
   */
  public record Result(List<SourceDefinition> sources, List<String> errors,
      io.pricetide.price.CanonicalModels models) {
    public boolean ok() {
      return errors.isEmpty();
    }

    /** The sources, or a {@link SourceException} listing every error. */
    public List<SourceDefinition> orThrow() {
      if (!ok()) {
        throw new IllegalStateException("invalid source definitions:\n  " + String.join("\n  ", errors));
      }
      return sources;
    }
  }

  public Result loadDirectory(Path dir) {
    List<SourceDefinition> sources = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      errors.add(dir + ":0: sources directory does not exist");
      return new Result(sources, errors, io.pricetide.price.CanonicalModels.RULES);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      // Files starting with '_' are not sources (the model alias file, shared snippets).
      files = s.filter(p -> p.getFileName().toString().matches("[^_].*\\.ya?ml")).sorted().toList();
    } catch (IOException e) {
      errors.add(dir + ":0: cannot list: " + e.getMessage());
      return new Result(sources, errors, io.pricetide.price.CanonicalModels.RULES);
    }
    io.pricetide.price.CanonicalModels models = io.pricetide.price.CanonicalModels.RULES;
    try {
      models = new io.pricetide.price.CanonicalModels(ModelAliases.load(dir));
    } catch (SourceException e) {
      errors.add(e.getMessage());
    }
    Map<String, SourceDefinition> byId = new HashMap<>();
    for (Path f : files) {
      List<SourceException> problems = new ArrayList<>();
      SourceDefinition def = loadFile(f, problems);
      problems.forEach(e -> errors.add(e.getMessage()));
      if (def != null) {
        SourceDefinition prior = byId.putIfAbsent(def.id(), def);
        if (prior != null) {
          errors.add(f + ":" + idLine(f) + ": duplicate source id '" + def.id() + "' (also in " + prior.file() + ")");
        } else {
          sources.add(def);
        }
      }
    }
    return new Result(sources, errors, models);
  }

  private int idLine(Path f) {
    try {
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith("id:")) {
          return i + 1;
        }
      }
    } catch (IOException ignored) {
      // the line number is a courtesy
    }
    return 1;
  }

  /** Source files are small; a larger one is refused before it is parsed. */
  static final int MAX_BYTES = 256 * 1024;
  /** Aliases to collections a file may use (a billion-laughs file uses thousands). */
  static final int MAX_ALIASES = 20;
  /** The deepest nesting of mappings and lists a file may have. */
  static final int MAX_DEPTH = 20;

  /**
   * The file as text, or a {@link SourceException} with the line of the first problem: larger than
   * {@link #MAX_BYTES}, not UTF-8, or holding control characters (a binary file).
   */
  static String readText(Path file) {
    String name = file.toString();
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new SourceException(name, 1, "file too large: " + size + " bytes (a source file may have at most "
            + MAX_BYTES + ")");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new SourceException(name, 1, "cannot read: " + e.getMessage());
    }
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    java.nio.charset.CoderResult r = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(in, out, true);
    if (r.isError()) {
      throw new SourceException(name, lineAt(bytes, in.position()), "not UTF-8 text (byte 0x"
          + Integer.toHexString(bytes[in.position()] & 0xff) + " at offset " + in.position() + ")");
    }
    out.flip();
    String text = out.toString();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f) {
        throw new SourceException(name, 1 + (int) text.substring(0, i).chars().filter(ch -> ch == '\n').count(),
            "control character U+" + String.format("%04X", (int) c) + " (a binary file, not YAML text)");
      }
    }
    return text;
  }

  private static int lineAt(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  /** Loads one file; throws {@link SourceException} with file and line of its first problem (by line). */
  public SourceDefinition loadFile(Path file) {
    List<SourceException> problems = new ArrayList<>();
    SourceDefinition def = loadFile(file, problems);
    if (!problems.isEmpty()) {
      throw problems.get(0);
    }
    return def;
  }

  /**
   * Loads one file, adding every problem found to {@code problems} in line order; null when there is any. Each
   * top-level key is checked on its own, and so are the keys of {@code fetch}, {@code guards} and {@code extractor};
   * the extractor's own configuration check runs once the rest of the file is valid (it needs the whole source).
   */
  public SourceDefinition loadFile(Path file, List<SourceException> problems) {
    List<SourceException> found = new ArrayList<>();
    SourceDefinition def = null;
    try {
      def = load(file, found);
    } catch (SourceException e) {
      found.add(e); // a problem the rest of the file cannot be read past (YAML syntax, not a mapping)
    }
    found.sort(java.util.Comparator.comparingInt(SourceException::line));
    problems.addAll(found);
    return found.isEmpty() ? def : null;
  }

  private SourceDefinition load(Path file, List<SourceException> p) {
    String name = file.toString();
    Node root;
    String text = readText(file);
    try {
      LoaderOptions opts = new LoaderOptions();
      opts.setAllowDuplicateKeys(false);
      opts.setCodePointLimit(MAX_BYTES);
      opts.setMaxAliasesForCollections(MAX_ALIASES);
      opts.setNestingDepthLimit(MAX_DEPTH);
      root = new Yaml(opts).compose(new java.io.StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      throw new SourceException(name, line, "YAML syntax: " + e.getProblem());
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      // Limits (aliases, nesting, size) and reader errors carry no mark; they are still this file's problem.
      throw new SourceException(name, 1, "YAML refused: " + e.getMessage());
    }
    if (!(root instanceof MappingNode map)) {
      throw new SourceException(name, root == null ? 1 : line(root), "a source file must be a YAML mapping");
    }
    Map<String, Node> top = entries(name, map, REQUIRED, OPTIONAL, p);
    for (String req : List.of("id", "url", "schedule")) { // REQUIRED, in the order the problems are told
      if (!top.containsKey(req)) {
        p.add(new SourceException(name, line(map), "missing required key '" + req + "'"));
      }
    }
    String id = !top.containsKey("id") ? null : step(p, () -> {
      String v = scalar(name, top.get("id"));
      if (!v.matches("[a-z0-9][a-z0-9-]*")) {
        throw new SourceException(name, line(top.get("id")), "id '" + v + "' must be lower-case letters, digits, '-'");
      }
      return v;
    }, null);
    String url = !top.containsKey("url") ? null : step(p, () -> {
      String v = scalar(name, top.get("url"));
      if (!v.matches("(?i)https?://.+")) {
        throw new SourceException(name, line(top.get("url")), "url must be http or https: '" + v + "'");
      }
      String urlProblem = urlProblem(v);
      if (urlProblem != null) {
        throw new SourceException(name, line(top.get("url")), "url " + urlProblem + ": '" + v + "'");
      }
      return v;
    }, null);
    List<String> urls = step(p, () -> urls(name, url, top.get("urls")), List.of());
    String schedule = !top.containsKey("schedule") ? null : step(p, () -> {
      String v = scalar(name, top.get("schedule"));
      try {
        new CronExpression(v);
      } catch (ParseException e) {
        throw new SourceException(name, line(top.get("schedule")),
            "schedule '" + v + "' is not a Quartz cron expression: " + e.getMessage());
      }
      return v;
    }, null);
    String kind = step(p, () -> {
      String v = optional(name, top, "kind", "prices");
      if (!KINDS.contains(v)) {
        throw new SourceException(name, line(top.get("kind")), "kind must be one of " + KINDS + ", not '" + v + "'");
      }
      return v;
    }, null);
    FetchSettings fetch = step(p, () -> fetchSettings(name, top.get("fetch"), p), null);
    // A rendered page's body is the 'rendered' container, so the two go together; render implies the format.
    String format = step(p, () -> {
      String v = optional(name, top, "format", fetch != null && fetch.render() ? "rendered" : "html");
      if (!FORMATS.contains(v)) {
        throw new SourceException(name, line(top.get("format")),
            "format must be one of " + FORMATS + ", not '" + v + "'");
      }
      return v;
    }, null);
    if (fetch != null && format != null && fetch.render() != format.equals("rendered")) {
      p.add(new SourceException(name, line(top.containsKey("format") ? top.get("format") : top.get("fetch")),
          fetch.render() ? "a source with fetch.render: true has format 'rendered' (or none), not '" + format + "'"
              : "format 'rendered' is the body of a rendered page: it needs fetch.render: true"));
    }
    String unit = step(p, () -> {
      String v = optional(name, top, "unit", "per_1m");
      try {
        io.pricetide.price.Unit.parse(v);
      } catch (IllegalArgumentException e) {
        throw new SourceException(name, line(top.get("unit")), e.getMessage());
      }
      return v;
    }, null);
    String currency = step(p, () -> {
      String v = optional(name, top, "currency", "USD").toUpperCase(Locale.ROOT);
      if (!v.matches("[A-Z]{3}")) {
        throw new SourceException(name, line(top.get("currency")), "currency must be an ISO code such as USD or CNY");
      }
      return v;
    }, null);
    Guards guards = step(p, () -> guards(name, top.get("guards"), p), null);
    boolean enabled = Boolean.parseBoolean(step(p, () -> optional(name, top, "enabled", "true"), "true"));
    String displayName = step(p, () -> optional(name, top, "name", id), null);
    String provider = step(p, () -> optional(name, top, "provider", ""), null);
    Extractor ex = step(p, () -> extractor(name, map, top.get("extractor"), p), null);
    if (!p.isEmpty()) {
      return null;
    }
    SourceDefinition def = new SourceDefinition(id, displayName, provider, kind, url, format, schedule, currency, unit,
        ex.kind(), ex.config(), fetch, guards, enabled, name, urls);
    try {
      extractors.check(def);
    } catch (IllegalArgumentException e) {
      throw new SourceException(name, line(ex.node()), "extractor '" + ex.kind() + "': " + e.getMessage());
    }
    return def;
  }

  private record Extractor(String kind, Map<String, Object> config, Node node) {}

  /** The {@code extractor} block: its kind and its keys, each unknown key one problem; null when unusable. */
  private Extractor extractor(String name, MappingNode map, Node exNode, List<SourceException> p) {
    if (exNode == null) {
      throw new SourceException(name, line(map), "missing required key 'extractor'");
    }
    if (!(exNode instanceof MappingNode exMap)) {
      throw new SourceException(name, line(exNode), "'extractor' must be a mapping with a 'kind'");
    }
    Map<String, Node> exEntries = entries(name, exMap, Set.of("kind"), null, p);
    if (!exEntries.containsKey("kind")) {
      throw new SourceException(name, line(exNode), "extractor needs a 'kind' (one of " + extractors.kinds() + ")");
    }
    String exKind = scalar(name, exEntries.get("kind"));
    Set<String> allowed = extractors.keys(exKind).orElseThrow(() -> new SourceException(name,
        line(exEntries.get("kind")), "unknown extractor kind '" + exKind + "' (known: " + extractors.kinds() + ")"));
    Map<String, Object> exConfig = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : exEntries.entrySet()) {
      if (e.getKey().equals("kind")) {
        continue;
      }
      if (!allowed.contains(e.getKey())) {
        p.add(new SourceException(name, line(e.getValue()),
            "unknown key '" + e.getKey() + "' for extractor '" + exKind + "' (allowed: " + allowed + ")"));
      } else {
        exConfig.put(e.getKey(), plain(e.getValue()));
      }
    }
    return new Extractor(exKind, exConfig, exNode);
  }

  /**
   * Every URL of a source: {@code url} first, then the optional {@code urls:} list (further URLs one check fetches
   * as well), each http or https and none twice.
   */
  private static List<String> urls(String file, String url, Node node) {
    List<String> all = new ArrayList<>();
    if (url != null) {
      all.add(url);
    }
    if (node == null) {
      return all;
    }
    if (!(node instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
      throw new SourceException(file, line(node), "'urls' must be a list of further URLs to fetch with 'url'");
    }
    for (Node n : seq.getValue()) {
      String u = scalar(file, n);
      if (!u.matches("(?i)https?://.+")) {
        throw new SourceException(file, line(n), "urls: each must be http or https: '" + u + "'");
      }
      if (all.contains(u)) {
        throw new SourceException(file, line(n), "urls: '" + u + "' is listed twice (with url or in urls)");
      }
      all.add(u);
    }
    return all;
  }

  /** Why a URL cannot be fetched (no host, as in {@code http:///x}, or not a URI at all), or null when it can. */
  static String urlProblem(String url) {
    try {
      java.net.URI u = new java.net.URI(url);
      if (u.getHost() == null || u.getHost().isBlank()) {
        return "has no host";
      }
      return null;
    } catch (java.net.URISyntaxException e) {
      return "is not a valid URI (" + e.getReason() + ")";
    }
  }
}

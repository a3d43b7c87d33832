package io.pricetide.source;

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
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
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
      try {
        SourceDefinition def = loadFile(f);
        SourceDefinition prior = byId.putIfAbsent(def.id(), def);
        if (prior != null) {
          errors.add(f + ":" + idLine(f) + ": duplicate source id '" + def.id() + "' (also in " + prior.file() + ")");
        } else {
          sources.add(def);
        }
      } catch (SourceException e) {
        errors.add(e.getMessage());
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

  /** Loads one file; throws {@link SourceException} with file and line on the first problem. */
  public SourceDefinition loadFile(Path file) {
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
    Map<String, Node> top = entries(name, map, REQUIRED, OPTIONAL);
    for (String req : REQUIRED) {
      if (!top.containsKey(req)) {
        throw new SourceException(name, line(map), "missing required key '" + req + "'");
      }
    }
    String id = scalar(name, top.get("id"));
    if (!id.matches("[a-z0-9][a-z0-9-]*")) {
      throw new SourceException(name, line(top.get("id")), "id '" + id + "' must be lower-case letters, digits, '-'");
    }
    String url = scalar(name, top.get("url"));
    if (!url.matches("(?i)https?://.+")) {
      throw new SourceException(name, line(top.get("url")), "url must be http or https: '" + url + "'");
    }
    String urlProblem = urlProblem(url);
    if (urlProblem != null) {
      throw new SourceException(name, line(top.get("url")), "url " + urlProblem + ": '" + url + "'");
    }
    List<String> urls = urls(name, url, top.get("urls"));
    String schedule = scalar(name, top.get("schedule"));
    try {
      new CronExpression(schedule);
    } catch (ParseException e) {
      throw new SourceException(name, line(top.get("schedule")),
          "schedule '" + schedule + "' is not a Quartz cron expression: " + e.getMessage());
    }
    String kind = optional(name, top, "kind", "prices");
    if (!KINDS.contains(kind)) {
      throw new SourceException(name, line(top.get("kind")), "kind must be one of " + KINDS + ", not '" + kind + "'");
    }
    FetchSettings fetch = fetchSettings(name, top.get("fetch"));
    // A rendered page's body is the 'rendered' container, so the two go together; render implies the format.
    String format = optional(name, top, "format", fetch.render() ? "rendered" : "html");
    if (!FORMATS.contains(format)) {
      throw new SourceException(name, line(top.get("format")),
          "format must be one of " + FORMATS + ", not '" + format + "'");
    }
    if (fetch.render() != format.equals("rendered")) {
      throw new SourceException(name, line(top.containsKey("format") ? top.get("format") : top.get("fetch")),
          fetch.render() ? "a source with fetch.render: true has format 'rendered' (or none), not '" + format + "'"
              : "format 'rendered' is the body of a rendered page: it needs fetch.render: true");
    }
    String unit = optional(name, top, "unit", "per_1m");
    try {
      io.pricetide.price.Unit.parse(unit);
    } catch (IllegalArgumentException e) {
      throw new SourceException(name, line(top.get("unit")), e.getMessage());
    }
    String currency = optional(name, top, "currency", "USD").toUpperCase(Locale.ROOT);
    if (!currency.matches("[A-Z]{3}")) {
      throw new SourceException(name, line(top.get("currency")), "currency must be an ISO code such as USD or CNY");
    }
    Guards guards = guards(name, top.get("guards"));
    boolean enabled = Boolean.parseBoolean(optional(name, top, "enabled", "true"));
    if (!top.containsKey("extractor")) {
      throw new SourceException(name, line(map), "missing required key 'extractor'");
    }
    Node exNode = top.get("extractor");
    if (!(exNode instanceof MappingNode exMap)) {
      throw new SourceException(name, line(exNode), "'extractor' must be a mapping with a 'kind'");
    }
    Map<String, Node> exEntries = entries(name, exMap, Set.of("kind"), null);
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
        throw new SourceException(name, line(e.getValue()),
            "unknown key '" + e.getKey() + "' for extractor '" + exKind + "' (allowed: " + allowed + ")");
      }
      exConfig.put(e.getKey(), plain(e.getValue()));
    }
    SourceDefinition def = new SourceDefinition(id, optional(name, top, "name", id), optional(name, top, "provider", ""),
        kind, url, format, schedule, currency, unit, exKind, exConfig, fetch, guards, enabled, name, urls);
    try {
      extractors.check(def);
    } catch (IllegalArgumentException e) {
      throw new SourceException(name, line(exNode), "extractor '" + exKind + "': " + e.getMessage());
    }
    return def;
  }

  /**
   * Every URL of a source: {@code url} first, then the optional {@code urls:} list (further URLs one check fetches
   * as well), each http or https and none twice.
   */
  private static List<String> urls(String file, String url, Node node) {
    List<String> all = new ArrayList<>(List.of(url));
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

  private FetchSettings fetchSettings(String file, Node node) {
    if (node == null) {
      return FetchSettings.DEFAULTS;
    }
    Map<String, Node> m = entries(file, mapping(file, node, "fetch"), null, FETCH_KEYS);
    FetchSettings d = FetchSettings.DEFAULTS;
    FetchSettings plain = new FetchSettings(
        (int) number(file, m, "connect_timeout_ms", d.connectTimeoutMs()),
        (int) number(file, m, "read_timeout_ms", d.readTimeoutMs()),
        number(file, m, "max_bytes", d.maxBytes()),
        (int) number(file, m, "retries", d.retries()),
        number(file, m, "backoff_ms", d.backoffMs()),
        number(file, m, "max_backoff_ms", d.maxBackoffMs()),
        number(file, m, "deadline_ms", d.deadlineMs()),
        flag(file, m, "allow_private", d.allowPrivate()));
    Node render = m.get("render");
    boolean rendered = false;
    if (render != null) {
      String v = scalar(file, render);
      if (!v.equals("true") && !v.equals("false")) {
        throw new SourceException(file, line(render), "'render' must be true or false, not '" + v + "'");
      }
      rendered = Boolean.parseBoolean(v);
    }
    Node timeout = m.get("render_timeout_ms");
    if (timeout != null && !rendered) {
      throw new SourceException(file, line(timeout), "'render_timeout_ms' applies only with render: true");
    }
    long limit = number(file, m, "render_timeout_ms", FetchSettings.DEFAULT_RENDER_TIMEOUT_MS);
    if (limit < 1_000) {
      throw new SourceException(file, line(timeout), "'render_timeout_ms' must be at least 1000 (a browser takes"
          + " seconds to start), not " + limit);
    }
    return rendered ? plain.rendered(limit) : plain;
  }

  private Guards guards(String file, Node node) {
    if (node == null) {
      return Guards.DEFAULTS;
    }
    Map<String, Node> m = entries(file, mapping(file, node, "guards"), null, GUARD_KEYS);
    Guards d = Guards.DEFAULTS;
    Node zero = m.get("zero_is_suspect");
    boolean zeroIsSuspect = d.zeroIsSuspect();
    if (zero != null) {
      String v = scalar(file, zero);
      if (!v.equals("true") && !v.equals("false")) {
        throw new SourceException(file, line(zero), "'zero_is_suspect' must be true or false, not '" + v + "'");
      }
      zeroIsSuspect = Boolean.parseBoolean(v);
    }
    int removal = (int) number(file, m, "removal_checks", d.removalChecks());
    if (removal < 1) {
      throw new SourceException(file, line(m.get("removal_checks")), "'removal_checks' must be at least 1");
    }
    return new Guards((int) number(file, m, "max_row_loss_pct", d.maxRowLossPct()), removal,
        (int) number(file, m, "max_jump_ratio", d.maxJumpRatio()), zeroIsSuspect,
        (int) number(file, m, "correction_hours", d.correctionHours()),
        (int) number(file, m, "suspect_checks", d.suspectChecks()), ceiling(file, m.get("max_usd_per_1m")));
  }

  private static java.math.BigDecimal ceiling(String file, Node n) {
    if (n == null) {
      return Guards.MAX_USD_PER_1M;
    }
    String v = scalar(file, n);
    try {
      java.math.BigDecimal d = new java.math.BigDecimal(v);
      if (d.signum() > 0) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SourceException(file, line(n), "'max_usd_per_1m' must be a positive number, not '" + v + "'");
  }

  private static MappingNode mapping(String file, Node node, String key) {
    if (node instanceof MappingNode m) {
      return m;
    }
    throw new SourceException(file, line(node), "'" + key + "' must be a mapping");
  }

  private static boolean flag(String file, Map<String, Node> m, String key, boolean fallback) {
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

  private static long number(String file, Map<String, Node> m, String key, long fallback) {
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
   * (then the caller checks them).
   */
  private static Map<String, Node> entries(String file, MappingNode map, Set<String> required, Set<String> optional) {
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = scalar(file, t.getKeyNode());
      boolean known = optional == null || optional.contains(key) || (required != null && required.contains(key));
      if (!known) {
        throw new SourceException(file, line(t.getKeyNode()), "unknown key '" + key + "'");
      }
      if (out.put(key, t.getValueNode()) != null) {
        throw new SourceException(file, line(t.getKeyNode()), "duplicate key '" + key + "'");
      }
    }
    return out;
  }

  private static String optional(String file, Map<String, Node> m, String key, String fallback) {
    Node n = m.get(key);
    return n == null ? fallback : scalar(file, n);
  }

  private static String scalar(String file, Node n) {
    if (n instanceof ScalarNode s) {
      return s.getValue();
    }
    throw new SourceException(file, line(n), "expected a single value here");
  }

  private static Object plain(Node n) {
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

  private static int line(Node n) {
    return n.getStartMark().getLine() + 1;
  }
}

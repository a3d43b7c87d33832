package io.pricetide.template;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The one template engine, logic-less and escaping by default, for the emails ({@code templates/email/}) and the
 * pages ({@code templates/page/}).
 *
 * <p>Tags: {@code {{name}}} and {@code {{a.b}}} print a value, HTML-escaped ({@link Html#escape}) in a template
 * whose file ends in {@code .html}, as it is in any other (plain-text mail, subjects); there is no unescaped form
 * for a scraped string. {@code {{#name}}…{{/name}}} renders its body once per list item, or once when the value is
 * truthy (true, a non-empty string, a non-empty map); {@code {{^name}}…{{/name}}} renders when the value is falsy
 * or an empty list; {@code {{>name}}} includes another template of the same set; {@code {{! text}}} is a comment;
 * {@code {{.}}} is the current item. {@code {{&name}}} prints a value unescaped only when it is {@link Html.Safe},
 * markup Pricetide made itself; any other value is still escaped.
 *
 * <p>A template is read from the override folder when the file is there, else from the classpath
 * {@code templates/…} inside the jar, so users override one file at a time. Parsed templates are cached; a syntax
 * error names the file and the line ({@link TemplateException}).
 */
public final class Templates {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(/[a-z0-9_-]+)*(\\.[a-z0-9]+)*");
  private static final Pattern VAR = Pattern.compile("\\.|[A-Za-z_][A-Za-z0-9_.]*");

  private final Path overrideDir;
  private final String prefix;
  private final String suffix;
  private final Map<String, List<Node>> cache = new ConcurrentHashMap<>();

  private Templates(Path dir, String prefix, String suffix) {
    this.overrideDir = dir;
    this.prefix = prefix;
    this.suffix = suffix;
  }

  /**
   * Templates named by their path under the templates root, extension included ({@code email/change.html}),
   * overridable from {@code dir} (null for the jar's copies only).
   */
  public static Templates files(Path dir) {
    return new Templates(dir, "", "");
  }

  /** The pages: {@code NAME} is {@code page/NAME.html}, overridable from {@code dir} (null for the jar only). */
  public static Templates pages(Path dir) {
    return new Templates(dir, "page/", ".html");
  }

  /** The pages from the folder named by {@code -Dpricetide.templates}, else {@code ./templates}. */
  public static Templates createDefault() {
    return pages(Path.of(System.getProperty("pricetide.templates", "templates")));
  }

  /** Renders template {@code name} with {@code model} as the outermost context. */
  public String render(String name, Map<String, ?> model) {
    StringBuilder out = new StringBuilder(8192);
    Deque<Object> stack = new ArrayDeque<>();
    stack.push(model);
    renderNodes(template(name), stack, out, 0, (prefix + name + suffix).endsWith(".html"));
    return out.toString();
  }

  /** Parses the named templates now, so that a broken one (an override) fails at start, not on use. */
  public Templates check(Collection<String> names) {
    names.forEach(this::template);
    return this;
  }

  /** Parses the named templates now, as {@link #check}. */
  public void preload(String... names) {
    check(List.of(names));
  }

  private List<Node> template(String name) {
    return cache.computeIfAbsent(name, n -> parse(n + suffix, read(n)));
  }

  private String read(String name) {
    String rel = prefix + name + suffix;
    if (!NAME.matcher(rel).matches()) {
      throw new IllegalArgumentException("bad template name '" + name + "'");
    }
    try {
      if (overrideDir != null && Files.isRegularFile(overrideDir.resolve(rel))) {
        return Files.readString(overrideDir.resolve(rel), StandardCharsets.UTF_8);
      }
      try (InputStream in = Templates.class.getClassLoader().getResourceAsStream("templates/" + rel)) {
        if (in == null) {
          throw new TemplateException("template " + rel + " not found in " + overrideDir + " nor built in");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading template " + rel, e);
    }
  }

  // ---------------------------------------------------------------- parsing

  private sealed interface Node permits Text, Var, Section, Partial {}

  private record Text(String text) implements Node {}

  private record Var(String name, boolean raw) implements Node {}

  private record Section(String name, boolean inverted, List<Node> body) implements Node {}

  private record Partial(String name) implements Node {}

  /** Parses a template's text; {@code name} is what errors call the file. */
  static List<Node> parse(String name, String src) {
    Deque<List<Node>> lists = new ArrayDeque<>();
    Deque<String> open = new ArrayDeque<>();
    Deque<Boolean> inverted = new ArrayDeque<>();
    lists.push(new ArrayList<>());
    int pos = 0;
    while (pos < src.length()) {
      int start = src.indexOf("{{", pos);
      if (start < 0) {
        lists.peek().add(new Text(src.substring(pos)));
        break;
      }
      if (start > pos) {
        lists.peek().add(new Text(src.substring(pos, start)));
      }
      int end = src.indexOf("}}", start + 2);
      if (end < 0) {
        throw error(name, src, start, "unclosed tag");
      }
      String tag = src.substring(start + 2, end).trim();
      pos = end + 2;
      if (tag.isEmpty()) {
        throw error(name, src, start, "empty tag");
      }
      char kind = tag.charAt(0);
      String arg = tag.substring(1).trim();
      switch (kind) {
        case '!' -> { }
        case '#', '^' -> {
          open.push(arg);
          inverted.push(kind == '^');
          lists.push(new ArrayList<>());
        }
        case '/' -> {
          if (open.isEmpty() || !open.peek().equals(arg)) {
            throw error(name, src, start, "unexpected {{/" + arg + "}}" + (open.isEmpty() ? "" : ", open is " + open.peek()));
          }
          List<Node> body = lists.pop();
          lists.peek().add(new Section(open.pop(), inverted.pop(), List.copyOf(body)));
        }
        case '>' -> lists.peek().add(new Partial(arg));
        case '&' -> lists.peek().add(new Var(variable(name, src, start, arg), true));
        default -> lists.peek().add(new Var(variable(name, src, start, tag), false));
      }
    }
    if (!open.isEmpty()) {
      throw new TemplateException("template " + name + ": section {{#" + open.peek() + "}} is never closed");
    }
    return List.copyOf(lists.pop());
  }

  private static String variable(String name, String src, int at, String v) {
    if (!VAR.matcher(v).matches()) {
      throw error(name, src, at, "bad tag {{" + v + "}}");
    }
    return v;
  }

  private static TemplateException error(String name, String src, int at, String what) {
    int line = 1;
    for (int i = 0; i < at; i++) {
      if (src.charAt(i) == '\n') {
        line++;
      }
    }
    return new TemplateException("template " + name + ":" + line + ": " + what);
  }

  // ---------------------------------------------------------------- rendering

  private void renderNodes(List<Node> nodes, Deque<Object> stack, StringBuilder out, int depth, boolean html) {
    if (depth > 20) {
      throw new TemplateException("templates nested more than 20 deep (a partial including itself?)");
    }
    for (Node n : nodes) {
      if (n instanceof Text t) {
        out.append(t.text());
      } else if (n instanceof Var v) {
        Object val = lookup(stack, v.name());
        if (v.raw() && val instanceof Html.Safe s) {
          out.append(s.text());
        } else if (val != null) {
          out.append(html ? Html.escape(String.valueOf(val)) : String.valueOf(val));
        }
      } else if (n instanceof Partial p) {
        renderNodes(template(p.name()), stack, out, depth + 1, html);
      } else if (n instanceof Section s) {
        section(s, lookup(stack, s.name()), stack, out, depth, html);
      }
    }
  }

  private void section(Section s, Object val, Deque<Object> stack, StringBuilder out, int depth,
      boolean html) {
    List<?> items = val instanceof Collection<?> c ? List.copyOf(c) : val instanceof JsonArray a ? a.getList() : null;
    if (s.inverted()) {
      if (!truthy(val)) {
        renderNodes(s.body(), stack, out, depth, html);
      }
      return;
    }
    if (items != null) {
      for (Object item : items) {
        stack.push(item == null ? Map.of() : item);
        renderNodes(s.body(), stack, out, depth, html);
        stack.pop();
      }
    } else if (truthy(val)) {
      stack.push(val);
      renderNodes(s.body(), stack, out, depth, html);
      stack.pop();
    }
  }

  private static boolean truthy(Object v) {
    if (v == null || Boolean.FALSE.equals(v)) {
      return false;
    }
    if (v instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    if (v instanceof JsonArray a) {
      return !a.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return !(v instanceof CharSequence cs) || cs.length() > 0;
  }

  private static Object lookup(Deque<Object> stack, String name) {
    if (name.equals(".")) {
      return stack.peek();
    }
    String[] path = name.split("\\.");
    Object found = null;
    boolean hit = false;
    for (Object ctx : stack) {
      if (has(ctx, path[0])) {
        found = get(ctx, path[0]);
        hit = true;
        break;
      }
    }
    if (!hit) {
      return null;
    }
    for (int i = 1; i < path.length && found != null; i++) {
      found = get(found, path[i]);
    }
    return found;
  }

  private static boolean has(Object ctx, String key) {
    return ctx instanceof Map<?, ?> m ? m.containsKey(key) : ctx instanceof JsonObject o && o.containsKey(key);
  }

  private static Object get(Object ctx, String key) {
    if (ctx instanceof Map<?, ?> m) {
      return m.get(key);
    }
    return ctx instanceof JsonObject o ? o.getValue(key) : null;
  }
}

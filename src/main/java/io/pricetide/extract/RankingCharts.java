package io.pricetide.extract;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The weekly charts of the OpenRouter rankings page, found in its Next.js payload by their own markers: the page
 * section that holds a chart (an element with a DOM {@code id}, such as {@code leaderboard} or
 * {@code market-share}, or a section whose heading names it), and the chart's shape (points
 * {@code {"x":DATE,"ys":{KEY:NUMBER,…}}} one week apart; model ids {@code author/slug} on the leaderboard, authors
 * without {@code /} in the market share). Never by position: a page may hold more or fewer charts, in any order,
 * with other charts of the same shape (daily tokens per language, tool calls, …) in other sections.
 */
final class RankingCharts {
  /** The charts read. */
  enum Kind {
    LEADERBOARD("weekly token leaderboard", "leaderboard", Pattern.compile("(?i)\\bleaderboard\\b")),
    MARKET_SHARE("weekly market share by author", "market-share", Pattern.compile("(?i)\\bmarket\\s+share\\b"));

    final String label;
    final String sectionId;
    final Pattern heading;

    Kind(String label, String sectionId, Pattern heading) {
      this.label = label;
      this.sectionId = sectionId;
      this.heading = heading;
    }

    /** What the reader looks for, for messages. */
    String wanted() {
      return "the " + label + " (weekly {x, ys} points of " + (this == LEADERBOARD ? "model ids" : "authors")
          + " in the page section #" + sectionId + ")";
    }

    boolean keysFit(Set<String> keys) {
      long withSlash = keys.stream().filter(k -> !isOthers(k) && k.contains("/")).count();
      long named = keys.stream().filter(k -> !isOthers(k)).count();
      return named > 0 && (this == LEADERBOARD ? withSlash * 2 >= named : withSlash == 0);
    }
  }

  /** One point: the ISO Monday of its week and the chart's values, in the chart's order. */
  record Point(LocalDate week, Map<String, BigDecimal> values) {}

  /** One chart: every point of it, oldest first (the first may be cut, the last is the week in progress). */
  record Chart(Kind kind, String section, List<Point> points) {}

  private final NextPayload payload;
  private final List<Section> sections = new ArrayList<>();
  private final Set<String> visited = new HashSet<>();

  private RankingCharts(NextPayload payload) {
    this.payload = payload;
  }

  /** The charts the page holds, by kind; kinds the page lacks are absent. Fails on two charts of one kind. */
  static Map<Kind, Chart> find(NextPayload payload, ExtractContext ctx) {
    RankingCharts r = new RankingCharts(payload);
    Section root = new Section(null, null, 0);
    r.sections.add(root);
    r.walkAll(root);
    Map<Kind, Chart> found = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      List<Chart> candidates = new ArrayList<>();
      Set<JsonNode> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (Section s : r.sections) {
        if (s.kind() != kind) {
          continue;
        }
        for (JsonNode c : s.charts) {
          if (!seen.add(c)) {
            continue; // one chart reached along two paths
          }
          weekly(kind, c.get("data")).filter(points -> candidates.stream().noneMatch(x -> x.points().equals(points)))
              .ifPresent(points -> candidates.add(new Chart(kind, s.name(), points))); // a copy is not a rival
        }
      }
      if (candidates.size() > 1) {
        throw ctx.fail(candidates.size() + " weekly charts qualify as " + kind.wanted()
            + ": the page changed, the reader cannot tell which is the " + kind.label);
      }
      if (candidates.size() == 1) {
        found.put(kind, candidates.get(0));
      }
    }
    return found;
  }

  /** Whether the page has a section for this kind at all (data or not): for a precise message. */
  static boolean hasSection(NextPayload payload, Kind kind) {
    RankingCharts r = new RankingCharts(payload);
    Section root = new Section(null, null, 0);
    r.sections.add(root);
    r.walkAll(root);
    return r.sections.stream().anyMatch(s -> s.kind() == kind);
  }

  /** Every row, from the page's root; a row already reached through a reference is not walked again. */
  private void walkAll(Section root) {
    for (Map.Entry<String, JsonNode> row : payload.rows().entrySet()) {
      if (visited.add(row.getKey() + "#" + root.index)) {
        walk(row.getValue(), root, row.getKey(), 0);
      }
    }
  }

  private void walk(JsonNode node, Section section, String rowId, int depth) {
    if (node == null || depth > 400) {
      return;
    }
    if (node.isTextual()) {
      String ref = NextPayload.refId(node);
      if (ref != null && !ref.equals(rowId) && visited.add(ref + "#" + section.index)) {
        payload.resolve(node).ifPresent(row -> walk(row, section, ref, depth + 1));
      }
      return;
    }
    if (node.isArray()) {
      if (node.size() >= 4 && "$".equals(node.get(0).asText(null)) && node.get(3).isObject()) {
        JsonNode props = node.get(3);
        Section inner = section;
        JsonNode id = props.get("id");
        if (id != null && id.isTextual() && !id.asText().isBlank()) {
          inner = new Section(id.asText(), section, sections.size());
          sections.add(inner);
        } else if (section.index == 0 && holdsHeading(props.get("children"))) {
          // Outside any section with an id, an element that holds a heading is the section the heading names.
          inner = new Section(null, section, sections.size());
          sections.add(inner);
        }
        String type = node.get(1).asText("");
        if (type.matches("h[1-6]") && inner.index != 0) {
          StringBuilder text = new StringBuilder();
          text(props.get("children"), text, 0);
          inner.headings.add(text.toString());
        }
        walk(props, inner, rowId, depth + 1);
        return;
      }
      for (JsonNode child : node) {
        walk(child, section, rowId, depth + 1);
      }
      return;
    }
    if (node.isObject()) {
      JsonNode data = node.get("data");
      boolean chart = data != null && data.isArray() && data.size() > 0 && data.get(0).has("ys");
      if (chart) {
        section.charts.add(node);
      }
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!chart || !e.getKey().equals("data")) {
          walk(e.getValue(), section, rowId, depth + 1);
        }
      }
    }
  }

  /** Whether one of these children (or the row a child refers to) is a heading element. */
  private boolean holdsHeading(JsonNode children) {
    if (children == null) {
      return false;
    }
    List<JsonNode> list = new ArrayList<>();
    if (children.isArray() && !(children.size() >= 4 && "$".equals(children.get(0).asText(null)))) {
      children.forEach(list::add);
    } else {
      list.add(children);
    }
    for (JsonNode c : list) {
      JsonNode el = c.isTextual() ? payload.resolve(c).orElse(null) : c;
      if (el != null && el.isArray() && el.size() >= 4 && "$".equals(el.get(0).asText(null))
          && el.get(1).asText("").matches("h[1-6]")) {
        return true;
      }
    }
    return false;
  }

  private void text(JsonNode node, StringBuilder out, int depth) {
    if (node == null || depth > 50) {
      return;
    }
    if (node.isTextual()) {
      if (NextPayload.refId(node) != null) {
        payload.resolve(node).ifPresent(row -> text(row, out, depth + 1));
      } else if (!node.asText().startsWith("$")) {
        out.append(node.asText()).append(' ');
      }
    } else if (node.isArray()) {
      if (node.size() >= 4 && "$".equals(node.get(0).asText(null))) {
        text(node.get(3).get("children"), out, depth + 1);
      } else {
        node.forEach(c -> text(c, out, depth + 1));
      }
    }
  }

  /** The chart's points if they are weekly and their keys fit the kind; else empty. */
  private static java.util.Optional<List<Point>> weekly(Kind kind, JsonNode data) {
    List<Point> points = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    LocalDate last = null;
    for (JsonNode p : data) {
      LocalDate week = monday(p.path("x").asText(""));
      JsonNode ys = p.get("ys");
      if (week == null || ys == null || !ys.isObject() || (last != null && !week.isAfter(last))) {
        return java.util.Optional.empty();
      }
      Map<String, BigDecimal> values = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = ys.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        Json.decimal(e.getValue()).filter(v -> v.signum() >= 0).ifPresent(v -> values.put(e.getKey(), v));
        keys.add(e.getKey());
      }
      points.add(new Point(week, values));
      last = week;
    }
    return kind.keysFit(keys) ? java.util.Optional.of(points) : java.util.Optional.empty();
  }

  /**
   * The ISO Monday of the week a chart date names: a Monday is its own week; a Sunday dates the week that starts
   * the day after. Any other day is not a weekly chart's date (null).
   */
  static LocalDate monday(String x) {
    LocalDate d;
    try {
      d = x.length() > 10 ? OffsetDateTime.parse(x).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate()
          : LocalDate.parse(x);
    } catch (DateTimeParseException e) {
      try {
        d = LocalDate.parse(x.substring(0, Math.min(10, x.length())));
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
    if (d.getDayOfWeek() == DayOfWeek.MONDAY) {
      return d;
    }
    return d.getDayOfWeek() == DayOfWeek.SUNDAY ? d.plusDays(1) : null;
  }

  static boolean isOthers(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT);
    return k.equals("others") || k.equals("other");
  }

  private static final class Section {
    final String id;
    final Section parent;
    final int index;
    final List<String> headings = new ArrayList<>();
    final List<JsonNode> charts = new ArrayList<>();

    Section(String id, Section parent, int index) {
      this.id = id;
      this.parent = parent;
      this.index = index;
    }

    Kind ownKind() {
      for (Kind k : Kind.values()) {
        if (k.sectionId.equals(id) || headings.stream().anyMatch(h -> k.heading.matcher(h).find())) {
          return k;
        }
      }
      return null;
    }

    Kind kind() {
      for (Section s = this; s != null; s = s.parent) {
        Kind k = s.ownKind();
        if (k != null) {
          return k;
        }
      }
      return null;
    }

    String name() {
      for (Section s = this; s != null; s = s.parent) {
        if (s.ownKind() != null) {
          return s.id == null ? "(headed " + s.headings + ")" : "#" + s.id;
        }
      }
      return "?";
    }
  }
}

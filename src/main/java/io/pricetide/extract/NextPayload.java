package io.pricetide.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The React Server Components ("flight") payload a Next.js page embeds: {@code self.__next_f.push([1,"…"])} calls
 * whose second element is a JavaScript string literal. The strings are decoded (JavaScript escapes) and joined in
 * document order, since one row may be split across several pushes; the joined text is a list of rows
 * {@code ID:VALUE}, one a line, with {@code ID} in hexadecimal. JSON rows are kept by id; text rows
 * ({@code ID:T<hex byte length>,…}) are kept as text; module, hint and debug rows ({@code I[…]}, {@code HL[…]},
 * …) are skipped. A body that is already a flight payload (an {@code ?_rsc} answer, rows with no script around
 * them) is read as it is.
 *
 * <p>References between rows ({@code "$4e"}, {@code "$L4e"}, {@code "$@4e"}) are resolved by {@link #resolve}, so
 * readers follow the tree whatever order the rows come in.
 */
final class NextPayload {
  private static final Pattern PUSH = Pattern.compile("self\\.__next_f\\.push\\(\\s*\\[\\s*(\\d+)\\s*,\\s*");
  private static final Pattern ROW_START = Pattern.compile("(?m)^[0-9a-f]{1,8}:[\\[{\"]");
  private static final Pattern REF = Pattern.compile("\\$[L@]?([0-9a-f]+)(?::.*)?");

  private final Map<String, JsonNode> rows;
  private final int chunks;

  private NextPayload(Map<String, JsonNode> rows, int chunks) {
    this.rows = rows;
    this.chunks = chunks;
  }

  /** How many push chunks were joined (0 when the body was a bare payload). */
  int chunks() {
    return chunks;
  }

  /** The rows by id, in the order they came. */
  Map<String, JsonNode> rows() {
    return rows;
  }

  /**
   * The payload of a page, or empty when the page carries none (no push chunk and no flight rows).
   *
   * @throws ExtractException when a push chunk is not a terminated JavaScript string
   */
  static Optional<NextPayload> read(String body, ExtractContext ctx) {
    StringBuilder joined = new StringBuilder();
    int chunks = 0;
    Matcher m = PUSH.matcher(body);
    int from = 0;
    while (m.find(from)) {
      int start = m.end();
      if (start >= body.length() || (body.charAt(start) != '"' && body.charAt(start) != '\'')) {
        from = start; // [0], [2, formState], [3, base64] … are not text chunks
        continue;
      }
      StringBuilder s = new StringBuilder();
      int end = JsStrings.decode(body, start, s);
      if (end < 0) {
        throw ctx.fail("Next.js payload chunk " + (chunks + 1) + " (at character " + m.start()
            + ") is not a terminated JavaScript string");
      }
      if (m.group(1).equals("1")) {
        joined.append(s);
        chunks++;
      }
      from = end;
    }
    if (chunks == 0) {
      if (!ROW_START.matcher(body).find()) {
        return Optional.empty();
      }
      joined.append(body);
    }
    return Optional.of(new NextPayload(parseRows(joined.toString()), chunks));
  }

  /** The row a reference string points to ({@code $4e}, {@code $L4e}, {@code $@4e:props}), if it is one. */
  Optional<JsonNode> resolve(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return Optional.empty();
    }
    String s = node.asText();
    if (!s.startsWith("$") || s.startsWith("$$")) {
      return Optional.empty();
    }
    Matcher m = REF.matcher(s);
    return m.matches() ? Optional.ofNullable(rows.get(m.group(1))) : Optional.empty();
  }

  /** The row id a reference string points to, or null. */
  static String refId(JsonNode node) {
    if (node == null || !node.isTextual() || node.asText().startsWith("$$")) {
      return null;
    }
    Matcher m = REF.matcher(node.asText());
    return m.matches() ? m.group(1) : null;
  }

  private static Map<String, JsonNode> parseRows(String text) {
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    int pos = 0;
    int n = text.length();
    while (pos < n) {
      int colon = text.indexOf(':', pos);
      int newline = text.indexOf('\n', pos);
      if (newline < 0) {
        newline = n;
      }
      if (colon < 0 || colon > newline || !isHex(text, pos, colon)) {
        pos = newline + 1; // not a row (or a row without an id, such as ":HL[…]")
        continue;
      }
      String id = text.substring(pos, colon);
      int v = colon + 1;
      Matcher t = TEXT_ROW.matcher(text).region(v, Math.min(n, v + 12));
      if (t.lookingAt()) {
        int bytes = Integer.parseInt(t.group(1), 16);
        int start = t.end();
        int end = advanceUtf8(text, start, bytes);
        rows.put(id, TextNode.valueOf(text.substring(start, end)));
        pos = end;
        continue;
      }
      if (v < newline && Character.isLetter(text.charAt(v)) && !text.startsWith("null", v)
          && !text.startsWith("true", v) && !text.startsWith("false", v)) {
        pos = newline + 1; // I[…] module, HL[…] hint, E{…} error, D{…} debug: not data
        continue;
      }
      try {
        rows.put(id, Json.MAPPER.readTree(text.substring(v, newline)));
      } catch (JsonProcessingException e) {
        // A row we cannot read is a row we do not use; the reader says what it missed.
      }
      pos = newline + 1;
    }
    return rows;
  }

  private static final Pattern TEXT_ROW = Pattern.compile("T([0-9a-f]{1,8}),");

  private static boolean isHex(String s, int from, int to) {
    if (to <= from || to - from > 8) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** The index after {@code bytes} UTF-8 bytes from {@code start} (clamped to the text). */
  private static int advanceUtf8(String s, int start, int bytes) {
    int i = start;
    int count = 0;
    while (i < s.length() && count < bytes) {
      int cp = s.codePointAt(i);
      count += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      i += Character.charCount(cp);
    }
    return i;
  }
}

package io.pricetide.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** Query strings for links the pages print; values are percent-encoded here and HTML-escaped by the template. */
final class Urls {
  private Urls() {}

  static String enc(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }

  /** {@code path?k=v&…} with blank and null values left out; the path alone when none remain. */
  static String with(String path, Map<String, String> params) {
    StringJoiner q = new StringJoiner("&");
    params.forEach((k, v) -> {
      if (v != null && !v.isBlank()) {
        q.add(enc(k) + "=" + enc(v));
      }
    });
    return q.length() == 0 ? path : path + "?" + q;
  }
}

package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.fetch.RenderedFetch;
import io.pricetide.price.Currencies;
import io.pricetide.source.FetchSettings;
import io.pricetide.source.Guards;
import io.pricetide.source.SourceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RenderedPageTest {
  private static final String HTML = "<html><head></head><body><ul id=\"chart\"><li>week 2025-07-27: 361.8B</li>"
      + "</ul><p>\"quoted\" \\ and ünïcode 千</p></body></html>";
  private static final String CHART = "{\"weeks\":[{\"week\":\"2025-07-27\",\"tokens\":\"361.8B\"}]}";

  private static String container() {
    RenderedFetch page = new RenderedFetch("https://ranks.example/rankings", 200, HTML, List.of(
        new RenderedFetch.Response("https://ranks.example/api/chart", 200, "application/json", CHART),
        new RenderedFetch.Response("https://ranks.example/api/empty", 204, null, "")));
    return new String(page.body(), StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("What the browser fetch writes is read back whole: the document, then each response, in order")
  void roundTrip() {
    String body = container();
    assertTrue(RenderedPage.isRendered(body));
    RenderedPage p = RenderedPage.unpack(body);
    assertEquals("https://ranks.example/rankings", p.url());
    assertEquals(200, p.status());
    assertEquals(HTML, p.html());
    assertEquals(List.of(new RenderedPage.Response("https://ranks.example/api/chart", 200, "application/json", CHART),
        new RenderedPage.Response("https://ranks.example/api/empty", 204, "", "")), p.responses());
    assertEquals(List.of(HTML, CHART, ""), RenderedPage.documents(body));
  }

  @Test
  @DisplayName("A body that is not a container (a server-rendered page, a saved capture) is searched as it is")
  void plainBodies() {
    String html = "<html><script>self.__next_f.push([1,\"{\\\"format\\\":\\\"rendered\\\"}\"])</script></html>";
    assertFalse(RenderedPage.isRendered(html));
    assertEquals(List.of(html), RenderedPage.documents(html));
    assertFalse(RenderedPage.isRendered("{\"weeks\":[],\"format\":\"rendered\"}"), "format must be the first key");
    assertTrue(RenderedPage.isRendered(" \n{ \"format\" : \"rendered\", \"version\": 1}"));
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("A broken container fails extraction naming the source and what is wrong")
  @CsvSource(delimiter = '|', textBlock = """
      truncated        | '{"format":"rendered","version":1,"url":"u","status":200,"rendered":"<html>' | malformed rendered-page container
      newer version    | '{"format":"rendered","version":2}'                                          | version 2 is not the known 1
      no responses     | '{"format":"rendered","version":1,"url":"u","status":200,"rendered":"x"}'     | without a 'responses' list
      response no body | '{"format":"rendered","version":1,"url":"u","status":200,"rendered":"x","responses":[{"url":"v","status":200}]}' | response 1 of the rendered-page container has no text 'body'
      no document      | '{"format":"rendered","version":1,"url":"u","status":200,"responses":[]}'     | has no text 'rendered'
      not a container  | '<html></html>'                                                              | not a rendered-page container
      """)
  void broken(String name, String body, String why) {
    SourceDefinition src = new SourceDefinition("ranks", "Ranks", "ranks", "usage", "https://ranks.example/",
        "rendered", "0 0 * * * ?", "USD", "per_1m", "openrouter-rankings", Map.of(),
        FetchSettings.DEFAULTS.rendered(60_000), Guards.DEFAULTS, true, "ranks.yaml");
    ExtractContext ctx = new ExtractContext(src, "rendered", Currencies.usdOnly());
    ExtractException e = assertThrows(ExtractException.class, () -> RenderedPage.unpack(body, ctx));
    assertTrue(e.getMessage().contains("ranks"), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }
}

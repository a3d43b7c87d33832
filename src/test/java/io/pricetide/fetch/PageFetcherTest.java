package io.pricetide.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.source.FetchSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class PageFetcherTest {
  private static final FetchSettings S = new FetchSettings(1000, 1000, 1000, 5, 100, 1000);

  @RepeatedTest(20)
  @DisplayName("Backoff doubles per attempt with jitter in [ceiling/2, ceiling], capped at the maximum")
  void backoff() {
    long d1 = PageFetcher.delay(S, 1, -1);
    long d3 = PageFetcher.delay(S, 3, -1);
    long d9 = PageFetcher.delay(S, 9, -1);
    assertTrue(d1 >= 50 && d1 <= 100, "attempt 1: " + d1);
    assertTrue(d3 >= 200 && d3 <= 400, "attempt 3: " + d3);
    assertTrue(d9 >= 500 && d9 <= 1000, "attempt 9: " + d9);
  }

  @Test
  @DisplayName("Retry-After wins when longer, within the maximum delay")
  void retryAfter() {
    assertEquals(700, PageFetcher.delay(S, 1, 700));
    assertEquals(1000, PageFetcher.delay(S, 1, 60_000));
    assertEquals(2000, PageFetcher.retryAfter("2"));
    assertEquals(-1, PageFetcher.retryAfter("soon"));
    assertEquals(-1, PageFetcher.retryAfter(null));
  }
}

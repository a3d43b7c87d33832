package io.pricetide.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  @Test
  @DisplayName("A bucket per client: a burst passes, then one request per refill; other clients are not affected")
  void tokenBucket() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    RateLimit limit = new RateLimit(2, 3, now::get);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limit.take("10.0.0.1"), "request " + i + " of the burst");
    }
    assertEquals(1, limit.take("10.0.0.1"), "empty: retry after a second");
    assertEquals(0, limit.take("10.0.0.2"), "another client has its own bucket");
    now.addAndGet(500_000_000L); // half a second: one token at 2 a second
    assertEquals(0, limit.take("10.0.0.1"));
    assertEquals(1, limit.take("10.0.0.1"));
    now.addAndGet(60_000_000_000L);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limit.take("10.0.0.1"), "refilled to the burst, no further");
    }
    assertEquals(1, limit.take("10.0.0.1"));
  }

  @Test
  @DisplayName("Retry-After counts the seconds until a token is back, at a slow rate too")
  void retryAfter() {
    AtomicLong now = new AtomicLong(0);
    RateLimit limit = new RateLimit(0.1, 1, now::get);
    assertEquals(0, limit.take("a"));
    assertEquals(10, limit.take("a"));
    now.addAndGet(4_000_000_000L);
    assertEquals(6, limit.take("a"));
  }

  @Test
  @DisplayName("Idle clients' buckets are dropped once they would be full again")
  void sweep() {
    AtomicLong now = new AtomicLong(0);
    RateLimit limit = new RateLimit(10, 10, now::get);
    for (int i = 0; i < 50; i++) {
      limit.take("client-" + i);
    }
    assertEquals(50, limit.clients());
    now.addAndGet(5_000_000_000L);
    limit.take("late");
    assertEquals(1, limit.clients());
  }

  @Test
  @DisplayName("PRICETIDE_RATE_LIMIT: PER_SECOND,BURST[,loopback], off, or the defaults; anything else names the variable")
  void parse() {
    assertNull(RateLimit.parse("off"));
    assertTrue(RateLimit.parse(null) != null);
    assertTrue(RateLimit.parse("5,20") != null);
    assertTrue(RateLimit.parse("5,20,loopback") != null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RateLimit.parse("fast"));
    assertTrue(e.getMessage().contains(RateLimit.ENV), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RateLimit.parse("5,20,everyone"));
    assertThrows(IllegalArgumentException.class, () -> RateLimit.parse("-1,5"));
  }
}

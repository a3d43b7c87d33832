package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox's rules on the embedded database: match once, claims as leases, renewal, recording, the sweep. */
class OutboxStoreTest {
  private static final Duration LEASE = Duration.ofSeconds(150);
  private static final Duration REARM = Duration.ofHours(6);

  @TempDir
  java.nio.file.Path dir;

  private Database db;
  private OutboxStore outbox;
  private SubscriptionStore subs;
  private final MatchStore.SubscriptionCache cache = c -> SubscriptionStore.active(c);

  @BeforeEach
  void open() {
    db = Database.open(ConfigLoader.load(null, dir, dir, Map.of()));
    outbox = new OutboxStore(db.dataSource(), Duration.ofHours(24));
    subs = new SubscriptionStore(db.dataSource());
    subs.create(new Subscription(0, "sub_a", "webhook", "https://example.com/a", Filter.ANY, "previous", 30,
        "instant", 0, "secret-secret-secret", "active", false, null, Instant.now(), null), Instant.now(), null);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private long event(String oldUsd, String newUsd) throws Exception {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO change_event (kind, source_id, provider, model, canonical_model, metric, cond, old_usd, new_usd, "
            + "old_amount, new_amount, currency, change_pct, observed_at, created_at) "
            + "VALUES ('price_cut','acme','acme','Acme Large','acme-large','input','',?,?,?,?,'USD',-30,?,?)",
        Statement.RETURN_GENERATED_KEYS)) {
      ps.setBigDecimal(1, new java.math.BigDecimal(oldUsd));
      ps.setBigDecimal(2, new java.math.BigDecimal(newUsd));
      ps.setBigDecimal(3, new java.math.BigDecimal(oldUsd));
      ps.setBigDecimal(4, new java.math.BigDecimal(newUsd));
      ps.setObject(5, Instant.now().atOffset(ZoneOffset.UTC));
      ps.setObject(6, Instant.now().atOffset(ZoneOffset.UTC));
      ps.executeUpdate();
      try (ResultSet k = ps.getGeneratedKeys()) {
        k.next();
        return k.getLong(1);
      }
    }
  }

  @Test
  @DisplayName("An event matches once; a claim is a lease: not claimable again until it runs out, renewable, and "
      + "a delivered row is never claimed again")
  void leases() throws Exception {
    // Whole microseconds: the database keeps six decimals and would round a nanosecond instant up past "now".
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    long e1 = event("10", "7");
    MatchStore.MatchResult m = outbox.matching.match(e1, cache, now, REARM, 0, LEASE);
    assertTrue(m.matchedNow());
    assertEquals(1, m.deliveries());
    assertTrue(m.handoff().isEmpty());
    assertEquals(MatchStore.MatchResult.ALREADY, outbox.matching.match(e1, cache, now, REARM, 0, LEASE));

    List<Job> first = outbox.queue.claim("http", 10, now, LEASE);
    assertEquals(1, first.size());
    assertEquals("Acme Large", first.get(0).event().model());
    assertTrue(outbox.queue.claim("http", 10, now.plusSeconds(60), LEASE).isEmpty(), "held by the lease");
    Instant expired = first.get(0).leaseEnd().plusMillis(1);
    List<Job> again = outbox.queue.claim("http", 10, expired, LEASE);
    assertEquals(1, again.size(), "a lease that ran out is claimable: its worker died");
    assertEquals(first.get(0).deliveryId(), again.get(0).deliveryId(), "same delivery_id when sent again");

    Instant renewed = Deliveries.leaseEnd(expired.plusSeconds(100), LEASE);
    assertEquals(1, outbox.queue.renew("http", again.get(0).claimToken(), again.get(0).leaseEnd(), renewed));
    assertTrue(outbox.queue.claim("http", 10, again.get(0).leaseEnd().plusMillis(1), LEASE).isEmpty(), "renewed");
    outbox.queue.record(List.of(new DeliveryQueue.Result(again.get(0), Deliveries.DELIVERED, Outcome.delivered(200),
        now, 3, null)));
    assertTrue(outbox.queue.claim("http", 10, renewed.plusSeconds(1), LEASE).isEmpty(), "delivered is final");
    assertEquals(Map.of("delivered", 1), outbox.log.counts());

    // A small fan-out is claimed by the match itself.
    long e2 = event("7", "5");
    MatchStore.MatchResult h = outbox.matching.match(e2, cache, now, REARM, 10, LEASE);
    assertEquals(1, h.handoff().size());
    assertEquals(e2, h.handoff().get(0).event().id());
    assertTrue(outbox.queue.claim("http", 10, now, LEASE).isEmpty(), "handed over under a lease");
    assertEquals(1, outbox.queue.claim("http", 10, h.handoff().get(0).leaseEnd().plusMillis(1), LEASE).size());
  }

  @Test
  @DisplayName("The sweep lists events nobody matched; replayed events are suppressed; the cursor moves only past "
      + "settled events")
  void sweep() throws Exception {
    long a = event("10", "9");
    long b = event("9", "8");
    long c = event("8", "7");
    assertEquals(List.of(a, b, c), outbox.matching.unmatched(10));
    outbox.matching.suppress(List.of(b), Instant.now());
    outbox.matching.match(a, cache, Instant.now(), REARM, 0, LEASE);
    assertEquals(List.of(c), outbox.matching.unmatched(10));
    assertFalse(outbox.matching.isMatched(c));
    outbox.matching.advanceCursor(Instant.now());
    assertEquals(List.of(c), outbox.matching.unmatched(10), "nothing is settled yet: the cursor stays");
    outbox.matching.match(c, cache, Instant.now(), REARM, 0, LEASE);
    outbox.matching.advanceCursor(Instant.now().plus(MatchStore.SETTLE).plusSeconds(1));
    assertTrue(outbox.matching.unmatched(10).isEmpty());
    assertEquals(2, outbox.log.counts().get("pending"), "a and c matched; b suppressed");
  }
}

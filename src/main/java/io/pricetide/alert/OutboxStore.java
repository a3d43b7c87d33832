package io.pricetide.alert;

import io.pricetide.history.AlertReads;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The durable side of alerting on JDBC, one part per job: {@link MatchStore} (events into outbox rows),
 * {@link DeliveryQueue} (claims, leases, attempts), {@link DigestQueue}, {@link StaleReports} and
 * {@link DeliveryLog} (listing and redelivery). All share the outbox rows written by {@link Deliveries}; what
 * they need of history they read through {@link AlertReads}, never its tables.
 */
final class OutboxStore {
  final MatchStore matching;
  final DeliveryQueue queue;
  final DigestQueue digests;
  final StaleReports stale;
  final DeliveryLog log;

  /** {@code giveUp}: how long a delivery is tried before it is dead. */
  OutboxStore(DataSource ds, Duration giveUp) {
    AlertReads history = new AlertReads(ds);
    this.matching = new MatchStore(ds, history, giveUp);
    this.queue = new DeliveryQueue(ds, history);
    this.digests = new DigestQueue(ds, giveUp);
    this.stale = new StaleReports(ds, history, giveUp);
    this.log = new DeliveryLog(ds, giveUp);
  }
}

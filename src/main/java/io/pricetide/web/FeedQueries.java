package io.pricetide.web;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.db.EventRows;
import io.pricetide.db.Queries;
import io.pricetide.db.Rows;
import io.pricetide.history.HistoryException;
import io.pricetide.price.Vendors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The public change feeds' reads: events of chosen kinds, newest by the date they happened first (the event's
 * valid time where history records one, else when it was observed), paged by that date and the id. The HTML feed
 * and the Atom feeds use it; {@code /api/changes} and the {@code events} verb keep their own contract (every kind,
 * by id).
 */
final class FeedQueries {
  /** What moved: the price feed's kinds ({@code /changes}, {@code /feeds/changes.atom}). */
  static final List<String> PRICE_KINDS = List.of(ChangeEvent.PRICE_CUT, ChangeEvent.PRICE_INCREASE,
      ChangeEvent.MODEL_ADDED, ChangeEvent.MODEL_REMOVED, "price_announced", "model_deprecated",
      ChangeEvent.OVERTAKE);
  /**
   * Kinds a person may pick in the price feed besides those it shows by default: a metric or time band a page
   * starts or stops listing (on the real catalogues, mostly time-band rows of one reseller), corrections of a
   * misread price, and the smaller usage moves.
   */
  static final List<String> MORE_KINDS = List.of(ChangeEvent.METRIC_ADDED, ChangeEvent.METRIC_REMOVED,
      ChangeEvent.PRICE_CORRECTION, ChangeEvent.SHARE_CHANGE, ChangeEvent.RANK_CHANGE);
  /** Catalogue prices disagreeing with the vendor: their own view and feed. */
  static final String DRIFT = "catalogue_drift";
  /** Operator kinds: on {@code /sources} and the operator channels only, never in a public feed. */
  static final List<String> OPERATOR_KINDS = List.of(ChangeEvent.SOURCE_FAILURE, "source_stale");

  /** Where a page of a feed continues: after this date and id (both descending). */
  record Cursor(Instant at, long id) {
    static Cursor parse(String s) {
      int tilde = s.indexOf('~');
      if (tilde < 0) {
        throw new IllegalArgumentException("cursor");
      }
      return new Cursor(Instant.parse(s.substring(0, tilde)), Long.parseLong(s.substring(tilde + 1)));
    }

    @Override
    public String toString() {
      return at + "~" + id;
    }
  }

  /** One read: kinds (non-empty), optional provider (any of its vendor's slugs), model, source, since, cursor. */
  record Query(Collection<String> kinds, String provider, String model, String source, Instant since, Cursor after,
      int limit) {}

  /** An event and the date it happened (its valid time, else its observation time). */
  record Dated(ChangeEvent event, Instant at) {}

  private final DataSource ds;
  private final String happened;

  FeedQueries(DataSource ds) {
    this.ds = ds;
    // An event is dated when it happened: a replayed snapshot's date, a usage week's, an announced price's effective
    // time for the change it makes (the announcement itself is dated when it was first seen).
    this.happened = "e.observed_at";
  }

  List<Dated> events(Query q) {
    StringBuilder sql = new StringBuilder("SELECT " + EventRows.COLUMNS + ", " + happened
        + " AS happened FROM change_event e WHERE e.kind IN (");
    List<Object> args = new ArrayList<>();
    for (String k : q.kinds()) {
      sql.append(args.isEmpty() ? "?" : ",?");
      args.add(k);
    }
    sql.append(')');
    if (q.provider() != null) {
      List<String> slugs = Vendors.slugs(q.provider());
      sql.append(" AND LOWER(e.provider) IN (");
      for (int i = 0; i < slugs.size(); i++) {
        sql.append(i == 0 ? "?" : ",?");
        args.add(slugs.get(i));
      }
      sql.append(')');
    }
    if (q.model() != null) {
      sql.append(" AND (e.canonical_model = ? OR e.model = ?)");
      args.add(q.model().toLowerCase(Locale.ROOT));
      args.add(q.model());
    }
    if (q.source() != null) {
      sql.append(" AND e.source_id = ?");
      args.add(q.source());
    }
    if (q.since() != null) {
      sql.append(" AND ").append(happened).append(" >= ?");
      args.add(Rows.odt(q.since()));
    }
    if (q.after() != null) {
      sql.append(" AND (").append(happened).append(" < ? OR (").append(happened).append(" = ? AND e.id < ?))");
      args.add(Rows.odt(q.after().at()));
      args.add(Rows.odt(q.after().at()));
      args.add(q.after().id());
    }
    sql.append(" ORDER BY happened DESC, e.id DESC LIMIT ").append(q.limit());
    List<Dated> out = new ArrayList<>();
    try {
      Queries.each(ds, sql.toString(), args, rs -> out.add(new Dated(EventRows.read(rs, 1), Rows.instant(rs, "happened"))));
    } catch (SQLException e) {
      throw new HistoryException("reading the change feed", e);
    }
    return out;
  }

  /** The distinct providers of stored series, as sources name them. */
  List<String> providers() {
    List<String> out = new ArrayList<>();
    try {
      Queries.each(ds, "SELECT DISTINCT provider FROM series WHERE provider IS NOT NULL", List.of(),
          rs -> out.add(rs.getString(1)));
    } catch (SQLException e) {
      throw new HistoryException("reading the providers", e);
    }
    return out;
  }
}

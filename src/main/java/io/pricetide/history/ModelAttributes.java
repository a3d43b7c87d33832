package io.pricetide.history;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.db.Rows;
import io.pricetide.db.Transactions;
import io.pricetide.detect.Lifecycles;
import io.pricetide.price.ModelFacts;
import io.pricetide.price.Observation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Model attributes (table {@code model_attribute}, V19): per source and model as the source names it, the context
 * window, longest output, input and output modalities, kind of model and announced retirement date that the
 * catalogues state ({@link ModelFacts}). The writer runs inside a check's transaction ({@link #write}); the reader
 * answers one model ({@link #current}) or every model at once ({@link #all}, for a ranking). Attributes are not
 * priced series: a changed attribute writes no point and no price event; a new or moved retirement date is a
 * {@code model_deprecated} event ({@link Lifecycles}).
 */
public final class ModelAttributes {
  private static final String COLUMNS = "source_id, model, canonical_model, provider, context_window, "
      + "max_output_tokens, input_modalities, output_modalities, model_kind, deprecation_date, first_seen, changed_at";

  private final DataSource ds;

  public ModelAttributes(DataSource ds) {
    this.ds = ds;
  }

  /**
   * What one source says of one model.
   *
   * @param contextWindow most tokens a prompt may hold, null when not stated
   * @param maxOutputTokens most tokens one answer may hold, null when not stated
   * @param inputModalities what the model reads, sorted and comma-joined ({@code image,text}), null when not stated
   * @param outputModalities what it writes, likewise
   * @param kind the catalogue's kind of model ({@code chat}, {@code embedding}), null when not stated
   * @param deprecationDate the retirement the source announced last, null when none
   * @param changedAt when any of these last changed
   */
  public record Attributes(String sourceId, String model, String canonicalModel, String provider, Long contextWindow,
      Long maxOutputTokens, String inputModalities, String outputModalities, String kind, LocalDate deprecationDate,
      Instant firstSeen, Instant changedAt) {

    /** Whether the model reads this medium ({@code image}, {@code audio}); false when not stated. */
    public boolean reads(String medium) {
      return inputModalities != null && List.of(inputModalities.split(",")).contains(medium);
    }

    boolean sameAs(Attributes o) {
      return Objects.equals(contextWindow, o.contextWindow) && Objects.equals(maxOutputTokens, o.maxOutputTokens)
          && Objects.equals(inputModalities, o.inputModalities) && Objects.equals(outputModalities, o.outputModalities)
          && Objects.equals(kind, o.kind) && Objects.equals(deprecationDate, o.deprecationDate)
          && canonicalModel.equals(o.canonicalModel) && provider.equals(o.provider);
    }
  }

  // ---------------------------------------------------------------- reading

  /** Every source's attributes of one canonical model, by source id. */
  public List<Attributes> current(String canonicalId) {
    return read("SELECT " + COLUMNS + " FROM model_attribute WHERE canonical_model = ? ORDER BY source_id, model",
        canonicalId.toLowerCase(java.util.Locale.ROOT));
  }

  /** Every model's attributes, by canonical id, each list by source id: one query, for a ranking of all models. */
  public Map<String, List<Attributes>> all() {
    Map<String, List<Attributes>> out = new TreeMap<>();
    for (Attributes a : read("SELECT " + COLUMNS + " FROM model_attribute ORDER BY canonical_model, source_id, model",
        null)) {
      out.computeIfAbsent(a.canonicalModel(), k -> new ArrayList<>()).add(a);
    }
    return out;
  }

  private List<Attributes> read(String sql, String arg) {
    try {
      return Transactions.run(ds, c -> {
        List<Attributes> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          if (arg != null) {
            ps.setString(1, arg);
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(row(rs));
            }
          }
        }
        return out;
      });
    } catch (SQLException e) {
      throw new HistoryException("read model attributes", e);
    }
  }

  // ---------------------------------------------------------------- writing

  /**
   * Records one check's facts inside its transaction: a model's row is inserted or, when anything differs, updated
   * (a fact the file no longer states becomes null, except the retirement date, which is kept); unchanged rows are
   * not written. Returns the {@code model_deprecated} events of the check, for the caller to store with the others.
   */
  public static List<ChangeEvent> write(Connection c, String sourceId, Instant at, List<Observation> facts)
      throws SQLException {
    if (facts.isEmpty()) {
      return List.of();
    }
    Map<String, Attributes> before = load(c, sourceId);
    Map<String, Attributes> now = fold(sourceId, facts, before, at);
    List<Lifecycles.Dated> dated = new ArrayList<>();
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO model_attribute (" + COLUMNS
        + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
        PreparedStatement upd = c.prepareStatement("UPDATE model_attribute SET canonical_model = ?, provider = ?, "
            + "context_window = ?, max_output_tokens = ?, input_modalities = ?, output_modalities = ?, "
            + "model_kind = ?, deprecation_date = ?, changed_at = ? WHERE source_id = ? AND model = ?")) {
      boolean inserts = false;
      boolean updates = false;
      for (Attributes a : now.values()) {
        Attributes prior = before.get(a.model());
        dated.add(new Lifecycles.Dated(a.provider(), a.model(), a.canonicalModel(),
            prior == null ? null : prior.deprecationDate(), a.deprecationDate()));
        if (prior == null) {
          ins.setString(1, sourceId);
          ins.setString(2, a.model());
          ins.setString(3, a.canonicalModel());
          ins.setString(4, a.provider());
          values(ins, 5, a);
          ins.setObject(11, Rows.odt(at));
          ins.setObject(12, Rows.odt(at));
          ins.addBatch();
          inserts = true;
        } else if (!prior.sameAs(a)) {
          upd.setString(1, a.canonicalModel());
          upd.setString(2, a.provider());
          values(upd, 3, a);
          upd.setObject(9, Rows.odt(at));
          upd.setString(10, sourceId);
          upd.setString(11, a.model());
          upd.addBatch();
          updates = true;
        }
      }
      if (inserts) {
        ins.executeBatch();
      }
      if (updates) {
        upd.executeBatch();
      }
    }
    return Lifecycles.events(sourceId, dated, before.isEmpty(), at);
  }

  /** The attributes the facts state, model by model (the retirement date kept from before when not restated). */
  private static Map<String, Attributes> fold(String sourceId, List<Observation> facts, Map<String, Attributes> before,
      Instant at) {
    Map<String, Map<String, Observation>> byModel = new LinkedHashMap<>();
    for (Observation o : facts) {
      byModel.computeIfAbsent(o.model(), k -> new HashMap<>()).put(o.metric(), o);
    }
    Map<String, Attributes> out = new LinkedHashMap<>();
    byModel.forEach((model, f) -> {
      Observation any = f.values().iterator().next();
      Attributes prior = before.get(model);
      Observation date = f.get(ModelFacts.DEPRECATION);
      out.put(model, new Attributes(sourceId, model, any.canonicalModel(), any.provider(),
          count(f.get(ModelFacts.CONTEXT_WINDOW)), count(f.get(ModelFacts.MAX_OUTPUT)),
          text(f.get(ModelFacts.INPUT_MODALITIES)), text(f.get(ModelFacts.OUTPUT_MODALITIES)),
          text(f.get(ModelFacts.KIND)),
          date != null ? LocalDate.parse(date.condition()) : prior == null ? null : prior.deprecationDate(),
          prior == null ? at : prior.firstSeen(), at));
    });
    return out;
  }

  private static Long count(Observation o) {
    return o == null ? null : o.value().longValueExact();
  }

  private static String text(Observation o) {
    return o == null ? null : Rows.truncate(o.condition(), 200);
  }

  private static void values(PreparedStatement ps, int i, Attributes a) throws SQLException {
    setLong(ps, i, a.contextWindow());
    setLong(ps, i + 1, a.maxOutputTokens());
    ps.setString(i + 2, a.inputModalities());
    ps.setString(i + 3, a.outputModalities());
    ps.setString(i + 4, a.kind() == null ? null : Rows.truncate(a.kind(), 40));
    if (a.deprecationDate() == null) {
      ps.setNull(i + 5, Types.DATE);
    } else {
      ps.setObject(i + 5, a.deprecationDate());
    }
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  private static Map<String, Attributes> load(Connection c, String sourceId) throws SQLException {
    Map<String, Attributes> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM model_attribute WHERE source_id = ?")) {
      ps.setString(1, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Attributes a = row(rs);
          out.put(a.model(), a);
        }
      }
    }
    return out;
  }

  private static Attributes row(ResultSet rs) throws SQLException {
    long cw = rs.getLong(5);
    Long context = rs.wasNull() ? null : cw;
    long mo = rs.getLong(6);
    Long maxOut = rs.wasNull() ? null : mo;
    return new Attributes(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), context, maxOut,
        rs.getString(7), rs.getString(8), rs.getString(9), rs.getObject(10, LocalDate.class), Rows.instant(rs, 11),
        Rows.instant(rs, 12));
  }
}

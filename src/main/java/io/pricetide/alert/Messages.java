package io.pricetide.alert;

import io.pricetide.bus.ChangeEvent;
import io.pricetide.price.Decimals;
import io.pricetide.template.Templates;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders what each channel sends for a job: emails from the templates, the contract's webhook JSON, Slack Block
 * Kit and Discord messages. Every scraped string goes through the channel's escaping.
 */
final class Messages {
  /** Template files an instance needs; checked at start. */
  static final List<String> TEMPLATES = List.of("email/confirm.subject.txt", "email/confirm.txt", "email/confirm.html",
      "email/change.subject.txt", "email/change.txt", "email/change.html", "email/digest.subject.txt",
      "email/digest.txt", "email/digest.html", "email/operator.subject.txt", "email/operator.txt",
      "email/operator.html", "email/workload.subject.txt", "email/workload.txt", "email/workload.html");

  private final Templates templates;
  private final Tokens tokens;
  private final String publicUrl;
  private final Duration confirmTtl;

  Messages(Templates templates, Tokens tokens, String publicUrl, Duration confirmTtl) {
    this.templates = templates;
    this.tokens = tokens;
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    this.confirmTtl = confirmTtl;
  }

  /**
   * A rendered email; {@code oneClickUrl} is the RFC 8058 {@code List-Unsubscribe} target, null for mail without
   * a list (confirmations, the operator).
   */
  record Email(String subject, String text, String html, String oneClickUrl) {}

  /** The page the unsubscribe link in a body opens (the web UI's, with a button). */
  String unsubscribeUrl(Subscription s) {
    return publicUrl + "/unsubscribe?token=" + tokens.sign(Tokens.UNSUBSCRIBE, s.publicId(), null);
  }

  /** Where mail clients POST {@code List-Unsubscribe=One-Click}. */
  String oneClickUrl(Subscription s) {
    return publicUrl + "/api/subscriptions/unsubscribe?token=" + tokens.sign(Tokens.UNSUBSCRIBE, s.publicId(),
        null);
  }

  /** The page the confirmation email links to (the web UI's, with a button). */
  String confirmUrl(Subscription s, Instant now) {
    return publicUrl + "/confirm?token=" + tokens.sign(Tokens.CONFIRM, s.publicId(), now.plus(confirmTtl));
  }

  Tokens tokens() {
    return tokens;
  }

  String manageToken(Subscription s) {
    return tokens.sign(Tokens.MANAGE, s.publicId(), null);
  }

  Email email(Job job, Instant now) {
    return switch (job.messageType()) {
      case Job.CONFIRM -> confirm(job.subscription(), now);
      case Job.CHANGE -> change(job);
      case Job.DIGEST -> digest(job);
      case Job.SOURCE_FAILURE, Job.SOURCE_STALE -> operator(job);
      case Job.WORKLOAD -> workload(job);
      default -> throw new IllegalArgumentException("no email for message type " + job.messageType());
    };
  }

  private Email confirm(Subscription s, Instant now) {
    Map<String, Object> m = new HashMap<>();
    m.put("confirm_url", confirmUrl(s, now));
    m.put("expires_hours", confirmTtl.toHours());
    m.put("mode", s.mode());
    m.put("filter", s.isWorkload() ? s.workload().describe() : describe(s.filter()));
    m.put("site", publicUrl);
    return render("confirm", m, null);
  }

  /** The web UI's page of the event's model: {@code <public URL>/model?id=<canonical id>}; null without a model. */
  String modelUrl(ChangeEvent e) {
    String id = e == null ? null : e.canonicalModel() != null ? e.canonicalModel() : e.model();
    return id == null ? null : publicUrl + "/model?id=" + java.net.URLEncoder.encode(id,
        java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The web UI's page of a model by its canonical id. */
  String modelUrl(String canonical) {
    return publicUrl + "/model?id=" + java.net.URLEncoder.encode(canonical, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The calculator showing a workload: the shareable link of its ranking. */
  String calculatorUrl(io.pricetide.workload.Workloads.Workload w) {
    return publicUrl + "/calculator?" + w.query();
  }

  /** The host of the public URL, the right-hand side of the {@code Message-ID}s we send. */
  String publicHost() {
    try {
      String h = java.net.URI.create(publicUrl).getHost();
      return h == null || h.isBlank() ? "localhost" : h;
    } catch (IllegalArgumentException e) {
      return "localhost";
    }
  }

  private Email change(Job job) {
    Subscription s = job.subscription();
    List<Groups.Item> items = Groups.of(job);
    Map<String, Object> m = eventModel(job.event(), job.baselinePct(), job.baselineUsd(), s);
    List<Map<String, Object>> changes = new ArrayList<>();
    for (Groups.Item i : items) {
      Map<String, Object> c = eventModel(i.event(), i.baselinePct(), i.baselineUsd(), s);
      c.put("line", c.get("headline"));
      changes.add(c);
    }
    m.put("changes", changes);
    m.put("several", changes.size() > 1);
    m.put("headline", ModelLines.headline(items, s));
    m.put("model_url", modelUrl(job.event()));
    m.put("unsubscribe_url", unsubscribeUrl(s));
    m.put("site", publicUrl);
    m.put("delivery_id", job.deliveryId());
    return render("change", m, oneClickUrl(s));
  }

  private Email digest(Job job) {
    Subscription s = job.subscription();
    List<Map<String, Object>> items = new ArrayList<>();
    for (Job.DigestItem i : job.digest()) {
      Map<String, Object> item = eventModel(i.event(), i.baselinePct(), i.baselineUsd(), s);
      item.put("model_url", modelUrl(i.event()));
      items.add(item);
    }
    Map<String, Object> m = new HashMap<>();
    m.put("items", items);
    m.put("count", items.size());
    m.put("period", Subscription.WEEKLY.equals(s.mode()) ? "weekly" : "daily");
    m.put("unsubscribe_url", unsubscribeUrl(s));
    m.put("site", publicUrl);
    m.put("delivery_id", job.deliveryId());
    return render("digest", m, oneClickUrl(s));
  }

  private Email operator(Job job) {
    Map<String, Object> m = new HashMap<>();
    m.put("site", publicUrl);
    m.put("delivery_id", job.deliveryId());
    if (job.messageType().equals(Job.SOURCE_FAILURE)) {
      ChangeEvent e = job.event();
      m.put("failure", true);
      m.put("source", e.sourceId());
      m.put("stage", e.stage());
      m.put("reason", e.reason());
      m.put("at", e.observedAt().toString());
      m.put("headline", "Source " + e.sourceId() + " failed at the " + e.stage() + " stage");
    } else {
      JsonObject p = new JsonObject(job.payload());
      m.put("stale", true);
      m.put("source", p.getString("source"));
      m.put("last_success", p.getString("last_success", "never"));
      m.put("schedule", p.getString("schedule"));
      m.put("stale_minutes", p.getLong("stale_seconds", 0L) / 60);
      m.put("headline", "Source " + p.getString("source") + " is stale: no successful check since "
          + p.getString("last_success", "the service started"));
    }
    return render("operator", m, null);
  }

  private Email workload(Job job) {
    Subscription s = job.subscription();
    WorkloadLines w = new WorkloadLines(job);
    Map<String, Object> m = new HashMap<>();
    m.put("headline", w.headline());
    m.put("workload", s.workload().workload().describe());
    m.put("model", w.now().getString("model"));
    m.put("provider", w.now().getString("provider"));
    m.put("source", w.now().getString("source"));
    m.put("monthly", WorkloadLines.monthly(w.now()));
    m.put("old_model", w.was().getString("model"));
    m.put("old_provider", w.was().getString("provider"));
    m.put("old_monthly", WorkloadLines.monthly(w.was()));
    m.put("pct", w.pct());
    m.put("model_changed", w.event().getBoolean("model_changed", false));
    m.put("cost_fell", WorkloadWatch.COST_FELL.equals(w.event().getString("reason")));
    m.put("input", Formats.usd(WorkloadLines.decimal(w.now(), "input")));
    m.put("cached_input", Formats.usd(WorkloadLines.decimal(w.now(), "cached_input")));
    m.put("output", Formats.usd(WorkloadLines.decimal(w.now(), "output")));
    m.put("observed_at", w.event().getString("observed_at"));
    m.put("calculator_url", calculatorUrl(s.workload().workload()));
    m.put("model_url", modelUrl(w.now().getString("canonical_model")));
    m.put("unsubscribe_url", unsubscribeUrl(s));
    m.put("site", publicUrl);
    m.put("delivery_id", job.deliveryId());
    return render("workload", m, oneClickUrl(s));
  }

  private Email render(String name, Map<String, Object> m, String unsubscribe) {
    String subject = Formats.subject(templates.render("email/" + name + ".subject.txt", m));
    return new Email(subject, templates.render("email/" + name + ".txt", m),
        templates.render("email/" + name + ".html", m), unsubscribe);
  }

  private static Map<String, Object> eventModel(ChangeEvent e, BigDecimal pct, BigDecimal refUsd, Subscription s) {
    Map<String, Object> m = new HashMap<>();
    boolean price = e.oldUsd() != null && e.newUsd() != null;
    BigDecimal shownPct = pct != null ? pct : e.changePct();
    BigDecimal was = refUsd != null ? refUsd : e.oldUsd();
    m.put("headline", Formats.headline(e, shownPct, was, s.baseline(), s.baselineDays()));
    m.put("kind", e.kind());
    m.put("kind_label", e.kind().replace('_', ' '));
    m.put("provider", e.provider());
    m.put("model", e.model());
    m.put("canonical_model", e.canonicalModel());
    m.put("metric", Formats.metric(e));
    m.put("source", e.sourceId());
    m.put("observed_at", e.observedAt().toString());
    m.put("price_change", price);
    m.put("old", Formats.usd(was));
    m.put("new", Formats.usd(e.newUsd()));
    m.put("pct", Formats.pct(shownPct));
    String note = Formats.baselineNote(s.baseline(), s.baselineDays());
    m.put("baseline_note", note);
    boolean step = price && !note.isEmpty() && e.changePct() != null && pct != null
        && e.changePct().compareTo(pct) != 0;
    m.put("step", step);
    m.put("step_old", Formats.usd(e.oldUsd()));
    m.put("step_pct", Formats.pct(e.changePct()));
    boolean foreign = e.currency() != null && !e.currency().equals("USD") && e.newValue() != null;
    m.put("foreign", foreign);
    m.put("currency", e.currency());
    m.put("old_value", e.oldValue() == null ? "\u2014" : Decimals.money(e.oldValue()));
    m.put("new_value", e.newValue() == null ? "\u2014" : Decimals.money(e.newValue()));
    return m;
  }

  private static String describe(Filter f) {
    List<String> parts = new ArrayList<>();
    if (!f.providers().isEmpty()) {
      parts.add("providers " + String.join(", ", f.providers()));
    }
    if (!f.models().isEmpty()) {
      parts.add("models " + String.join(", ", f.models()));
    }
    if (!f.metrics().isEmpty()) {
      parts.add("metrics " + String.join(", ", f.metrics()));
    }
    if (!f.kinds().isEmpty()) {
      parts.add("events " + String.join(", ", f.kinds()));
    }
    if (!f.direction().equals("any")) {
      parts.add(f.direction().equals("down") ? "price cuts" : "price increases");
    }
    if (f.minPercent().signum() > 0) {
      parts.add("changes of at least " + f.minPercent().toPlainString() + "%");
    }
    return parts.isEmpty() ? "every price change" : String.join("; ", parts);
  }

  // ------------------------------------------------------------------ HTTP channels

  /**
   * The contract's webhook body for a change, and the operator's for failures and stale sources, as the bytes'
   * text. A change body is assembled around the event's JSON, encoded once per event for the whole fan-out.
   */
  String webhookBody(Job job) {
    switch (job.messageType()) {
      case Job.CHANGE -> {
        if (Groups.isGroup(job)) {
          return ModelLines.webhook(job, modelUrl(job.event()));
        }
        StringBuilder b = new StringBuilder(768).append("{\"type\":\"price.changed\",\"delivery_id\":")
            .append(Json.encode(job.deliveryId())).append(",\"event\":").append(eventJson(job.event()))
            .append(",\"subscription\":").append(Json.encode(job.subscription().publicId()));
        if (job.baselinePct() != null && !Subscription.PREVIOUS.equals(job.subscription().baseline())) {
          b.append(",\"baseline\":").append(new JsonObject().put("kind", job.subscription().baseline())
              .put("usd_per_1m", Decimals.money(job.baselineUsd()))
              .put("change_pct", job.baselinePct().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString())
              .encode());
        }
        return b.append('}').toString();
      }
      case Job.SOURCE_FAILURE -> {
        return new JsonObject().put("type", "source.failed").put("delivery_id", job.deliveryId())
            .put("event", job.event().toJson()).encode();
      }
      case Job.SOURCE_STALE -> {
        return new JsonObject().put("type", "source.stale").put("delivery_id", job.deliveryId())
            .put("source", new JsonObject(job.payload())).encode();
      }
      case Job.WORKLOAD -> {
        JsonObject event = new JsonObject(job.payload());
        Subscription s = job.subscription();
        event.put("calculator_url", calculatorUrl(s.workload().workload()))
            .put("model_url", modelUrl(event.getJsonObject("new").getString("canonical_model")));
        return new JsonObject().put("type", WorkloadLines.WEBHOOK_TYPE).put("delivery_id", job.deliveryId())
            .put("event", event).put("subscription", s.publicId()).encode();
      }
      default -> throw new IllegalArgumentException("no webhook for message type " + job.messageType());
    }
  }

  /** The event as the contract prints it, encoded; the last one is kept for the rest of its fan-out. */
  private String eventJson(ChangeEvent e) {
    RenderedEvent last = lastEvent;
    if (last != null && last.id() == e.id()) {
      return last.json();
    }
    String j = e.toJson().encode();
    lastEvent = new RenderedEvent(e.id(), j);
    return j;
  }

  private record RenderedEvent(long id, String json) {}

  private volatile RenderedEvent lastEvent;

  /** One line for chat channels. */
  String line(Job job) {
    return switch (job.messageType()) {
      case Job.CHANGE -> ModelLines.headline(Groups.of(job), job.subscription());
      case Job.SOURCE_FAILURE -> Formats.headline(job.event(), null, null, null, 0);
      case Job.SOURCE_STALE -> {
        JsonObject p = new JsonObject(job.payload());
        yield "Source " + p.getString("source") + " is stale: no successful check since "
            + p.getString("last_success", "the service started");
      }
      case Job.WORKLOAD -> new WorkloadLines(job).headline();
      default -> throw new IllegalArgumentException("no chat message for message type " + job.messageType());
    };
  }

  /**
   * A Slack incoming-webhook message with Block Kit: the headline, one line per metric of a model change, a link
   * to the model's page; every scraped string escaped Slack's way.
   */
  JsonObject slack(Job job) {
    String line = Formats.slack(line(job));
    JsonArray blocks = new JsonArray().add(new JsonObject().put("type", "section").put("text", new JsonObject()
        .put("type", "mrkdwn").put("text", "*" + line + "*")));
    String url = job.messageType().equals(Job.CHANGE) ? modelUrl(job.event()) : null;
    if (job.messageType().equals(Job.CHANGE)) {
      List<String> lines = ModelLines.lines(Groups.of(job), job.subscription());
      StringBuilder b = new StringBuilder();
      if (lines.size() > 1) {
        lines.forEach(l -> b.append("\u2022 ").append(Formats.slack(l)).append('\n'));
      }
      if (url != null) {
        b.append('<').append(Formats.slack(url)).append('|').append("Price history of ")
            .append(Formats.slack(ModelLines.name(job.event()))).append('>');
      }
      if (b.length() > 0) {
        blocks.add(new JsonObject().put("type", "section").put("text", new JsonObject().put("type", "mrkdwn")
            .put("text", b.toString())));
      }
    } else if (job.messageType().equals(Job.WORKLOAD)) {
      WorkloadLines w = new WorkloadLines(job);
      String text = Formats.slack(job.subscription().workload().workload().describe()) + "\n<"
          + Formats.slack(calculatorUrl(job.subscription().workload().workload())) + "|Your workload in the "
          + "calculator> \u00b7 <" + Formats.slack(modelUrl(w.now().getString("canonical_model"))) + "|Price history of "
          + Formats.slack(w.now().getString("model")) + ">";
      blocks.add(new JsonObject().put("type", "section").put("text", new JsonObject().put("type", "mrkdwn")
          .put("text", text)));
    }
    JsonArray context = new JsonArray();
    if (job.event() != null) {
      context.add(new JsonObject().put("type", "mrkdwn").put("text", "Source: " + Formats.slack(job.event().sourceId())
          + " \u00b7 " + Formats.slack(job.event().observedAt().toString())));
    }
    context.add(new JsonObject().put("type", "mrkdwn").put("text", "Delivery " + job.deliveryId()));
    blocks.add(new JsonObject().put("type", "context").put("elements", context));
    return new JsonObject().put("text", line).put("blocks", blocks);
  }

  /** A Discord webhook message: one line per metric of a model change and the model's page; markdown escaped. */
  JsonObject discord(Job job) {
    StringBuilder b = new StringBuilder(Formats.discord(line(job)));
    if (job.messageType().equals(Job.CHANGE)) {
      List<String> lines = ModelLines.lines(Groups.of(job), job.subscription());
      if (lines.size() > 1) {
        lines.forEach(l -> b.append("\n\u2022 ").append(Formats.discord(l)));
      }
      String url = modelUrl(job.event());
      if (url != null) {
        b.append("\n<").append(url).append('>');
      }
    } else if (job.messageType().equals(Job.WORKLOAD)) {
      WorkloadLines w = new WorkloadLines(job);
      b.append("\n").append(Formats.discord(job.subscription().workload().workload().describe()))
          .append("\nCalculator: <").append(calculatorUrl(job.subscription().workload().workload())).append('>')
          .append("\nPrice history: <").append(modelUrl(w.now().getString("canonical_model"))).append('>');
    }
    String content = b.toString();
    return new JsonObject().put("content", content.length() > 1900 ? content.substring(0, 1900) + "\u2026" : content)
        .put("allowed_mentions", new JsonObject().put("parse", new JsonArray()))
        .put("embeds", new JsonArray().add(new JsonObject().put("footer",
            new JsonObject().put("text", "Pricetide delivery " + job.deliveryId()))));
  }
}

package io.pricetide.alert;

import io.pricetide.config.AlertSettings;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Instant;

/**
 * Sends email through the Vert.x Mail client. Mail to subscribers carries RFC 8058 one-click unsubscribe
 * headers ({@code List-Unsubscribe} with the HTTPS link, {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click})
 * and the delivery id. A 5xx SMTP reply is permanent; anything else (connection refused, 4xx, timeouts) is retried.
 */
final class EmailNotifier implements Notifier {
  static final long DEADLINE_MS = 60_000;

  private final Vertx vertx;
  private final MailClient client;
  private final String from;
  private final Messages messages;

  EmailNotifier(Vertx vertx, AlertSettings s, Messages messages) {
    this.vertx = vertx;
    this.from = s.mailFrom();
    this.messages = messages;
    MailConfig cfg = new MailConfig().setHostname(s.mailHost()).setPort(s.mailPort())
        .setStarttls(StartTLSOptions.valueOf(s.mailStarttls().toUpperCase(java.util.Locale.ROOT)))
        .setMaxPoolSize(s.mailPool()).setKeepAlive(true).setConnectTimeout(10_000)
        .setUserAgent("Pricetide");
    if (s.mailUsername().isEmpty()) {
      cfg.setLogin(LoginOption.DISABLED);
    } else {
      cfg.setLogin(LoginOption.REQUIRED).setUsername(s.mailUsername()).setPassword(s.mailPassword());
    }
    this.client = MailClient.create(vertx, cfg);
  }

  @Override
  public String channel() {
    return Subscription.EMAIL;
  }

  @Override
  public Future<Outcome> send(Job job) {
    Messages.Email m;
    try {
      m = messages.email(job, Instant.now());
    } catch (RuntimeException e) {
      return Future.succeededFuture(Outcome.permanent(null, "cannot render the email: " + e.getMessage()));
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("Message-ID", "<" + job.deliveryId() + "@" + messages.publicHost() + ">")
        .add("X-Pricetide-Delivery", job.deliveryId())
        .add("Auto-Submitted", "auto-generated");
    if (m.oneClickUrl() != null) {
      headers.add("List-Unsubscribe", "<" + m.oneClickUrl() + ">")
          .add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
          .add("Precedence", "bulk");
    }
    MailMessage msg = new MailMessage().setFrom(from).setTo(job.subscription().target()).setSubject(m.subject())
        .setText(m.text()).setHtml(m.html()).setHeaders(headers);
    Promise<Outcome> done = Promise.promise();
    long timer = vertx.setTimer(DEADLINE_MS, t -> done.tryComplete(Outcome.failed(null,
        "SMTP did not answer within " + DEADLINE_MS + " ms")));
    client.sendMail(msg).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        done.tryComplete(Outcome.delivered(250));
      } else if (ar.cause() instanceof SMTPException se) {
        done.tryComplete(se.isPermanent() ? Outcome.permanent(se.getReplyCode(), "SMTP " + se.getMessage())
            : Outcome.failed(se.getReplyCode(), "SMTP " + se.getMessage()));
      } else {
        done.tryComplete(Outcome.failed(null, "SMTP: " + ar.cause().getClass().getSimpleName() + ": "
            + ar.cause().getMessage()));
      }
    });
    return done.future();
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}

package io.pricetide.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The subscription request validator on its own: a body in, a request or the first thing wrong with it out. */
class SubscriptionRequestTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      {}                                                          | channel must be one of email, webhook, slack, discord
      {"channel":"email"}                                         | target is required
      {"channel":"email","target":"  "}                           | target is required
      {"channel":"email","target":"a@b.org","colour":"red"}       | unknown key 'colour'
      {"channel":7,"target":"a@b.org"}                            | channel must be a string
      {"channel":"email","target":"a@b.org","filter":[]}          | filter must be an object
      {"channel":"email","target":"a@b.org","baseline":"median"}  | baseline must be one of previous, last_notified, n_day_high, all_time_low
      {"channel":"email","target":"a@b.org","baseline_days":0}    | baseline_days must be a whole number between 1 and 3650
      {"channel":"email","target":"a@b.org","baseline_days":1.5}  | baseline_days must be a whole number between 1 and 3650
      {"channel":"email","target":"a@b.org","mode":"hourly"}      | mode must be one of instant, daily, weekly
      {"channel":"slack","target":"https://h.example/x","mode":"daily"} | digests (daily, weekly) are for email; slack is instant
      {"channel":"email","target":"a@b.org","rearm_hours":"soon"} | rearm_hours must be a number
      {"channel":"email","target":"a@b.org","rearm_hours":9000}   | rearm_hours must be between 0 and 8760
      """)
  void refusesWithTheFirstProblem(String body, String error) {
    SubscriptionRequest.Parsed p = SubscriptionRequest.parse(new JsonObject(body));
    assertNull(p.request());
    assertEquals(error, p.error());
  }

  @Test
  @DisplayName("A JSON null body is not an object")
  void nullBody() {
    assertEquals("the body must be a JSON object", SubscriptionRequest.parse(null).error());
  }

  @Test
  @DisplayName("Defaults fill what the body leaves out; the target is trimmed; rearm hours become seconds")
  void defaults() {
    SubscriptionRequest r = SubscriptionRequest.parse(new JsonObject(
        "{\"channel\":\"email\",\"target\":\" a@b.org \",\"rearm_hours\":1.5}")).request();
    assertEquals("a@b.org", r.target());
    assertEquals(Subscription.PREVIOUS, r.baseline());
    assertEquals(30, r.baselineDays());
    assertEquals(Subscription.INSTANT, r.mode());
    assertEquals(5400, r.rearmSeconds());
    Subscription s = r.toSubscription("sub_x", null, Instant.EPOCH);
    assertEquals(Subscription.PENDING, s.status());
    assertNull(s.confirmedAt(), "email waits for its confirmation");
  }

  @ParameterizedTest(name = "{0} {1} secret \"{2}\" -> {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      email   | a@b.org             | -                    | -
      email   | a@b.org             | secret-secret-secret | secret is for webhooks
      webhook | https://h.example/x | short                | secret must have 16 to 200 characters
      webhook | https://h.example/x | secret-secret-secret | -
      slack   | https://h.example/x | secret-secret-secret | secret is for webhooks; slack URLs carry their own
      """)
  void secrets(String channel, String target, String secret, String error) {
    JsonObject in = new JsonObject().put("channel", channel).put("target", target).put("secret", secret);
    assertEquals(Optional.ofNullable(error), SubscriptionRequest.parse(in).request().secretError());
  }

  @ParameterizedTest(name = "\"{0}\" is an address: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      a@b.org          | true
      a.b+c@mail.b.org | true
      a@b              | false
      a b@c.org        | false
      <a@b.org>        | false
      """)
  void emailAddresses(String target, boolean ok) {
    JsonObject in = new JsonObject().put("channel", "email").put("target", target);
    assertEquals(ok, SubscriptionRequest.parse(in).request().emailError().isEmpty());
  }

  @Test
  @DisplayName("A webhook is active from its creation")
  void webhookActive() {
    Subscription s = SubscriptionRequest.parse(new JsonObject().put("channel", "webhook")
        .put("target", "https://h.example/x")).request().toSubscription("sub_y", "s", Instant.EPOCH);
    assertEquals(Subscription.ACTIVE, s.status());
    assertEquals(Instant.EPOCH, s.confirmedAt());
    assertTrue(s.secret().equals("s"));
  }
}

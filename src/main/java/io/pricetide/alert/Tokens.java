package io.pricetide.alert;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed tokens for links and subscriber access: {@code base64url(purpose|subscription|expiry)} + {@code .} +
 * {@code base64url(HMAC-SHA256(server secret, that payload))}. Nothing is stored; a token is valid while the
 * signature checks out and its expiry (0 for none) has not passed. Purposes: {@link #CONFIRM} (expires),
 * {@link #UNSUBSCRIBE} and {@link #MANAGE}.
 */
final class Tokens {
  static final String CONFIRM = "confirm";
  static final String UNSUBSCRIBE = "unsubscribe";
  static final String MANAGE = "manage";

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private final SecretKeySpec key;

  Tokens(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  String sign(String purpose, String subscriptionId, Instant expires) {
    String payload = purpose + "|" + subscriptionId + "|" + (expires == null ? 0 : expires.getEpochSecond());
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    return B64.encodeToString(p) + "." + B64.encodeToString(hmac(key, p));
  }

  /** The subscription id a token of this purpose names, when its signature holds and it has not expired. */
  Optional<String> verify(String purpose, String token, Instant now) {
    if (token == null || token.length() > 400) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    byte[] p;
    byte[] sig;
    try {
      p = B64D.decode(token.substring(0, dot));
      sig = B64D.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(sig, hmac(key, p))) {
      return Optional.empty();
    }
    String[] parts = new String(p, StandardCharsets.UTF_8).split("\\|", -1);
    if (parts.length != 3 || !parts[0].equals(purpose)) {
      return Optional.empty();
    }
    long exp;
    try {
      exp = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (exp != 0 && now.getEpochSecond() > exp) {
      return Optional.empty();
    }
    return Optional.of(parts[1]);
  }

  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  });

  static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = MAC.get();
      mac.init(key);
      return mac.doFinal(data);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("bad HMAC key", e);
    }
  }

  /** The {@code Pricetide-Signature} header value: {@code t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>}. */
  static String webhookSignature(String secret, long unixSeconds, byte[] body) {
    SecretKeySpec k = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    byte[] prefix = (unixSeconds + ".").getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, signed, 0, prefix.length);
    System.arraycopy(body, 0, signed, prefix.length, body.length);
    return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(k, signed));
  }
}

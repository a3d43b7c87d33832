package io.pricetide.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Keeps requests off internal networks (SSRF): a host is resolved and refused when any of its addresses is
 * loopback, private, link-local, unique-local, carrier-grade NAT, multicast, benchmarking or unspecified. Webhooks
 * (alert) and source fetches (fetch) both judge their targets here, so the two cannot drift apart.
 */
public final class AddressPolicy {
  private AddressPolicy() {}

  /**
   * A host's addresses judged: the first address (what a request should connect to), and why the host is refused
   * ({@code null} when every address is public). {@code address} is null when the host does not resolve.
   */
  public record Verdict(InetAddress address, String refusal) {
    public boolean resolved() {
      return address != null;
    }
  }

  /** Resolves a host (blocking: call off the event loop) and judges every address it has. */
  public static Verdict judge(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(h);
    } catch (UnknownHostException e) {
      return new Verdict(null, "cannot resolve " + h);
    }
    for (InetAddress a : all) {
      if (isInternal(a)) {
        return new Verdict(all[0], h + " resolves to the internal address " + a.getHostAddress());
      }
    }
    return new Verdict(all[0], null);
  }

  /** True for addresses a request to a public service has no business reaching. */
  public static boolean isInternal(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int o0 = b[0] & 0xff;
      int o1 = b[1] & 0xff;
      return o0 == 0 || o0 == 10 || o0 == 127 || o0 >= 224                 // this network, private, loopback, class D/E
          || o0 == 100 && o1 >= 64 && o1 < 128                             // carrier-grade NAT 100.64/10
          || o0 == 169 && o1 == 254 || o0 == 172 && o1 >= 16 && o1 < 32   // link-local, private
          || o0 == 192 && o1 == 168 || o0 == 192 && o1 == 0 && (b[2] & 0xff) == 0
          || o0 == 198 && (o1 == 18 || o1 == 19);                          // benchmarking 198.18/15
    }
    if (a instanceof Inet6Address) {
      int o0 = b[0] & 0xff;
      if ((o0 & 0xfe) == 0xfc) {
        return true; // unique local fc00::/7
      }
      boolean nat64 = o0 == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
      boolean compat = true;
      for (int i = 0; i < 12; i++) {
        compat &= b[i] == 0 || i >= 10 && (b[i] & 0xff) == 0xff;
      }
      if (nat64 || compat) {
        try {
          return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }
}

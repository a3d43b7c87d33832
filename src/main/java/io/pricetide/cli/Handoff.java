package io.pricetide.cli;

import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The command line's side of the hand-off to a running service ({@link Control}): a verb that needs the database
 * finds the service's {@value Control#TOKEN_FILE} in its data dir and, when the service answers on it, sends its
 * argument list there and prints what the verb printed in the service, returning its exit code. No token file, an
 * unreadable one, or one whose service does not answer (a stale file a killed service left) means no service:
 * the verb runs alone. Relative paths are made absolute here, since the service has its own working directory.
 */
final class Handoff {
  /** The verbs that open the database and so are handed to a running service. */
  static final Set<String> VERBS = Set.of("check", "events", "replay", "reextract", "accept-baseline", "export",
      "backup", "sources");
  /** Options that take a value (of every verb), so that what follows them is not taken for a positional. */
  private static final Set<String> VALUED = Set.of("config", "data", "sources", "source", "since", "format", "kind",
      "provider", "model", "metric", "condition", "port");
  private static final Set<String> PATH_OPTIONS = Set.of("config", "data", "sources");
  /** Verbs whose positional arguments are paths. */
  private static final Set<String> PATH_VERBS = Set.of("replay", "backup");
  /**
   * The client, made on first use only: building an {@code HttpClient} sets up TLS and reads the trust store (180
   * classes and a few MB resident), which {@code run} and every verb that hands nothing off never need.
   */
  private static final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(3)).build();
  }

  /** A live service's control endpoint. */
  record Endpoint(int port, String token) {}

  private Handoff() {}

  /** Whether {@code verb rest} is handed to a running service ({@code sources validate} reads no database). */
  static boolean handsOff(String verb, List<String> rest) {
    return VERBS.contains(verb) && !rest.contains("--help") && !rest.contains("-h")
        && !(verb.equals("sources") && !rest.contains("reload"));
  }

  /**
   * Runs the verb in the service on its data dir when one answers; empty when none does (or the arguments do not
   * name a loadable configuration: the verb then runs alone and reports that itself).
   */
  static OptionalInt tryRun(String verb, List<String> rest, Map<String, String> env, PrintStream out,
      PrintStream err) {
    AppConfig cfg;
    try {
      cfg = config(rest, env);
    } catch (RuntimeException e) {
      return OptionalInt.empty();
    }
    Optional<Endpoint> live = live(cfg.dataDir());
    if (live.isEmpty()) {
      return OptionalInt.empty();
    }
    List<String> argv = new ArrayList<>();
    argv.add(verb);
    argv.addAll(absolute(verb, rest));
    argv.add("--data");
    argv.add(cfg.dataDir().toString());
    try {
      HttpResponse<String> r = Http.CLIENT.send(request(live.get(), "/control/verb").header("Content-Type",
          "application/json").POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
              .put("argv", new JsonArray(new ArrayList<>(argv))).encode())).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() != 200) {
        err.println("pricetide " + verb + ": the service on " + cfg.dataDir() + " refused the verb (HTTP "
            + r.statusCode() + "): " + r.body());
        return OptionalInt.of(Cli.FAILURE);
      }
      JsonObject j = new JsonObject(r.body());
      out.print(j.getString("out", ""));
      out.flush();
      err.print(j.getString("err", ""));
      err.flush();
      return OptionalInt.of(j.getInteger("exit", Cli.FAILURE));
    } catch (IOException e) {
      err.println("pricetide " + verb + ": the service on " + cfg.dataDir() + " stopped answering while it ran the"
          + " verb: " + e.getMessage());
      return OptionalInt.of(Cli.FAILURE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.of(Cli.FAILURE);
    }
  }

  /** The endpoint of the service on {@code dataDir}, when its token file is there and it answers on it. */
  static Optional<Endpoint> live(Path dataDir) {
    Path file = dataDir.resolve(Control.TOKEN_FILE);
    Endpoint e;
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      JsonObject j = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      e = new Endpoint(j.getInteger("port"), j.getString("token"));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
    try {
      HttpResponse<String> r = Http.CLIENT.send(request(e, "/control/ping").timeout(Duration.ofSeconds(5)).GET()
          .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      boolean same = r.statusCode() == 200
          && dataDir.toString().equals(new JsonObject(r.body()).getString("data_dir"));
      return same ? Optional.of(e) : Optional.empty();
    } catch (IOException | RuntimeException stale) {
      return Optional.empty();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static HttpRequest.Builder request(Endpoint e, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + path))
        .header("Authorization", "Bearer " + e.token());
  }

  /** The configuration the verb would load: its --config, --data and --sources over the environment. */
  private static AppConfig config(List<String> rest, Map<String, String> env) {
    String config = null;
    String data = null;
    String sources = null;
    for (int i = 0; i < rest.size(); i++) {
      String s = rest.get(i);
      for (String name : PATH_OPTIONS) {
        String value = null;
        if (s.equals("--" + name) && i + 1 < rest.size()) {
          value = rest.get(i + 1);
        } else if (s.startsWith("--" + name + "=")) {
          value = s.substring(name.length() + 3);
        }
        if (value != null) {
          switch (name) {
            case "config" -> config = value;
            case "data" -> data = value;
            default -> sources = value;
          }
        }
      }
    }
    return ConfigLoader.load(Verbs.path(config), Verbs.path(data), Verbs.path(sources), env);
  }

  /** The arguments with path option values (and a path verb's positionals) absolute; {@code --data} dropped. */
  static List<String> absolute(String verb, List<String> rest) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < rest.size(); i++) {
      String s = rest.get(i);
      if (s.startsWith("--")) {
        String name = s.substring(2);
        int eq = name.indexOf('=');
        String value = eq >= 0 ? name.substring(eq + 1) : null;
        name = eq >= 0 ? name.substring(0, eq) : name;
        if (VALUED.contains(name) && value == null && i + 1 < rest.size()) {
          value = rest.get(++i);
        }
        if (name.equals("data")) {
          continue; // added back, resolved as the verb's configuration resolves it
        }
        if (value == null) {
          out.add(s);
          continue;
        }
        out.add("--" + name);
        out.add(PATH_OPTIONS.contains(name) ? abs(value) : value);
      } else {
        out.add(PATH_VERBS.contains(verb) ? abs(s) : s);
      }
    }
    return out;
  }

  private static String abs(String p) {
    return Path.of(p).toAbsolutePath().normalize().toString();
  }
}

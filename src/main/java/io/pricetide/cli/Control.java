package io.pricetide.cli;

import io.pricetide.app.App;
import io.pricetide.http.AdminAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service's control endpoint, which CLI verbs hand themselves to (issue #14): the service holds the
 * embedded database, so a verb started beside it runs inside it instead. At start the service writes
 * {@value #TOKEN_FILE} into its data dir, readable by its owner only (0600), naming the loopback port and a fresh
 * random token; {@code POST /control/verb} with {@code Authorization: Bearer TOKEN} and {@code {"argv": [...]}}
 * runs the verb with the service's database and answers {@code {"exit", "out", "err"}}: what the verb printed and
 * its exit code, which the CLI prints and returns as its own. {@code GET /control/ping} answers the data dir. A
 * wrong or missing token is 401; the token is compared in constant time ({@link AdminAuth#bearerIs}).
 */
public final class Control implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Control.class);
  public static final String TOKEN_FILE = "control.token";

  private final App app;
  private final Map<String, String> env;
  private final String token;
  private final Path file;
  private HttpServer server;

  private Control(App app, Map<String, String> env) {
    this.app = app;
    this.env = env;
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    this.file = app.config.dataDir().resolve(TOKEN_FILE);
  }

  /** Listens on a free loopback port and writes the token file; {@code env} is what the verbs run with. */
  public static Control start(App app, Map<String, String> env) {
    Control c = new Control(app, env);
    c.server = Verbs.await(app.vertx.createHttpServer().requestHandler(c::handle).listen(0, "127.0.0.1"),
        "control endpoint");
    try {
      c.writeToken();
    } catch (IOException e) {
      c.close();
      throw new IllegalStateException("cannot write " + c.file + ": " + e.getMessage(), e);
    }
    return c;
  }

  public int port() {
    return server.actualPort();
  }

  /** The token file, written to a 0600 file beside it and moved into place, so no reader sees a partial one. */
  private void writeToken() throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(TOKEN_FILE + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, new JsonObject().put("port", port()).put("token", token)
        .put("pid", ProcessHandle.current().pid()).encode() + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void handle(HttpServerRequest req) {
    if (!AdminAuth.bearerIs(req.getHeader("Authorization"), token)) {
      req.response().setStatusCode(401).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", "control token required").encode());
      return;
    }
    if (req.path().equals("/control/ping")) {
      req.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("data_dir", app.config.dataDir().toString()).encode());
      return;
    }
    if (!req.path().equals("/control/verb") || !req.method().name().equals("POST")) {
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onSuccess(body -> {
      List<String> argv = new ArrayList<>();
      try {
        JsonArray a = body.toJsonObject().getJsonArray("argv");
        a.forEach(x -> argv.add((String) x));
      } catch (RuntimeException e) {
        req.response().setStatusCode(400).end(new JsonObject().put("error", "expected {\"argv\": [...]}").encode());
        return;
      }
      app.vertx.executeBlocking(() -> run(argv), false).onComplete(ar -> req.response()
          .putHeader("Content-Type", "application/json")
          .end(ar.succeeded() ? ar.result().encode() : new JsonObject().put("exit", Cli.FAILURE).put("out", "")
              .put("err", "pricetide: the service could not run the verb: " + ar.cause().getMessage() + "\n")
              .encode()));
    });
  }

  private JsonObject run(List<String> argv) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    if (argv.isEmpty() || !Handoff.VERBS.contains(argv.get(0))) {
      code = Cli.USAGE;
      err.writeBytes(("pricetide: the service runs none but these verbs: " + Handoff.VERBS + "\n")
          .getBytes(StandardCharsets.UTF_8));
    } else {
      LOG.info("control: running '{}' for the command line", argv.get(0));
      try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
          PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
        code = Cli.run(argv.toArray(String[]::new), o, e, env, app);
      }
    }
    return new JsonObject().put("exit", code).put("out", out.toString(StandardCharsets.UTF_8))
        .put("err", err.toString(StandardCharsets.UTF_8));
  }

  /** Removes the token file (only if it is still this service's) and stops listening. */
  @Override
  public void close() {
    try {
      if (Files.exists(file) && Files.readString(file).contains("\"" + token + "\"")) {
        Files.delete(file);
      }
    } catch (IOException e) {
      LOG.warn("control: cannot remove {}: {}", file, e.getMessage());
    }
    if (server != null) {
      try {
        server.close().toCompletionStage().toCompletableFuture().get();
      } catch (Exception e) {
        // Vert.x closing anyway
      }
    }
  }
}

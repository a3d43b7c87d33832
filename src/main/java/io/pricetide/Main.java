package io.pricetide;

import io.pricetide.cli.Cli;

/** Entry point of {@code pricetide.jar}; see {@link Cli} for the verbs. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = Cli.run(args, System.out, System.err, System.getenv());
    if (code != Cli.SERVING) {
      System.exit(code);
    }
  }
}

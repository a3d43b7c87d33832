package io.pricetide.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small, strict command-line parser: {@code --name value} options, {@code --flag} switches and positional
 * arguments. Unknown options are a usage error (exit 2).
 */
final class Args {
  final Map<String, String> options = new HashMap<>();
  final Set<String> flags = new java.util.HashSet<>();
  final List<String> positional = new ArrayList<>();

  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  static Args parse(List<String> argv, Set<String> valueOptions, Set<String> flagOptions) {
    Args a = new Args();
    for (int i = 0; i < argv.size(); i++) {
      String s = argv.get(i);
      if (s.equals("--help") || s.equals("-h")) {
        a.flags.add("help");
      } else if (s.startsWith("--")) {
        String name = s.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (valueOptions.contains(name)) {
          if (value == null) {
            if (i + 1 >= argv.size()) {
              throw new UsageException("option --" + name + " needs a value");
            }
            value = argv.get(++i);
          }
          a.options.put(name, value);
        } else if (flagOptions.contains(name) && value == null) {
          a.flags.add(name);
        } else {
          throw new UsageException("unknown option --" + name);
        }
      } else {
        a.positional.add(s);
      }
    }
    return a;
  }

  String get(String name) {
    return options.get(name);
  }

  boolean has(String flag) {
    return flags.contains(flag);
  }
}

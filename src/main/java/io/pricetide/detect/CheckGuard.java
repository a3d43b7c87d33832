package io.pricetide.detect;

/**
 * A rule that refuses a whole check as a broken source: nothing of it applies, and one {@code source_failure}
 * (stage {@code detect}) names the reason. Each rule is its own class; {@link GuardRules} lists them per kind of
 * source, so a new rule is a new class, not a new branch.
 */
public interface CheckGuard {
  /** Why the check looks broken, or null when this rule lets it through. */
  String refuse(CheckView check);
}

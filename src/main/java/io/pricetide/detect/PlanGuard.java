package io.pricetide.detect;

/**
 * A rule that judges a check once its changes are planned: it sees what the value rules held back and what went
 * missing, and refuses the whole check as a broken source when the page as a whole no longer says what it said.
 * Each rule is its own class, listed in {@link GuardRules}.
 */
public interface PlanGuard {
  /** Why the planned check looks broken, or null when it may apply. */
  String refuse(CheckView check, ChangePlan plan);
}

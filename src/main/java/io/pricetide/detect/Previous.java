package io.pricetide.detect;

import java.math.BigDecimal;

/** What history holds for one series before a check: its last value and whether it is active. */
public record Previous(String provider, String canonicalModel, BigDecimal amount, BigDecimal usdPer1m,
    String currency, boolean active, int missingChecks) {}

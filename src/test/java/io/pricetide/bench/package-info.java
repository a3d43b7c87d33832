/**
 * Benchmarks: a separate entry point, not part of the test suite. Each class ending in {@code Bench} measures one
 * bar of the brief against a baseline taken in the same run and writes a report to {@code target/bench/}; run one
 * with {@code mvn -Pbench test -Dtest=NAME} (see {@code docs/benchmarks.md}). They assert only that the work was
 * done (every check ended as expected), never how fast.
 */
package io.pricetide.bench;

/**
 * The check pipeline: one source's check from its trigger to its recorded outcome. {@link
 * io.pricetide.check.CheckPipeline} holds the steps after the fetch and their failure handling, written once for the
 * live check's stages ({@link io.pricetide.check.CheckVerticle}, {@link io.pricetide.check.ExtractVerticle}, {@link
 * io.pricetide.check.RecordVerticle}), {@code replay} and {@code reextract} ({@link io.pricetide.check.Replayer});
 * history is written only through it. It orchestrates fetch, extract, detect and history, so it comes after them.
 */
package io.pricetide.check;

/**
 * Fetching: WebClient with timeouts, retries, conditional GET, compression and a size cap ({@link
 * io.pricetide.fetch.PageFetcher}); and, for a source that sets {@code fetch.render}, rendering in headless
 * Chromium over the DevTools protocol ({@link io.pricetide.fetch.BrowserFetcher}).
 */
package io.pricetide.fetch;

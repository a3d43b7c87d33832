/** Fetching: WebClient with timeouts, retries, conditional GET, compression and a size cap. */
package io.pricetide.fetch;

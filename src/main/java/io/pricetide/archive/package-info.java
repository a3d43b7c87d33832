/** The raw archive: fetched bodies stored compressed by content hash, for re-extraction after a parser fix. */
package io.pricetide.archive;

/**
 * The database every store shares: the data source and its migrations ({@link io.pricetide.db.Database}),
 * transactions, and the column conversions and row mappers written once ({@link io.pricetide.db.Rows},
 * {@link io.pricetide.db.EventRows}).
 */
package io.pricetide.db;

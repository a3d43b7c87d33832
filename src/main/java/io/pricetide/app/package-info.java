/**
 * The composition of the service: {@link io.pricetide.app.App} opens the database, loads the sources and deploys
 * the verticles in the order of the flow. The CLI's verbs start it; {@code io.pricetide.Main} is the entry point.
 */
package io.pricetide.app;

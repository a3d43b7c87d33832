/** The HTTP API, and the web UI with its feeds and exports ({@link io.pricetide.web.UiRoutes}). */
package io.pricetide.web;

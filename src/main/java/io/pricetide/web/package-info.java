/** The HTTP API and, later, the web UI. */
package io.pricetide.web;

/**
 * The one template engine ({@link io.pricetide.template.Templates}, used by the email and the page templates) and
 * the one escaper ({@link io.pricetide.template.Html}) for HTML, script-block JSON and XML.
 */
package io.pricetide.template;

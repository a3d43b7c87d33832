/**
 * The HTTP toolkit every route group shares: admin bearer-token auth with a timing-safe compare
 * ({@link io.pricetide.http.AdminAuth}) and JSON answers, errors as {@code {"error": …}} with their status
 * ({@link io.pricetide.http.JsonReplies}).
 */
package io.pricetide.http;

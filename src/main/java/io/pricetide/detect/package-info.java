/** Detection: the pure comparison of a check with history, its guards, and the change events it yields. */
package io.pricetide.detect;

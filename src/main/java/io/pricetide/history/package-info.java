/** History: the database, its migrations, the append-only series store and the verticle that applies checks. */
package io.pricetide.history;

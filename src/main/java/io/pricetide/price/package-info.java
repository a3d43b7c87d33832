/** Value types shared by every stage: observations, series keys, units, currencies and rounding rules. */
package io.pricetide.price;

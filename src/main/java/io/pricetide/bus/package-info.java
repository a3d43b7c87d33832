/** Event-bus address constants: the one package every feature may import. */
package io.pricetide.bus;

/**
 * "Cheapest for my workload": a month of tokens and its filters, their parameters as the calculator's URL spells
 * them, and the pure ranking of current prices by monthly cost, shared by the calculator page and workload alerts.
 */
package io.pricetide.workload;

/** Scheduling: Quartz cron triggers, one per source, that send {@code source.check} on the event bus. */
package io.pricetide.schedule;

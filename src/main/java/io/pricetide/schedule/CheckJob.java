package io.pricetide.schedule;

import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Quartz job that asks for one source check on the event bus and returns at once; it never touches verticle
 * state and never blocks the Quartz thread on the check.
 */
@DisallowConcurrentExecution
public final class CheckJob implements Job {
  static final String VERTX = "vertx";
  static final String SOURCE_ID = "sourceId";
  private static final Logger LOG = LoggerFactory.getLogger(CheckJob.class);

  @Override
  public void execute(JobExecutionContext ctx) throws JobExecutionException {
    Vertx vertx;
    try {
      vertx = (Vertx) ctx.getScheduler().getContext().get(VERTX);
    } catch (SchedulerException e) {
      throw new JobExecutionException(e);
    }
    String id = ctx.getMergedJobDataMap().getString(SOURCE_ID);
    JsonObject body = new CheckRequest(id, ctx.getFireTime().toInstant(), ctx.getScheduledFireTime().toInstant())
        .toJson();
    vertx.eventBus().<JsonObject>request(Addresses.SOURCE_CHECK, body, Addresses.CHECK_TIMEOUT)
        .onSuccess(r -> LOG.info("source {}: scheduled check ended {}", id, r.body().getString("outcome")))
        .onFailure(err -> {
          if (err instanceof io.vertx.core.eventbus.ReplyException) {
            // Expected: an overlapping check refused, an unknown source, a check that outlived its timeout.
            LOG.warn("source {}: scheduled check: {}", id, err.getMessage());
          } else {
            LOG.error("source {}: scheduled check failed", id, err);
          }
        });
  }
}

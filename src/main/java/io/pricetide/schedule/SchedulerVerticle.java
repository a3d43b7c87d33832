package io.pricetide.schedule;

import io.pricetide.source.SourceDefinition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Runs Quartz with one cron trigger per enabled source; each firing sends {@code source.check}. Misfires are
 * dropped (the next firing checks anyway). The in-memory job store holds nothing that outlives the process, so a
 * clustered JDBC store can replace it without other changes.
 */
public final class SchedulerVerticle extends VerticleBase {
  private final List<SourceDefinition> sources;
  private Scheduler scheduler;

  public SchedulerVerticle(List<SourceDefinition> sources) {
    this.sources = sources;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> {
      Properties p = new Properties();
      p.setProperty("org.quartz.scheduler.instanceName", "pricetide-" + UUID.randomUUID());
      p.setProperty("org.quartz.threadPool.threadCount", "2");
      p.setProperty("org.quartz.threadPool.threadNamePrefix", "pricetide-quartz");
      p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
      p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
      p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
      scheduler = new StdSchedulerFactory(p).getScheduler();
      scheduler.getContext().put(CheckJob.VERTX, vertx);
      schedule(sources);
      scheduler.start();
      return null;
    });
  }

  private void schedule(List<SourceDefinition> defs) throws org.quartz.SchedulerException {
    for (SourceDefinition s : defs) {
      if (!s.enabled()) {
        continue;
      }
      JobDetail job = JobBuilder.newJob(CheckJob.class).withIdentity(s.id(), "sources")
          .usingJobData(CheckJob.SOURCE_ID, s.id()).build();
      Trigger trigger = TriggerBuilder.newTrigger().withIdentity(s.id(), "sources")
          .withSchedule(CronScheduleBuilder.cronSchedule(s.schedule()).withMisfireHandlingInstructionDoNothing())
          .build();
      scheduler.scheduleJob(job, trigger);
    }
  }

  /**
   * Reload hook (ops.SourceReload, issue #14): the sources' triggers become those of {@code defs}; added sources
   * are scheduled, removed or disabled ones unscheduled, changed crons take effect from now.
   */
  public Future<Void> reschedule(List<SourceDefinition> defs) {
    return vertx.executeBlocking(() -> {
      scheduler.deleteJobs(new java.util.ArrayList<>(scheduler.getJobKeys(
          org.quartz.impl.matchers.GroupMatcher.jobGroupEquals("sources"))));
      schedule(defs);
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(() -> {
      if (scheduler != null) {
        scheduler.shutdown(false);
      }
      return null;
    });
  }
}

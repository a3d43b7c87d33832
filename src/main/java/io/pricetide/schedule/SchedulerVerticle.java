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
 * dropped (the next firing checks anyway). A single node keeps the triggers in memory; in cluster mode they are in
 * Quartz's clustered JDBC store on the shared PostgreSQL ({@link Clustered}), where each fire is taken by exactly one
 * node (Quartz's row lock), and the triggers a dead node had acquired are recovered by the others once it misses
 * its check-in.
 */
public final class SchedulerVerticle extends VerticleBase {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SchedulerVerticle.class);
  private final List<SourceDefinition> sources;
  private final Clustered clustered;
  private Scheduler scheduler;

  /**
   * Quartz's clustered store: {@code name} is the scheduler name every node shares, {@code instanceId} this node's
   * (unique per process start), {@code checkinMs} the cluster check-in interval.
   */
  public record Clustered(javax.sql.DataSource dataSource, String name, String instanceId, long checkinMs) {}

  /** The single-node scheduler: an in-memory store. */
  public SchedulerVerticle(List<SourceDefinition> sources) {
    this(sources, null);
  }

  /** With {@code clustered} null, the single-node scheduler. */
  public SchedulerVerticle(List<SourceDefinition> sources, Clustered clustered) {
    this.sources = sources;
    this.clustered = clustered;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> {
      Properties p = clustered == null ? memoryStore() : clusteredStore(clustered);
      scheduler = new StdSchedulerFactory(p).getScheduler();
      scheduler.getContext().put(CheckJob.VERTX, vertx);
      if (clustered == null) {
        schedule(sources);
      } else {
        scheduleShared(sources);
      }
      scheduler.start();
      return null;
    });
  }

  private static Properties memoryStore() {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "pricetide-" + UUID.randomUUID());
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.threadPool.threadNamePrefix", "pricetide-quartz");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    return p;
  }

  /**
   * JobStoreTX on the service's own pool (registered with Quartz as a connection provider under a name of this
   * scheduler's own), PostgreSQL delegate, clustered. Job data are strings only ({@code useProperties}).
   */
  private static Properties clusteredStore(Clustered c) {
    String dsName = "pricetide-" + c.instanceId();
    javax.sql.DataSource ds = c.dataSource();
    org.quartz.utils.DBConnectionManager.getInstance().addConnectionProvider(dsName,
        new org.quartz.utils.ConnectionProvider() {
          @Override
          public java.sql.Connection getConnection() throws java.sql.SQLException {
            return ds.getConnection();
          }

          @Override
          public void shutdown() {
            // the pool is the service's, closed with the database
          }

          @Override
          public void initialize() {
            // nothing to open
          }
        });
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", c.name());
    p.setProperty("org.quartz.scheduler.instanceId", c.instanceId());
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    // A node that found no trigger due soon looks again after this long (default 30 s): new triggers another node
    // stored are seen within it.
    p.setProperty("org.quartz.scheduler.idleWaitTime", "5000");
    p.setProperty("org.quartz.threadPool.threadCount", "4");
    p.setProperty("org.quartz.threadPool.threadNamePrefix", "pricetide-quartz");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(c.checkinMs()));
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
    p.setProperty("org.quartz.jobStore.dataSource", dsName);
    return p;
  }

  /**
   * The triggers of the shared store become those of {@code defs} without disturbing the ones that are already
   * right: another node may be firing them. A trigger is stored when missing or when its cron changed; the jobs of
   * sources this node does not define, or that are disabled, are removed.
   */
  private void scheduleShared(List<SourceDefinition> defs) throws org.quartz.SchedulerException {
    java.util.Set<org.quartz.JobKey> wanted = new java.util.HashSet<>();
    int stored = 0;
    for (SourceDefinition s : defs) {
      if (!s.enabled()) {
        continue;
      }
      org.quartz.JobKey key = org.quartz.JobKey.jobKey(s.id(), "sources");
      wanted.add(key);
      Trigger existing = scheduler.getTrigger(org.quartz.TriggerKey.triggerKey(s.id(), "sources"));
      if (existing instanceof org.quartz.CronTrigger ct && ct.getCronExpression().equals(s.schedule())) {
        continue;
      }
      JobDetail job = JobBuilder.newJob(CheckJob.class).withIdentity(key)
          .usingJobData(CheckJob.SOURCE_ID, s.id()).build();
      Trigger trigger = TriggerBuilder.newTrigger().withIdentity(s.id(), "sources")
          .withSchedule(CronScheduleBuilder.cronSchedule(s.schedule()).withMisfireHandlingInstructionDoNothing())
          .build();
      scheduler.scheduleJob(job, java.util.Set.of(trigger), true);
      stored++;
    }
    java.util.List<org.quartz.JobKey> gone = new java.util.ArrayList<>(scheduler.getJobKeys(
        org.quartz.impl.matchers.GroupMatcher.jobGroupEquals("sources")));
    gone.removeAll(wanted);
    if (!gone.isEmpty()) {
      scheduler.deleteJobs(gone);
    }
    LOG.info("scheduler: clustered store {}: {} triggers, {} stored or changed by this node, {} removed",
        clustered.name(), wanted.size(), stored, gone.size());
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
      if (clustered != null) {
        scheduleShared(defs);
        return null;
      }
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

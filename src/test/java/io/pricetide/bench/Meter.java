package io.pricetide.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Wall time and CPU time of this JVM (every thread: application, GC and JIT, from
 * {@link com.sun.management.OperatingSystemMXBean#getProcessCpuTime()}) around a piece of work. A full GC runs
 * before each measurement, outside it, so one section's garbage is not billed to the next.
 */
final class Meter {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private Meter() {}

  /** One measurement, in seconds. */
  record Sample(double wall, double cpu) {
    static Sample of(double wall, double cpu) {
      return new Sample(wall, cpu);
    }
  }

  /** A measured result and its sample. */
  record Measured<T>(T result, Sample sample) {}

  static long cpuNanos() {
    return OS.getProcessCpuTime();
  }

  static <T> Measured<T> measure(Callable<T> work) throws Exception {
    System.gc();
    long c0 = cpuNanos();
    long w0 = System.nanoTime();
    T r = work.call();
    long w1 = System.nanoTime();
    long c1 = cpuNanos();
    return new Measured<>(r, new Sample((w1 - w0) / 1e9, (c1 - c0) / 1e9));
  }

  /** The 1, 5 and 15 minute load averages of the machine, as {@code /proc/loadavg} has them. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "n/a";
    }
  }

  /** Median, minimum and maximum of a list of numbers. */
  record Spread(double median, double min, double max, int n) {
    static Spread of(List<Double> xs) {
      if (xs.isEmpty()) {
        return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
      }
      List<Double> s = new ArrayList<>(xs);
      s.sort(Double::compare);
      int n = s.size();
      double med = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
      return new Spread(med, s.get(0), s.get(n - 1), n);
    }

    /** {@code median (min–max)} with the given number of decimals. */
    String format(int decimals) {
      if (n == 0) {
        return "–";
      }
      String f = "%." + decimals + "f";
      return n == 1 ? String.format(f, median)
          : String.format(f + " (" + f + "–" + f + ")", median, min, max);
    }
  }
}

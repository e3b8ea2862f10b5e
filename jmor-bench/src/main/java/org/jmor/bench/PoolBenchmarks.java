package org.jmor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jmor.parallel.MapTask;
import org.jmor.parallel.RemoteObject;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerPool;
import org.jmor.parallel.WorkerPools;
import org.jmor.vectors.VectorArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The worker-pool benchmarks W1–W6 of issue 3, each with the backend as a parameter and a plain
 * {@link ExecutorService} (or {@link System#arraycopy}) doing the same work as the baseline in the
 * same run.
 *
 * <p>Run all of them and write {@code bench/RESULTS.md} with {@code ./jmor bench}; run one group
 * with {@code ./jmor bench --only W1}; or use JMH directly: {@code java -jar
 * jmor-bench/target/jmor-benchmarks.jar --jmh 'PoolBenchmarks.*apply.*'}.
 */
public final class PoolBenchmarks {
  private PoolBenchmarks() {}

  static final int WORKERS = 2;

  static final Task<Integer> TRIVIAL = (ctx, args) -> ctx.workerIndex();
  static final MapTask<Integer, Integer> INCREMENT = (ctx, x, args) -> x + 1;
  static final MapTask<Integer, Long> SPIN_5MS = (ctx, x, args) -> spin(5_000_000L);

  static long spin(long nanos) {
    long t0 = System.nanoTime();
    long n = 0;
    while (System.nanoTime() - t0 < nanos) {
      n++;
    }
    return n;
  }

  /** One pool per trial, of the parameterized backend, with {@value #WORKERS} workers. */
  @State(Scope.Benchmark)
  public static class PoolState {
    @Param({"SEQUENTIAL", "THREADS", "THREADS_STRICT"})
    public PoolType backend;

    WorkerPool pool;

    @Setup(Level.Trial)
    public void start() {
      pool = backend.create(WORKERS);
    }

    @TearDown(Level.Trial)
    public void stop() {
      pool.close();
    }
  }

  /** The baseline: a fixed thread pool of {@value #WORKERS} threads. */
  @State(Scope.Benchmark)
  public static class ExecutorState {
    ExecutorService executor;

    @Setup(Level.Trial)
    public void start() {
      executor = Executors.newFixedThreadPool(WORKERS);
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
      executor.shutdown();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** Block {@code w} of {@code n} items split into {@value #WORKERS} contiguous blocks. */
  static int blockStart(int n, int w) {
    return (int) ((long) n * w / WORKERS);
  }

  /** The list 0, 1, …, n − 1. */
  static List<Integer> range(int n) {
    List<Integer> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(i);
    }
    return items;
  }

  static <T> List<T> getAll(List<Future<T>> futures)
      throws ExecutionException, InterruptedException {
    List<T> out = new ArrayList<>(futures.size());
    for (Future<T> f : futures) {
      out.add(f.get());
    }
    return out;
  }

  /** W1 and W2: {@code apply} and {@code applyOnly} of a trivial task. */
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @Fork(1)
  public static class W1W2Apply {
    @Benchmark
    public List<Integer> w1Apply(PoolState s) {
      return s.pool.apply(TRIVIAL);
    }

    @Benchmark
    public List<Integer> w1ApplyBaseline(ExecutorState s) throws Exception {
      List<Future<Integer>> fs = new ArrayList<>(WORKERS);
      for (int i = 0; i < WORKERS; i++) {
        final int w = i;
        fs.add(s.executor.submit(() -> w));
      }
      return getAll(fs);
    }

    @Benchmark
    public Integer w2ApplyOnly(PoolState s) {
      return s.pool.applyOnly(s.pool.size() - 1, TRIVIAL);
    }

    @Benchmark
    public Integer w2ApplyOnlyBaseline(ExecutorState s) throws Exception {
      return s.executor.submit(() -> 1).get();
    }
  }

  /** W3: {@code push} of 8 MB and 80 MB of doubles; one copy per worker, then removal. */
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
  public static class W3Push {
    @State(Scope.Benchmark)
    public static class Data {
      @Param({"8", "80"})
      public int megabytes;

      double[] data;
      double[][] targets;

      @Setup(Level.Trial)
      public void make() {
        data = new double[megabytes * 1024 * 1024 / 8];
        for (int i = 0; i < data.length; i++) {
          data[i] = i * 0.5;
        }
        targets = new double[WORKERS][data.length];
      }
    }

    @Benchmark
    public long w3Push(PoolState s, Data d) {
      RemoteObject<double[]> h = s.pool.push(d.data);
      long id = h.remoteId();
      h.remove();
      return id;
    }

    /** The same bytes copied once per worker with {@link System#arraycopy}, one thread. */
    @Benchmark
    public double[][] w3ArraycopyBaseline(Data d) {
      for (double[] t : d.targets) {
        System.arraycopy(d.data, 0, t, 0, d.data.length);
      }
      return d.targets;
    }
  }

  /** W4: {@code map} of 100,000 trivial calls. */
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @Fork(1)
  public static class W4MapTrivial {
    @State(Scope.Benchmark)
    public static class Inputs {
      List<Integer> items;

      @Setup(Level.Trial)
      public void make() {
        items = range(100_000);
      }
    }

    @Benchmark
    public List<Integer> w4MapTrivial(PoolState s, Inputs in) {
      return s.pool.map(INCREMENT, in.items);
    }

    /** The same contiguous blocks on a fixed thread pool, concatenated in order. */
    @Benchmark
    public List<Integer> w4MapTrivialBaseline(ExecutorState s, Inputs in) throws Exception {
      int n = in.items.size();
      List<Callable<List<Integer>>> blocks = new ArrayList<>(WORKERS);
      for (int w = 0; w < WORKERS; w++) {
        int from = blockStart(n, w);
        int to = blockStart(n, w + 1);
        blocks.add(
            () -> {
              List<Integer> out = new ArrayList<>(to - from);
              for (int k = from; k < to; k++) {
                out.add(in.items.get(k) + 1);
              }
              return out;
            });
      }
      List<Integer> all = new ArrayList<>(n);
      for (Future<List<Integer>> f : s.executor.invokeAll(blocks)) {
        all.addAll(f.get());
      }
      return all;
    }
  }

  /** W4: {@code map} of 200 calls that each spin (busy) for 5 ms. */
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  @Fork(1)
  public static class W4MapSpin {
    @State(Scope.Benchmark)
    public static class Inputs {
      List<Integer> items;

      @Setup(Level.Trial)
      public void make() {
        items = range(200);
      }
    }

    @Benchmark
    public List<Long> w4MapSpin(PoolState s, Inputs in) {
      return s.pool.map(SPIN_5MS, in.items);
    }

    /** The 200 spins submitted one by one to a fixed thread pool. */
    @Benchmark
    public List<Long> w4MapSpinBaseline(ExecutorState s, Inputs in) throws Exception {
      List<Future<Long>> fs = new ArrayList<>(in.items.size());
      for (int i = 0; i < in.items.size(); i++) {
        fs.add(s.executor.submit(() -> spin(5_000_000L)));
      }
      return getAll(fs);
    }
  }

  /** W5: {@code scatterArray} of 10,000 vectors of length 1,000 (80 MB), then removal. */
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
  public static class W5Scatter {
    @State(Scope.Benchmark)
    public static class Vectors {
      VectorArray u;

      @Setup(Level.Trial)
      public void make() {
        u = VectorArray.zeros(10_000, 1_000);
        for (int i = 0; i < 10_000; i += 97) {
          u.set(i, i % 1000, i);
        }
      }
    }

    @Benchmark
    public long w5ScatterArray(PoolState s, Vectors v) {
      RemoteObject<VectorArray> h = s.pool.scatterArray(v.u, true);
      long id = h.remoteId();
      h.remove();
      return id;
    }

    /** The same slices copied on a fixed thread pool, one block per thread. */
    @Benchmark
    public List<VectorArray> w5ScatterBaseline(ExecutorState s, Vectors v) throws Exception {
      int n = v.u.len();
      List<Callable<VectorArray>> blocks = new ArrayList<>(WORKERS);
      for (int w = 0; w < WORKERS; w++) {
        int from = blockStart(n, w);
        int to = blockStart(n, w + 1);
        blocks.add(() -> v.u.copyRange(from, to));
      }
      List<VectorArray> out = new ArrayList<>();
      for (Future<VectorArray> f : s.executor.invokeAll(blocks)) {
        out.add(f.get());
      }
      return out;
    }
  }

  /** W6: starting and closing a pool. */
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @Fork(1)
  @State(Scope.Benchmark)
  public static class W6StartClose {
    @Param({"SEQUENTIAL", "THREADS", "THREADS_STRICT"})
    public PoolType backend;

    @Benchmark
    public void w6StartClose(Blackhole bh) {
      try (WorkerPool p = backend.create(WORKERS)) {
        bh.consume(p.apply(TRIVIAL));
      }
    }

    /** A fixed thread pool started, used once and shut down. */
    @Benchmark
    public void w6StartCloseBaseline(Blackhole bh) throws Exception {
      ExecutorService e = Executors.newFixedThreadPool(WORKERS);
      List<Future<Integer>> fs = new ArrayList<>();
      for (int i = 0; i < WORKERS; i++) {
        final int w = i;
        fs.add(e.submit(() -> w));
      }
      bh.consume(getAll(fs));
      e.shutdown();
      e.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /**
   * W7 (issue 19): {@code apply} of a trivial task on the thread pool of {@value #WORKERS} workers
   * with recording off ({@code Recorder.off()}, the default) and on ({@code Recorder.create()} with
   * one listener that counts the events, as a trace file or dashboard would receive them), in the
   * same run. The goal: on is at most 5 % slower.
   */
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 5, time = 1)
  @Measurement(iterations = 10, time = 1)
  @Fork(1)
  @State(Scope.Benchmark)
  public static class W7Recording {
    @Param({"OFF", "ON"})
    public String recording;

    WorkerPool pool;
    final java.util.concurrent.atomic.LongAdder events =
        new java.util.concurrent.atomic.LongAdder();

    @Setup(Level.Trial)
    public void start() {
      org.jmor.parallel.events.Recorder recorder =
          recording.equals("ON")
              ? org.jmor.parallel.events.Recorder.create()
              : org.jmor.parallel.events.Recorder.off();
      recorder.subscribe(
          new org.jmor.parallel.events.RunListener() {
            @Override
            public void onCall(org.jmor.parallel.events.CallEvent e) {
              events.increment();
            }
          });
      pool = WorkerPools.builder().backend("threads").workers(WORKERS).recorder(recorder).build();
    }

    @TearDown(Level.Trial)
    public void stop() {
      pool.close();
      if (recording.equals("ON") && events.sum() == 0) {
        throw new IllegalStateException("W7: the recorder that is on recorded no call");
      }
    }

    @Benchmark
    public List<Integer> w7Apply() {
      return pool.apply(TRIVIAL);
    }
  }
}

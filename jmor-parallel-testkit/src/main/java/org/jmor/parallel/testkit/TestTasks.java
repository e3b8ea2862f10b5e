package org.jmor.parallel.testkit;

import java.util.ArrayList;
import java.util.List;
import org.jmor.parallel.Args;
import org.jmor.parallel.MapTask;
import org.jmor.parallel.Setting;
import org.jmor.parallel.Task;
import org.jmor.parallel.WorkerContext;
import org.jmor.random.Pcg64;
import org.jmor.vectors.VectorArray;

/**
 * Serializable tasks shared by the contract suites, so that every backend (including remote ones,
 * whose workers load this class from the same class path) runs the same code. Every method returns
 * a new serializable lambda; captured values are small and serializable.
 */
public final class TestTasks {
  private TestTasks() {}

  /** Prefix of the message of the exceptions thrown by the failing tasks. */
  public static final String FAILURE_MESSAGE = "deliberate test failure on worker ";

  /** A string setting whose default is {@code "default"}. */
  public static final Setting<String> GREETING =
      Setting.of("jmor.testkit.greeting", String.class, "default");

  /** A double setting whose default is {@code 1.0}. */
  public static final Setting<Double> TOLERANCE =
      Setting.of("jmor.testkit.tolerance", Double.class, 1.0);

  // ------------------------------------------------------------------ apply tasks

  /** Returns the worker's index. */
  public static Task<Integer> workerIndex() {
    return (ctx, args) -> ctx.workerIndex();
  }

  /** Returns the pool size as the worker sees it. */
  public static Task<Integer> poolSize() {
    return (ctx, args) -> ctx.poolSize();
  }

  /**
   * Returns argument {@code index} as the worker received it (for handles: the worker's object).
   *
   * @param index the argument position
   * @param <T> the argument type
   * @return the task
   */
  public static <T> Task<T> argument(int index) {
    return (ctx, args) -> args.<T>get(index);
  }

  /** Returns the number of arguments the worker received. */
  public static Task<Integer> argumentCount() {
    return (ctx, args) -> args.size();
  }

  /** Returns {@code "size:a0:a1:..."}, the arguments as the worker sees them. */
  public static Task<String> describeArguments() {
    return (ctx, args) -> {
      StringBuilder sb = new StringBuilder().append(args.size());
      for (int i = 0; i < args.size(); i++) {
        sb.append(':').append(String.valueOf((Object) args.get(i)));
      }
      return sb.toString();
    };
  }

  /** Returns whether arguments 0 and 1 are the same object on the worker. */
  public static Task<Boolean> sameObject() {
    return (ctx, args) -> args.get(0) == args.get(1);
  }

  /** Returns element 0 of the list passed as argument 0. */
  public static Task<Object> firstElementOfList() {
    return (ctx, args) -> args.<List<?>>get(0).get(0);
  }

  /**
   * Appends the worker index to the {@code List<Object>} passed as argument 0 (a pushed handle) and
   * returns a copy of the list.
   */
  public static Task<List<Object>> appendWorkerIndex() {
    return (ctx, args) -> {
      List<Object> list = args.get(0);
      list.add(ctx.workerIndex());
      return new ArrayList<>(list);
    };
  }

  /** Increments the {@code int[]} counter passed as argument 0 and returns its new value. */
  public static Task<Integer> incrementCounter() {
    return (ctx, args) -> ++args.<int[]>get(0)[0];
  }

  /** Returns the value of the {@code int[]} counter passed as argument 0. */
  public static Task<Integer> readCounter() {
    return (ctx, args) -> args.<int[]>get(0)[0];
  }

  /**
   * Increments the {@code int[]} counter passed as argument 0 and returns {@code 100 * workerIndex
   * + newValue}.
   */
  public static Task<Integer> incrementCounterAndTag() {
    return (ctx, args) -> 100 * ctx.workerIndex() + ++args.<int[]>get(0)[0];
  }

  /**
   * Throws an {@link IllegalStateException} on worker {@code worker} and returns the worker index
   * elsewhere.
   *
   * @param worker the failing worker
   * @return the task
   */
  public static Task<Integer> failOnWorker(int worker) {
    return (ctx, args) -> {
      if (ctx.workerIndex() == worker) {
        throw new IllegalStateException(FAILURE_MESSAGE + worker);
      }
      return ctx.workerIndex();
    };
  }

  /** Throws an {@link IllegalStateException} on every worker. */
  public static Task<Integer> failEverywhere() {
    return (ctx, args) -> {
      throw new IllegalStateException(FAILURE_MESSAGE + ctx.workerIndex());
    };
  }

  /**
   * Returns the first {@code count} draws of the worker's random generator.
   *
   * @param count how many doubles to draw
   * @return the task
   */
  public static Task<double[]> draws(int count) {
    return (ctx, args) -> {
      double[] d = new double[count];
      for (int i = 0; i < count; i++) {
        d[i] = ctx.random().nextDouble();
      }
      return d;
    };
  }

  /**
   * Returns a copy of the worker's random generator in its current state, without drawing from it,
   * so that a test on a pool whose generators were already used can predict the next draws.
   *
   * @return the task
   */
  public static Task<Pcg64> generator() {
    return (ctx, args) -> ctx.random().copy();
  }

  /**
   * Returns the value of {@code setting} on the worker.
   *
   * @param setting the setting
   * @param <T> the value type
   * @return the task
   */
  public static <T> Task<T> setting(Setting<T> setting) {
    return (ctx, args) -> ctx.get(setting);
  }

  /**
   * Returns how many objects the worker stores ({@link
   * org.jmor.parallel.WorkerContext#storedObjectCount()}), or −1 if the context does not know.
   */
  public static Task<Integer> storedObjects() {
    return (ctx, args) -> storedObjects(ctx);
  }

  /**
   * Returns the worker's context itself. Only meaningful on in-process pools that do not serialize,
   * to inspect a worker context after the pool was closed.
   */
  public static Task<WorkerContext> context() {
    return (ctx, args) -> ctx;
  }

  /** Returns the sum of the {@code List<Long>} passed as argument 0 (0 for an empty list). */
  public static Task<Long> sumOfLongs() {
    return (ctx, args) -> {
      long s = 0;
      for (long v : args.<List<Long>>get(0)) {
        s += v;
      }
      return s;
    };
  }

  /** Returns the length of the {@link VectorArray} passed as argument 0. */
  public static Task<Integer> vectorCount() {
    return (ctx, args) -> args.<VectorArray>get(0).len();
  }

  /**
   * Returns {@code args.get(0, String.class)}: fails with a {@link ClassCastException} when
   * argument 0 is not a string.
   */
  public static Task<String> stringArgument() {
    return (ctx, args) -> args.get(0, String.class);
  }

  /** Returns a result that cannot be serialized ({@link NotSerializable}). */
  public static Task<NotSerializable> unserializableResult() {
    return (ctx, args) -> new NotSerializable(ctx.workerIndex());
  }

  /** Throws an {@link UnserializableException} on every worker. */
  public static Task<Integer> failWithUnserializableException() {
    return (ctx, args) -> {
      throw new UnserializableException(FAILURE_MESSAGE + ctx.workerIndex());
    };
  }

  /** An exception that cannot be serialized because of its field. */
  public static final class UnserializableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Not serializable: makes the whole exception unserializable. */
    @SuppressWarnings("unused")
    private final NotSerializable payload = new NotSerializable("payload");

    /**
     * Creates the exception.
     *
     * @param message the message
     */
    public UnserializableException(String message) {
      super(message);
    }
  }

  // ------------------------------------------------------------------ map tasks

  /**
   * Returns the element itself.
   *
   * @param <T> the element type
   * @return the task
   */
  public static <T> MapTask<T, T> identity() {
    return (ctx, element, args) -> element;
  }

  /**
   * Returns the index of the worker that ran the element.
   *
   * @param <T> the element type
   * @return the task
   */
  public static <T> MapTask<T, Integer> elementWorker() {
    return (ctx, element, args) -> ctx.workerIndex();
  }

  /** Zipped: returns {@code tuple[0] + tuple[1]} for integers. */
  public static MapTask<Args, Integer> add() {
    return (ctx, tuple, args) -> tuple.<Integer>get(0) + tuple.<Integer>get(1);
  }

  /** Zipped: returns {@link #zippedFunction(double, double, double)} of the three doubles. */
  public static MapTask<Args, Double> zipped3() {
    return (ctx, tuple, args) ->
        zippedFunction(tuple.<Double>get(0), tuple.<Double>get(1), tuple.<Double>get(2));
  }

  /**
   * Increments the {@code int[]} counter passed as argument 0 and returns the element.
   *
   * @param <T> the element type
   * @return the task
   */
  public static <T> MapTask<T, T> countingIdentity() {
    return (ctx, element, args) -> {
      args.<int[]>get(0)[0]++;
      return element;
    };
  }

  /**
   * Zipped: increments the {@code int[]} counter passed as argument 0 and returns the tuple size.
   */
  public static MapTask<Args, Integer> countingZipped() {
    return (ctx, tuple, args) -> {
      args.<int[]>get(0)[0]++;
      return tuple.size();
    };
  }

  /**
   * Throws an {@link IllegalStateException} for the element equal to {@code bad}.
   *
   * @param bad the failing element
   * @return the task, returning the element otherwise
   */
  public static MapTask<Integer, Integer> failOnElement(int bad) {
    return (ctx, element, args) -> {
      if (element == bad) {
        throw new IllegalStateException(
            FAILURE_MESSAGE + ctx.workerIndex() + " (element " + element + ")");
      }
      return element;
    };
  }

  /**
   * Appends the element to the {@code List<Integer>} passed as argument 0 (a pushed handle, shared
   * by every call on one worker) and returns the worker index.
   */
  public static MapTask<Integer, Integer> appendTo() {
    return (ctx, element, args) -> {
      args.<List<Integer>>get(0).add(element);
      return ctx.workerIndex();
    };
  }

  /**
   * Returns the value of {@code setting} for every element.
   *
   * @param setting the setting
   * @param <T> the value type
   * @return the task
   */
  public static <T> MapTask<Object, T> settingPerElement(Setting<T> setting) {
    return (ctx, element, args) -> ctx.get(setting);
  }

  /** Returns {@link #deterministicFunction(double)} of the element. */
  public static MapTask<Double, Double> deterministic() {
    return (ctx, x, args) -> deterministicFunction(x);
  }

  /** Returns one draw of the worker's random generator per element. */
  public static MapTask<Integer, Double> drawPerElement() {
    return (ctx, element, args) -> ctx.random().nextDouble();
  }

  /** Returns {@link ImmutableModel#analyse(double)} of the model passed as argument 0. */
  public static MapTask<Double, AnalysisResult> errorAnalysis() {
    return (ctx, mu, args) -> args.<ImmutableModel>get(0).analyse(mu);
  }

  /** Returns {@link ImmutableModel#output(double)} of the model passed as argument 0. */
  public static MapTask<Double, Double> modelOutput() {
    return (ctx, mu, args) -> args.<ImmutableModel>get(0).output(mu);
  }

  // ------------------------------------------------------------------ reference functions

  /**
   * A deterministic numeric function (only {@link StrictMath}), to compare pools with a plain loop
   * on the caller.
   *
   * @param x the input
   * @return {@code sin(3x) exp(-x) + sqrt(1 + x^2)}
   */
  public static double deterministicFunction(double x) {
    return StrictMath.sin(3 * x) * StrictMath.exp(-x) + StrictMath.sqrt(1 + x * x);
  }

  /**
   * The function of {@link #zipped3()}.
   *
   * @param a first
   * @param b second
   * @param c third
   * @return {@code a * b + cos(c)}
   */
  public static double zippedFunction(double a, double b, double c) {
    return a * b + StrictMath.cos(c);
  }

  /**
   * Returns how many objects a worker stores, or −1 if it cannot be observed.
   *
   * @param ctx a worker context
   * @return the count, or −1
   */
  public static int storedObjects(WorkerContext ctx) {
    return ctx.storedObjectCount();
  }
}

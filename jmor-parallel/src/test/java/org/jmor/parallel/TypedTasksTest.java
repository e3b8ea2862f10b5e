package org.jmor.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.Serializable;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.jmor.base.Immutable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The typed overloads ({@link Task1} … {@link MapTask3}): each gives the same results and the same
 * failures as the {@link Args} form it adapts to, on the sequential pool, a thread pool and a
 * strict thread pool (where the adapters are serialized like any task).
 */
class TypedTasksTest {

  /** Pushed once, arrives as a {@code Scale}. */
  record Scale(double factor) implements Immutable, Serializable {}

  static Stream<String> pools() {
    return Stream.of("sequential", "threads:3", "strict:3");
  }

  static WorkerPool open(String kind) {
    switch (kind) {
      case "sequential":
        return WorkerPools.sequential();
      case "threads:3":
        return WorkerPools.threads(3);
      case "strict:3":
        return WorkerPools.builder().backend("threads").workers(3).strict(true).build();
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  static int sum(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).sum();
  }

  static double one(WorkerContext ctx, Scale s) {
    return s.factor() * (ctx.workerIndex() + 1);
  }

  static String three(WorkerContext ctx, Scale s, List<Integer> slice, String label) {
    return label + ctx.workerIndex() + ":" + s.factor() * sum(slice);
  }

  static String mapThree(WorkerContext ctx, Double x, Scale s, List<Integer> slice, String label) {
    return label + ctx.workerIndex() + ":" + s.factor() * x + ":" + sum(slice);
  }

  /** The three handles every test uses: a pushed immutable, a scattered list, a pushed string. */
  record Handles(
      RemoteObject<Scale> scale, RemoteObject<List<Integer>> slices, RemoteObject<String> label) {
    static Handles of(WorkerPool pool, RemoteObjectManager objects) {
      return new Handles(
          objects.manage(pool.push(new Scale(2.5))),
          objects.manage(pool.scatterList(List.of(1, 2, 3, 4, 5, 6, 7))),
          objects.manage(pool.push("w")));
    }
  }

  static final List<Double> XS = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);

  @ParameterizedTest(name = "{0}")
  @MethodSource("pools")
  void apply_typedEqualsArgsForm(String kind) {
    try (WorkerPool pool = open(kind);
        RemoteObjectManager objects = new RemoteObjectManager()) {
      Handles h = Handles.of(pool, objects);
      List<Double> expected1 = pool.apply((ctx, args) -> one(ctx, args.<Scale>get(0)), h.scale());
      List<Double> expected2 =
          pool.apply(
              (ctx, args) -> args.<Scale>get(0).factor() * sum(args.<List<Integer>>get(1)),
              h.scale(),
              h.slices());
      List<String> expected3 =
          pool.apply(
              (ctx, args) ->
                  three(ctx, args.<Scale>get(0), args.<List<Integer>>get(1), args.<String>get(2)),
              h.scale(),
              h.slices(),
              h.label());

      assertThat(expected1).hasSize(pool.size());
      assertThat(pool.apply(h.scale(), (ctx, s) -> one(ctx, s))).isEqualTo(expected1);
      assertThat(pool.apply(h.scale(), TypedTasksTest::one)).isEqualTo(expected1);
      assertThat(pool.apply(h.scale(), h.slices(), (ctx, s, slice) -> s.factor() * sum(slice)))
          .isEqualTo(expected2);
      assertThat(pool.apply(h.scale(), h.slices(), h.label(), TypedTasksTest::three))
          .isEqualTo(expected3)
          .first()
          .isEqualTo(pool.size() == 1 ? "w0:70.0" : "w0:15.0");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pools")
  void applyOnly_typedEqualsArgsFormOnEveryWorker(String kind) {
    try (WorkerPool pool = open(kind);
        RemoteObjectManager objects = new RemoteObjectManager()) {
      Handles h = Handles.of(pool, objects);
      for (int w = 0; w < pool.size(); w++) {
        assertThat(pool.applyOnly(w, h.scale(), TypedTasksTest::one))
            .isEqualTo(pool.applyOnly(w, (ctx, args) -> one(ctx, args.get(0)), h.scale()));
        double typed2 =
            pool.applyOnly(w, h.scale(), h.slices(), (ctx, s, slice) -> s.factor() * sum(slice));
        double args2 =
            pool.applyOnly(
                w,
                (ctx, args) -> args.<Scale>get(0).factor() * sum(args.get(1)),
                h.scale(),
                h.slices());
        assertThat(typed2).isEqualTo(args2);
        String typed3 =
            pool.applyOnly(
                w,
                h.scale(),
                h.slices(),
                h.label(),
                (ctx, s, slice, label) -> three(ctx, s, slice, label));
        String args3 =
            pool.applyOnly(
                w,
                (ctx, args) -> three(ctx, args.get(0), args.get(1), args.get(2)),
                h.scale(),
                h.slices(),
                h.label());
        assertThat(typed3).isEqualTo(args3);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pools")
  void map_typedEqualsArgsForm(String kind) {
    try (WorkerPool pool = open(kind);
        RemoteObjectManager objects = new RemoteObjectManager()) {
      Handles h = Handles.of(pool, objects);
      List<Double> expected1 =
          pool.map(
              (ctx, x, args) -> args.<Scale>get(0).factor() * x + 100 * ctx.workerIndex(),
              XS,
              h.scale());
      List<Double> expected2 =
          pool.map(
              (ctx, x, args) -> args.<Scale>get(0).factor() * x + sum(args.<List<Integer>>get(1)),
              XS,
              h.scale(),
              h.slices());
      List<String> expected3 =
          pool.map(
              (ctx, x, args) -> mapThree(ctx, x, args.get(0), args.get(1), args.get(2)),
              XS,
              h.scale(),
              h.slices(),
              h.label());

      assertThat(expected1).hasSize(XS.size());
      assertThat(pool.map(XS, h.scale(), (ctx, x, s) -> s.factor() * x + 100 * ctx.workerIndex()))
          .isEqualTo(expected1);
      assertThat(
              pool.map(
                  XS, h.scale(), h.slices(), (ctx, x, s, slice) -> s.factor() * x + sum(slice)))
          .isEqualTo(expected2);
      assertThat(pool.map(XS, h.scale(), h.slices(), h.label(), TypedTasksTest::mapThree))
          .isEqualTo(expected3);
      assertThat(pool.map(List.<Double>of(), h.scale(), (ctx, x, s) -> x)).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pools")
  void async_typedEqualsArgsForm(String kind) {
    try (WorkerPool pool = open(kind);
        RemoteObjectManager objects = new RemoteObjectManager()) {
      Handles h = Handles.of(pool, objects);
      assertThat(pool.applyAsync(h.scale(), TypedTasksTest::one).join())
          .isEqualTo(pool.applyAsync((ctx, args) -> one(ctx, args.get(0)), h.scale()).join());
      assertThat(
              pool.applyAsync(h.scale(), h.slices(), (ctx, s, slice) -> s.factor() * sum(slice))
                  .join())
          .isEqualTo(
              pool.applyAsync(
                      (ctx, args) -> args.<Scale>get(0).factor() * sum(args.get(1)),
                      h.scale(),
                      h.slices())
                  .join());
      assertThat(pool.applyAsync(h.scale(), h.slices(), h.label(), TypedTasksTest::three).join())
          .isEqualTo(
              pool.applyAsync(
                      (ctx, args) -> three(ctx, args.get(0), args.get(1), args.get(2)),
                      h.scale(),
                      h.slices(),
                      h.label())
                  .join());

      assertThat(pool.mapAsync(XS, h.scale(), (ctx, x, s) -> s.factor() * x).join())
          .isEqualTo(
              pool.mapAsync((ctx, x, args) -> args.<Scale>get(0).factor() * x, XS, h.scale())
                  .join());
      assertThat(
              pool.mapAsync(
                      XS, h.scale(), h.slices(), (ctx, x, s, slice) -> s.factor() * x + sum(slice))
                  .join())
          .isEqualTo(
              pool.mapAsync(
                      (ctx, x, args) ->
                          args.<Scale>get(0).factor() * x + sum(args.<List<Integer>>get(1)),
                      XS,
                      h.scale(),
                      h.slices())
                  .join());
      assertThat(
              pool.mapAsync(XS, h.scale(), h.slices(), h.label(), TypedTasksTest::mapThree).join())
          .isEqualTo(
              pool.mapAsync(
                      (ctx, x, args) -> mapThree(ctx, x, args.get(0), args.get(1), args.get(2)),
                      XS,
                      h.scale(),
                      h.slices(),
                      h.label())
                  .join());
    }
  }

  /** Every typed call next to the Args form it adapts to, with one handle replaced by {@code r}. */
  static List<List<Runnable>> callPairs(WorkerPool pool, Handles h, RemoteObject<Scale> r) {
    List<List<Runnable>> pairs = new ArrayList<>();
    pairs.add(
        List.of(() -> pool.apply(r, TypedTasksTest::one), () -> pool.apply((ctx, args) -> 0, r)));
    pairs.add(
        List.of(
            () -> pool.apply(h.slices(), r, (ctx, slice, s) -> 0),
            () -> pool.apply((ctx, args) -> 0, h.slices(), r)));
    pairs.add(
        List.of(
            () -> pool.apply(h.slices(), h.label(), r, (ctx, slice, label, s) -> 0),
            () -> pool.apply((ctx, args) -> 0, h.slices(), h.label(), r)));
    pairs.add(
        List.of(
            () -> pool.applyOnly(0, r, TypedTasksTest::one),
            () -> pool.applyOnly(0, (ctx, args) -> 0, r)));
    pairs.add(
        List.of(
            () -> pool.applyOnly(0, h.slices(), r, (ctx, slice, s) -> 0),
            () -> pool.applyOnly(0, (ctx, args) -> 0, h.slices(), r)));
    pairs.add(
        List.of(
            () -> pool.applyOnly(0, h.slices(), h.label(), r, (ctx, slice, label, s) -> 0),
            () -> pool.applyOnly(0, (ctx, args) -> 0, h.slices(), h.label(), r)));
    pairs.add(
        List.of(
            () -> pool.map(XS, r, (ctx, x, s) -> 0), () -> pool.map((ctx, x, args) -> 0, XS, r)));
    pairs.add(
        List.of(
            () -> pool.map(XS, h.slices(), r, (ctx, x, slice, s) -> 0),
            () -> pool.map((ctx, x, args) -> 0, XS, h.slices(), r)));
    pairs.add(
        List.of(
            () -> pool.map(XS, h.slices(), h.label(), r, (ctx, x, slice, label, s) -> 0),
            () -> pool.map((ctx, x, args) -> 0, XS, h.slices(), h.label(), r)));
    pairs.add(
        List.of(
            () -> pool.applyAsync(r, TypedTasksTest::one).join(),
            () -> pool.applyAsync((ctx, args) -> 0, r).join()));
    pairs.add(
        List.of(
            () -> pool.applyAsync(h.slices(), r, (ctx, slice, s) -> 0).join(),
            () -> pool.applyAsync((ctx, args) -> 0, h.slices(), r).join()));
    pairs.add(
        List.of(
            () -> pool.applyAsync(h.slices(), h.label(), r, (ctx, slice, label, s) -> 0).join(),
            () -> pool.applyAsync((ctx, args) -> 0, h.slices(), h.label(), r).join()));
    pairs.add(
        List.of(
            () -> pool.mapAsync(XS, r, (ctx, x, s) -> 0).join(),
            () -> pool.mapAsync((ctx, x, args) -> 0, XS, r).join()));
    pairs.add(
        List.of(
            () -> pool.mapAsync(XS, h.slices(), r, (ctx, x, slice, s) -> 0).join(),
            () -> pool.mapAsync((ctx, x, args) -> 0, XS, h.slices(), r).join()));
    pairs.add(
        List.of(
            () ->
                pool.mapAsync(XS, h.slices(), h.label(), r, (ctx, x, slice, label, s) -> 0).join(),
            () -> pool.mapAsync((ctx, x, args) -> 0, XS, h.slices(), h.label(), r).join()));
    return pairs;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pools")
  void removedHandle_failsAsWithTheArgsForm(String kind) {
    try (WorkerPool pool = open(kind);
        RemoteObjectManager objects = new RemoteObjectManager()) {
      Handles h = Handles.of(pool, objects);
      RemoteObject<Scale> removed = pool.push(new Scale(3.0));
      removed.remove();
      List<List<Runnable>> pairs = callPairs(pool, h, removed);
      assertThat(pairs).hasSize(15);
      for (List<Runnable> pair : pairs) {
        Throwable typed = catchThrowable(pair.get(0)::run);
        Throwable args = catchThrowable(pair.get(1)::run);
        assertThat(args).isInstanceOf(IllegalStateException.class).hasMessageContaining("removed");
        assertThat(typed).isInstanceOf(IllegalStateException.class).hasMessage(args.getMessage());
      }
      assertThat(pool.apply(h.scale(), (ctx, s) -> ctx.workerIndex()))
          .as("the pool stays usable")
          .isEqualTo(IntStream.range(0, pool.size()).boxed().toList());
    }
  }

  /** Throws on the last worker, naming the factor it saw. */
  static <T> T failOnLast(WorkerContext ctx, Scale s, T value) {
    if (ctx.workerIndex() == ctx.poolSize() - 1) {
      throw new IllegalStateException("boom " + s.factor());
    }
    return value;
  }

  static RemoteExecutionException remoteFailure(Runnable call) {
    Throwable t = catchThrowable(call::run);
    if (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    assertThat(t).isInstanceOf(RemoteExecutionException.class);
    return (RemoteExecutionException) t;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pools")
  void failures_nameTheWorkerAsWithTheArgsForm(String kind) {
    try (WorkerPool pool = open(kind);
        RemoteObjectManager objects = new RemoteObjectManager()) {
      Handles h = Handles.of(pool, objects);
      RemoteObject<Scale> s = h.scale();
      RemoteObject<List<Integer>> l = h.slices();
      RemoteObject<String> b = h.label();
      List<List<Runnable>> pairs =
          List.of(
              List.of(
                  () -> pool.apply(s, (ctx, x) -> failOnLast(ctx, x, 1)),
                  () -> pool.apply((ctx, args) -> failOnLast(ctx, args.get(0), 1), s)),
              List.of(
                  () -> pool.apply(l, b, s, (ctx, x, y, z) -> failOnLast(ctx, z, 1)),
                  () -> pool.apply((ctx, args) -> failOnLast(ctx, args.get(2), 1), l, b, s)),
              List.of(
                  () -> pool.applyOnly(pool.size() - 1, l, s, (ctx, x, y) -> failOnLast(ctx, y, 1)),
                  () ->
                      pool.applyOnly(
                          pool.size() - 1, (ctx, args) -> failOnLast(ctx, args.get(1), 1), l, s)),
              List.of(
                  () -> pool.map(XS, s, (ctx, x, y) -> failOnLast(ctx, y, x)),
                  () -> pool.map((ctx, x, args) -> failOnLast(ctx, args.get(0), x), XS, s)),
              List.of(
                  () -> pool.map(XS, l, s, (ctx, x, y, z) -> failOnLast(ctx, z, x)),
                  () -> pool.map((ctx, x, args) -> failOnLast(ctx, args.get(1), x), XS, l, s)),
              List.of(
                  () -> pool.applyAsync(s, l, (ctx, x, y) -> failOnLast(ctx, x, 1)).join(),
                  () ->
                      pool.applyAsync((ctx, args) -> failOnLast(ctx, args.get(0), 1), s, l).join()),
              List.of(
                  () ->
                      pool.mapAsync(XS, l, b, s, (ctx, x, y, z, w) -> failOnLast(ctx, w, x)).join(),
                  () ->
                      pool.mapAsync((ctx, x, args) -> failOnLast(ctx, args.get(2), x), XS, l, b, s)
                          .join()));
      for (List<Runnable> pair : pairs) {
        RemoteExecutionException typed = remoteFailure(pair.get(0));
        RemoteExecutionException args = remoteFailure(pair.get(1));
        assertThat(typed.failedWorkers()).containsExactly(pool.size() - 1);
        assertThat(typed.failedWorkers()).isEqualTo(args.failedWorkers());
        assertThat(typed.getMessage())
            .isEqualTo(args.getMessage())
            .contains("worker " + (pool.size() - 1))
            .contains("boom 2.5");
        assertThat(typed.failures().get(0).element()).isEqualTo(args.failures().get(0).element());
      }
    }
  }

  @Test
  void nullTask_failsAtOnceAsWithTheArgsForm() {
    try (WorkerPool pool = WorkerPools.sequential();
        RemoteObject<Scale> s = pool.push(new Scale(1.0))) {
      Task1<Scale, Double> t1 = null;
      MapTask1<Double, Scale, Double> m1 = null;
      Task3<Scale, Scale, Scale, Double> t3 = null;
      assertThatThrownBy(() -> pool.apply(s, t1))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("apply: task must not be null");
      assertThatThrownBy(() -> pool.applyOnly(0, s, s, s, t3))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("applyOnly: task must not be null");
      assertThatThrownBy(() -> pool.map(XS, s, m1))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("map: task must not be null");
      assertThatThrownBy(() -> pool.map(null, s, (ctx, x, y) -> x))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("map: sequence must not be null");
      assertThatThrownBy(() -> pool.mapAsync(XS, s, m1))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("mapAsync: task must not be null");
    }
  }

  // ---------------------------------------------------------------------------- overload checks

  private static final String PRELUDE =
      "import java.util.List;\n"
          + "import org.jmor.parallel.*;\n"
          + "class Snippet {\n"
          + "  record Scale(double factor) implements java.io.Serializable {}\n"
          + "  static double one(WorkerContext ctx, Scale s) { return s.factor(); }\n"
          + "  static double mapOne(WorkerContext ctx, Double x, Scale s) { return x; }\n"
          + "  static void f(WorkerPool pool, RemoteObject<Scale> s,"
          + " RemoteObject<List<Integer>> l, List<Double> xs) {\n";

  /** Compiles {@code body} inside a method that has a pool and handles; returns javac's errors. */
  static String compile(Path dir, String body) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path src = dir.resolve("Snippet.java");
    Files.writeString(src, PRELUDE + body + "\n  }\n}\n");
    String classPath =
        Path.of("target/classes").toAbsolutePath()
            + java.io.File.pathSeparator
            + System.getProperty("java.class.path");
    StringWriter out = new StringWriter();
    Supplier<Boolean> ok =
        () ->
            javac
                .getTask(
                    out,
                    null,
                    null,
                    List.of("-classpath", classPath, "-d", dir.toString(), "-proc:none"),
                    null,
                    javac.getStandardFileManager(null, null, null).getJavaFileObjects(src))
                .call();
    return ok.get() ? "" : out.toString();
  }

  @Test
  void overloads_commonCallsCompileWithoutWitnessesNextToArgsForms(@TempDir Path dir)
      throws Exception {
    String body =
        // the Args forms, with one handle, exactly as existing code writes them
        "List<Integer> a = pool.apply((ctx, args) -> args.<List<Integer>>get(0).size(), l);\n"
            + "List<Double> b = pool.map((ctx, x, args) -> args.<Scale>get(0).factor() * x, xs, s);\n"
            + "Integer c = pool.applyOnly(0, (ctx, args) -> args.size(), s);\n"
            + "List<Integer> d = pool.apply((ctx, args) -> args.size());\n"
            + "var e = pool.applyAsync((ctx, args) -> args.size(), s, l).join();\n"
            // the typed forms: lambdas, method references, var, no witnesses
            + "List<Double> f = pool.apply(s, (ctx, m) -> m.factor());\n"
            + "List<Double> g = pool.apply(s, Snippet::one);\n"
            + "var h = pool.apply(s, l, (ctx, m, slice) -> m.factor() * slice.size());\n"
            + "double i = pool.applyOnly(0, s, l, s, (ctx, m, slice, n) -> n.factor());\n"
            + "List<Double> j = pool.map(xs, s, (ctx, x, m) -> m.factor() * x);\n"
            + "List<Double> k = pool.map(xs, s, Snippet::mapOne);\n"
            + "List<Double> m = pool.map(List.of(1.0, 2.0), s, l, (ctx, x, n, slice) -> x);\n"
            + "var n = pool.mapAsync(xs, s, l, s, (ctx, x, p, q, r) -> r.factor()).join();\n";
    assertThat(compile(dir, body)).isEmpty();
  }

  @Test
  void overloads_aHandleOfAnotherTypeDoesNotCompile(@TempDir Path dir) throws Exception {
    assertThat(compile(dir, "pool.apply(s, (ctx, m) -> m.factor());"))
        .as("the snippet compiles with the right handle, so the failures below are type errors")
        .isEmpty();
    assertThat(compile(dir, "pool.apply(l, (ctx, m) -> m.factor());"))
        .contains("error")
        .contains("factor");
    assertThat(compile(dir, "pool.apply(l, Snippet::one);")).contains("error");
    assertThat(compile(dir, "pool.map(xs, l, Snippet::mapOne);")).contains("error");
    assertThat(
            compile(
                dir,
                "Task1<Scale, Double> t = (ctx, m) -> m.factor();\n" + "pool.applyAsync(l, t);"))
        .contains("error");
    assertThat(compile(dir, "pool.applyOnly(0, s, l, (ctx, m, n) -> n.factor());"))
        .contains("error");
  }
}

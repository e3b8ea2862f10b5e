package org.jmor.parallel;

import java.util.Objects;

/**
 * The adapters behind the typed overloads of {@link WorkerPool} ({@link Task1} … {@link MapTask3}):
 * each is a named, serializable {@link Task} or {@link MapTask} that holds the typed task and reads
 * its arguments from {@link Args} by position. Named records rather than capturing lambdas, so that
 * they travel by class name on strict and remote pools like any other task.
 */
final class TypedTaskAdapters {
  private TypedTaskAdapters() {}

  static <A, R> Task<R> task(Task1<? super A, R> task, String op) {
    return new Apply1<A, R>(nonNull(task, op));
  }

  static <A, B, R> Task<R> task(Task2<? super A, ? super B, R> task, String op) {
    return new Apply2<A, B, R>(nonNull(task, op));
  }

  static <A, B, C, R> Task<R> task(Task3<? super A, ? super B, ? super C, R> task, String op) {
    return new Apply3<A, B, C, R>(nonNull(task, op));
  }

  static <T, A, R> MapTask<T, R> mapTask(MapTask1<? super T, ? super A, R> task, String op) {
    return new Map1<T, A, R>(nonNull(task, op));
  }

  static <T, A, B, R> MapTask<T, R> mapTask(
      MapTask2<? super T, ? super A, ? super B, R> task, String op) {
    return new Map2<T, A, B, R>(nonNull(task, op));
  }

  static <T, A, B, C, R> MapTask<T, R> mapTask(
      MapTask3<? super T, ? super A, ? super B, ? super C, R> task, String op) {
    return new Map3<T, A, B, C, R>(nonNull(task, op));
  }

  /** The same message as the {@link Args} forms give for a null task. */
  private static <X> X nonNull(X task, String op) {
    return Objects.requireNonNull(task, op + ": task must not be null");
  }

  record Apply1<A, R>(Task1<? super A, R> task) implements Task<R> {
    @Override
    public R run(WorkerContext context, Args args) throws Exception {
      return task.run(context, args.<A>get(0));
    }
  }

  record Apply2<A, B, R>(Task2<? super A, ? super B, R> task) implements Task<R> {
    @Override
    public R run(WorkerContext context, Args args) throws Exception {
      return task.run(context, args.<A>get(0), args.<B>get(1));
    }
  }

  record Apply3<A, B, C, R>(Task3<? super A, ? super B, ? super C, R> task) implements Task<R> {
    @Override
    public R run(WorkerContext context, Args args) throws Exception {
      return task.run(context, args.<A>get(0), args.<B>get(1), args.<C>get(2));
    }
  }

  record Map1<T, A, R>(MapTask1<? super T, ? super A, R> task) implements MapTask<T, R> {
    @Override
    public R run(WorkerContext context, T element, Args args) throws Exception {
      return task.run(context, element, args.<A>get(0));
    }
  }

  record Map2<T, A, B, R>(MapTask2<? super T, ? super A, ? super B, R> task)
      implements MapTask<T, R> {
    @Override
    public R run(WorkerContext context, T element, Args args) throws Exception {
      return task.run(context, element, args.<A>get(0), args.<B>get(1));
    }
  }

  record Map3<T, A, B, C, R>(MapTask3<? super T, ? super A, ? super B, ? super C, R> task)
      implements MapTask<T, R> {
    @Override
    public R run(WorkerContext context, T element, Args args) throws Exception {
      return task.run(context, element, args.<A>get(0), args.<B>get(1), args.<C>get(2));
    }
  }
}

package org.jmor.parallel.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jmor.parallel.Args;
import org.jmor.parallel.Setting;
import org.jmor.parallel.WorkerContext;
import org.jmor.random.Pcg64;
import org.jmor.random.SeedSequence;
import org.jspecify.annotations.Nullable;

/**
 * One worker's state: its object store, random generator and settings snapshot. Internal: used by
 * the in-process channels directly and by {@link org.jmor.parallel.spi.WorkerRuntime} for remote
 * workers.
 *
 * <p>Not thread-safe: a worker executes one command at a time.
 */
public final class WorkerState implements WorkerContext {
  private final int index;
  private final int size;
  private final Pcg64 random;
  private final Map<Long, Object> objects = new HashMap<>();
  private Map<String, Object> settings = Map.of();

  /**
   * Creates the state of worker {@code index}.
   *
   * @param index the worker index, {@code 0 <= index < size}
   * @param size the number of workers
   * @param seed the pool seed; the random generator is PCG64 seeded with child {@code index} of
   *     {@code SeedSequence(seed)}
   * @throws IllegalArgumentException if the index is out of range or the seed negative
   */
  public WorkerState(int index, int size, long seed) {
    if (size < 1 || index < 0 || index >= size) {
      throw new IllegalArgumentException("worker index must be in [0, " + size + "), got " + index);
    }
    this.index = index;
    this.size = size;
    this.random = Pcg64.of(SeedSequence.of(seed).child(index));
  }

  /**
   * Executes a command in process.
   *
   * @param command the command
   * @return the reply: the task's result, a {@code List} of results for a map block, or a
   *     bookkeeping value
   * @throws Exception what the task threw; an {@link ElementFailure} for a failed map element
   */
  public @Nullable Object execute(Command command) throws Exception {
    return command.executeOn(this);
  }

  @Override
  public int storedObjectCount() {
    return objects.size();
  }

  @Override
  public int workerIndex() {
    return index;
  }

  @Override
  public int poolSize() {
    return size;
  }

  @Override
  public Pcg64 random() {
    return random;
  }

  @Override
  public <T> @Nullable T get(Setting<T> setting) {
    Object v = settings.get(setting.name());
    return v == null ? setting.defaultValue() : setting.type().cast(v);
  }

  void store(long id, Object value) {
    objects.put(id, value);
  }

  boolean remove(long id) {
    boolean had = objects.containsKey(id);
    objects.remove(id);
    return had;
  }

  int clear() {
    int n = objects.size();
    objects.clear();
    return n;
  }

  void settings(Map<String, Object> values) {
    this.settings = values;
  }

  Args resolve(Object[] args) {
    if (args.length == 0) {
      return TupleArgs.wrap(args);
    }
    Object[] resolved = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Commands.Ref) {
        Commands.Ref ref = (Commands.Ref) a;
        Object v = objects.get(ref.id);
        if (v == null && !objects.containsKey(ref.id)) {
          throw new NoSuchElementException(
              "argument "
                  + i
                  + ": "
                  + ref.name
                  + " is not stored on worker "
                  + index
                  + " (removed, or pushed by another pool)");
        }
        resolved[i] = v;
      } else {
        resolved[i] = a;
      }
    }
    return TupleArgs.wrap(resolved);
  }

  @Override
  public String toString() {
    return "worker " + index + " of " + size + " (" + objects.size() + " objects)";
  }
}

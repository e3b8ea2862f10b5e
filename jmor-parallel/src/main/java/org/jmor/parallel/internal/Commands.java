package org.jmor.parallel.internal;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jmor.parallel.Args;
import org.jmor.parallel.MapTask;
import org.jmor.parallel.Task;
import org.jmor.vectors.VectorArray;
import org.jspecify.annotations.Nullable;

/**
 * Creates the {@link Command}s of the generic pool. Internal: backends never see commands, only the
 * frames that {@link Protocol} makes of them.
 */
public final class Commands {
  private Commands() {}

  /**
   * Stores {@code value} under {@code id} on the receiving worker.
   *
   * @param id the remote id
   * @param value the object
   * @param copyPerWorker whether an in-process worker stores its own deep copy (mutable pushes)
   *     instead of the object itself; irrelevant once the command was serialized
   * @return the command
   */
  public static Command store(long id, Object value, boolean copyPerWorker) {
    return new Store(id, value, copyPerWorker);
  }

  /**
   * Removes the object stored under {@code id}; the reply is whether it existed.
   *
   * @param id the remote id
   * @return the command
   */
  public static Command remove(long id) {
    return new Remove(id);
  }

  /**
   * Removes every stored object; the reply is how many there were.
   *
   * @return the command
   */
  public static Command clear() {
    return new Clear();
  }

  /**
   * Replaces the worker's settings snapshot.
   *
   * @param values the values by setting name
   * @return the command
   */
  public static Command settings(Map<String, Object> values) {
    return new SettingsSync(values);
  }

  /**
   * Returns the encoded argument that stands for the object stored under {@code id}.
   *
   * @param id the remote id
   * @param name how errors name the handle
   * @return the encoded argument
   */
  public static Object ref(long id, String name) {
    return new Ref(id, name);
  }

  /**
   * Runs a task; the reply is its result.
   *
   * @param task the task
   * @param args encoded arguments: values, or {@link #ref(long, String)} references
   * @return the command
   */
  public static Command call(Task<?> task, Object[] args) {
    return new Call(task, args);
  }

  /**
   * Runs a map task over one block; the reply is a {@code List} of results.
   *
   * @param task the task
   * @param columns the block of each sequence, all of the same size
   * @param zipped whether the task receives the tuple of all columns as {@link Args}
   * @param offset the input index of the block's first element (for error reports)
   * @param args encoded arguments
   * @return the command
   */
  public static Command map(
      MapTask<?, ?> task, List<?>[] columns, boolean zipped, long offset, Object[] args) {
    return new MapBlock(task, columns, zipped, offset, args);
  }

  static final class Ref implements Serializable {
    private static final long serialVersionUID = 1L;
    final long id;
    final String name;

    Ref(long id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  static final class Store extends Command {
    private static final long serialVersionUID = 1L;

    @Override
    public String kind() {
      return "store";
    }

    private final long id;
    private final Object value;
    private final transient boolean copyPerWorker;
    private transient volatile byte @Nullable [] copyBytes;

    Store(long id, Object value, boolean copyPerWorker) {
      this.id = id;
      this.value = value;
      this.copyPerWorker = copyPerWorker;
    }

    @Override
    @Nullable Object executeOn(WorkerState runtime) {
      runtime.store(id, copyPerWorker ? deepCopy() : value);
      return null;
    }

    private Object deepCopy() {
      if (value instanceof VectorArray) {
        return ((VectorArray) value).copy();
      } else if (value instanceof double[]) {
        return ((double[]) value).clone();
      } else if (value instanceof int[]) {
        return ((int[]) value).clone();
      } else if (value instanceof long[]) {
        return ((long[]) value).clone();
      }
      byte[] b = copyBytes;
      if (b == null) {
        synchronized (this) {
          b = copyBytes;
          if (b == null) {
            b = Wire.serialize(value);
            copyBytes = b;
          }
        }
      }
      return Wire.deserialize(b);
    }

    /** Serializes the value once on the caller so that a non-serializable object fails early. */
    void prepareCopies() {
      if (copyPerWorker
          && !(value instanceof VectorArray
              || value instanceof double[]
              || value instanceof int[]
              || value instanceof long[])) {
        copyBytes = Wire.serialize(value);
      }
    }
  }

  /**
   * Prepares an in-process store command: a mutable object that needs a copy per worker is
   * serialized once now, so that a non-serializable object fails on the caller's side.
   *
   * @param command a command from {@link #store(long, Object, boolean)}
   * @throws IllegalArgumentException if the object cannot be copied
   */
  public static void prepare(Command command) {
    if (command instanceof Store) {
      ((Store) command).prepareCopies();
    }
  }

  static final class Remove extends Command {
    private static final long serialVersionUID = 1L;

    @Override
    public String kind() {
      return "remove";
    }

    private final long id;

    Remove(long id) {
      this.id = id;
    }

    @Override
    @Nullable Object executeOn(WorkerState runtime) {
      return runtime.remove(id);
    }
  }

  static final class Clear extends Command {
    private static final long serialVersionUID = 1L;

    @Override
    public String kind() {
      return "clear";
    }

    @Override
    @Nullable Object executeOn(WorkerState runtime) {
      return runtime.clear();
    }
  }

  static final class SettingsSync extends Command {
    private static final long serialVersionUID = 1L;

    @Override
    public String kind() {
      return "settings";
    }

    private final Map<String, Object> values;

    SettingsSync(Map<String, Object> values) {
      this.values = Map.copyOf(values);
    }

    @Override
    @Nullable Object executeOn(WorkerState runtime) {
      runtime.settings(values);
      return null;
    }
  }

  static final class Call extends Command {
    private static final long serialVersionUID = 1L;

    @Override
    public String kind() {
      return "call";
    }

    private final Task<?> task;
    private final Object[] args;

    Call(Task<?> task, Object[] args) {
      this.task = task;
      this.args = args;
    }

    /** The task (for tests of the codec). */
    Task<?> task() {
      return task;
    }

    /** The encoded arguments. */
    Object[] args() {
      return args;
    }

    @Override
    @Nullable Object executeOn(WorkerState runtime) throws Exception {
      return task.run(runtime, runtime.resolve(args));
    }
  }

  static final class MapBlock extends Command {
    private static final long serialVersionUID = 1L;

    @Override
    public String kind() {
      return "map";
    }

    private final MapTask<?, ?> task;
    private final List<?>[] columns;
    private final boolean zipped;
    private final long offset;
    private final Object[] args;

    MapBlock(MapTask<?, ?> task, List<?>[] columns, boolean zipped, long offset, Object[] args) {
      this.task = task;
      this.columns = columns;
      this.zipped = zipped;
      this.offset = offset;
      this.args = args;
    }

    @Override
    @SuppressWarnings("unchecked")
    @Nullable Object executeOn(WorkerState runtime) throws Exception {
      Args resolved = runtime.resolve(args);
      MapTask<Object, Object> t = (MapTask<Object, Object>) task;
      int n = columns[0].size();
      ArrayList<Object> out = new ArrayList<>(n);
      List<?> first = columns[0];
      for (int k = 0; k < n; k++) {
        Object element = zipped ? TupleArgs.of(columns, k) : first.get(k);
        try {
          out.add(t.run(runtime, element, resolved));
        } catch (ThreadDeath d) {
          throw d; // ends the worker's thread, as in a plain task: not an element's failure
        } catch (Exception | Error e) {
          throw new ElementFailure(offset + k, e);
        }
      }
      return out;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
      // sub-list views are not serializable: send compact copies
      List<?>[] copies = new List<?>[columns.length];
      for (int i = 0; i < columns.length; i++) {
        copies[i] = columns[i] instanceof ArrayList ? columns[i] : new ArrayList<>(columns[i]);
      }
      java.io.ObjectOutputStream.PutField fields = out.putFields();
      fields.put("task", task);
      fields.put("columns", copies);
      fields.put("zipped", zipped);
      fields.put("offset", offset);
      fields.put("args", args);
      out.writeFields();
    }
  }
}

package org.jmor.parallel.internal;

import java.util.List;
import org.jmor.parallel.Args;

/** The arguments of one call, or the tuple of a zipped map, backed by an array. */
final class TupleArgs implements Args {
  private static final TupleArgs EMPTY = new TupleArgs(new Object[0]);
  private final Object[] values;

  private TupleArgs(Object[] values) {
    this.values = values;
  }

  static TupleArgs wrap(Object[] values) {
    return values.length == 0 ? EMPTY : new TupleArgs(values);
  }

  static TupleArgs of(List<?>[] columns, int k) {
    Object[] v = new Object[columns.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = columns[i].get(k);
    }
    return new TupleArgs(v);
  }

  @Override
  public int size() {
    return values.length;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(int index) {
    check(index);
    return (T) values[index];
  }

  @Override
  public <T> T get(int index, Class<T> type) {
    Object v = values[check(index)];
    if (v != null && !type.isInstance(v)) {
      throw new ClassCastException(
          "argument " + index + " is a " + v.getClass().getName() + ", not a " + type.getName());
    }
    return type.cast(v);
  }

  private int check(int index) {
    if (index < 0 || index >= values.length) {
      throw new IndexOutOfBoundsException(
          "argument index "
              + index
              + " out of range: the call has "
              + values.length
              + " argument(s)");
    }
    return index;
  }

  @Override
  public String toString() {
    return java.util.Arrays.toString(values);
  }
}

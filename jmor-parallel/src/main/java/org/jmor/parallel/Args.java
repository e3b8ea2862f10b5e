package org.jmor.parallel;

/**
 * The arguments of one task call on one worker, by position, with {@link RemoteObject} handles
 * already replaced by the worker's objects. Unmodifiable.
 */
public interface Args {

  /** Returns the number of arguments. */
  int size();

  /**
   * Returns argument {@code index}, cast to the type the caller expects.
   *
   * @param index the position, {@code 0 <= index < size()}
   * @param <T> the expected type
   * @return the argument, possibly null
   * @throws IndexOutOfBoundsException if there is no such argument
   * @throws ClassCastException if the argument is not a {@code T} (when it is used as one)
   */
  <T> T get(int index);

  /**
   * Returns argument {@code index} checked against {@code type}.
   *
   * @param index the position
   * @param type the expected class
   * @param <T> the expected type
   * @return the argument, possibly null
   * @throws IndexOutOfBoundsException if there is no such argument
   * @throws ClassCastException if the argument is not an instance of {@code type}, with a message
   *     naming both types
   */
  <T> T get(int index, Class<T> type);
}

package org.jmor.parallel.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * Stands in a frame for a serializable lambda that captures nothing (a task such as {@code (ctx,
 * args) -> ctx.workerIndex()}): such a lambda has no state, so every instance of it behaves the
 * same, and the JVM itself makes it a singleton. Resolving a {@link SerializedLambda} on the
 * reading side costs a reflective call of its capturing class's {@code $deserializeLambda$} each
 * time, which was most of a worker's codec cost for a small task; the stand-in lets the reader
 * resolve each lambda once per capturing class and reuse the instance.
 *
 * <p>The stand-in carries the capturing class (resolved and filtered by the stream like any class),
 * a key naming the lambda's implementation, and the bytes of the original {@link SerializedLambda},
 * which the reader deserializes, with the same filter and class resolution, the first time it sees
 * the key. Lambdas that capture values are written as usual.
 */
final class StatelessLambda implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The writer's stand-ins by capturing class and key, so each is serialized once. */
  private static final ClassValue<ConcurrentMap<String, StatelessLambda>> WRITTEN =
      new ClassValue<>() {
        @Override
        protected ConcurrentMap<String, StatelessLambda> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  /** The reader's resolved lambdas by capturing class and key. */
  private static final ClassValue<ConcurrentMap<String, Object>> RESOLVED =
      new ClassValue<>() {
        @Override
        protected ConcurrentMap<String, Object> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  final Class<?> capturingClass;
  final String key;
  final byte[] lambda;

  private StatelessLambda(Class<?> capturingClass, String key, byte[] lambda) {
    this.capturingClass = capturingClass;
    this.key = key;
    this.lambda = lambda;
  }

  /**
   * Returns the stand-in of a lambda that captures nothing, or null to write it as usual (it
   * captures values, or its capturing class cannot be found from here).
   */
  static @Nullable StatelessLambda of(SerializedLambda s) {
    if (s.getCapturedArgCount() != 0) {
      return null;
    }
    Class<?> capturing = capturingClass(s.getCapturingClass().replace('/', '.'));
    if (capturing == null) {
      return null;
    }
    String key =
        s.getImplMethodKind()
            + " "
            + s.getImplClass()
            + "."
            + s.getImplMethodName()
            + s.getImplMethodSignature()
            + " as "
            + s.getFunctionalInterfaceClass()
            + "."
            + s.getFunctionalInterfaceMethodName()
            + s.getFunctionalInterfaceMethodSignature()
            + " "
            + s.getInstantiatedMethodType();
    return WRITTEN
        .get(capturing)
        .computeIfAbsent(key, k -> new StatelessLambda(capturing, k, serialize(s)));
  }

  /**
   * Returns the stand-in that a compact request ({@link CompactCall}) carried: the capturing class
   * (already resolved and checked by the filter), the key and the lambda's bytes.
   */
  static StatelessLambda received(Class<?> capturingClass, String key, byte[] lambda) {
    return new StatelessLambda(capturingClass, key, lambda);
  }

  private static @Nullable Class<?> capturingClass(String name) {
    ClassLoader[] loaders = {
      Thread.currentThread().getContextClassLoader(), StatelessLambda.class.getClassLoader()
    };
    for (ClassLoader l : loaders) {
      try {
        return Class.forName(name, false, l);
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next
      }
    }
    return null;
  }

  private static byte[] serialize(SerializedLambda s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize the lambda " + s + ": " + e, e);
    }
    return bytes.toByteArray();
  }

  /**
   * Returns the resolved lambda, resolving it with {@code resolve} the first time its key is seen
   * for its capturing class.
   */
  Object resolve(java.util.function.Function<byte[], Object> resolve) {
    ConcurrentMap<String, Object> cache = RESOLVED.get(capturingClass);
    Object done = cache.get(key);
    if (done != null) {
      return done;
    }
    Object fresh = resolve.apply(lambda);
    Object raced = cache.putIfAbsent(key, fresh);
    return raced != null ? raced : fresh;
  }
}

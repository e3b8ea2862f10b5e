package org.jmor.parallel.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * Java serialization as the pools use it: for strict mode, for remote transports, and for the deep
 * copies of pushed mutable objects.
 */
public final class Wire {
  private Wire() {}

  /**
   * Serializes an object.
   *
   * @param obj the object, possibly null
   * @return its bytes
   * @throws IllegalArgumentException if the object graph contains something that is not {@link
   *     Serializable}; the message names the class
   */
  public static byte[] serialize(Object obj) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(obj);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException(e.getMessage() + " is not Serializable", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize " + describe(obj) + ": " + e, e);
    }
    return bytes.toByteArray();
  }

  /**
   * Deserializes an object, resolving classes with the thread's context class loader first.
   *
   * @param bytes the bytes from {@link #serialize(Object)}
   * @return the object
   * @throws UncheckedIOException if the bytes cannot be read or a class is missing
   */
  public static Object deserialize(byte[] bytes) {
    try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new UncheckedIOException(
          new IOException(
              "class not found on this side: "
                  + e.getMessage()
                  + " (workers need the same class path as the caller)",
              e));
    }
  }

  static String describe(Object obj) {
    return obj == null ? "null" : obj.getClass().getName();
  }

  private static final class LoaderObjectInputStream extends ObjectInputStream {
    LoaderObjectInputStream(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      Class<?> c = contextClass(desc);
      return c != null ? c : super.resolveClass(desc);
    }
  }

  /**
   * Resolves a class with the thread's context class loader, where the classes of tasks live on a
   * worker (an application server, a test runner); null if it has none or does not know the class.
   */
  static @Nullable Class<?> contextClass(ObjectStreamClass desc) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader != null) {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return null; // the default resolution follows
      }
    }
    return null;
  }
}

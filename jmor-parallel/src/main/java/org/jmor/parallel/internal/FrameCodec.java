package org.jmor.parallel.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jmor.parallel.spi.Frame;
import org.jspecify.annotations.Nullable;

/**
 * Java serialization with out-of-band buffers (Python's pickle protocol 5, for Java): while an
 * object graph is written, every {@code double[]} of at least {@link #OUT_OF_BAND_BYTES} bytes is
 * left out of the stream and becomes a part of its own in the {@link Frame}; the stream holds a
 * small reference in its place. Reading puts each array back, read straight from its part into its
 * final array. Reading runs behind an {@link ObjectInputFilter} ({@link #filter()}).
 */
public final class FrameCodec {
  /** Arrays of at least this many bytes travel out of band. */
  public static final int OUT_OF_BAND_BYTES = 1024;

  /**
   * Classes that no task needs and that are known deserialization gadgets: refused whatever the
   * configuration says.
   */
  static final String DENIED =
      "!org.apache.commons.collections.functors.*;!org.apache.commons.collections4.functors.*;"
          + "!org.codehaus.groovy.runtime.*;!org.apache.xalan.*;!com.sun.org.apache.xalan.**;"
          + "!org.springframework.beans.factory.**;!com.mchange.v2.c3p0.**;!bsh.**;"
          + "!org.python.core.**;!com.sun.rowset.**;!javax.management.**;!java.rmi.server.**;"
          + "!sun.rmi.**;!com.sun.jndi.**;!org.hibernate.engine.spi.**";

  /** Resource limits of one stream. */
  static final String LIMITS = "maxdepth=1000;maxrefs=100000000";

  /**
   * The system property with an extra JDK filter pattern ({@link
   * ObjectInputFilter.Config#createFilter(String)} syntax) that is consulted first, for example an
   * allow-list such as {@code org.jmor.**;java.**;com.example.**;!*}.
   */
  public static final String FILTER_PROPERTY = "jmor.serial.filter";

  private FrameCodec() {}

  /**
   * Returns the filter that every read uses: the JVM-wide filter ({@code jdk.serialFilter}) if one
   * is set, then the pattern of {@value #FILTER_PROPERTY}, then the library's limits and deny list.
   * The first filter that rejects a class wins.
   *
   * @return the filter
   * @throws IllegalArgumentException if the configured pattern is malformed
   */
  public static ObjectInputFilter filter() {
    String user = System.getProperty(FILTER_PROPERTY);
    return filter(user == null || user.isBlank() ? null : user.trim());
  }

  static ObjectInputFilter filter(@Nullable String userPattern) {
    return filter(userPattern, null);
  }

  /**
   * Returns the filter of a worker whose caller sent its own pattern (in the open-pool frame): the
   * JVM-wide filter, this JVM's {@value #FILTER_PROPERTY}, the caller's pattern, then the library's
   * limits and deny list. Each can only narrow what the others allow: the first that rejects a
   * class wins.
   *
   * @param callerPattern the caller's pattern, or null
   * @return the filter
   * @throws IllegalArgumentException if a pattern is malformed
   */
  public static ObjectInputFilter workerFilter(@Nullable String callerPattern) {
    String local = System.getProperty(FILTER_PROPERTY);
    return filter(
        local == null || local.isBlank() ? null : local.trim(),
        callerPattern == null || callerPattern.isBlank() ? null : callerPattern.trim());
  }

  /** Returns this JVM's pattern of {@value #FILTER_PROPERTY}, or null (for the open-pool frame). */
  public static @Nullable String localPattern() {
    String local = System.getProperty(FILTER_PROPERTY);
    return local == null || local.isBlank() ? null : local.trim();
  }

  private static @Nullable ObjectInputFilter create(@Nullable String pattern, String source) {
    try {
      return pattern == null ? null : ObjectInputFilter.Config.createFilter(pattern);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          source + ": '" + pattern + "' is not a valid filter pattern: " + e.getMessage(), e);
    }
  }

  static ObjectInputFilter filter(@Nullable String userPattern, @Nullable String callerPattern) {
    ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
    ObjectInputFilter user = create(userPattern, FILTER_PROPERTY);
    ObjectInputFilter caller = create(callerPattern, "the caller's " + FILTER_PROPERTY);
    ObjectInputFilter library = libraryFilter();
    List<ObjectInputFilter> chain = new ArrayList<>(4);
    for (ObjectInputFilter f : new ObjectInputFilter[] {global, user, caller, library}) {
      if (f != null) {
        chain.add(f);
      }
    }
    ObjectInputFilter[] filters = chain.toArray(new ObjectInputFilter[0]);
    return info -> {
      ObjectInputFilter.Status status = ObjectInputFilter.Status.UNDECIDED;
      for (ObjectInputFilter f : filters) {
        ObjectInputFilter.Status s = f.checkInput(info);
        if (s == ObjectInputFilter.Status.REJECTED) {
          return s;
        }
        if (status == ObjectInputFilter.Status.UNDECIDED) {
          status = s;
        }
      }
      return status;
    };
  }

  /**
   * The library's own filter, {@code LIMITS;DENIED} as one JDK pattern filter would apply it, with
   * the verdict of the class patterns computed once per class: the JDK's pattern filter runs a
   * stream over its patterns for every class, array and object it is asked about (most of the cost
   * of decoding a small request). The limits are checked on every call, as before.
   */
  private static ObjectInputFilter libraryFilter() {
    ObjectInputFilter limits = ObjectInputFilter.Config.createFilter(LIMITS);
    ObjectInputFilter denied = ObjectInputFilter.Config.createFilter(DENIED);
    ClassValue<ObjectInputFilter.Status> verdicts =
        new ClassValue<>() {
          @Override
          protected ObjectInputFilter.Status computeValue(Class<?> type) {
            return denied.checkInput(classOnly(type));
          }
        };
    return info -> {
      // the limits alone: asked without the class, the JDK's filter skips its (empty) pattern
      // stream; LIMITS sets no array limit, the one limit that needs the class
      ObjectInputFilter.Status s = limits.checkInput(withoutClass(info));
      Class<?> type = info.serialClass();
      if (s == ObjectInputFilter.Status.REJECTED || type == null) {
        return s;
      }
      ObjectInputFilter.Status verdict = verdicts.get(type);
      return verdict == ObjectInputFilter.Status.UNDECIDED ? s : verdict;
    };
  }

  /** The same question without its class. */
  private static ObjectInputFilter.FilterInfo withoutClass(ObjectInputFilter.FilterInfo info) {
    return info(null, info.arrayLength(), info.depth(), info.references(), info.streamBytes());
  }

  /** A question about a class alone: no array length, and the smallest depth and counts. */
  private static ObjectInputFilter.FilterInfo classOnly(Class<?> type) {
    return info(type, -1, 1, 0, 0);
  }

  /**
   * A question to a filter, as a stream would ask it.
   *
   * @param type the class, null for a question about the limits alone
   * @param arrayLength the array's length, -1 if no array
   * @param depth the depth in the graph
   * @param references the references so far
   * @param streamBytes the bytes so far
   * @return the question
   */
  static ObjectInputFilter.FilterInfo info(
      @Nullable Class<?> type, long arrayLength, long depth, long references, long streamBytes) {
    return new ObjectInputFilter.FilterInfo() {
      @Override
      public @Nullable Class<?> serialClass() {
        return type;
      }

      @Override
      public long arrayLength() {
        return arrayLength;
      }

      @Override
      public long depth() {
        return depth;
      }

      @Override
      public long references() {
        return references;
      }

      @Override
      public long streamBytes() {
        return streamBytes;
      }

      @Override
      public String toString() {
        return (type == null ? "limits" : type.getName())
            + " (array length "
            + arrayLength
            + ", depth "
            + depth
            + ", references "
            + references
            + ", bytes "
            + streamBytes
            + ")";
      }
    };
  }

  /**
   * Writes an object graph, appending its large arrays to {@code parts}.
   *
   * @param obj the object, possibly null
   * @param out where the stream goes
   * @param parts the frame's parts so far; large arrays are appended
   * @throws IllegalArgumentException if something in the graph is not serializable; the message
   *     names the class
   */
  static void write(@Nullable Object obj, OutputStream out, List<Object> parts) {
    try (ObjectOutputStream oos = new OutOfBandOutputStream(out, parts)) {
      oos.writeObject(obj);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException(e.getMessage() + " is not Serializable", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot serialize " + (obj == null ? "null" : obj.getClass().getName()) + ": " + e, e);
    }
  }

  /**
   * Reads an object graph written by {@link #write}, taking its large arrays from {@code frame}.
   *
   * @param in the stream
   * @param frame the frame whose parts the stream refers to
   * @param filter the filter
   * @return the object
   * @throws UncheckedIOException if the bytes cannot be read, a class is missing or refused
   */
  static Object read(InputStream in, Frame frame, ObjectInputFilter filter) {
    String[] refused = new String[1];
    try (ObjectInputStream ois = new OutOfBandInputStream(in, frame)) {
      ois.setObjectInputFilter(
          info -> {
            ObjectInputFilter.Status s = filter.checkInput(info);
            if (s == ObjectInputFilter.Status.REJECTED && info.serialClass() != null) {
              refused[0] = info.serialClass().getName();
            }
            return s;
          });
      return ois.readObject();
    } catch (InvalidClassException e) {
      if (refused[0] != null) {
        throw new UncheckedIOException(
            new InvalidClassException(
                refused[0],
                "refused by the deserialization filter ("
                    + e.getMessage()
                    + "); to allow it, set "
                    + FILTER_PROPERTY));
      }
      throw new UncheckedIOException(
          new InvalidClassException(
              e.classname,
              "refused or incompatible class ("
                  + e.getMessage()
                  + "); see "
                  + FILTER_PROPERTY
                  + " and make sure both sides have the same class path"));
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

  /** Stands in the stream for an array that travels as part {@link #part} of the frame. */
  static final class BufferRef implements Serializable {
    private static final long serialVersionUID = 1L;
    final int part;
    final int length;

    BufferRef(int part, int length) {
      this.part = part;
      this.length = length;
    }
  }

  private static final class OutOfBandOutputStream extends ObjectOutputStream {
    private final List<Object> parts;

    OutOfBandOutputStream(OutputStream out, List<Object> parts) throws IOException {
      super(out);
      this.parts = parts;
      enableReplaceObject(true);
    }

    @Override
    protected Object replaceObject(Object obj) {
      if (obj instanceof double[] && ((double[]) obj).length * 8L >= OUT_OF_BAND_BYTES) {
        parts.add(obj);
        return new BufferRef(parts.size() - 1, ((double[]) obj).length);
      }
      if (obj instanceof java.lang.invoke.SerializedLambda) {
        StatelessLambda s = StatelessLambda.of((java.lang.invoke.SerializedLambda) obj);
        return s != null ? s : obj;
      }
      return obj;
    }
  }

  private static final class OutOfBandInputStream extends ObjectInputStream {
    private final Frame frame;

    OutOfBandInputStream(InputStream in, Frame frame) throws IOException {
      super(in);
      this.frame = frame;
      enableResolveObject(true);
    }

    @Override
    protected Object resolveObject(Object obj) throws IOException {
      if (obj instanceof StatelessLambda) {
        ObjectInputFilter filter = getObjectInputFilter();
        return ((StatelessLambda) obj)
            .resolve(
                bytes ->
                    FrameCodec.read(
                        new java.io.ByteArrayInputStream(bytes),
                        frame,
                        filter != null ? filter : info -> ObjectInputFilter.Status.UNDECIDED));
      }
      if (!(obj instanceof BufferRef)) {
        return obj;
      }
      BufferRef ref = (BufferRef) obj;
      if (ref.part < 1
          || ref.part >= frame.partCount()
          || ref.length < 0
          || frame.partSize(ref.part) != 8L * ref.length) {
        throw new InvalidObjectException(
            "corrupt frame: array of "
                + ref.length
                + " doubles in part "
                + ref.part
                + " of "
                + frame);
      }
      double[] shared = frame.doubleArray(ref.part);
      if (shared != null) {
        // adopt an array that a receiving transport handed over; never alias the sender's array
        return frame.isOwned() ? shared : shared.clone();
      }
      double[] d = new double[ref.length];
      frame.part(ref.part).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(d);
      return d;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      Class<?> c = Wire.contextClass(desc);
      return c != null ? c : super.resolveClass(desc);
    }
  }

  /** A {@link ByteArrayOutputStream} whose contents can be wrapped without a copy. */
  static final class Bytes extends ByteArrayOutputStream {
    Bytes(int size) {
      super(size);
    }

    ByteBuffer buffer() {
      return ByteBuffer.wrap(buf, 0, count).order(ByteOrder.LITTLE_ENDIAN);
    }

    ByteArrayInputStream inputFrom(int offset) {
      return new ByteArrayInputStream(buf, offset, count - offset);
    }
  }
}

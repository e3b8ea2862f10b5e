package org.jmor.parallel.mpi.jni;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jmor.parallel.mpi.MpiException;
import org.jspecify.annotations.Nullable;

/**
 * The low-level MPI binding: static methods over a small JNI shim ({@code libjmormpi.so}), all on
 * the one communicator {@code MPI_COMM_WORLD}.
 *
 * <p><b>Not API.</b> This package is internal to {@code jmor-parallel-mpi}: its module descriptor
 * does not export it, and it may change without notice. It is public only so that the MPI pool's
 * own packages and {@code jmor-bench}'s raw MPI benchmark (on the class path) can call it.
 *
 * <h2>Availability and loading</h2>
 *
 * The shim is compiled with {@code mpicc} when the module is built on a machine with MPI, and
 * carried in the jar as the resource {@code
 * org/jmor/parallel/mpi/native/<os>-<arch>/libjmormpi.so}. On first use it is extracted to a
 * temporary file and loaded with {@link System#load} (on Linux the file is deleted as soon as it is
 * loaded, elsewhere on exit); it finds {@code libmpi} through its own dynamic dependency, so no
 * {@code LD_LIBRARY_PATH} is needed. The system property {@value #LIBRARY_PROPERTY} names a shim
 * file to load instead. {@link #isAvailable()} says whether the shim loaded, {@link
 * #unavailableReason()} why not; when it did not, every other method except {@link
 * #isLaunchedByMpirun()} throws {@link MpiException}. A shim built against Open MPI does not load
 * against MPICH: build on the target.
 *
 * <h2>Life cycle</h2>
 *
 * Call {@link #initThread()} once, then communicate, then {@link #finalizeMpi()} once on the normal
 * path. Never finalize from a shutdown hook (when another rank has died, finalize blocks and the
 * whole job hangs); on a fatal error call {@link #abort(int)} instead, which ends every rank of the
 * job ({@link #abortOnUncaughtException(int)} installs that for uncaught exceptions). Calls before
 * {@link #initThread()} or after {@link #finalizeMpi()} throw {@link MpiException} (MPI itself
 * would abort the process).
 *
 * <h2>Errors</h2>
 *
 * The shim sets {@code MPI_ERRORS_RETURN} on {@code MPI_COMM_WORLD}, so a failed call throws an
 * unchecked {@link MpiException} carrying the MPI error string. Note that a rank blocked in a
 * receive or a collective whose peer has died usually waits until it is killed: MPI does not turn
 * that into an error, so a protocol must never leave ranks waiting on each other after a failure.
 * Argument errors (bounds, heap instead of direct buffers, missing root arguments) are checked in
 * Java and throw the usual {@link IllegalArgumentException} or {@link IndexOutOfBoundsException}
 * before MPI is called.
 *
 * <h2>Buffers and the garbage collector</h2>
 *
 * No JNI critical region ({@code GetPrimitiveArrayCritical}, which stalls every garbage collection
 * in the JVM while it is held) is ever held while this rank waits to <em>receive</em>:
 *
 * <ul>
 *   <li>Sends from heap arrays ({@link #send(byte[], int, int, int, int)}, {@link #send(double[],
 *       int, int, int, int)}, the root's array in {@link #bcast(byte[], int, int, int)} and {@link
 *       #scatterv}) pin the array with a critical region and pass it to MPI without a copy. A send
 *       can still wait for its receiver (large messages use a rendezvous), and the GC waits with
 *       it.
 *   <li>Receives into heap arrays ({@link #recv(byte[], int, int, int, int)}, {@link
 *       #recv(double[], int, int, int, int)}, non-root ranks in {@link #bcast}, every rank's
 *       receive buffer in {@link #scatterv} and {@link #gatherv}) receive into a native buffer of
 *       the calling thread and then copy into the array ({@code Set<Type>ArrayRegion}): one memory
 *       copy, no pinning.
 *   <li>Direct {@link ByteBuffer}s are passed to MPI as they are, in both directions: the zero-copy
 *       path for large messages. Only the buffer's first {@code len} bytes from its address are
 *       used; its position and limit are ignored and not changed.
 *   <li>{@link #probe} blocks in {@code MPI_Probe} holding nothing.
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * {@link #initThread()} asks for {@code MPI_THREAD_MULTIPLE}. Calling these methods from several
 * threads at the same time is allowed only if it returned {@link #THREAD_MULTIPLE}; otherwise the
 * caller must serialize all calls (and with {@link #THREAD_FUNNELED} make them from the thread that
 * initialized). Messages between the same pair of ranks on the same tag are not overtaken, as
 * always in MPI, but concurrent senders on one tag race each other.
 */
public final class Mpi {

  /** Thread support level {@code MPI_THREAD_SINGLE}, as returned by {@link #initThread()}. */
  public static final int THREAD_SINGLE = 0;

  /** Thread support level {@code MPI_THREAD_FUNNELED}, as returned by {@link #initThread()}. */
  public static final int THREAD_FUNNELED = 1;

  /** Thread support level {@code MPI_THREAD_SERIALIZED}, as returned by {@link #initThread()}. */
  public static final int THREAD_SERIALIZED = 2;

  /** Thread support level {@code MPI_THREAD_MULTIPLE}, as returned by {@link #initThread()}. */
  public static final int THREAD_MULTIPLE = 3;

  /** System property naming a shim file to load instead of the one inside the jar. */
  public static final String LIBRARY_PROPERTY = "jmor.mpi.library";

  private static final String LIBRARY_NAME = "libjmormpi.so";

  /** The reason given when the jar carries no shim for this platform. */
  static final String NOT_BUILT =
      "the MPI shim was not built: install Open MPI (apt-get install openmpi-bin libopenmpi-dev)"
          + " and rebuild jmor";

  // life cycle as seen from Java: 0 = not initialized, 1 = initialized, 2 = finalized
  private static final int NOT_INITIALIZED = 0;
  private static final int UP = 1;
  private static final int FINALIZED = 2;
  private static volatile int state = NOT_INITIALIZED;

  private Mpi() {}

  /** Loads the shim once (class initialization is thread-safe and happens on first use). */
  private static final class Shim {
    static final @Nullable String FAILURE = load();

    /** {@code {MPI_ANY_SOURCE, MPI_ANY_TAG}} as the shim defines them; empty if not loaded. */
    static final int[] CONSTANTS = FAILURE == null ? nConstants() : new int[0];

    private static @Nullable String load() {
      String override = System.getProperty(LIBRARY_PROPERTY);
      try {
        if (override != null && !override.isBlank()) {
          System.load(Path.of(override).toAbsolutePath().toString());
          return null;
        }
        String resource = "/org/jmor/parallel/mpi/native/" + platform() + "/" + LIBRARY_NAME;
        try (InputStream in = Mpi.class.getResourceAsStream(resource)) {
          if (in == null) {
            return NOT_BUILT + " (no resource org/jmor/parallel/mpi/" + resource + ")";
          }
          Path file = Files.createTempFile("jmormpi-", ".so");
          file.toFile().deleteOnExit();
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
          try {
            System.load(file.toAbsolutePath().toString());
          } finally {
            // once loaded (mapped), the file is no longer needed on Linux; a rank ended by mpirun
            // never runs deleteOnExit, so without this every run left a copy in the temp directory
            if (platform().startsWith("linux")) {
              Files.deleteIfExists(file);
            }
          }
          return null;
        }
      } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
        return "the MPI shim could not be loaded ("
            + e
            + "); it must be built against the MPI installed here: install Open MPI"
            + " (apt-get install openmpi-bin libopenmpi-dev) and rebuild jmor";
      }
    }

    private static String platform() {
      String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
      String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macos" : os;
      String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
      return o + "-" + a;
    }
  }

  /**
   * Whether the shim is present and loaded (it is loaded by the first call to this or any other
   * method). This does not initialize MPI.
   *
   * @return true if the MPI methods can be called
   */
  public static boolean isAvailable() {
    return Shim.FAILURE == null;
  }

  /**
   * Why the shim is not available, for messages and test assumptions.
   *
   * @return the reason, or the empty string if {@link #isAvailable()}
   */
  public static String unavailableReason() {
    String failure = Shim.FAILURE;
    return failure == null ? "" : failure;
  }

  /**
   * Whether this process was started by an MPI launcher ({@code mpirun}, {@code mpiexec}, {@code
   * srun}), read from the environment the launcher sets (Open MPI: {@code OMPI_COMM_WORLD_SIZE},
   * {@code PMIX_RANK}; MPICH: {@code PMI_RANK}). Does not load the shim. A process that was not
   * launched can still call {@link #initThread()} (a singleton of size 1), which costs about a
   * second.
   *
   * @return true if an MPI launcher's environment is present
   */
  public static boolean isLaunchedByMpirun() {
    Map<String, String> env = System.getenv();
    return env.containsKey("OMPI_COMM_WORLD_SIZE")
        || env.containsKey("PMIX_RANK")
        || env.containsKey("PMI_RANK");
  }

  private static void requireShim() {
    String failure = Shim.FAILURE;
    if (failure != null) {
      throw new MpiException(failure);
    }
  }

  private static void requireUp() {
    int s = state;
    if (s != UP) {
      requireShim();
      throw new MpiException(
          s == NOT_INITIALIZED
              ? "MPI is not initialized: call Mpi.initThread() first"
              : "MPI was finalized: no MPI call is allowed after Mpi.finalizeMpi()");
    }
  }

  // ---------------------------------------------------------------- life cycle

  /**
   * Initializes MPI ({@code MPI_Init_thread} asking for {@code MPI_THREAD_MULTIPLE}) and sets
   * {@code MPI_ERRORS_RETURN} on {@code MPI_COMM_WORLD}. If MPI is already initialized this only
   * returns the level it provides.
   *
   * @return the thread support provided: {@link #THREAD_SINGLE}, {@link #THREAD_FUNNELED}, {@link
   *     #THREAD_SERIALIZED} or {@link #THREAD_MULTIPLE}
   * @throws MpiException if the shim is missing, MPI was finalized, or initialization failed
   */
  public static int initThread() {
    requireShim();
    synchronized (Mpi.class) {
      if (state == FINALIZED) {
        throw new MpiException("MPI was finalized and cannot be initialized again");
      }
      int level = nInitThread();
      state = UP;
      return level;
    }
  }

  /**
   * @return whether MPI is initialized ({@code MPI_Initialized}; true also after finalize)
   */
  public static boolean isInitialized() {
    requireShim();
    return nInitialized();
  }

  /**
   * @return whether MPI is finalized ({@code MPI_Finalized})
   */
  public static boolean isFinalized() {
    requireShim();
    return nFinalized();
  }

  /**
   * @return this process's rank in {@code MPI_COMM_WORLD}
   */
  public static int rank() {
    requireUp();
    return nRank();
  }

  /**
   * @return the number of ranks in {@code MPI_COMM_WORLD}
   */
  public static int size() {
    requireUp();
    return nSize();
  }

  /** Blocks until every rank has called it ({@code MPI_Barrier}). */
  public static void barrier() {
    requireUp();
    nBarrier();
  }

  /**
   * Ends every rank of the job ({@code MPI_Abort} on {@code MPI_COMM_WORLD}); {@code mpirun} exits
   * with a non-zero code. If MPI is not initialized or already finalized, this halts the JVM with
   * {@code code} instead. Does not return.
   *
   * @param code the error code handed to the launcher
   */
  public static void abort(int code) {
    if (state == UP && isAvailable()) {
      nAbort(code);
    }
    Runtime.getRuntime().halt(code);
  }

  /**
   * Installs a default uncaught-exception handler that prints the exception with the rank and then
   * calls {@link #abort(int)}: a rank that dies of an exception takes the whole job down at once
   * (about half a second) instead of leaving the other ranks blocked.
   *
   * @param code the error code for {@link #abort(int)}
   */
  public static void abortOnUncaughtException(int code) {
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          try {
            String who = state == UP ? "rank " + nRank() : "process";
            System.err.println(
                "jmor-mpi: uncaught exception in thread \""
                    + thread.getName()
                    + "\" of "
                    + who
                    + ", aborting the MPI job");
            e.printStackTrace();
            System.err.flush();
          } finally {
            abort(code);
          }
        });
  }

  /**
   * Finalizes MPI ({@code MPI_Finalize}); call once, on the normal path, after every rank's last
   * communication. Later MPI calls throw {@link MpiException}.
   */
  public static void finalizeMpi() {
    synchronized (Mpi.class) {
      requireUp();
      state = FINALIZED;
      nFinalize();
    }
  }

  /**
   * @return the value of {@code MPI_ANY_SOURCE}, for {@link #probe} and the receives
   */
  public static int anySource() {
    requireShim();
    return Shim.CONSTANTS[0];
  }

  /**
   * @return the value of {@code MPI_ANY_TAG}, for {@link #probe} and the receives
   */
  public static int anyTag() {
    requireShim();
    return Shim.CONSTANTS[1];
  }

  // ---------------------------------------------------------------- point to point

  /**
   * Sends bytes ({@code MPI_Send} of {@code MPI_BYTE}); the array is pinned, not copied.
   *
   * @param b the array
   * @param off the first byte to send
   * @param len the number of bytes
   * @param dest the receiving rank
   * @param tag the tag (0 up to at least 32767)
   */
  public static void send(byte[] b, int off, int len, int dest, int tag) {
    Objects.checkFromIndexSize(off, len, b.length);
    requireUp();
    nSendBytes(b, off, len, dest, tag);
  }

  /**
   * Sends doubles ({@code MPI_Send} of {@code MPI_DOUBLE}); the array is pinned, not copied.
   *
   * @param d the array
   * @param off the first element to send
   * @param len the number of elements
   * @param dest the receiving rank
   * @param tag the tag
   */
  public static void send(double[] d, int off, int len, int dest, int tag) {
    Objects.checkFromIndexSize(off, len, d.length);
    requireUp();
    nSendDoubles(d, off, len, dest, tag);
  }

  /**
   * Sends the first {@code len} bytes of a direct buffer ({@code MPI_Send} of {@code MPI_BYTE}),
   * without a copy; position and limit are ignored.
   *
   * @param direct a direct buffer of capacity at least {@code len}
   * @param len the number of bytes
   * @param dest the receiving rank
   * @param tag the tag
   */
  public static void send(ByteBuffer direct, int len, int dest, int tag) {
    checkDirect(direct, len);
    requireUp();
    nSendDirect(direct, len, dest, tag);
  }

  /**
   * Waits for a message ({@code MPI_Probe}) without receiving it, holding no JNI resource while it
   * blocks.
   *
   * @param source the sending rank, or {@link #anySource()}
   * @param tag the tag, or {@link #anyTag()}
   * @param status filled with {@code {source, tag, count in bytes}} of the message
   */
  public static void probe(int source, int tag, int[] status) {
    if (status.length < 3) {
      throw new IllegalArgumentException("status needs 3 elements, has " + status.length);
    }
    requireUp();
    nProbe(source, tag, status);
  }

  /**
   * Checks for a message without waiting ({@code MPI_Iprobe}), which also lets MPI make progress.
   *
   * @param source the sending rank, or {@link #anySource()}
   * @param tag the tag, or {@link #anyTag()}
   * @param status filled with {@code {source, tag, count in bytes}} if a message is there
   * @return whether a message is there
   */
  public static boolean iprobe(int source, int tag, int[] status) {
    if (status.length < 3) {
      throw new IllegalArgumentException("status needs 3 elements, has " + status.length);
    }
    requireUp();
    return nIprobe(source, tag, status);
  }

  /**
   * Sets the calling thread's timer slack to 1 µs ({@code prctl(PR_SET_TIMERSLACK)}), so that its
   * short sleeps ({@code LockSupport.parkNanos}) last about as long as asked instead of the default
   * 50 µs more. Affects only this thread; a no-op where the call is not available.
   */
  public static void preciseSleeps() {
    requireShim();
    nPreciseSleeps();
  }

  /**
   * Waits for a message like {@link #probe}, without keeping a core busy for long: {@code
   * MPI_Iprobe} in a tight loop for {@code spinNanos}, then sleeps between probes (1 µs at first,
   * doubling up to {@code maxSleepNanos}). Open MPI's blocking calls poll the shared-memory queues
   * without ever giving the core away; where ranks and threads outnumber the cores, that starves
   * the threads doing the work. A message is therefore noticed at most {@code maxSleepNanos} late
   * once the spinning phase is over.
   *
   * @param source the sending rank, or {@link #anySource()}
   * @param tag the tag, or {@link #anyTag()}
   * @param status filled with {@code {source, tag, count in bytes}} of the message
   * @param spinNanos how long to poll before sleeping, >= 0
   * @param maxSleepNanos the longest sleep between two probes, >= 1000
   */
  public static void waitProbe(
      int source, int tag, int[] status, long spinNanos, long maxSleepNanos) {
    if (status.length < 3) {
      throw new IllegalArgumentException("status needs 3 elements, has " + status.length);
    }
    if (spinNanos < 0 || maxSleepNanos < 1000) {
      throw new IllegalArgumentException(
          "spinNanos must be >= 0 and maxSleepNanos >= 1000, got "
              + spinNanos
              + " and "
              + maxSleepNanos);
    }
    requireUp();
    nWaitProbe(source, tag, spinNanos, maxSleepNanos, status);
  }

  /**
   * Receives bytes ({@code MPI_Recv} of {@code MPI_BYTE}) into a native buffer of this thread, then
   * copies them into the array. A message longer than {@code len} is an error ({@code
   * MPI_ERR_TRUNCATE}).
   *
   * @param b the array
   * @param off where the first byte goes
   * @param len the room for the message, in bytes
   * @param source the sending rank, or {@link #anySource()}
   * @param tag the tag, or {@link #anyTag()}
   * @return the number of bytes received
   */
  public static int recv(byte[] b, int off, int len, int source, int tag) {
    Objects.checkFromIndexSize(off, len, b.length);
    requireUp();
    return nRecvBytes(b, off, len, source, tag);
  }

  /**
   * Receives doubles ({@code MPI_Recv} of {@code MPI_DOUBLE}) into a native buffer of this thread,
   * then copies them into the array.
   *
   * @param d the array
   * @param off where the first element goes
   * @param len the room for the message, in elements
   * @param source the sending rank, or {@link #anySource()}
   * @param tag the tag, or {@link #anyTag()}
   * @return the number of doubles received
   */
  public static int recv(double[] d, int off, int len, int source, int tag) {
    Objects.checkFromIndexSize(off, len, d.length);
    requireUp();
    return nRecvDoubles(d, off, len, source, tag);
  }

  /**
   * Receives bytes ({@code MPI_Recv}) straight into the array, which stays pinned (a JNI critical
   * region) until the message has arrived: no native buffer, no copy. While pinned, the garbage
   * collector of this JVM cannot run, so use it only for a message already on its way (for example
   * the parts announced by a control message just received) and never in a process whose other
   * threads the sender waits for.
   *
   * @param b the array
   * @param off where the first byte goes
   * @param len the room for the message, in bytes
   * @param source the sending rank, or {@link #anySource()}
   * @param tag the tag, or {@link #anyTag()}
   * @return the number of bytes received
   */
  public static int recvPinned(byte[] b, int off, int len, int source, int tag) {
    Objects.checkFromIndexSize(off, len, b.length);
    requireUp();
    return nRecvBytesPinned(b, off, len, source, tag);
  }

  /**
   * Receives doubles ({@code MPI_Recv} of {@code MPI_DOUBLE}) straight into the pinned array; the
   * same rules as {@link #recvPinned(byte[], int, int, int, int)}.
   *
   * @param d the array
   * @param off where the first element goes
   * @param len the room for the message, in elements
   * @param source the sending rank, or {@link #anySource()}
   * @param tag the tag, or {@link #anyTag()}
   * @return the number of doubles received
   */
  public static int recvPinned(double[] d, int off, int len, int source, int tag) {
    Objects.checkFromIndexSize(off, len, d.length);
    requireUp();
    return nRecvDoublesPinned(d, off, len, source, tag);
  }

  /**
   * Receives bytes straight into a direct buffer (from its address; position and limit are ignored
   * and unchanged).
   *
   * @param direct a direct buffer of capacity at least {@code len}
   * @param len the room for the message, in bytes
   * @param source the sending rank, or {@link #anySource()}
   * @param tag the tag, or {@link #anyTag()}
   * @return the number of bytes received
   */
  public static int recv(ByteBuffer direct, int len, int source, int tag) {
    checkDirect(direct, len);
    requireUp();
    return nRecvDirect(direct, len, source, tag);
  }

  // ---------------------------------------------------------------- collectives

  /**
   * Broadcasts bytes from {@code root} ({@code MPI_Bcast}); every rank must call it with the same
   * {@code len} and {@code root}. The root's array is pinned; the others receive into a native
   * buffer and copy.
   *
   * <p>Every broadcast of this class is an {@code MPI_Ibcast} completed by {@code MPI_Wait} before
   * it returns (so that the root can overlap work with it, {@link #bcastCopy}). MPI never matches a
   * non-blocking collective with a blocking one: every rank must broadcast through this class, not
   * through a plain {@code MPI_Bcast} in other native code.
   *
   * @param b the root's data, the others' destination
   * @param off the first byte
   * @param len the number of bytes
   * @param root the broadcasting rank
   */
  public static void bcast(byte[] b, int off, int len, int root) {
    Objects.checkFromIndexSize(off, len, b.length);
    requireUp();
    nBcastBytes(b, off, len, root);
  }

  /**
   * Broadcasts doubles from {@code root} ({@code MPI_Bcast} of {@code MPI_DOUBLE}).
   *
   * @param d the root's data, the others' destination
   * @param off the first element
   * @param len the number of elements
   * @param root the broadcasting rank
   */
  public static void bcast(double[] d, int off, int len, int root) {
    Objects.checkFromIndexSize(off, len, d.length);
    requireUp();
    nBcastDoubles(d, off, len, root);
  }

  /**
   * Broadcasts bytes from {@code root} like {@link #bcast(byte[], int, int, int)}, but every rank
   * pins its array for the whole operation, so that the other ranks receive straight into theirs
   * (no native buffer, no copy). The rules of {@link #recvPinned(byte[], int, int, int, int)}
   * apply: only for a broadcast the root is already issuing.
   *
   * @param b the root's data, the others' destination
   * @param off the first byte
   * @param len the number of bytes
   * @param root the broadcasting rank
   */
  public static void bcastPinned(byte[] b, int off, int len, int root) {
    Objects.checkFromIndexSize(off, len, b.length);
    requireUp();
    nBcastBytesPinned(b, off, len, root);
  }

  /**
   * Broadcasts doubles from {@code root} with every rank's array pinned; see {@link
   * #bcastPinned(byte[], int, int, int)}.
   *
   * @param d the root's data, the others' destination
   * @param off the first element
   * @param len the number of elements
   * @param root the broadcasting rank
   */
  public static void bcastPinned(double[] d, int off, int len, int root) {
    Objects.checkFromIndexSize(off, len, d.length);
    requireUp();
    nBcastDoublesPinned(d, off, len, root);
  }

  /**
   * The root's side of {@link #bcast(double[], int, int, int)} that also copies the data into
   * {@code copy} while the other ranks receive it (both arrays pinned; the copy runs between {@code
   * MPI_Ibcast} and {@code MPI_Wait}, in chunks of 256 KiB with an {@code MPI_Test} after each, so
   * that a transport that moves data only while the root is in MPI goes on meanwhile): one copy for
   * the root's own use then costs little time of its own. The other ranks call any of the {@code
   * double[]} broadcasts with the same length.
   *
   * @param d the data, from element 0
   * @param copy receives {@code d[0..len)} from element 0
   * @param len the number of elements
   * @param root this rank
   * @throws IndexOutOfBoundsException if an array is shorter than {@code len}
   * @throws IllegalArgumentException if {@code d} and {@code copy} are the same array
   * @throws MpiException if MPI fails
   */
  public static void bcastCopy(double[] d, double[] copy, int len, int root) {
    Objects.checkFromIndexSize(0, len, d.length);
    Objects.checkFromIndexSize(0, len, copy.length);
    if (d == copy) {
      throw new IllegalArgumentException("the copy must be another array");
    }
    requireUp();
    nBcastDoublesCopy(d, copy, len, root);
  }

  /**
   * Broadcasts the first {@code len} bytes of a direct buffer from {@code root}, without copies.
   *
   * @param direct a direct buffer of capacity at least {@code len}
   * @param len the number of bytes
   * @param root the broadcasting rank
   */
  public static void bcast(ByteBuffer direct, int len, int root) {
    checkDirect(direct, len);
    requireUp();
    nBcastDirect(direct, len, root);
  }

  /**
   * Scatters slices of the root's bytes ({@code MPI_Scatterv}): rank {@code i} receives {@code
   * counts[i]} bytes from {@code send[displs[i]..]}. Slices may be empty.
   *
   * @param send the root's data; ignored (may be null) elsewhere
   * @param counts the slice lengths, one per rank; significant only at the root (may be null
   *     elsewhere)
   * @param displs the slice starts in {@code send}; significant only at the root
   * @param recv this rank's destination (at index 0)
   * @param recvLen the length of this rank's slice; must equal {@code counts[rank]}
   * @param root the scattering rank
   */
  public static void scatterv(
      byte @Nullable [] send,
      int @Nullable [] counts,
      int @Nullable [] displs,
      byte[] recv,
      int recvLen,
      int root) {
    Objects.checkFromIndexSize(0, recvLen, recv.length);
    requireUp();
    boolean atRoot = nRank() == root;
    if (atRoot) {
      checkSlices(send, counts, displs, "send");
    }
    nScatterv(atRoot ? send : null, counts, displs, recv, recvLen, root);
  }

  /**
   * Gathers every rank's bytes at the root ({@code MPI_Gatherv}): rank {@code i}'s {@code len}
   * bytes land in {@code recv[displs[i]..]}, where {@code counts[i]} must equal that rank's {@code
   * len}. Slices may be empty.
   *
   * @param send this rank's data (from index 0)
   * @param len the number of bytes this rank contributes
   * @param recv the root's destination; ignored (may be null) elsewhere
   * @param counts the slice lengths, one per rank; significant only at the root
   * @param displs the slice starts in {@code recv}; significant only at the root
   * @param root the gathering rank
   */
  public static void gatherv(
      byte[] send,
      int len,
      byte @Nullable [] recv,
      int @Nullable [] counts,
      int @Nullable [] displs,
      int root) {
    Objects.checkFromIndexSize(0, len, send.length);
    requireUp();
    boolean atRoot = nRank() == root;
    if (atRoot) {
      checkSlices(recv, counts, displs, "recv");
    }
    nGatherv(send, len, atRoot ? recv : null, counts, displs, root);
  }

  private static void checkSlices(
      byte @Nullable [] data, int @Nullable [] counts, int @Nullable [] displs, String name) {
    if (data == null || counts == null || displs == null) {
      throw new IllegalArgumentException(
          "the root needs " + name + ", counts and displs (got null)");
    }
    int size = nSize();
    if (counts.length < size || displs.length < size) {
      throw new IllegalArgumentException(
          "counts and displs need one entry per rank (" + size + "), have " + counts.length);
    }
    for (int i = 0; i < size; i++) {
      Objects.checkFromIndexSize(displs[i], counts[i], data.length);
    }
  }

  private static void checkDirect(ByteBuffer buffer, int len) {
    if (!buffer.isDirect()) {
      throw new IllegalArgumentException("the buffer must be direct (ByteBuffer.allocateDirect)");
    }
    if (buffer.isReadOnly()) {
      throw new IllegalArgumentException("the buffer must not be read-only");
    }
    Objects.checkFromIndexSize(0, len, buffer.capacity());
  }

  // ---------------------------------------------------------------- the shim

  private static native int[] nConstants();

  private static native int nInitThread();

  private static native boolean nInitialized();

  private static native boolean nFinalized();

  private static native int nRank();

  private static native int nSize();

  private static native void nBarrier();

  private static native void nAbort(int code);

  private static native void nFinalize();

  private static native void nSendBytes(byte[] b, int off, int len, int dest, int tag);

  private static native void nSendDoubles(double[] d, int off, int len, int dest, int tag);

  private static native void nSendDirect(ByteBuffer b, int len, int dest, int tag);

  private static native void nProbe(int source, int tag, int[] status);

  private static native boolean nIprobe(int source, int tag, int[] status);

  private static native void nPreciseSleeps();

  private static native void nWaitProbe(
      int source, int tag, long spinNanos, long maxSleepNanos, int[] status);

  private static native int nRecvBytes(byte[] b, int off, int len, int source, int tag);

  private static native int nRecvDoubles(double[] d, int off, int len, int source, int tag);

  private static native int nRecvDirect(ByteBuffer b, int len, int source, int tag);

  private static native int nRecvBytesPinned(byte[] b, int off, int len, int source, int tag);

  private static native int nRecvDoublesPinned(double[] d, int off, int len, int source, int tag);

  private static native void nBcastBytesPinned(byte[] b, int off, int len, int root);

  private static native void nBcastDoublesPinned(double[] d, int off, int len, int root);

  private static native void nBcastBytes(byte[] b, int off, int len, int root);

  private static native void nBcastDoubles(double[] d, int off, int len, int root);

  private static native void nBcastDirect(ByteBuffer b, int len, int root);

  private static native void nBcastDoublesCopy(double[] d, double[] copy, int len, int root);

  private static native void nScatterv(
      byte @Nullable [] send,
      int @Nullable [] counts,
      int @Nullable [] displs,
      byte[] recv,
      int recvLen,
      int root);

  private static native void nGatherv(
      byte[] send,
      int len,
      byte @Nullable [] recv,
      int @Nullable [] counts,
      int @Nullable [] displs,
      int root);
}

package org.jmor.parallel.testkit;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A JUnit 5 extension that sends what a test class's JVM prints while it runs (the engines' logs:
 * Apache Ignite's driver-side warnings through SLF4J's simple logger, anything written to standard
 * output or error by the engines or by worker output relayed in this JVM) to a file of its own,
 * {@code DIR/<test class>.log}, and keeps the console for the test results. When a test fails, the
 * last {@value #TAIL} lines of that file (each cut at 400 characters) are printed to the console's
 * standard error, after a line naming the test and the file.
 *
 * <p>{@code DIR} is the system property {@value #DIR_PROPERTY}, else {@code target/engine-logs}
 * (relative to the working directory, which Maven's test runner sets to the module). Register it on
 * a class ({@code @ExtendWith(EngineLogs.class)}) or for every class of a module through JUnit's
 * extension auto-detection ({@code META-INF/services/org.junit.jupiter.api.extension.Extension} and
 * {@code junit.jupiter.extensions.autodetection.enabled=true}). {@code @Nested} classes write to
 * their top-level class's file. Test classes must not run in parallel within one JVM (JUnit's
 * default): the standard streams are swapped for the whole JVM. The file is appended to, never
 * truncated, so several runs of a class in one build stay readable; its first line of each run
 * names the class.
 */
public final class EngineLogs
    implements BeforeAllCallback,
        AfterAllCallback,
        TestWatcher,
        LifecycleMethodExecutionExceptionHandler {
  /**
   * The system property naming the directory of the logs; outside the {@code jmor.} namespace,
   * whose {@code jmor.<backend>.*} keys the pools check against their providers.
   */
  public static final String DIR_PROPERTY = "jmortest.engine-logs";

  /** How many of the log's last lines a failure prints. */
  public static final int TAIL = 40;

  /** The streams in use before each active redirection, innermost last. */
  private static final Deque<Active> ACTIVE = new ArrayDeque<>();

  private record Active(
      String testClass, Path file, PrintStream out, PrintStream err, PrintStream log) {}

  /** Creates the extension (JUnit calls this). */
  public EngineLogs() {}

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    Class<?> testClass = context.getRequiredTestClass();
    if (isNested(testClass) && !ACTIVE.isEmpty()) {
      return; // a @Nested class: its enclosing class's log is active
    }
    synchronized (ACTIVE) {
      Path dir = Path.of(System.getProperty(DIR_PROPERTY, "target/engine-logs"));
      Files.createDirectories(dir);
      Path file = dir.resolve(testClass.getName() + ".log").toAbsolutePath();
      PrintStream log =
          new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
      log.println("==== " + testClass.getName() + " (" + java.time.Instant.now() + ")");
      ACTIVE.push(new Active(testClass.getName(), file, System.out, System.err, log));
      System.setOut(log);
      System.setErr(log);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    synchronized (ACTIVE) {
      Active a = ACTIVE.peek();
      if (a == null || !a.testClass().equals(testClass.getName())) {
        return; // a @Nested class
      }
      ACTIVE.pop();
      System.setOut(a.out());
      System.setErr(a.err());
      a.log().close();
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    printTail(context);
  }

  /** A {@code @BeforeAll} method failed (a cluster that did not start): the log's tail too. */
  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable cause)
      throws Throwable {
    printTail(context);
    throw cause;
  }

  private static void printTail(ExtensionContext context) {
    Active a;
    synchronized (ACTIVE) {
      a = ACTIVE.peek();
    }
    if (a == null) {
      return;
    }
    a.log().flush();
    PrintStream console = a.err();
    console.println(
        "---- "
            + testName(context)
            + " failed; the last lines of its engine log "
            + a.file()
            + ":");
    for (String line : tail(a.file(), TAIL)) {
      console.println(line);
    }
    console.println("---- end of " + a.file().getFileName());
  }

  /** The failed test as {@code Class.method}, with its display name when that says more. */
  private static String testName(ExtensionContext context) {
    String display = context.getDisplayName();
    String cls = context.getTestClass().map(Class::getSimpleName).orElse("");
    return context
        .getTestMethod()
        .map(
            m ->
                cls
                    + "."
                    + m.getName()
                    + (display.startsWith(m.getName() + "(") ? "" : " [" + display + "]"))
        .orElse(cls.isEmpty() ? display : cls);
  }

  /** Whether {@code c} is an inner class, as JUnit's {@code @Nested} classes are. */
  private static boolean isNested(Class<?> c) {
    return c.isMemberClass() && !java.lang.reflect.Modifier.isStatic(c.getModifiers());
  }

  /** The last {@code n} lines of {@code file}, or one line saying why it cannot be read. */
  static List<String> tail(Path file, int n) {
    try {
      List<String> lines =
          new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
              .lines()
              .map(l -> l.length() > 400 ? l.substring(0, 400) + " …" : l)
              .toList();
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    } catch (IOException | UncheckedIOException e) {
      return List.of("(cannot read " + file + ": " + e + ")");
    }
  }
}

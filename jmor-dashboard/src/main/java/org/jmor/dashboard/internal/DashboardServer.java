package org.jmor.dashboard.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jmor.parallel.events.Recorder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP server (the JDK's {@code com.sun.net.httpserver}): the page and its assets
 * from the jar, the state as JSON ({@code /state}) and the live stream of server-sent events
 * ({@code /events}). Every request needs the token (query parameter {@code token}); without it or
 * with a wrong one the answer is 403 with no body. Only GET is served (405 otherwise).
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

  /** The most slices in one message: the page keeps the latest anyway. */
  static final int MAX_SLICES = 20_000;

  /** The most pages open at once (each holds a server thread). */
  static final int MAX_STREAMS = 16;

  private static final int RING = 65_536;
  private static final String END = "\u0000end";
  private static final String RESOURCES = "/org/jmor/dashboard/static/";
  private static final Map<String, String> ASSETS =
      Map.of(
          "app.js", "text/javascript; charset=utf-8",
          "style.css", "text/css; charset=utf-8",
          "chart.umd.js", "text/javascript; charset=utf-8",
          "chart.js-LICENSE.md", "text/plain; charset=utf-8");
  private static final String CSP =
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private final ObjectMapper json = new ObjectMapper();
  private final RunState state;
  private final AutoCloseable subscription;
  private final String token;
  private final byte[] tokenBytes;
  private final HttpServer server;
  private final ExecutorService httpThreads;
  private final ScheduledExecutorService ticker;
  private final ScheduledFuture<?> ticks;
  private final URI url;
  private final Map<String, Asset> assets = new ConcurrentHashMap<>();
  private final byte[] page;
  private final Set<BlockingQueue<String>> streams = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object tickLock = new Object();
  private long tickSeq; // guarded by tickLock

  private DashboardServer(
      Recorder recorder, InetAddress address, int port, Duration window, Duration refresh)
      throws IOException {
    this.state = new RunState(window.toNanos(), RING, recorder::nanos);
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    this.tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
    for (Map.Entry<String, String> a : ASSETS.entrySet()) {
      assets.put(a.getKey(), new Asset(a.getValue(), resource(a.getKey())));
    }
    this.page =
        new String(resource("index.html"), StandardCharsets.UTF_8)
            .replace("@TOKEN@", token)
            .getBytes(StandardCharsets.UTF_8);
    this.server = HttpServer.create(new InetSocketAddress(address, port), 0);
    AtomicInteger count = new AtomicInteger();
    this.httpThreads =
        Executors.newCachedThreadPool(
            daemon(() -> "jmor-dashboard-http-" + count.incrementAndGet()));
    this.ticker = Executors.newSingleThreadScheduledExecutor(daemon(() -> "jmor-dashboard-ticker"));
    server.setExecutor(httpThreads);
    server.createContext("/", this::handle);
    server.start();
    this.url = url(address, server.getAddress().getPort(), token);
    // subscribe last: nothing is recorded into a server that failed to start
    this.subscription = recorder.subscribe(state);
    long period = refresh.toMillis();
    this.ticks = ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts a server on the given address and port that shows the given recorder's events.
   *
   * @param recorder the recorder, on
   * @param address the address to bind
   * @param port the port, 0 for a random free one
   * @param window how far back the task stream reaches
   * @param refresh how often the open pages are updated
   * @return the running server
   * @throws UncheckedIOException if the address and port cannot be bound
   */
  public static DashboardServer start(
      Recorder recorder, InetAddress address, int port, Duration window, Duration refresh) {
    try {
      return new DashboardServer(recorder, address, port, window, refresh);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the dashboard on "
              + hostForUrl(address)
              + ":"
              + port
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * @return the page's URL, with the token
   */
  public URI url() {
    return url;
  }

  /**
   * @return the port the server listens on
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops the server: unsubscribes, ends the event streams (each open page gets the final state and
   * an {@code end} event), waits up to 2 s for them to flush, and closes the port. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.warn("dashboard: unsubscribing from the recorder failed: {}", e.toString());
    }
    ticks.cancel(false);
    ticker.shutdownNow();
    // every open page gets the final state, then the end
    String last = null;
    try {
      last = json.writeValueAsString(state.update(0, MAX_SLICES, true));
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("dashboard: the final state failed: {}", e.toString());
    }
    for (BlockingQueue<String> q : streams) {
      q.clear();
      if (last != null) {
        q.offer(last);
      }
      q.offer(END);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (!streams.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.stop(0);
    httpThreads.shutdownNow();
    try {
      if (!httpThreads.awaitTermination(2, TimeUnit.SECONDS)) {
        LOG.warn("dashboard: some HTTP threads did not end within 2 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends what was recorded since the last tick to every open page. */
  private void tick() {
    try {
      if (streams.isEmpty()) {
        return;
      }
      String message;
      synchronized (tickLock) {
        RunState.Update u = state.update(tickSeq, MAX_SLICES, false);
        tickSeq = u.seq();
        message = json.writeValueAsString(u);
      }
      for (BlockingQueue<String> q : streams) {
        if (!q.offer(message)) {
          // a page that does not keep up gets the whole state again instead
          q.clear();
          q.offer(json.writeValueAsString(state.update(0, MAX_SLICES, true)));
        }
      }
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("dashboard: an update failed: {}", e.toString());
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
      if (!tokenMatches(ex.getRequestURI().getRawQuery())) {
        ex.sendResponseHeaders(403, -1);
        return;
      }
      if (!"GET".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "GET");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      String path = ex.getRequestURI().getPath();
      Asset asset = path.startsWith("/static/") ? assets.get(path.substring(8)) : null;
      if (path.equals("/") || path.equals("/index.html")) {
        ex.getResponseHeaders().set("Content-Security-Policy", CSP);
        send(ex, "text/html; charset=utf-8", page);
      } else if (path.equals("/state")) {
        send(ex, "application/json", json.writeValueAsBytes(state.update(0, MAX_SLICES, true)));
      } else if (path.equals("/events")) {
        stream(ex);
      } else if (asset != null) {
        send(ex, asset.type(), asset.body());
      } else {
        ex.sendResponseHeaders(404, -1);
      }
    } finally {
      ex.close();
    }
  }

  /** Serves {@code /events}: a full state, then one update per tick, until close or disconnect. */
  private void stream(HttpExchange ex) throws IOException {
    BlockingQueue<String> queue = new LinkedBlockingQueue<>(64);
    if (closed.get() || streams.size() >= MAX_STREAMS) {
      ex.sendResponseHeaders(503, -1);
      return;
    }
    streams.add(queue);
    try {
      ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      write(out, "retry: 2000\n\n");
      write(out, event("state", json.writeValueAsString(state.update(0, MAX_SLICES, true))));
      while (true) {
        String message = queue.poll(15, TimeUnit.SECONDS);
        if (message == null) {
          write(out, ": keep-alive\n\n"); // finds pages that went away
        } else if (message.equals(END)) {
          write(out, event("end", "{}"));
          break;
        } else {
          write(out, event("state", message));
        }
      }
    } catch (IOException e) {
      LOG.debug("dashboard: an event stream ended: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      streams.remove(queue);
    }
  }

  /** A file the page loads, read from the jar at start. */
  private static final class Asset {
    private final String type;
    private final byte[] body;

    Asset(String type, byte[] body) {
      this.type = type;
      this.body = body;
    }

    String type() {
      return type;
    }

    byte[] body() {
      return body;
    }
  }

  private static String event(String name, String data) {
    // the JSON has no raw line breaks, so it is one data line
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void send(HttpExchange ex, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private boolean tokenMatches(@Nullable String rawQuery) {
    if (rawQuery == null) {
      return false;
    }
    boolean ok = false;
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.startsWith("token=")) {
        String given = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
        // constant time, so that the token cannot be guessed from response times
        ok = MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), tokenBytes);
      }
    }
    return ok;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = DashboardServer.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException("the dashboard's asset " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    }
  }

  private static URI url(InetAddress address, int port, String token) {
    return URI.create("http://" + hostForUrl(address) + ":" + port + "/?token=" + token);
  }

  private static String hostForUrl(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      try {
        return InetAddress.getLocalHost().getCanonicalHostName();
      } catch (IOException e) {
        return "localhost";
      }
    }
    String host = address.getHostAddress();
    return address instanceof Inet6Address ? "[" + host.replaceFirst("%.*$", "") + "]" : host;
  }

  private static ThreadFactory daemon(java.util.function.Supplier<String> name) {
    return r -> {
      Thread t = new Thread(r, name.get());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * @return the token (for tests)
   */
  String token() {
    return token;
  }
}

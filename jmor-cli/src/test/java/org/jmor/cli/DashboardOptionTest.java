package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --dashboard[=PORT]} without a browser: the URL line, the port, the positional parameters
 * left alone, bad and taken ports, and the server gone after the run (the page itself is tested in
 * {@code DashboardBrowserIT}).
 */
@Timeout(300)
class DashboardOptionTest {
  private static final Pattern URL =
      Pattern.compile(
          "(?m)^dashboard: (http://127\\.0\\.0\\.1:(\\d+)/\\?token=[A-Za-z0-9_-]{22})$");

  private static int run(StringWriter err, String... args) {
    try {
      return Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    } finally {
      WorkerPools.resetParallelPool();
    }
  }

  private static void assertGone(URI url) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    assertThatThrownBy(
            () ->
                http.send(
                    HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void theUrlGoesToStandardErrorAndTheServerStopsWithTheRun() {
    StringWriter err = new StringWriter();
    int code =
        run(
            err,
            "sweep",
            "--pool",
            "threads:2",
            "--dashboard",
            "--dampings",
            "2",
            "--frequencies",
            "2");
    assertThat(code).as(err.toString()).isZero();
    Matcher m = URL.matcher(err.toString());
    assertThat(m.find()).as(err.toString()).isTrue();
    assertGone(URI.create(m.group(1)));
  }

  @Test
  void aSeparateNumberIsAPositionalParameterNotThePort() {
    StringWriter err = new StringWriter();
    // 2 2 3 5 are XBLOCKS YBLOCKS SNAPSHOTS RBSIZE, not a port
    int code =
        run(
            err,
            "thermalblock",
            "--pool",
            "threads:2",
            "--grid",
            "10",
            "--no-plots",
            "--test",
            "0",
            "--dashboard",
            "2",
            "2",
            "3",
            "5");
    assertThat(code).as(err.toString()).isZero();
    Matcher m = URL.matcher(err.toString());
    assertThat(m.find()).as(err.toString()).isTrue();
    assertThat(Integer.parseInt(m.group(2))).isNotEqualTo(2);
    assertGone(URI.create(m.group(1)));
  }

  @Test
  void anAttachedPortIsUsed() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    StringWriter err = new StringWriter();
    int code =
        run(
            err,
            "sweep",
            "--pool",
            "threads:2",
            "--dashboard=" + port,
            "--dampings",
            "1",
            "--frequencies",
            "1");
    assertThat(code).as(err.toString()).isZero();
    Matcher m = URL.matcher(err.toString());
    assertThat(m.find()).as(err.toString()).isTrue();
    assertThat(Integer.parseInt(m.group(2))).isEqualTo(port);
  }

  @Test
  void aBadOrTakenPortIsBadInputInOneLine() throws Exception {
    StringWriter err = new StringWriter();
    assertThat(run(err, "sweep", "--dashboard=70000")).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString().strip())
        .doesNotContain("\n")
        .contains("--dashboard=70000")
        .contains("0 (a random free port) to 65535");

    err = new StringWriter();
    assertThat(run(err, "sweep", "--dashboard=http")).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("--dashboard");

    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      err = new StringWriter();
      int code = run(err, "sweep", "--pool", "threads:2", "--dashboard=" + taken.getLocalPort());
      assertThat(code).as(err.toString()).isEqualTo(Main.BAD_INPUT);
      assertThat(err.toString().strip())
          .doesNotContain("\n")
          .contains("--dashboard=" + taken.getLocalPort())
          .contains("127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void theHelpShowsTheOption() {
    StringWriter out = new StringWriter();
    Main.run(
        new PrintWriter(out, true),
        new PrintWriter(new StringWriter(), true),
        "thermalblock",
        "--help");
    assertThat(out.toString()).contains("--dashboard[=PORT]");
  }
}

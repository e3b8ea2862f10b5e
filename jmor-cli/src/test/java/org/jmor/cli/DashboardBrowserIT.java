package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jmor.parallel.WorkerPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Issue 19 item 4: the thermal-block demo with {@code --dashboard} on {@code threads:2}, in this
 * JVM, watched in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven
 * by Selenium). Skipped where they are missing.
 */
class DashboardBrowserIT {
  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Pattern URL =
      Pattern.compile("^dashboard: (http://127\\.0\\.0\\.1:\\d+/\\?token=\\S+)$");

  @TempDir Path tmp;

  @AfterEach
  void reset() {
    WorkerPools.resetParallelPool();
  }

  /** The lines written to it, as they are completed. */
  private static final class Lines extends Writer {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final StringBuilder all = new StringBuilder();
    private final StringBuilder line = new StringBuilder();

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        all.append(buf[i]);
        if (buf[i] == '\n') {
          lines.add(line.toString());
          line.setLength(0);
        } else if (buf[i] != '\r') {
          line.append(buf[i]);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    synchronized String text() {
      return all.toString();
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void theDemoShowsItsRunLiveInHeadlessChromium() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1000");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    Path driverLog = Paths.get("target", "chromedriver.log");
    Files.createDirectories(driverLog.getParent());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(driverLog.toFile())
            .build();
    WebDriver driver = null;
    PrintStream savedOut = System.out;
    try {
      // the browser first (it takes seconds to start), then the run
      driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));

      Path json = tmp.resolve("run.json");
      Lines err = new Lines();
      // the run's report is not this test's output
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      // a greedy search of 10 extensions over 4^9 training parameters: some seconds each
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(
              () ->
                  Main.run(
                      new PrintWriter(Writer.nullWriter(), true),
                      new PrintWriter(err, true),
                      "thermalblock",
                      "--pool",
                      "threads:2",
                      "--dashboard",
                      "--grid",
                      "20",
                      "--no-plots",
                      "--test",
                      "0",
                      "--json",
                      json.toString(),
                      "3",
                      "3",
                      "4",
                      "10"));
      URI url = awaitUrl(err, run);
      watch(driver, url, run, err, json);
    } finally {
      System.setOut(savedOut);
      if (driver != null) {
        driver.quit();
      }
      service.stop();
    }
  }

  private static URI awaitUrl(Lines err, CompletableFuture<Integer> run) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String line = err.lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        Matcher m = URL.matcher(line);
        if (m.matches()) {
          return URI.create(m.group(1));
        }
      }
      if (run.isDone() && err.lines.isEmpty()) {
        throw new AssertionError("the run ended without a dashboard line: " + err.text());
      }
    }
    throw new AssertionError("no 'dashboard: URL' line within " + WAIT + ": " + err.text());
  }

  private static void watch(
      WebDriver driver, URI url, CompletableFuture<Integer> run, Lines err, Path json)
      throws Exception {
    // no token, or a wrong one: refused (plain HTTP, no browser)
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    URI noToken = URI.create("http://" + url.getHost() + ":" + url.getPort() + "/state");
    assertThat(get(http, noToken).statusCode()).isEqualTo(403);
    assertThat(get(http, URI.create(noToken + "?token=wrong")).statusCode()).isEqualTo(403);

    driver.get(url.toString());
    assertThat(driver.getTitle()).isEqualTo("jmor dashboard");

    // live: the greedy chart gains points while the search runs, both workers get lanes
    List<Integer> points = new ArrayList<>();
    boolean shot = false;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!run.isDone() && System.nanoTime() < deadline) {
      int n = points(driver);
      if (points.isEmpty() || points.get(points.size() - 1) != n) {
        points.add(n);
      }
      if (!shot && n >= 4 && workers(driver) == 2) {
        screenshot(driver, Paths.get("target", "dashboard.png"));
        shot = true;
      }
      Thread.sleep(100);
    }
    assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(err.text()).isZero();

    // the run ended: the page got the last state and the end event
    awaitAttribute(driver, By.id("status"), "data-state", "ended");
    int extensions = extensions(json);
    assertThat(extensions).isEqualTo(10);
    points.add(points(driver));
    assertThat(points).as("points seen").isSorted();
    assertThat(points.get(points.size() - 1)).as("points at the end").isEqualTo(extensions);
    assertThat(points)
        .as("the chart gained points during the run, not all at the end")
        .anyMatch(n -> n > 0 && n < extensions);

    WebElement stream = driver.findElement(By.id("task-stream"));
    assertThat(stream.getAttribute("data-workers")).isEqualTo("2");
    List<WebElement> rows = driver.findElements(By.cssSelector("#workers tr.worker"));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getAttribute("data-worker")).isEqualTo("0");
    assertThat(rows.get(1).getAttribute("data-worker")).isEqualTo("1");
    for (WebElement row : rows) {
      assertThat(Long.parseLong(row.getAttribute("data-tasks"))).isPositive();
    }
    screenshot(driver, Paths.get("target", shot ? "dashboard-ended.png" : "dashboard.png"));

    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(e.getMessage());
      }
    }
    assertThat(errors).as("console errors").isEmpty();

    // the server is gone with the run
    assertThatThrownBy(() -> get(http, url)).isInstanceOf(ConnectException.class);
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int points(WebDriver driver) {
    return Integer.parseInt(driver.findElement(By.id("greedy")).getAttribute("data-points"));
  }

  private static int workers(WebDriver driver) {
    return Integer.parseInt(driver.findElement(By.id("task-stream")).getAttribute("data-workers"));
  }

  private static void awaitAttribute(WebDriver driver, By by, String name, String value)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      seen = driver.findElement(by).getAttribute(name);
      if (value.equals(seen)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(by + " " + name + " is " + seen + ", not " + value + " within 30 s");
  }

  private static int extensions(Path json) throws Exception {
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    return root.get("greedy").get("max_errs").size();
  }

  private static void screenshot(WebDriver driver, Path to) throws Exception {
    File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.createDirectories(to.getParent());
    Files.copy(png.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
  }
}

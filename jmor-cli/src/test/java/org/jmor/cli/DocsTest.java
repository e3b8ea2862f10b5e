package org.jmor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The repository's Markdown: every relative link resolves (files, and headings for anchors), and
 * every {@code ./jmor SUB} in a shell code block names a command that exists, asked of the CLI
 * ({@link Main}'s picocli subcommands) and of the {@code ./jmor} script (the commands it dispatches
 * itself).
 */
class DocsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static Set<String> scriptCommands;
  private static Map<String, Set<String>> cliCommands;
  private static Set<String> cliOptions;

  @BeforeAll
  static void askTheCommandLine() throws IOException {
    assertThat(ROOT.resolve("README.md")).as("the repository's root").isRegularFile();
    CommandLine main = new CommandLine(new Main());
    cliCommands = new LinkedHashMap<>();
    main.getSubcommands()
        .forEach((name, sub) -> cliCommands.put(name, sub.getSubcommands().keySet()));
    cliOptions = new LinkedHashSet<>();
    main.getCommandSpec().options().forEach(o -> cliOptions.addAll(List.of(o.names())));
    scriptCommands = scriptCommands(Files.readString(ROOT.resolve("jmor")));
  }

  /**
   * The commands the {@code ./jmor} script handles itself, before it hands the rest to the CLI:
   * tests of its first argument ({@code [ "${1:-}" = "bench" ]}) and the patterns of a {@code case}
   * on it.
   */
  static Set<String> scriptCommands(String script) {
    Set<String> out = new LinkedHashSet<>();
    Matcher test =
        Pattern.compile("\"\\$\\{?1(?::-)?\\}?\"\\s*==?\\s*\"?([a-z][a-z0-9-]*)").matcher(script);
    while (test.find()) {
      out.add(test.group(1));
    }
    Matcher cases =
        Pattern.compile("(?ms)^case \"\\$\\{?1(?::-)?\\}?\" in\\s*$(.*?)^esac").matcher(script);
    while (cases.find()) {
      Matcher pattern = Pattern.compile("(?m)^\\s*([a-z][a-z0-9|-]*)\\)").matcher(cases.group(1));
      while (pattern.find()) {
        out.addAll(List.of(pattern.group(1).split("\\|")));
      }
    }
    return out;
  }

  @Test
  void theCommandsAreFound() {
    assertThat(cliCommands).containsKeys("thermalblock", "analyze-pickle", "sweep", "worker");
    assertThat(cliCommands.get("analyze-pickle")).contains("histogram", "convergence");
    assertThat(scriptCommands).contains("bench", "mpi");
    assertThat(cliOptions).contains("--help", "--version");
  }

  @Test
  void everyMarkdownFileIsChecked() {
    assertThat(MarkdownCheck.markdownFiles(ROOT))
        .contains(ROOT.resolve("README.md"), ROOT.resolve("docs/guide.md"))
        .noneMatch(p -> ROOT.relativize(p).toString().contains("target/"));
  }

  @Test
  void everyRelativeLinkResolves() {
    assertThat(MarkdownCheck.brokenLinks(ROOT)).isEmpty();
  }

  @Test
  void everyShellCommandNamesACommandThatExists() {
    assertThat(MarkdownCheck.unknownCommands(ROOT, scriptCommands, cliCommands, cliOptions))
        .isEmpty();
  }

  @Test
  void slugsFollowGitHubsRules() {
    assertThat(
            MarkdownCheck.slug(
                "A pool that outlives a lost worker (`jmor.pool.on-worker-loss=shrink`)"))
        .isEqualTo("a-pool-that-outlives-a-lost-worker-jmorpoolon-worker-lossshrink");
    assertThat(MarkdownCheck.slug("Walk-through: the `processes` backend"))
        .isEqualTo("walk-through-the-processes-backend");
    assertThat(MarkdownCheck.slug("Every option of pyMOR's demo"))
        .isEqualTo("every-option-of-pymors-demo");
    assertThat(MarkdownCheck.slug("Cluster pool (Apache Ignite 2.17)"))
        .isEqualTo("cluster-pool-apache-ignite-217");
    assertThat(MarkdownCheck.anchorsOf("# A\n## A\n```\n# not a heading\n```\n### [B](x.md)\n"))
        .containsExactly("a", "a-1", "b");
  }

  /** The checker itself finds what is wrong: a checker that finds nothing would pass anything. */
  @Test
  void theCheckerFindsBrokenLinksAnchorsAndCommands(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("docs"));
    Files.createDirectories(dir.resolve("target"));
    Files.writeString(
        dir.resolve("README.md"),
        String.join(
            "\n",
            "# Title",
            "",
            "## Good section",
            "",
            "[ok](docs/a.md), [ok too](docs/a.md#the-heading), [here](#good-section),",
            "[missing](docs/nope.md), [bad anchor](docs/a.md#no-such-heading),",
            "[outside](../elsewhere.md), `[in code](nope.md)`, [web](https://example.com/x).",
            "",
            "```java",
            "String s = \"[x](not-a-link.md)\";",
            "```",
            "",
            "```sh",
            "./jmor thermalblock 2 2 3 5",
            "./jmor nosuchcommand --x   # a comment",
            "./jmor mpi -n 2 -- thermalblok 2 2 3 5",
            "./jmor analyze-pickle histgram P_reduced 6",
            "java -jar jmor-cli/target/jmor-cli.jar \\",
            "    wrker --once",
            "```",
            "",
            "```console",
            "$ ./jmor --hlp",
            "./jmor output-line-not-a-command",
            "```",
            "",
            "```",
            "./jmor untagged-block-not-checked",
            "```",
            ""));
    Files.writeString(dir.resolve("docs/a.md"), "# The heading\n\n[back](../README.md#title)\n");
    Files.writeString(dir.resolve("target/broken.md"), "[skipped](nope.md)\n");

    assertThat(MarkdownCheck.brokenLinks(dir))
        .containsExactly(
            "README.md:6: (docs/nope.md) no such file docs/nope.md",
            "README.md:6: (docs/a.md#no-such-heading) no heading #no-such-heading in docs/a.md",
            "README.md:7: (../elsewhere.md) points outside the repository");

    List<String> commands =
        MarkdownCheck.unknownCommands(dir, scriptCommands, cliCommands, cliOptions);
    assertThat(commands).hasSize(5);
    assertThat(commands.get(0)).startsWith("README.md:15: 'nosuchcommand' is not a jmor command");
    assertThat(commands.get(1)).startsWith("README.md:16: 'jmor mpi -- thermalblok': no such");
    assertThat(commands.get(2)).startsWith("README.md:17: 'analyze-pickle histgram': no such");
    assertThat(commands.get(3)).startsWith("README.md:18: 'wrker' is not a jmor command");
    assertThat(commands.get(4)).startsWith("README.md:23: '--hlp' is not an option of jmor");
  }

  @Test
  void theScriptsOwnCommandsAreRead() {
    String script =
        String.join(
            "\n",
            "if [ \"${1:-}\" = \"bench\" ]; then exit; fi",
            "case \"$1\" in",
            "  launch|start) run ;;",
            "  -h|--help) usage ;;",
            "esac",
            "");
    assertThat(scriptCommands(script)).containsExactly("bench", "launch", "start");
  }
}

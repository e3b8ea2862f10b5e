package org.jmor.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks the repository's Markdown files: every relative link resolves to a file in the repository
 * (and, for {@code #anchor}, to a heading of the target under GitHub's slug rules), and every
 * {@code ./jmor SUB} in a code block marked as a shell command names a subcommand that exists. Each
 * method returns the problems found, one line each ({@code file:line: what}), empty when all is
 * well.
 */
final class MarkdownCheck {
  /** The info strings of fenced code blocks that hold shell commands. */
  private static final Set<String> SHELL = Set.of("sh", "bash", "shell", "console");

  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^\\s`]*).*$");
  private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern HTML_ANCHOR =
      Pattern.compile("<a\\s+(?:name|id)\\s*=\\s*\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
  private static final Pattern REFERENCE_DEFINITION =
      Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*(\\S+)", Pattern.MULTILINE);
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  private final Path root;
  private final Map<Path, Set<String>> anchors = new HashMap<>();

  private MarkdownCheck(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /**
   * The Markdown files under {@code root}, skipping {@code target/}, {@code .git/} and other hidden
   * directories, and {@code node_modules/}.
   */
  static List<Path> markdownFiles(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p))
          .filter(
              p -> {
                for (Path part : root.relativize(p)) {
                  String s = part.toString();
                  if (s.equals("target") || s.equals("node_modules") || s.startsWith(".")) {
                    return false;
                  }
                }
                return true;
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The broken relative links of every Markdown file under {@code root}. */
  static List<String> brokenLinks(Path root) {
    MarkdownCheck check = new MarkdownCheck(root);
    List<String> problems = new ArrayList<>();
    for (Path file : markdownFiles(root)) {
      problems.addAll(check.brokenLinksOf(file));
    }
    return problems;
  }

  /**
   * The {@code ./jmor WORD} (and {@code -jar jmor-cli.jar WORD}, {@code org.jmor.cli.Main WORD})
   * invocations in shell code blocks of every Markdown file under {@code root} whose WORD is not a
   * command.
   *
   * @param scriptCommands the commands that the {@code ./jmor} script dispatches itself
   * @param cliCommands the CLI's subcommands, each with its own subcommands (possibly none)
   * @param cliOptions the options of the CLI's top-level command ({@code --help}, ...)
   */
  static List<String> unknownCommands(
      Path root,
      Set<String> scriptCommands,
      Map<String, Set<String>> cliCommands,
      Set<String> cliOptions) {
    List<String> problems = new ArrayList<>();
    for (Path file : markdownFiles(root)) {
      String shown = root.toAbsolutePath().normalize().relativize(file.toAbsolutePath()).toString();
      for (Command c : shellCommands(read(file))) {
        String why = checkCommand(c.words(), scriptCommands, cliCommands, cliOptions);
        if (why != null) {
          problems.add(shown + ":" + c.line() + ": " + why + " in: " + String.join(" ", c.words()));
        }
      }
    }
    return problems;
  }

  /** A shell command line (continuations joined) and the line of the file where it starts. */
  record Command(int line, List<String> words) {}

  /** The command lines of the shell code blocks of {@code text}. */
  static List<Command> shellCommands(String text) {
    List<Command> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    String fence = null;
    boolean shell = false;
    boolean console = false;
    StringBuilder pending = null;
    int pendingLine = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      Matcher m = FENCE.matcher(line);
      if (fence == null) {
        if (m.matches()) {
          fence = m.group(1);
          String info = m.group(2).toLowerCase(Locale.ROOT);
          shell = SHELL.contains(info);
          console = info.equals("console");
        }
        continue;
      }
      if (m.matches() && m.group(1).startsWith(fence) && m.group(2).isEmpty()) {
        fence = null;
        pending = null;
        continue;
      }
      if (!shell) {
        continue;
      }
      String cmd = line.strip();
      if (pending == null) {
        if (console) {
          if (!cmd.startsWith("$ ")) {
            continue; // output
          }
          cmd = cmd.substring(2);
        }
        pending = new StringBuilder();
        pendingLine = i + 1;
      }
      boolean continued = cmd.endsWith("\\");
      pending.append(continued ? cmd.substring(0, cmd.length() - 1) : cmd).append(' ');
      if (!continued) {
        String joined = stripComment(pending.toString()).strip();
        if (!joined.isEmpty()) {
          out.add(new Command(pendingLine, List.of(joined.split("\\s+"))));
        }
        pending = null;
      }
    }
    return out;
  }

  /** The line without a shell comment ({@code #} at the start of a word, outside quotes). */
  private static String stripComment(String line) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single) {
        dbl = !dbl;
      } else if (c == '#'
          && !single
          && !dbl
          && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** Why the invocations in {@code words} name no command, or null if they all do. */
  static String checkCommand(
      List<String> words,
      Set<String> scriptCommands,
      Map<String, Set<String>> cliCommands,
      Set<String> cliOptions) {
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      boolean script = w.equals("./jmor") || w.endsWith("/jmor");
      boolean cli =
          (w.endsWith("jmor-cli.jar") && i > 0 && words.get(i - 1).equals("-jar"))
              || w.equals("org.jmor.cli.Main");
      if (!script && !cli) {
        continue;
      }
      if (i + 1 >= words.size()) {
        continue; // no command: prints the usage
      }
      String sub = words.get(i + 1);
      if (sub.contains("$")) {
        continue; // a variable: cannot be checked
      }
      if (sub.startsWith("-")) {
        if (!cliOptions.contains(sub)) {
          return "'" + sub + "' is not an option of jmor (" + cliOptions + ")";
        }
        continue;
      }
      if (script && scriptCommands.contains(sub)) {
        if (sub.equals("mpi")) {
          int dashes = words.subList(i + 2, words.size()).indexOf("--");
          if (dashes >= 0 && i + 3 + dashes < words.size()) {
            String inner = words.get(i + 3 + dashes);
            if (!inner.startsWith("-") && !cliCommands.containsKey(inner)) {
              return "'jmor mpi -- " + inner + "': no such command " + cliCommands.keySet();
            }
          }
        }
        continue;
      }
      Set<String> nested = cliCommands.get(sub);
      if (nested == null) {
        Set<String> all = new LinkedHashSet<>(cliCommands.keySet());
        if (script) {
          all.addAll(scriptCommands);
        }
        return "'" + sub + "' is not a jmor command " + all;
      }
      if (!nested.isEmpty() && i + 2 < words.size()) {
        String next = words.get(i + 2);
        if (!next.startsWith("-") && !next.contains("$") && !nested.contains(next)) {
          return "'" + sub + " " + next + "': no such command " + nested;
        }
      }
    }
    return null;
  }

  private List<String> brokenLinksOf(Path file) {
    List<String> problems = new ArrayList<>();
    String text = read(file);
    String shown = root.relativize(file.toAbsolutePath().normalize()).toString();
    String prose = withoutCode(text);
    List<String[]> links = new ArrayList<>();
    int from = 0;
    while (true) {
      int at = prose.indexOf("](", from);
      if (at < 0) {
        break;
      }
      int start = at + 2;
      int depth = 0;
      int end = start;
      while (end < prose.length()) {
        char c = prose.charAt(end);
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          if (depth == 0) {
            break;
          }
          depth--;
        } else if (c == '\n') {
          break;
        }
        end++;
      }
      String dest = prose.substring(start, end).strip();
      int space = dest.indexOf(' ');
      if (space > 0) {
        dest = dest.substring(0, space); // a title follows
      }
      if (dest.startsWith("<") && dest.endsWith(">")) {
        dest = dest.substring(1, dest.length() - 1);
      }
      links.add(new String[] {dest, String.valueOf(lineOf(prose, at))});
      from = end;
    }
    Matcher ref = REFERENCE_DEFINITION.matcher(prose);
    while (ref.find()) {
      links.add(new String[] {ref.group(1), String.valueOf(lineOf(prose, ref.start()))});
    }
    for (String[] link : links) {
      String why = checkLink(file, link[0]);
      if (why != null) {
        problems.add(shown + ":" + link[1] + ": (" + link[0] + ") " + why);
      }
    }
    return problems;
  }

  /** Why {@code dest} (a link in {@code file}) does not resolve, or null if it does. */
  private String checkLink(Path file, String dest) {
    if (dest.isEmpty()) {
      return "an empty link";
    }
    if (SCHEME.matcher(dest).find() || dest.startsWith("//")) {
      return null; // not relative
    }
    int hash = dest.indexOf('#');
    String pathPart = hash < 0 ? dest : dest.substring(0, hash);
    String anchor = hash < 0 ? null : dest.substring(hash + 1);
    Path target;
    if (pathPart.isEmpty()) {
      target = file.toAbsolutePath().normalize();
    } else {
      String decoded = URLDecoder.decode(pathPart.replace("+", "%2B"), StandardCharsets.UTF_8);
      target =
          decoded.startsWith("/")
              ? root.resolve(decoded.substring(1)).normalize()
              : file.toAbsolutePath().getParent().resolve(decoded).normalize();
      if (!target.startsWith(root)) {
        return "points outside the repository";
      }
      if (!Files.exists(target)) {
        return "no such file " + root.relativize(target);
      }
    }
    if (anchor != null && target.toString().endsWith(".md") && Files.isRegularFile(target)) {
      String decodedAnchor = URLDecoder.decode(anchor, StandardCharsets.UTF_8);
      Set<String> known = anchors.computeIfAbsent(target, t -> anchorsOf(read(t)));
      if (!known.contains(decodedAnchor)) {
        return "no heading #" + decodedAnchor + " in " + root.relativize(target);
      }
    }
    return null;
  }

  /** The anchors GitHub gives the headings of {@code text} (and its explicit HTML anchors). */
  static Set<String> anchorsOf(String text) {
    Set<String> out = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    String fence = null;
    for (String line : text.split("\n", -1)) {
      Matcher f = FENCE.matcher(line);
      if (fence == null && f.matches()) {
        fence = f.group(1);
        continue;
      }
      if (fence != null) {
        if (f.matches() && f.group(1).startsWith(fence) && f.group(2).isEmpty()) {
          fence = null;
        }
        continue;
      }
      Matcher h = HEADING.matcher(line);
      if (h.matches()) {
        String slug = slug(h.group(2));
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        out.add(n == 0 ? slug : slug + "-" + n);
      }
      Matcher a = HTML_ANCHOR.matcher(line);
      while (a.find()) {
        out.add(a.group(1));
      }
    }
    return out;
  }

  /**
   * GitHub's anchor of a heading: its text as rendered (links by their text, no code or emphasis
   * marks, no HTML tags), lower case, with every character that is not a letter, a digit, a space,
   * a hyphen or an underscore removed, and spaces replaced by hyphens.
   */
  static String slug(String heading) {
    String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // links, images
    text = text.replaceAll("<[^>]+>", "");
    text = text.replace("`", "");
    text = text.replaceAll("(\\*\\*|__|\\*|~~)", "");
    text = text.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.appendCodePoint(c);
              } else if (c == ' ') {
                out.append('-');
              }
            });
    return out.toString();
  }

  /**
   * {@code text} with fenced code blocks blanked and inline code spans replaced by {@code x}, line
   * breaks kept (so that line numbers stay right).
   */
  static String withoutCode(String text) {
    StringBuilder out = new StringBuilder();
    String fence = null;
    for (String line : text.split("\n", -1)) {
      Matcher f = FENCE.matcher(line);
      if (fence == null && f.matches()) {
        fence = f.group(1);
        out.append('\n');
        continue;
      }
      if (fence != null) {
        if (f.matches() && f.group(1).startsWith(fence) && f.group(2).isEmpty()) {
          fence = null;
        }
        out.append('\n');
        continue;
      }
      out.append(line).append('\n');
    }
    // inline code: a run of backticks up to the same run (may span lines within a paragraph)
    return Pattern.compile("(`+)(?s:.+?)\\1")
        .matcher(out)
        .replaceAll(m -> m.group().replaceAll("[^\n]", "x"));
  }

  private static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

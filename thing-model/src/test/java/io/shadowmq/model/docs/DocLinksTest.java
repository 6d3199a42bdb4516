package io.shadowmq.model.docs;

import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documents are the contract, so a reader following one of their links must land somewhere: every relative link
 * in README.md and docs/*.md names a file of the repository, and every {@code #anchor} a heading of its target (as
 * GitHub renders it). No link leaves the repository through a relative path. Runs in thing-model because that is
 * the first module built; its basedir is thing-model/, so the repository is the parent directory.
 */
class DocLinksTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    /** {@code [text](target)} or {@code ![alt](target)}; the target ends at a blank or the closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`+[^`]*`+");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");

    private final Map<Path, Set<String>> anchorsByFile = new HashMap<>();

    @Test
    void everyRelativeLinkAndAnchorInTheDocsResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents()) {
            for (String target : links(doc)) {
                if (isExternal(target)) {
                    continue;
                }
                checked++;
                problem(doc, target).ifPresent(p -> broken.add(REPO.relativize(doc) + ": (" + target + ") " + p));
            }
        }
        assertThat(checked).as("relative links found").isGreaterThan(20);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        assertThat(slug("Settings (`conf/config.xml`)")).isEqualTo("settings-confconfigxml");
        assertThat(slug("Who may do what (extension)")).isEqualTo("who-may-do-what-extension");
        assertThat(slug("Several nodes locally (`./shadowmq up --brokers N --services M --redis-cluster K`)"))
                .isEqualTo("several-nodes-locally-shadowmq-up---brokers-n---services-m---redis-cluster-k");
        assertThat(slug("What \"no acknowledged update lost\" means, honestly"))
                .isEqualTo("what-no-acknowledged-update-lost-means-honestly");
        assertThat(slug("2026-11-26: the floor beneath `updates`, and why 0.6x echo cannot be met on this machine"))
                .isEqualTo("2026-11-26-the-floor-beneath-updates-and-why-06x-echo-cannot-be-met-on-this-machine");
    }

    private static @NotNull List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(REPO.resolve("README.md"));
        try (Stream<Path> files = Files.list(REPO.resolve("docs"))) {
            files.filter(f -> f.getFileName().toString().endsWith(".md"))
                    .sorted()
                    .forEach(docs::add);
        }
        return docs;
    }

    private static boolean isExternal(@NotNull String target) {
        return target.matches("(?i)^[a-z][a-z0-9+.-]*:.*"); // http:, https:, mailto:, ...
    }

    private @NotNull Optional<String> problem(@NotNull Path doc, @NotNull String target) throws IOException {
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = pathPart.isEmpty() ? doc : doc.getParent().resolve(pathPart).normalize();
        if (!file.startsWith(REPO)) {
            return Optional.of("points outside the repository");
        }
        if (!Files.exists(file)) {
            return Optional.of("no such file");
        }
        if (anchor == null || anchor.isEmpty()) {
            return Optional.empty();
        }
        if (!file.getFileName().toString().endsWith(".md")) {
            return Optional.of("an anchor into a file that is not markdown");
        }
        Set<String> anchors = anchorsByFile.computeIfAbsent(file, DocLinksTest::anchors);
        return anchors.contains(anchor)
                ? Optional.empty()
                : Optional.of("no heading with anchor #" + anchor + " in " + REPO.relativize(file));
    }

    /** The link targets of a markdown file, outside fenced code blocks and code spans. */
    private static @NotNull List<String> links(@NotNull Path doc) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : prose(doc)) {
            Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    /** The anchors GitHub gives the headings of a markdown file: a slug each, {@code -1}, {@code -2}... on repeats. */
    private static @NotNull Set<String> anchors(@NotNull Path doc) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        try {
            for (String line : prose(doc)) {
                Matcher m = HEADING.matcher(line);
                if (m.matches()) {
                    String slug = slug(m.group(2));
                    int n = seen.merge(slug, 1, Integer::sum) - 1;
                    anchors.add(n == 0 ? slug : slug + "-" + n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return anchors;
    }

    /** GitHub's heading anchor: link text kept, lower case, punctuation dropped, each blank a hyphen. */
    static @NotNull String slug(@NotNull String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }

    /** The lines of a markdown file that are not inside a fenced code block. */
    private static @NotNull List<String> prose(@NotNull Path doc) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean inFence = false;
        for (String line : Files.readAllLines(doc)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            if (!inFence) {
                lines.add(line);
            }
        }
        return lines;
    }
}

package io.shadowmq.extension.config;

import org.jetbrains.annotations.NotNull;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One element of {@code config.xml} holding child elements, checked strictly on construction: every child must be
 * one of the allowed names and appear at most once, and there is no loose text and no attribute. A typo in a
 * setting name thus keeps the extension out of service instead of silently leaving the default in place.
 * <p>
 * Leaf values pass through {@link EnvSubstitution}; a leaf that is empty after substitution counts as absent, so
 * {@code <address>${REDIS_URL:-}</address>} falls back to the default.
 */
final class ConfigElement {

    private final @NotNull Element element;
    private final @NotNull String path;
    private final @NotNull Path file;
    private final @NotNull EnvSubstitution env;
    private final @NotNull Map<String, Element> children;

    private ConfigElement(
            @NotNull Element element,
            @NotNull String path,
            @NotNull Path file,
            @NotNull EnvSubstitution env,
            @NotNull Map<String, Element> children) {
        this.element = element;
        this.path = path;
        this.file = file;
        this.env = env;
        this.children = children;
    }

    /** The document's root element, which must be named {@code name}. */
    static @NotNull ConfigElement root(
            @NotNull Element root,
            @NotNull String name,
            @NotNull Set<String> allowed,
            @NotNull Path file,
            @NotNull EnvSubstitution env)
            throws InvalidConfigException {
        if (!root.getTagName().equals(name)) {
            throw new InvalidConfigException(
                    "root element must be <" + name + ">, is <" + root.getTagName() + "> (in " + file + ")");
        }
        return of(root, "<" + name + ">", allowed, file, env);
    }

    /** The child section {@code name}, if present. */
    @NotNull
    Optional<ConfigElement> section(@NotNull String name, @NotNull Set<String> allowed) throws InvalidConfigException {
        Element child = children.get(name);
        return child == null ? Optional.empty() : Optional.of(of(child, path + "/<" + name + ">", allowed, file, env));
    }

    /** The substituted, stripped text of the leaf {@code name}; empty when the leaf is absent or empty. */
    @NotNull
    Optional<String> text(@NotNull String name) throws InvalidConfigException {
        Element leaf = children.get(name);
        if (leaf == null) {
            return Optional.empty();
        }
        String leafPath = path + "/<" + name + ">";
        rejectAttributes(leaf, leafPath, file);
        for (Node node = leaf.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node.getNodeType() == Node.ELEMENT_NODE) {
                throw new InvalidConfigException(
                        leafPath + " holds a value, not the element <" + node.getNodeName() + "> (in " + file + ")");
            }
        }
        String value;
        try {
            value = env.substitute(rawText(leaf)).strip();
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException(e.getMessage() + " (needed by " + leafPath + " in " + file + ")", e);
        }
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** True when the child {@code name} is written in the file, even if empty. */
    boolean has(@NotNull String name) {
        return children.containsKey(name);
    }

    /**
     * An error about the child {@code name}, e.g. "... /<timeout-ms> must be ...", naming the environment variables
     * its value came from: an operator who set {@code SHADOWMQ_UPDATES_PER_SECOND=fast} looks for that name, not for
     * an element of a file they never edited.
     */
    @NotNull
    InvalidConfigException invalid(@NotNull String name, @NotNull String problem) {
        Element leaf = children.get(name);
        List<String> variables = leaf == null ? List.of() : EnvSubstitution.variablesIn(rawText(leaf));
        String from = variables.isEmpty() ? "" : " (from environment variable " + String.join(", ", variables) + ")";
        return new InvalidConfigException(path + "/<" + name + "> " + problem + from + " (in " + file + ")");
    }

    private static @NotNull String rawText(@NotNull Element leaf) {
        StringBuilder raw = new StringBuilder();
        for (Node node = leaf.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
                raw.append(node.getNodeValue());
            }
        }
        return raw.toString();
    }

    /** An error about this element as a whole. */
    @NotNull
    InvalidConfigException invalid(@NotNull String problem) {
        return new InvalidConfigException(path + " " + problem + " (in " + file + ")");
    }

    private static @NotNull ConfigElement of(
            @NotNull Element element,
            @NotNull String path,
            @NotNull Set<String> allowed,
            @NotNull Path file,
            @NotNull EnvSubstitution env)
            throws InvalidConfigException {
        rejectAttributes(element, path, file);
        Map<String, Element> children = new LinkedHashMap<>();
        NodeList nodes = element.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node.getNodeType() == Node.ELEMENT_NODE) {
                String name = node.getNodeName();
                if (!allowed.contains(name)) {
                    throw new InvalidConfigException("unknown element <" + name + "> in " + path + " of " + file
                            + " (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
                }
                if (children.put(name, (Element) node) != null) {
                    throw new InvalidConfigException("element <" + name + "> appears twice in " + path + " of " + file);
                }
            } else if ((node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE)
                    && !node.getNodeValue().isBlank()) {
                throw new InvalidConfigException(path + " holds elements, not text (in " + file + ")");
            }
        }
        return new ConfigElement(element, path, file, env, children);
    }

    /** Attributes carry no settings; only XML-schema hints ({@code xmlns:xsi}, {@code xsi:...}) are tolerated. */
    private static void rejectAttributes(@NotNull Element element, @NotNull String path, @NotNull Path file)
            throws InvalidConfigException {
        NamedNodeMap attributes = element.getAttributes();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < attributes.getLength(); i++) {
            String name = ((Attr) attributes.item(i)).getName();
            if (!name.equals("xmlns") && !name.startsWith("xmlns:") && !name.startsWith("xsi:")) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException(
                    "unknown attribute " + String.join(", ", unknown) + " on " + path + " of " + file);
        }
    }

    @Override
    public String toString() {
        return path + " of " + file + " (" + element.getChildNodes().getLength() + " nodes)";
    }
}

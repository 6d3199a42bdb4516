package io.shadowmq.store.platform;

import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Objects;

/**
 * What the platform record says about this node's shared settings: they agree, or one of them does not.
 * <pre>{@code
 * if (verdict instanceof SettingsVerdict.Disagreed disagreed) {
 *     refuse(nameOf(disagreed.setting()) + " " + disagreed.problem());   // "feed.partitions is 4 on this node but 8 ..."
 * }
 * }</pre>
 */
public sealed interface SettingsVerdict {

    /**
     * @param wroteRecord whether this node wrote the record (or a field of it a newer version added)
     * @param warnings    differences that do not stop the node (thing models), one line each, for a WARN log line
     */
    record Agreed(boolean wroteRecord, @NotNull List<String> warnings) implements SettingsVerdict {
        public Agreed {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param setting which setting disagrees
     * @param problem the rest of one line after the setting's name, with the fix; never a secret's value
     */
    record Disagreed(
            @NotNull SharedSetting setting, @NotNull String problem) implements SettingsVerdict {
        public Disagreed {
            Objects.requireNonNull(setting, "setting");
            Objects.requireNonNull(problem, "problem");
        }
    }
}

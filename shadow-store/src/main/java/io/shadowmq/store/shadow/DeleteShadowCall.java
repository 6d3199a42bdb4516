package io.shadowmq.store.shadow;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/** One call of {@code delete-shadow.lua}: deletes a shadow document but keeps its version. */
record DeleteShadowCall(@NotNull ThingId thing) implements ScriptCall<DeleteShadowCall.Deletion> {

    static final String SCRIPT = "delete-shadow";

    /** What the script did. */
    sealed interface Deletion {}

    /** The thing is unknown. */
    record NoThing() implements Deletion {}

    /** The thing has no shadow document. */
    record NoShadow() implements Deletion {}

    /** Deleted: the next shadow continues after {@code version}. */
    record Deleted(long version) implements Deletion {}

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return ReadShadowCall.shadowAndThing(thing);
    }

    @Override
    public @NotNull Deletion reply(@NotNull List<Object> answer) {
        return switch (answer.get(0).toString()) {
            case "nothing" -> new NoThing();
            case "absent" -> new NoShadow();
            case "deleted" -> new Deleted(Long.parseLong(answer.get(1).toString()));
            default -> throw new IllegalStateException("delete-shadow answered " + answer);
        };
    }
}

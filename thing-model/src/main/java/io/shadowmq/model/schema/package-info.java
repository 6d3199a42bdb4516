/**
 * Thing models: what a thing of a given type may have in its shadow, and the check that a shadow update keeps
 * to it.
 *
 * <p>A model is a W3C WoT Thing Model file under {@code config/models/<type>.json} (the vocabulary subset is
 * described in {@code docs/thing-models.md}). {@link io.shadowmq.model.schema.ThingModels} loads them,
 * {@link io.shadowmq.model.schema.ThingModelParser} turns one file into a {@link io.shadowmq.model.schema.ThingModel},
 * and {@link io.shadowmq.model.schema.ThingModel#check} decides whether a {@code reported} or {@code desired}
 * patch is allowed:
 *
 * <pre>{@code
 * ThingModel car = ThingModels.bundled().get("car").orElseThrow();
 * car.check(Section.DESIRED, patch)   // Optional[Rejection[code=422, message=cabin.heater.targetTemperature: 35 > maximum 28]]
 * }</pre>
 */
package io.shadowmq.model.schema;

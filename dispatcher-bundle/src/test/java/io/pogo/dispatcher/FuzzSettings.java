package io.pogo.dispatcher;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The seed and tries of a fuzz property. The build runs every property with one fixed seed and the tries its
 * annotation gives, so {@code mvn verify} is repeatable and quick; {@code scripts/fuzz} passes
 * {@code -Dpogo.fuzz.seed=N -Dpogo.fuzz.tries=N} to explore, and the same seed reproduces what it found.
 * (A copy lives in the virtio module's test jar for the device bundles: test code is not shared across them.)
 */
public final class FuzzSettings implements AroundPropertyHook {

    public static final String SEED_PROPERTY = "pogo.fuzz.seed";
    public static final String TRIES_PROPERTY = "pogo.fuzz.tries";
    private static final String FIXED_SEED = "20261114";

    /** Added to a test class, it applies to the properties in it. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        context.attributes().setSeed(System.getProperty(SEED_PROPERTY, FIXED_SEED));
        Integer tries = Integer.getInteger(TRIES_PROPERTY);
        if (tries != null) {
            context.attributes().setTries(tries);
        }
        return property.execute();
    }
}

package io.pogo.launcher;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Starts bundles on two threads, the caller's and one more, each taking the next bundle of the list in turn. The
 * bundles are resolved together first, so that the starts do not each resolve: what is left of a start is the
 * bundle's activator and the work extenders do on its start event (SCR reads its components on the thread that starts
 * it), which for different bundles Felix and SCR run side by side. A bundle that fails to start is reported as it
 * would be started alone: the first failure in list order, once both threads are done.
 */
final class BundleStarts {

    private final List<Bundle> bundles;
    private final AtomicInteger next = new AtomicInteger();
    private final BundleException[] failures;

    private BundleStarts(List<Bundle> bundles) {
        this.bundles = bundles;
        this.failures = new BundleException[bundles.size()];
    }

    /** Resolves then starts {@code bundles} transiently (a framework stopped and started again does not restart them). */
    static void start(FrameworkWiring wiring, List<Bundle> bundles) throws BundleException {
        wiring.resolveBundles(bundles);
        BundleStarts starts = new BundleStarts(bundles);
        FutureTask<Void> helper = new FutureTask<>(starts::startEach, null);
        Thread.ofPlatform().name("pogo-bundle-start").start(helper);
        starts.startEach();
        try {
            helper.get();
        } catch (ExecutionException e) {
            TaskFailures.rethrowUnchecked(e);
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BundleException("interrupted while the bundles started", e);
        }
        Optional<BundleException> first = Arrays.stream(starts.failures).filter(Objects::nonNull).findFirst();
        if (first.isPresent()) {
            throw first.get();
        }
    }

    private void startEach() {
        for (int index = next.getAndIncrement(); index < bundles.size(); index = next.getAndIncrement()) {
            try {
                bundles.get(index).start(Bundle.START_TRANSIENT);
            } catch (BundleException e) {
                failures[index] = e;
            }
        }
    }
}

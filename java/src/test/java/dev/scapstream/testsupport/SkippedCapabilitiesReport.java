package dev.scapstream.testsupport;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.Map;
import java.util.TreeMap;

/**
 * A green run must not hide that whole capabilities were not tested: at the end of every run this
 * names the tests that skipped for want of a Cassandra node or of live capture, with the reason.
 * Registered through META-INF/services, so a plain `mvn test` says it too.
 */
public final class SkippedCapabilitiesReport implements TestExecutionListener {
    private final Map<String, Map<String, Integer>> skipped = new TreeMap<>(); // capability -> reason -> tests

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.ABORTED) return;
        String why = result.getThrowable().map(Throwable::getMessage).orElse("");
        String capability = why.contains("Cassandra") ? "the Cassandra contract and Cassandra tests"
                : id.getTags().stream().anyMatch(t -> t.getName().equals("live")) ? "live capture" : null;
        if (capability != null) skipped.computeIfAbsent(capability, k -> new TreeMap<>()).merge(why, 1, Integer::sum);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        skipped.forEach((capability, reasons) -> reasons.forEach((why, n) -> System.out.printf(
                "%nNOT RUN: %d test(s) of %s: %s%n", n, capability, why)));
    }
}

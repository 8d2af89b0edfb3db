package dev.scapstream.inspect;

import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** `inspect` over the project's own recorded fixtures (always present), against their sidecars. */
class FixturesInspectTest {
    @TestFactory
    List<DynamicTest> inspectMatchesSidecars() {
        List<Path> traces = TestData.tracesWithTruth(TestData.fixtures());
        assertFalse(traces.isEmpty(), "no fixtures in " + TestData.fixtures());
        return traces.stream()
                .map(t -> DynamicTest.dynamicTest(t.getFileName().toString(), () -> SharedTracesInspectTest.check(t)))
                .collect(Collectors.toList());
    }
}

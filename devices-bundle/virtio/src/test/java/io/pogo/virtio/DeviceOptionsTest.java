package io.pogo.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceOptionsTest {

    private static String refusal(Runnable question) {
        return assertThrows(IllegalArgumentException.class, question::run).getMessage();
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKnownOnesInTheDevicesOrderAndLegacyLast() {
        assertEquals("--device rng: unknown option 'speed' (known: source, rate, legacy)", refusal(() ->
                DeviceOptions.checked("--device rng", Map.of("speed", "9"), List.of("source", "rate"))));
    }

    @Test
    void flagsTakeTheSpellingsQemuTakesAndTheirDefault() {
        DeviceOptions options = DeviceOptions.checked("--drive",
                Map.of("a", "on", "b", "yes", "c", "false", "legacy", "true"), List.of("a", "b", "c", "d"));
        assertTrue(options.flag("a", false));
        assertTrue(options.flag("b", false));
        assertFalse(options.flag("c", true));
        assertTrue(options.flag("d", true));
        assertEquals(TransportVersion.LEGACY, options.transport());
        assertEquals("--drive a=maybe: expected on or off", refusal(() ->
                new DeviceOptions("--drive", Map.of("a", "maybe")).flag("a", false)));
    }

    @Test
    void aRequiredValueMustBeGivenAndNotEmpty() {
        DeviceOptions options = DeviceOptions.checked("--nic", Map.of("switch", "", "mac", "52:54:00:00:00:01"),
                List.of("switch", "mac"));
        assertEquals("52:54:00:00:00:01", options.get("mac"));
        assertNull(options.get("peer"));
        assertEquals(TransportVersion.MODERN, options.transport());
        assertEquals("--nic: switch=NAME is required", refusal(() -> options.required("switch", "NAME")));
        assertEquals("--nic: peer=HOST:PORT is required", refusal(() -> options.required("peer", "HOST:PORT")));
    }
}

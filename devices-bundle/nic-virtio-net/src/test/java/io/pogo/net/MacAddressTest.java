package io.pogo.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MacAddressTest {

    static byte[] bytes(String mac) {
        return HexFormat.ofDelimiter(":").parseHex(mac);
    }

    @Test
    void parsesAndFormats() {
        assertEquals("52:54:00:ab:cd:ef", MacAddress.parse("52:54:00:AB:CD:EF").toString());
        assertTrue(MacAddress.BROADCAST.isMulticast());
    }

    @Test
    void derivedAddressesAreQemuStyleAndStable() {
        MacAddress first = MacAddress.derived("lan0/a/eth0");
        assertTrue(first.toString().startsWith("52:54:00:"), first.toString());
        assertEquals(first, MacAddress.derived("lan0/a/eth0"));
    }

    @Test
    void rejectsMalformedAndGroupAddresses() {
        assertEquals("mac=52:54:00:12:34: expected six hex bytes such as 52:54:00:12:34:56",
                assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:12:34")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:12:34:zz"));
        assertEquals("mac=01:00:5e:00:00:01: a NIC needs a unicast address (even first byte)",
                assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("01:00:5e:00:00:01"))
                        .getMessage());
    }
}

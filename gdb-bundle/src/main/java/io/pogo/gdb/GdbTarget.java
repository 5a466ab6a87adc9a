package io.pogo.gdb;

import io.pogo.api.cpu.DebugStop;
import io.pogo.api.cpu.Hart;
import io.pogo.api.vm.DebugEvent;
import io.pogo.api.vm.HartRun;
import io.pogo.api.vm.VmDebug;
import io.pogo.api.vm.VmInfo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The packets of the GDB remote serial protocol, as gdb-multiarch sends them to QEMU's stub, answered for one VM
 * held by a debugger: harts are threads (thread id = hart id + 1), all-stop. Replies follow QEMU's: E22 for a
 * malformed packet, E14 for memory or registers that cannot be reached, an empty reply for a packet not supported.
 * Only called while the harts are stopped.
 */
final class GdbTarget {
    static final String MALFORMED = "E22";
    static final String UNREACHABLE = "E14";
    /** The VM refused: it ended meanwhile, or its harts are not where the packet needs them. */
    private static final String REFUSED = "E01";
    private static final int ALL_THREADS = -1;
    private static final int ANY_THREAD = 0;

    private final VmDebug vm;
    private final List<Hart> harts;
    private final DebuggerMemory memory;
    private final DebuggerTriggers triggers;
    private final Set<Long> breakpoints = new HashSet<>();
    /** The hart 'g', 'p', 'm' and the like act on (Hg), and the one 'c' and 's' act on (Hc). */
    private int generalHart;
    private int continueHart;

    GdbTarget(VmDebug vm) {
        this.vm = vm;
        this.harts = vm.harts();
        this.memory = new DebuggerMemory(vm);
        this.triggers = new DebuggerTriggers(harts);
    }

    Reply handle(byte[] payload) {
        try {
            return dispatch(payload);
        } catch (MalformedPacket malformed) {
            return text(MALFORMED);
        } catch (IllegalStateException | IllegalArgumentException refused) {
            return text(REFUSED);
        }
    }

    private Reply dispatch(byte[] payload) {
        if (payload.length == 0) {
            return text("");
        }
        if (payload[0] == 'X') {
            return writeBinary(payload);
        }
        String packet = new String(payload, StandardCharsets.ISO_8859_1);
        String body = packet.substring(1);
        return switch (packet.charAt(0)) {
            case '?' -> text(stopReply(generalHart, "05"));
            case 'g' -> text(readGeneralRegisters());
            case 'G' -> text(writeGeneralRegisters(body));
            case 'p' -> text(readRegister(body));
            case 'P' -> text(writeRegister(body));
            case 'm' -> text(readMemory(body));
            case 'M' -> text(writeMemory(body));
            case 'H' -> text(selectThread(body));
            case 'T' -> text(hartOf(thread(body)) >= 0 ? "OK" : MALFORMED);
            case 'c', 'C' -> legacyResume(body, packet.charAt(0) == 'c', HartRun.CONTINUE);
            case 's', 'S' -> legacyResume(body, packet.charAt(0) == 's', HartRun.STEP);
            case 'Z', 'z' -> text(breakpoint(packet.charAt(0) == 'Z', body));
            case 'D' -> new Reply.Detach();
            case 'k' -> new Reply.Kill(null);
            case 'q' -> query(body);
            case 'v' -> verbose(packet);
            default -> text("");
        };
    }

    private static Reply text(String payload) {
        return new Reply.Text(payload);
    }

    /** The stop reply after {@code event}; the stopped hart becomes the selected one. */
    String stopReply(DebugEvent event) {
        return switch (event) {
            case DebugEvent.HartStopped(int hartId, DebugStop.Watchpoint(int trigger, long address, var access)) -> {
                selectAfterStop(hartId);
                yield stopReply(hartId, "05") + triggers.kindOf(trigger).stopName + ":" + Hex.of(address) + ";";
            }
            case DebugEvent.HartStopped(int hartId, DebugStop cause) -> {
                selectAfterStop(hartId);
                yield stopReply(hartId, "05");
            }
            case DebugEvent.Interrupted() -> stopReply(generalHart, "02");
            case DebugEvent.Ended(VmInfo info) -> exitReply(info);
        };
    }

    private void selectAfterStop(int hartId) {
        generalHart = hartId;
        continueHart = hartId;
    }

    private static String stopReply(int hartId, String signal) {
        return "T" + signal + "thread:" + threadOf(hartId) + ";";
    }

    /** The guest's exit status, or SIGKILL for a VM that failed or was stopped from outside. */
    static String exitReply(VmInfo info) {
        return info.exitStatus() >= 0 ? String.format("W%02x", info.exitStatus() & 0xFF) : "X09";
    }

    /** Takes back everything gdb inserted: its breakpoints and triggers leave with it. */
    void removeAll() {
        for (long address : breakpoints) {
            for (int hart = 0; hart < harts.size(); hart++) {
                vm.hart(hart).removeBreakpoint(address);
            }
        }
        breakpoints.clear();
        triggers.removeAll();
    }

    private static String threadOf(int hartId) {
        return String.format("%02x", hartId + 1);
    }

    /** A thread id: -1 (all), 0 (any), a number, or the multiprocess form pPID.TID. */
    private static int thread(String text) {
        String id = text.startsWith("p") && text.indexOf('.') > 0 ? text.substring(text.indexOf('.') + 1) : text;
        if (id.equals("-1")) {
            return ALL_THREADS;
        }
        return Hex.smallNumber(id, Integer.MAX_VALUE);
    }

    /** The hart of thread {@code thread}, the selected one for "any" or "all", or -1 when there is none. */
    private int hartOf(int thread) {
        if (thread == ANY_THREAD || thread == ALL_THREADS) {
            return generalHart;
        }
        return thread <= harts.size() ? thread - 1 : -1;
    }

    private String selectThread(String body) {
        if (body.isEmpty()) {
            return MALFORMED;
        }
        int hart = hartOf(thread(body.substring(1)));
        if (hart < 0) {
            return MALFORMED;
        }
        switch (body.charAt(0)) {
            case 'g' -> generalHart = hart;
            case 'c' -> continueHart = hart;
            default -> {
                return MALFORMED;
            }
        }
        return "OK";
    }

    private String readGeneralRegisters() {
        Hart hart = harts.get(generalHart);
        StringBuilder out = new StringBuilder(RegisterFile.GENERAL_COUNT * 16);
        for (int number = 0; number < RegisterFile.GENERAL_COUNT; number++) {
            out.append(Hex.littleEndian(RegisterFile.read(hart, number).orElseThrow(), 8));
        }
        return out.toString();
    }

    private String writeGeneralRegisters(String body) {
        if (body.length() != RegisterFile.GENERAL_COUNT * 16) {
            return MALFORMED;
        }
        long[] values = new long[RegisterFile.GENERAL_COUNT];
        for (int number = 0; number < values.length; number++) {
            values[number] = Hex.fromLittleEndian(body.substring(number * 16, number * 16 + 16));
        }
        Hart hart = harts.get(generalHart);
        for (int number = 1; number < values.length; number++) {
            RegisterFile.write(hart, number, values[number]);
        }
        return "OK";
    }

    private String readRegister(String body) {
        OptionalLong value = RegisterFile.read(harts.get(generalHart), Hex.smallNumber(body, Integer.MAX_VALUE));
        return value.isPresent() ? Hex.littleEndian(value.getAsLong(), 8) : UNREACHABLE;
    }

    private String writeRegister(String body) {
        int equals = body.indexOf('=');
        if (equals < 0) {
            return MALFORMED;
        }
        int number = Hex.smallNumber(body.substring(0, equals), Integer.MAX_VALUE);
        long value = Hex.fromLittleEndian(body.substring(equals + 1));
        return RegisterFile.write(harts.get(generalHart), number, value) ? "OK" : UNREACHABLE;
    }

    private String readMemory(String body) {
        int comma = body.indexOf(',');
        if (comma < 0) {
            return MALFORMED;
        }
        long address = Hex.number(body.substring(0, comma));
        int length = Hex.smallNumber(body.substring(comma + 1), GdbSession.PACKET_SIZE / 2);
        byte[] data = memory.read(generalHart, address, length);
        return data.length == 0 && length > 0 ? UNREACHABLE : Hex.bytes(data);
    }

    private String writeMemory(String body) {
        int comma = body.indexOf(',');
        int colon = body.indexOf(':');
        if (comma < 0 || colon < comma) {
            return MALFORMED;
        }
        long address = Hex.number(body.substring(0, comma));
        int length = Hex.smallNumber(body.substring(comma + 1, colon), GdbSession.PACKET_SIZE);
        byte[] data = Hex.toBytes(body.substring(colon + 1));
        if (data.length != length) {
            return MALFORMED;
        }
        return memory.write(generalHart, address, data) ? "OK" : UNREACHABLE;
    }

    private Reply writeBinary(byte[] payload) {
        int colon = indexOf(payload, (byte) ':');
        if (colon < 0) {
            return text(MALFORMED);
        }
        String header = new String(payload, 1, colon - 1, StandardCharsets.ISO_8859_1);
        int comma = header.indexOf(',');
        if (comma < 0) {
            return text(MALFORMED);
        }
        long address = Hex.number(header.substring(0, comma));
        int length = Hex.smallNumber(header.substring(comma + 1), GdbSession.PACKET_SIZE);
        byte[] data = PacketWriter.unescape(payload, colon + 1);
        if (data.length != length) {
            return text(MALFORMED);
        }
        return text(memory.write(generalHart, address, data) ? "OK" : UNREACHABLE);
    }

    private static int indexOf(byte[] data, byte wanted) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private String breakpoint(boolean insert, String body) {
        String[] fields = body.split(",");
        if (fields.length < 3) {
            return MALFORMED;
        }
        int type = Hex.smallNumber(fields[0], 4);
        long address = Hex.number(fields[1]);
        int length = Hex.smallNumber(fields[2].split(";")[0], 1 << 20);
        if (type == 0) {
            for (int hart = 0; hart < harts.size(); hart++) {
                if (insert) {
                    vm.hart(hart).insertBreakpoint(address);
                } else {
                    vm.hart(hart).removeBreakpoint(address);
                }
            }
            if (insert) {
                breakpoints.add(address);
            } else {
                breakpoints.remove(address);
            }
            return "OK";
        }
        DebuggerTriggers.Kind kind = DebuggerTriggers.Kind.of(type);
        int watched = kind == DebuggerTriggers.Kind.EXECUTE ? 1 : length;
        if (insert) {
            return triggers.insert(kind, address, watched) ? "OK" : UNREACHABLE;
        }
        triggers.remove(kind, address, watched);
        return "OK";
    }

    private Reply legacyResume(String body, boolean withAddress, HartRun run) {
        if (!body.isEmpty()) {
            String address = withAddress ? body : body.contains(";") ? body.substring(body.indexOf(';') + 1) : "";
            if (!address.isEmpty()) {
                harts.get(continueHart).setPc(Hex.number(address));
            }
        }
        Map<Integer, HartRun> runs = new LinkedHashMap<>();
        for (int hart = 0; hart < harts.size(); hart++) {
            runs.put(hart, hart == continueHart ? run : HartRun.CONTINUE);
        }
        vm.resume(runs);
        return new Reply.Resumed();
    }

    private Reply query(String body) {
        if (body.startsWith("Supported")) {
            return text("PacketSize=" + Hex.of(GdbSession.PACKET_SIZE) + ";qXfer:features:read+;vContSupported+");
        }
        if (body.startsWith("Xfer:features:read:")) {
            return readFeature(body.substring("Xfer:features:read:".length()));
        }
        if (body.startsWith("ThreadExtraInfo,")) {
            int hart = hartOf(thread(body.substring("ThreadExtraInfo,".length())));
            return text(hart < 0 ? MALFORMED : Hex.text("hart " + hart));
        }
        return switch (body) {
            case "Attached" -> text("1");
            case "C" -> text("QC" + threadOf(generalHart));
            case "fThreadInfo" -> text(threadList());
            case "sThreadInfo" -> text("l");
            default -> text("");
        };
    }

    private String threadList() {
        StringBuilder list = new StringBuilder("m");
        for (int hart = 0; hart < harts.size(); hart++) {
            list.append(hart == 0 ? "" : ",").append(threadOf(hart));
        }
        return list.toString();
    }

    /** {@code ANNEX:OFFSET,LENGTH}: 'm' and a part, or 'l' and the last part. */
    private Reply readFeature(String request) {
        int colon = request.lastIndexOf(':');
        int comma = request.lastIndexOf(',');
        if (colon < 0 || comma < colon) {
            return text(MALFORMED);
        }
        byte[] document = TargetDescription.DOCUMENTS.get(request.substring(0, colon));
        if (document == null) {
            return text("E00");
        }
        int offset = Hex.smallNumber(request.substring(colon + 1, comma), Integer.MAX_VALUE);
        int length = Hex.smallNumber(request.substring(comma + 1), GdbSession.PACKET_SIZE);
        int start = Math.min(offset, document.length);
        int end = Math.min(document.length, start + length);
        byte[] part = Arrays.copyOfRange(document, start, end);
        byte[] reply = new byte[part.length + 1];
        reply[0] = (byte) (end < document.length ? 'm' : 'l');
        System.arraycopy(part, 0, reply, 1, part.length);
        return new Reply.Binary(reply);
    }

    private Reply verbose(String packet) {
        if (packet.equals("vCont?")) {
            return text("vCont;c;C;s;S");
        }
        if (packet.startsWith("vCont;")) {
            return resume(packet.substring("vCont;".length()));
        }
        if (packet.startsWith("vKill")) {
            return new Reply.Kill("OK");
        }
        return text("");
    }

    /** {@code ACTION[:THREAD](;ACTION[:THREAD])*}: each hart takes the first action that names it, or none. */
    private Reply resume(String actions) {
        Map<Integer, HartRun> runs = new LinkedHashMap<>();
        for (String action : actions.split(";")) {
            if (action.isEmpty()) {
                return text(MALFORMED);
            }
            HartRun run = switch (action.charAt(0)) {
                case 'c', 'C' -> HartRun.CONTINUE;
                case 's', 'S' -> HartRun.STEP;
                default -> throw new MalformedPacket("no action " + action);
            };
            int colon = action.indexOf(':');
            int thread = colon < 0 ? ALL_THREADS : thread(action.substring(colon + 1));
            if (thread == ALL_THREADS || thread == ANY_THREAD) {
                for (int hart = 0; hart < harts.size(); hart++) {
                    runs.putIfAbsent(hart, run);
                }
            } else if (thread <= harts.size()) {
                runs.putIfAbsent(thread - 1, run);
            } else {
                return text(MALFORMED);
            }
        }
        vm.resume(runs);
        return new Reply.Resumed();
    }
}

package io.pogo.cpu;

import io.pogo.api.cpu.ExitHandler;
import io.pogo.api.cpu.HartConfig;
import io.pogo.api.cpu.VCpu;
import io.pogo.api.cpu.VCpuFactory;
import io.pogo.api.memory.GuestMemory;
import io.pogo.cpu.jit.BackgroundCompiler;
import io.pogo.cpu.jit.CodeBudget;
import io.pogo.cpu.jit.CodeCache;
import io.pogo.cpu.jit.JitMode;
import io.pogo.cpu.jit.SharedCode;
import io.pogo.cpu.jit.SharedTranslations;
import io.pogo.cpu.mmu.AtomicMemory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU bundle's service: RV64GC harts. Harts on the same guest memory (one VM) share its atomics and its code
 * budget; all harts share compiled regions of the same code ({@link SharedTranslations}) and the decoded blocks
 * and page images of the same bytes ({@link SharedCode}). The budget's size comes from the framework or
 * system property {@value #CODE_CACHE_PROPERTY}, a size such as {@code 64M} (a bare number means MiB, as QEMU's
 * {@code tb-size}).
 */
@Component(service = VCpuFactory.class)
public final class Rv64VCpuFactory implements VCpuFactory {
    static final String CODE_CACHE_PROPERTY = "pogo.code.cache";
    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})([KMG]?)", Pattern.CASE_INSENSITIVE);

    private final Map<GuestMemory, VmShared> sharedByMemory = Collections.synchronizedMap(new WeakHashMap<>());
    /** The code budget of each VM, or why the configured one cannot be used (reported when a VM is created). */
    private long codeCacheLimit;
    private String invalidCodeCacheLimit;
    private final Duration codeTrimInterval;
    private JitMode jit;
    private String invalidJitMode;
    private final BackgroundCompiler backgroundCompiler = new BackgroundCompiler();
    private final SharedTranslations translations = new SharedTranslations();
    private final SharedCode sharedCode = new SharedCode();

    /** What the harts of one VM share. */
    private record VmShared(AtomicMemory atomics, CodeBudget codeBudget) {
    }

    public Rv64VCpuFactory() {
        this(CodeBudget.DEFAULT_LIMIT);
    }

    Rv64VCpuFactory(long codeCacheLimit) {
        this(codeCacheLimit, JitMode.parse(System.getProperty(JitMode.PROPERTY)));
    }

    Rv64VCpuFactory(long codeCacheLimit, JitMode jit) {
        this(codeCacheLimit, jit, CodeCache.TRIM_INTERVAL);
    }

    /** Harts whose caches drop code unused for {@code codeTrimInterval} when they idle ({@link CodeCache#trimUnused}). */
    Rv64VCpuFactory(long codeCacheLimit, JitMode jit, Duration codeTrimInterval) {
        this.codeCacheLimit = codeCacheLimit;
        this.jit = jit;
        this.codeTrimInterval = codeTrimInterval;
    }

    @Activate
    void activate(BundleContext context) {
        try {
            jit = JitMode.parse(context.getProperty(JitMode.PROPERTY));
        } catch (IllegalArgumentException invalid) {
            invalidJitMode = invalid.getMessage();
        }
        String configured = context.getProperty(CODE_CACHE_PROPERTY);
        if (configured == null) {
            return;
        }
        Matcher size = SIZE.matcher(configured.strip());
        long bytes = size.matches() ? Long.parseLong(size.group(1)) << switch (size.group(2).toUpperCase()) {
            case "K" -> 10;
            case "G" -> 30;
            default -> 20;
        } : 0;
        if (bytes < CodeBudget.MIN_LIMIT) {
            invalidCodeCacheLimit = CODE_CACHE_PROPERTY + "=" + configured + ": expected a size of at least "
                    + (CodeBudget.MIN_LIMIT >> 20) + "M, such as 64M";
        } else {
            codeCacheLimit = bytes;
        }
    }

    @Override
    public String isa() {
        return "rv64imafdc_zicsr_zifencei_zicntr_zihintpause_zba_zbb_zbc_zbs_sstc";
    }

    @Override
    public VCpu create(HartConfig config, GuestMemory memory, ExitHandler exits, Runnable wakeup) {
        if (invalidCodeCacheLimit != null) {
            throw new IllegalArgumentException(invalidCodeCacheLimit);
        }
        if (invalidJitMode != null) {
            throw new IllegalArgumentException(invalidJitMode);
        }
        VmShared shared = sharedByMemory.computeIfAbsent(memory,
                bank -> new VmShared(new AtomicMemory(bank.segment()), new CodeBudget(codeCacheLimit)));
        return new Rv64VCpu(config, memory, shared.atomics(), shared.codeBudget(), codeTrimInterval, jit,
                backgroundCompiler, translations, sharedCode, exits, wakeup);
    }
}

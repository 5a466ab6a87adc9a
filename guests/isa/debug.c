/* The debug trigger module as QEMU 7.2 has it: two triggers behind tselect, the WARL rules of tdata1 for
   address-match triggers (types 2 and 6), tdata3 and tinfo; and type-2 triggers on execution, loads and stores
   raising a breakpoint exception before the instruction or access, in the modes they name, in code run often
   enough to be compiled as well. The trap value may be zero (QEMU 7.2) or the matching address (Pogo); both are
   allowed by the privileged spec. */
#include "check.h"

#define TYPE2 (2UL << 60)
#define TYPE6 (6UL << 60)
#define LOAD 1UL
#define STORE 2UL
#define EXECUTE 4UL
#define U (1UL << 3)
#define S (1UL << 4)
#define M (1UL << 6)
#define SIZE(encoding) (((uint64_t)(encoding) & 3) << 16 | ((uint64_t)(encoding) >> 2) << 21)
#define BREAKPOINT 3

static void arm(uint64_t trigger, uint64_t control, uint64_t address) {
    CSR_WRITE(tselect, trigger);
    CSR_WRITE(tdata1, TYPE2);
    CSR_WRITE(tdata2, address);
    CSR_WRITE(tdata1, control);
}

static void disarm(uint64_t trigger) {
    CSR_WRITE(tselect, trigger);
    CSR_WRITE(tdata1, TYPE2);
}

static void check_breakpoint(uint64_t count, uint64_t epc, uint64_t address, int line) {
    check(m_traps.count == count, line, "breakpoint count");
    check(m_traps.cause == BREAKPOINT, line, "breakpoint cause");
    check(m_traps.epc == epc, line, "breakpoint epc");
    check(m_traps.tval == 0 || m_traps.tval == address, line, "breakpoint tval");
}
#define CHECK_BREAKPOINT(count, epc, address) check_breakpoint((count), (epc), (address), __LINE__)

static void supervisor_reads_tselect(void) {
    (void)CSR_READ(tselect);
    __asm__ volatile("ecall");
}

static void warl(void) {
    m_traps.count = 0;
    CHECK_EQ(CSR_READ(tinfo), 1 << 2 | 1 << 6);
    CSR_WRITE(tinfo, 0);
    CHECK_EQ(CSR_READ(tinfo), 1 << 2 | 1 << 6);
    for (uint64_t i = 0; i < 2; i++) {
        CSR_WRITE(tselect, i);
        CHECK_EQ(CSR_READ(tselect), i);
        CHECK_EQ(CSR_READ(tdata1), TYPE2);
        CHECK_EQ(CSR_READ(tdata2), 0);
        CHECK_EQ(CSR_READ(tdata3), 0);
    }
    CSR_WRITE(tselect, 2);
    CHECK_EQ(CSR_READ(tselect), 1);
    CSR_WRITE(tselect, -1UL);
    CHECK_EQ(CSR_READ(tselect), 1);
    CSR_WRITE(tselect, 0);
    /* a type other than 2 or 6 leaves tdata1 as it was */
    CSR_WRITE(tdata1, -1UL);
    CHECK_EQ(CSR_READ(tdata1), TYPE2);
    CSR_WRITE(tdata1, TYPE2 | SIZE(5) | M);
    CSR_WRITE(tdata1, 0);
    CHECK_EQ(CSR_READ(tdata1), TYPE2 | SIZE(5) | M);
    CSR_WRITE(tdata1, 3UL << 60 | 0x7F);
    CHECK_EQ(CSR_READ(tdata1), TYPE2 | SIZE(5) | M);
    /* of type 2: the modes, execute/store/load and a supported size; dmode, match, chain, action, timing, select,
       hit and maskmax read zero */
    CSR_WRITE(tdata1, TYPE2 | (-1UL >> 4));
    CHECK_EQ(CSR_READ(tdata1), TYPE2 | M | S | U | EXECUTE | STORE | LOAD);
    for (uint64_t size = 0; size < 16; size++) {
        CSR_WRITE(tdata1, TYPE2 | SIZE(size));
        CHECK_EQ(CSR_READ(tdata1), TYPE2 | (size <= 3 || size == 5 ? SIZE(size) : 0));
    }
    /* of type 6: the same, with its own size field and the VS and VU modes */
    CSR_WRITE(tdata1, TYPE6 | (-1UL >> 4));
    CHECK_EQ(CSR_READ(tdata1), TYPE6 | 3UL << 23 | M | S | U | EXECUTE | STORE | LOAD);
    CSR_WRITE(tdata1, TYPE6 | 5UL << 16);
    CHECK_EQ(CSR_READ(tdata1), TYPE6 | 5UL << 16);
    CSR_WRITE(tdata1, TYPE6 | 4UL << 16);
    CHECK_EQ(CSR_READ(tdata1), TYPE6);
    CSR_WRITE(tdata1, TYPE2);
    CSR_WRITE(tdata2, 0x123456789ABCDEF0UL);
    CHECK_EQ(CSR_READ(tdata2), 0x123456789ABCDEF0UL);
    CSR_WRITE(tdata3, -1UL);
    CHECK_EQ(CSR_READ(tdata3), 0);
    /* the tdata registers are the selected trigger's */
    CSR_WRITE(tselect, 1);
    CHECK_EQ(CSR_READ(tdata2), 0);
    CSR_WRITE(tdata2, 0x42);
    CSR_WRITE(tselect, 0);
    CHECK_EQ(CSR_READ(tdata2), 0x123456789ABCDEF0UL);
    CSR_WRITE(tdata2, 0);
    CSR_WRITE(tselect, 1);
    CSR_WRITE(tdata2, 0);
    CSR_WRITE(tselect, 0);
    CHECK_EQ(m_traps.count, 0);
    /* machine-mode CSRs */
    run_in_mode(1, supervisor_reads_tselect);
    CHECK_EQ(m_traps.count, 1);
    CHECK_EQ(m_traps.cause, 2);
}

static volatile uint64_t words[4] __attribute__((aligned(16)));

static void execute_trigger(void) {
    uint64_t value = 5, at;
    __asm__ volatile("la %0, 1f" : "=r"(at));
    arm(0, TYPE2 | M | EXECUTE, at);
    m_traps.count = 0;
    /* the breakpoint comes before the instruction, which m_trap then skips */
    __asm__ volatile("nop\n1: addi %0, %0, 1\n nop" : "+r"(value));
    disarm(0);
    CHECK_BREAKPOINT(1, at, at);
    CHECK_EQ(value, 5);
    /* an execute trigger does not watch data, nor a trigger enabled in no mode */
    arm(0, TYPE2 | M | EXECUTE, (uint64_t)&words[0]);
    arm(1, TYPE2 | EXECUTE | LOAD, at);
    words[0] = words[0] + 1;
    __asm__ volatile("nop\n1: addi %0, %0, 1\n nop" : "+r"(value));
    disarm(0);
    disarm(1);
    CHECK_EQ(m_traps.count, 1);
    CHECK_EQ(value, 6);
}

#define LOAD_AT(address, width, value) ({ uint64_t pc_; __asm__ volatile("la %0, 1f\n1: " width " %1, 0(%2)" \
        : "=&r"(pc_), "+r"(value) : "r"(address) : "memory"); pc_; })
#define STORE_AT(address, width, value) ({ uint64_t pc_; __asm__ volatile("la %0, 1f\n1: " width " %1, 0(%2)" \
        : "=&r"(pc_) : "r"(value), "r"(address) : "memory"); pc_; })

/* Loads and stores touching any of the watched bytes (8 for size "any") fire before they happen. */
static void load_and_store_triggers(void) {
    char *watched = (char *)&words[1];
    uint64_t value = 0, pc;
    words[1] = 0x1111;
    arm(0, TYPE2 | M | LOAD, (uint64_t)watched);
    m_traps.count = 0;
    pc = LOAD_AT(watched, "ld", value);
    CHECK_BREAKPOINT(1, pc, (uint64_t)watched);
    CHECK_EQ(value, 0);
    pc = LOAD_AT(watched + 4, "lw", value);
    CHECK_BREAKPOINT(2, pc, (uint64_t)watched + 4);
    pc = LOAD_AT(watched - 4, "ld", value);
    CHECK_BREAKPOINT(3, pc, (uint64_t)watched - 4);
    (void)LOAD_AT(watched + 8, "ld", value);
    (void)LOAD_AT(watched - 8, "ld", value);
    (void)STORE_AT(watched, "sd", 0x2222UL);
    CHECK_EQ(m_traps.count, 3);

    /* (loads of the watched word in these checks would themselves fire while loads are watched) */
    arm(0, TYPE2 | M | STORE, (uint64_t)watched);
    CHECK_EQ(words[1], 0x2222);
    pc = STORE_AT(watched, "sd", 0x3333UL);
    CHECK_BREAKPOINT(4, pc, (uint64_t)watched);
    CHECK_EQ(words[1], 0x2222);
    pc = STORE_AT(watched + 7, "sb", 0x33UL);
    CHECK_BREAKPOINT(5, pc, (uint64_t)watched + 7);
    uint64_t old = 0;
    __asm__ volatile("la %0, 1f\n1: amoadd.d %1, %2, (%3)" : "=&r"(pc), "+r"(old) : "r"(1), "r"(watched) : "memory");
    CHECK_BREAKPOINT(6, pc, (uint64_t)watched);
    CHECK_EQ(words[1], 0x2222);
    CHECK_EQ(m_traps.count, 6);

    /* a 2-byte trigger watches two bytes */
    arm(0, TYPE2 | M | STORE | SIZE(2), (uint64_t)watched);
    (void)STORE_AT(watched + 2, "sb", 0x44UL);
    CHECK_EQ(m_traps.count, 6);
    pc = STORE_AT(watched + 1, "sb", 0x44UL);
    CHECK_BREAKPOINT(7, pc, (uint64_t)watched + 1);
    /* a trigger for S-mode does not fire in M-mode */
    arm(0, TYPE2 | S | STORE | LOAD, (uint64_t)watched);
    words[1] = words[1] + 1;
    CHECK_EQ(m_traps.count, 7);
    disarm(0);
}

extern char supervisor_code[], supervisor_code_second[], supervisor_stores[], supervisor_store[];
__asm__(".pushsection .text\n"
        ".globl supervisor_code, supervisor_code_second, supervisor_stores, supervisor_store\n"
        "supervisor_code: nop\n"
        "supervisor_code_second: nop\n"
        "  ecall\n"
        "supervisor_stores: la t0, words + 8\n"
        "supervisor_store: sd zero, 0(t0)\n"
        "  ecall\n"
        ".popsection");

/* Triggers fire in the modes they name, and only there; two armed at once fire each on its own. (Two execute
   triggers for different modes at once are left out: QEMU 7.2 then fires either one in the other's mode.) */
static void modes(void) {
    m_traps.count = 0;
    arm(0, TYPE2 | S | EXECUTE, (uint64_t)supervisor_code);
    run_in_mode(1, (void (*)(void))supervisor_code);
    CHECK_BREAKPOINT(1, (uint64_t)supervisor_code, (uint64_t)supervisor_code);
    run_in_mode(0, (void (*)(void))supervisor_code);
    CHECK_EQ(m_traps.count, 1);
    disarm(0);
    arm(1, TYPE2 | U | EXECUTE, (uint64_t)supervisor_code_second);
    run_in_mode(0, (void (*)(void))supervisor_code);
    CHECK_BREAKPOINT(2, (uint64_t)supervisor_code_second, (uint64_t)supervisor_code_second);
    run_in_mode(1, (void (*)(void))supervisor_code);
    CHECK_EQ(m_traps.count, 2);
    arm(0, TYPE2 | M | EXECUTE, (uint64_t)supervisor_code);
    arm(1, TYPE2 | S | STORE, (uint64_t)&words[1]);
    run_in_mode(1, (void (*)(void))supervisor_code);
    CHECK_EQ(m_traps.count, 2);
    run_in_mode(1, (void (*)(void))supervisor_stores);
    CHECK_BREAKPOINT(3, (uint64_t)supervisor_store, (uint64_t)&words[1]);
    arm(0, TYPE2 | S | EXECUTE, (uint64_t)supervisor_code);
    run_in_mode(1, (void (*)(void))supervisor_code);
    CHECK_BREAKPOINT(4, (uint64_t)supervisor_code, (uint64_t)supervisor_code);
    run_in_mode(0, (void (*)(void))supervisor_stores);
    CHECK_EQ(m_traps.count, 4);
    CHECK_EQ(words[1], 0);
    disarm(0);
    disarm(1);
}

extern char hot_loop_middle[];

/* A loop body run thousands of times (Pogo compiles it), then broken into by an execute trigger in its middle and
   a load trigger on what it reads (a skipped load adds zero). */
static __attribute__((noinline)) uint64_t hot_loop(uint64_t iterations) {
    uint64_t sum = 0;
    __asm__ volatile("li t0, 0\n"
                     "1: addi %0, %0, 1\n"
                     ".globl hot_loop_middle\n"
                     "hot_loop_middle: addi %0, %0, 2\n"
                     "  ld t0, 0(%2)\n"
                     "  add %0, %0, t0\n"
                     "  addi %1, %1, -1\n"
                     "  bnez %1, 1b"
                     : "+r"(sum), "+r"(iterations) : "r"(&words[3]) : "t0", "memory");
    return sum;
}

static void compiled_code(void) {
    words[3] = 10;
    CHECK_EQ(hot_loop(20000), 20000 * 13);
    m_traps.count = 0;
    arm(0, TYPE2 | M | EXECUTE, (uint64_t)hot_loop_middle);
    CHECK_EQ(hot_loop(3), 3 * 11);
    CHECK_BREAKPOINT(3, (uint64_t)hot_loop_middle, (uint64_t)hot_loop_middle);
    disarm(0);
    arm(1, TYPE2 | M | LOAD, (uint64_t)&words[3]);
    CHECK_EQ(hot_loop(4), 4 * 3);
    CHECK_EQ(m_traps.count, 7);
    CHECK_EQ(m_traps.cause, BREAKPOINT);
    disarm(1);
    CHECK_EQ(hot_loop(20000), 20000 * 13);
    CHECK_EQ(m_traps.count, 7);
}

int main(void) {
    warl();
    execute_trigger();
    load_and_store_triggers();
    modes();
    compiled_code();
    finish();
}

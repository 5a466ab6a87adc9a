/* F and D: rounding modes, exception flags, NaN boxing and canonical NaNs, min/max, conversions, classify. */
#include "check.h"

#define FLAGS_CLEAR() __asm__ volatile("csrw fflags, zero")
#define FLAGS() CSR_READ(fflags)
enum { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16 };

static uint64_t dbits(double d) { union { double d; uint64_t u; } v = {.d = d}; return v.u; }
static double bitsd(uint64_t u) { union { double d; uint64_t u; } v = {.u = u}; return v.d; }

#define BINARY_D(insn, rm, a, b) ({ double r_; __asm__ volatile(insn " %0, %1, %2, " rm : "=f"(r_) : "f"(a), "f"(b)); dbits(r_); })
#define MINMAX_D(insn, a, b) ({ double r_; __asm__ volatile(insn " %0, %1, %2" : "=f"(r_) : "f"(a), "f"(b)); dbits(r_); })
#define BINARY_S(insn, a, b) ({ float r_; __asm__ volatile(insn " %0, %1, %2" : "=f"(r_) : "f"(a), "f"(b)); r_; })

static void rounding_modes(void) {
    double one = 1.0, tiny = bitsd(0x3CA0000000000001ULL); /* just above 2^-53: 1 + tiny is inexact */
    FLAGS_CLEAR();
    CHECK_EQ(BINARY_D("fadd.d", "rne", one, tiny), dbits(1.0) + 1);
    CHECK_EQ(FLAGS(), NX);
    CHECK_EQ(BINARY_D("fadd.d", "rtz", one, tiny), dbits(1.0));
    CHECK_EQ(BINARY_D("fadd.d", "rdn", one, tiny), dbits(1.0));
    CHECK_EQ(BINARY_D("fadd.d", "rup", one, tiny), dbits(1.0) + 1);
    double half_ulp = bitsd(0x3CA0000000000000ULL); /* exactly 2^-53: a tie */
    CHECK_EQ(BINARY_D("fadd.d", "rne", one, half_ulp), dbits(1.0));
    CHECK_EQ(BINARY_D("fadd.d", "rmm", one, half_ulp), dbits(1.0) + 1);
    double minus_one = -1.0;
    CHECK_EQ(BINARY_D("fsub.d", "rdn", minus_one, tiny), dbits(-1.0) + 1);
    CHECK_EQ(BINARY_D("fsub.d", "rtz", minus_one, tiny), dbits(-1.0));
    CHECK_EQ(BINARY_D("fsub.d", "rdn", one, one), dbits(-0.0));
    CHECK_EQ(BINARY_D("fsub.d", "rne", one, one), dbits(0.0));
    double three = 3.0;
    CHECK_EQ(BINARY_D("fdiv.d", "rdn", one, three), 0x3FD5555555555555ULL);
    CHECK_EQ(BINARY_D("fdiv.d", "rup", one, three), 0x3FD5555555555556ULL);
    /* dynamic rounding through frm */
    CSR_WRITE(frm, 3);
    double r;
    __asm__ volatile("fdiv.d %0, %1, %2" : "=f"(r) : "f"(one), "f"(three));
    CHECK_EQ(dbits(r), 0x3FD5555555555556ULL);
    CSR_WRITE(frm, 0);
}

static void exception_flags(void) {
    double zero = 0.0, one = 1.0, huge = 1e308, minus = -1.0;
    FLAGS_CLEAR();
    CHECK_EQ(BINARY_D("fdiv.d", "rne", one, zero), dbits(__builtin_inf()));
    CHECK_EQ(FLAGS(), DZ);
    FLAGS_CLEAR();
    CHECK_EQ(BINARY_D("fmul.d", "rne", huge, huge), dbits(__builtin_inf()));
    CHECK_EQ(FLAGS(), OF | NX);
    CHECK_EQ(BINARY_D("fmul.d", "rtz", huge, huge), 0x7FEFFFFFFFFFFFFFULL);
    double small = bitsd(0x0010000000000001ULL), half = 0.5;
    FLAGS_CLEAR();
    BINARY_D("fmul.d", "rne", small, half);
    CHECK_EQ(FLAGS(), UF | NX);
    FLAGS_CLEAR();
    double root;
    __asm__ volatile("fsqrt.d %0, %1" : "=f"(root) : "f"(minus));
    CHECK_EQ(dbits(root), 0x7FF8000000000000ULL);
    CHECK_EQ(FLAGS(), NV);
    FLAGS_CLEAR();
    double inf = __builtin_inf();
    CHECK_EQ(BINARY_D("fsub.d", "rne", inf, inf), 0x7FF8000000000000ULL);
    CHECK_EQ(FLAGS(), NV);
}

static void nan_boxing(void) {
    float a, r;
    uint64_t unboxed = 0x000000003F800000ULL; /* 1.0f without the box */
    __asm__ volatile("fmv.d.x %0, %1" : "=f"(a) : "r"(unboxed));
    float one = 1.0f;
    r = BINARY_S("fadd.s", a, one);
    uint64_t raw;
    __asm__ volatile("fmv.x.d %0, %1" : "=r"(raw) : "f"(r));
    CHECK_EQ(raw, 0xFFFFFFFF7FC00000ULL);
    float two = 2.0f;
    r = BINARY_S("fadd.s", one, two);
    __asm__ volatile("fmv.x.d %0, %1" : "=r"(raw) : "f"(r));
    CHECK_EQ(raw, 0xFFFFFFFF40400000ULL);
    uint64_t word;
    float negative = -2.0f;
    __asm__ volatile("fmv.x.w %0, %1" : "=r"(word) : "f"(negative));
    CHECK_EQ(word, 0xFFFFFFFFC0000000ULL);
}

static void min_max_compare(void) {
    double qnan = bitsd(0x7FF8000000000000ULL), snan = bitsd(0x7FF0000000000001ULL);
    double one = 1.0, pz = 0.0, nz = -0.0;
    FLAGS_CLEAR();
    CHECK_EQ(MINMAX_D("fmin.d", qnan, one) , dbits(1.0));
    CHECK_EQ(FLAGS(), 0);
    CHECK_EQ(MINMAX_D("fmax.d", snan, one), dbits(1.0));
    CHECK_EQ(FLAGS(), NV);
    CHECK_EQ(MINMAX_D("fmin.d", qnan, qnan), 0x7FF8000000000000ULL);
    CHECK_EQ(MINMAX_D("fmin.d", pz, nz), dbits(-0.0));
    CHECK_EQ(MINMAX_D("fmax.d", nz, pz), dbits(0.0));
    uint64_t result;
    FLAGS_CLEAR();
    __asm__ volatile("feq.d %0, %1, %2" : "=r"(result) : "f"(qnan), "f"(one));
    CHECK_EQ(result, 0);
    CHECK_EQ(FLAGS(), 0);
    __asm__ volatile("flt.d %0, %1, %2" : "=r"(result) : "f"(qnan), "f"(one));
    CHECK_EQ(result, 0);
    CHECK_EQ(FLAGS(), NV);
    __asm__ volatile("fle.d %0, %1, %2" : "=r"(result) : "f"(nz), "f"(pz));
    CHECK_EQ(result, 1);
}

#define CONVERT(insn, rm, value) ({ int64_t r_; __asm__ volatile(insn " %0, %1, " rm : "=r"(r_) : "f"(value)); r_; })

static void conversions(void) {
    double big = 1e10, nan = bitsd(0x7FF8000000000000ULL), minus = -1.5, positive = 2.5;
    FLAGS_CLEAR();
    CHECK_EQ(CONVERT("fcvt.w.d", "rtz", big), 0x7FFFFFFF);
    CHECK_EQ(FLAGS(), NV);
    CHECK_EQ(CONVERT("fcvt.w.d", "rtz", nan), 0x7FFFFFFF);
    CHECK_EQ(CONVERT("fcvt.l.d", "rtz", nan), 0x7FFFFFFFFFFFFFFFLL);
    CHECK_EQ(CONVERT("fcvt.lu.d", "rtz", minus), 0);
    CHECK_EQ(CONVERT("fcvt.wu.d", "rtz", big), -1);
    FLAGS_CLEAR();
    CHECK_EQ(CONVERT("fcvt.w.d", "rtz", minus), -1);
    CHECK_EQ(FLAGS(), NX);
    CHECK_EQ(CONVERT("fcvt.w.d", "rne", positive), 2);
    CHECK_EQ(CONVERT("fcvt.w.d", "rmm", positive), 3);
    CHECK_EQ(CONVERT("fcvt.w.d", "rdn", minus), -2);
    CHECK_EQ(CONVERT("fcvt.w.d", "rup", minus), -1);
    double d;
    int64_t large = 0x7FFFFFFFFFFFFFFFLL;
    FLAGS_CLEAR();
    __asm__ volatile("fcvt.d.l %0, %1, rtz" : "=f"(d) : "r"(large));
    CHECK_EQ(dbits(d), 0x43DFFFFFFFFFFFFFULL);
    CHECK_EQ(FLAGS(), NX);
    uint64_t all_ones = ~0ULL;
    __asm__ volatile("fcvt.d.lu %0, %1, rne" : "=f"(d) : "r"(all_ones));
    CHECK_EQ(dbits(d), 0x43F0000000000000ULL);
    float f;
    double third = 1.0 / 3.0;
    __asm__ volatile("fcvt.s.d %0, %1, rup" : "=f"(f) : "f"(third));
    uint64_t raw;
    __asm__ volatile("fmv.x.w %0, %1" : "=r"(raw) : "f"(f));
    CHECK_EQ(raw, 0x3EAAAAABULL);
}

static void fused_and_classify(void) {
    double a = 1.0 + 0x1p-30, b = 1.0 - 0x1p-30, c = -1.0, r;
    FLAGS_CLEAR();
    __asm__ volatile("fmadd.d %0, %1, %2, %3, rne" : "=f"(r) : "f"(a), "f"(b), "f"(c));
    CHECK_EQ(dbits(r), dbits(-0x1p-60));
    CHECK_EQ(FLAGS(), 0);
    __asm__ volatile("fnmsub.d %0, %1, %2, %3, rne" : "=f"(r) : "f"(a), "f"(b), "f"(c));
    CHECK_EQ(dbits(r), dbits(-1.0 + 0x1p-60 - 1.0));
    double inf = __builtin_inf(), zero = 0.0, qnan = bitsd(0x7FF8000000000000ULL);
    FLAGS_CLEAR();
    __asm__ volatile("fmadd.d %0, %1, %2, %3" : "=f"(r) : "f"(inf), "f"(zero), "f"(qnan));
    CHECK_EQ(FLAGS(), NV);
    uint64_t cls;
    __asm__ volatile("fclass.d %0, %1" : "=r"(cls) : "f"(inf));
    CHECK_EQ(cls, 1 << 7);
    double nz = -0.0, sub = bitsd(1);
    __asm__ volatile("fclass.d %0, %1" : "=r"(cls) : "f"(nz));
    CHECK_EQ(cls, 1 << 3);
    __asm__ volatile("fclass.d %0, %1" : "=r"(cls) : "f"(sub));
    CHECK_EQ(cls, 1 << 5);
    __asm__ volatile("fclass.d %0, %1" : "=r"(cls) : "f"(qnan));
    CHECK_EQ(cls, 1 << 9);
}

static void dirty_tracking(void) {
    CSR_CLEAR(mstatus, 3 << 13);
    CSR_SET(mstatus, 1 << 13);
    double one = 1.0;
    double r = BINARY_D("fadd.d", "rne", one, one) ? one : one;
    (void)r;
    CHECK_EQ((CSR_READ(mstatus) >> 13) & 3, 3);
    CHECK(CSR_READ(mstatus) >> 63);
    CSR_CLEAR(mstatus, 3 << 13);
    uint64_t before = m_traps.count;
    __asm__ volatile("fadd.d ft0, ft0, ft0");
    CHECK_EQ(m_traps.count, before + 1);
    CHECK_EQ(m_traps.cause, 2);
    CHECK_EQ(m_traps.tval, 0x02007053);
    CSR_SET(mstatus, 1 << 13);
}

static uint32_t fbits(float f) { union { float f; uint32_t u; } v = {.f = f}; return v.u; }

#define UNARY_S(insn, a) ({ float r_; __asm__ volatile(insn " %0, %1" : "=f"(r_) : "f"(a)); fbits(r_); })
#define BINARY_S_BITS(insn, a, b) fbits(BINARY_S(insn, a, b))
#define FUSED(insn, type, a, b, c) ({ type r_; __asm__ volatile(insn " %0, %1, %2, %3" : "=f"(r_) : "f"(a), "f"(b), "f"(c)); r_; })
#define TO_INT(insn, value) ({ int64_t r_; __asm__ volatile(insn " %0, %1" : "=r"(r_) : "f"(value)); r_; })
#define FROM_INT_S(insn, value) ({ float r_; __asm__ volatile(insn " %0, %1" : "=f"(r_) : "r"((int64_t)(value))); fbits(r_); })
#define FROM_INT_D(insn, value) ({ double r_; __asm__ volatile(insn " %0, %1" : "=f"(r_) : "r"((int64_t)(value))); dbits(r_); })

/* Every single-precision instruction, and the double-precision ones the sections above leave out. */
static void every_instruction(void) {
    float a = 1.5f, b = -2.25f, c = 4.0f;
    CHECK_EQ(BINARY_S_BITS("fadd.s", a, b), fbits(-0.75f));
    CHECK_EQ(BINARY_S_BITS("fsub.s", a, b), fbits(3.75f));
    CHECK_EQ(BINARY_S_BITS("fmul.s", a, b), fbits(-3.375f));
    CHECK_EQ(BINARY_S_BITS("fdiv.s", b, a), fbits(-1.5f));
    CHECK_EQ(UNARY_S("fsqrt.s", c), fbits(2.0f));
    CHECK_EQ(BINARY_S_BITS("fsgnj.s", a, b), fbits(-1.5f));
    CHECK_EQ(BINARY_S_BITS("fsgnjn.s", a, b), fbits(1.5f));
    CHECK_EQ(BINARY_S_BITS("fsgnjx.s", b, b), fbits(2.25f));
    CHECK_EQ(BINARY_S_BITS("fmin.s", a, b), fbits(-2.25f));
    CHECK_EQ(BINARY_S_BITS("fmax.s", a, b), fbits(1.5f));
    float snan_s;
    __asm__ volatile("fmv.w.x %0, %1" : "=f"(snan_s) : "r"(0x7F800001UL));
    FLAGS_CLEAR();
    CHECK_EQ(BINARY_S_BITS("fmin.s", snan_s, snan_s), 0x7FC00000);
    CHECK_EQ(FLAGS(), NV);
    CHECK_EQ(fbits(FUSED("fmadd.s", float, a, b, c)), fbits(0.625f));
    CHECK_EQ(fbits(FUSED("fmsub.s", float, a, b, c)), fbits(-7.375f));
    CHECK_EQ(fbits(FUSED("fnmsub.s", float, a, b, c)), fbits(7.375f));
    CHECK_EQ(fbits(FUSED("fnmadd.s", float, a, b, c)), fbits(-0.625f));
    /* a*b + c = 1 + 2^-23 + 2^-24 - 2^-70: rounding first to double lands on a float midpoint */
    float fa, fb, fc;
    __asm__ volatile("fmv.w.x %0, %1" : "=f"(fa) : "r"(0x33800001UL));
    __asm__ volatile("fmv.w.x %0, %1" : "=f"(fb) : "r"(0x3F7FFFFEUL));
    __asm__ volatile("fmv.w.x %0, %1" : "=f"(fc) : "r"(0x3F800001UL));
    FLAGS_CLEAR();
    CHECK_EQ(fbits(FUSED("fmadd.s", float, fa, fb, fc)), 0x3F800001);
    CHECK_EQ(FLAGS(), NX);
    float r_up;
    __asm__ volatile("fmadd.s %0, %1, %2, %3, rup" : "=f"(r_up) : "f"(fa), "f"(fb), "f"(fc));
    CHECK_EQ(fbits(r_up), 0x3F800002);
    __asm__ volatile("fmadd.s %0, %1, %2, %3, rdn" : "=f"(r_up) : "f"(fa), "f"(fb), "f"(fc));
    CHECK_EQ(fbits(r_up), 0x3F800001);
    /* an exact zero: +0 in every mode but RDN */
    float one_s = 1.0f, minus_one_s = -1.0f;
    CHECK_EQ(fbits(FUSED("fmadd.s", float, one_s, one_s, minus_one_s)), 0);
    __asm__ volatile("fmadd.s %0, %1, %2, %3, rdn" : "=f"(r_up) : "f"(one_s), "f"(one_s), "f"(minus_one_s));
    CHECK_EQ(fbits(r_up), 0x80000000);
    /* double FMA: one rounding (not two: 1 + 2^-52 + 0.9995 * 2^-53 rounds down), directed modes, a tie */
    double d_one_ulp = bitsd(0x3FF0000000000001ULL), d_one = 1.0, d_tiny = bitsd(0x3C9FFC0000000000ULL);
    double d_r;
    FLAGS_CLEAR();
    __asm__ volatile("fmadd.d %0, %1, %2, %3, rne" : "=f"(d_r) : "f"(d_one_ulp), "f"(d_one), "f"(d_tiny));
    CHECK_EQ(dbits(d_r), 0x3FF0000000000001ULL);
    CHECK_EQ(FLAGS(), NX);
    __asm__ volatile("fmadd.d %0, %1, %2, %3, rup" : "=f"(d_r) : "f"(d_one_ulp), "f"(d_one), "f"(d_tiny));
    CHECK_EQ(dbits(d_r), 0x3FF0000000000002ULL);
    double d_minus_half_ulp = -0x1p-53;
    __asm__ volatile("fmadd.d %0, %1, %2, %3, rne" : "=f"(d_r) : "f"(d_one), "f"(d_one_ulp), "f"(d_minus_half_ulp));
    CHECK_EQ(dbits(d_r), 0x3FF0000000000000ULL);
    __asm__ volatile("fmadd.d %0, %1, %2, %3, rmm" : "=f"(d_r) : "f"(d_one), "f"(d_one_ulp), "f"(d_minus_half_ulp));
    CHECK_EQ(dbits(d_r), 0x3FF0000000000001ULL);
    __asm__ volatile("fmadd.d %0, %1, %2, %3, rdn" : "=f"(d_r) : "f"(d_one), "f"(d_one_ulp), "f"(d_minus_half_ulp));
    CHECK_EQ(dbits(d_r), 0x3FF0000000000000ULL);
    /* (1 + 2^-52)^2 - 1 - 2^-51 = 2^-104 exactly: no flag */
    double d_minus = -(1.0 + 0x1p-51);
    FLAGS_CLEAR();
    __asm__ volatile("fmadd.d %0, %1, %2, %3, rne" : "=f"(d_r) : "f"(d_one_ulp), "f"(d_one_ulp), "f"(d_minus));
    CHECK_EQ(dbits(d_r), dbits(0x1p-104));
    CHECK_EQ(FLAGS(), 0);
    double da = 1.5, db = -2.25, dc = 4.0;
    CHECK_EQ(dbits(FUSED("fmsub.d", double, da, db, dc)), dbits(-7.375));
    CHECK_EQ(dbits(FUSED("fnmadd.d", double, da, db, dc)), dbits(-0.625));
    uint64_t result;
    FLAGS_CLEAR();
    __asm__ volatile("feq.s %0, %1, %2" : "=r"(result) : "f"(a), "f"(a));
    CHECK_EQ(result, 1);
    __asm__ volatile("flt.s %0, %1, %2" : "=r"(result) : "f"(b), "f"(a));
    CHECK_EQ(result, 1);
    __asm__ volatile("fle.s %0, %1, %2" : "=r"(result) : "f"(a), "f"(b));
    CHECK_EQ(result, 0);
    __asm__ volatile("feq.s %0, %1, %2" : "=r"(result) : "f"(snan_s), "f"(a));
    CHECK_EQ(result, 0);
    CHECK_EQ(FLAGS(), NV);                                   /* FEQ signals only on signaling NaNs */
    __asm__ volatile("fclass.s %0, %1" : "=r"(result) : "f"(b));
    CHECK_EQ(result, 1 << 1);
    __asm__ volatile("fclass.s %0, %1" : "=r"(result) : "f"(snan_s));
    CHECK_EQ(result, 1 << 8);
    /* conversions between integers and single or double */
    float big_s = 3e9f, minus_s = -2.5f;
    CHECK_EQ(TO_INT("fcvt.w.s", a), 2);                      /* dynamic rounding: RNE */
    CHECK_EQ(TO_INT("fcvt.wu.s", big_s), 3000000000LL - 0x100000000LL);  /* 32-bit results are sign-extended */
    CHECK_EQ(TO_INT("fcvt.l.s", minus_s), -2);
    CHECK_EQ(TO_INT("fcvt.lu.s", big_s), 3000000000LL);
    FLAGS_CLEAR();
    CHECK_EQ(TO_INT("fcvt.wu.s", minus_s), 0);
    CHECK_EQ(FLAGS(), NV);
    double big_d = 5e9;
    CHECK_EQ(TO_INT("fcvt.l.d", big_d), 5000000000LL);
    CHECK_EQ(TO_INT("fcvt.lu.d", big_d), 5000000000LL);
    CHECK_EQ(TO_INT("fcvt.wu.d", da), 2);
    CHECK_EQ(FROM_INT_S("fcvt.s.w", -3), fbits(-3.0f));
    CHECK_EQ(FROM_INT_S("fcvt.s.wu", -1), fbits(4294967296.0f));   /* 0xFFFFFFFF rounds up to 2^32 */
    CHECK_EQ(FROM_INT_S("fcvt.s.l", -(1LL << 40)), fbits(-1099511627776.0f));
    CHECK_EQ(FROM_INT_S("fcvt.s.lu", -1), fbits(18446744073709551616.0f));
    FLAGS_CLEAR();
    CHECK_EQ(FROM_INT_S("fcvt.s.w", 16777217), fbits(16777216.0f));
    CHECK_EQ(FLAGS(), NX);
    CHECK_EQ(FROM_INT_D("fcvt.d.w", 0xFFFFFFFF80000000LL), dbits(-2147483648.0));
    CHECK_EQ(FROM_INT_D("fcvt.d.wu", 0xFFFFFFFF80000000LL), dbits(2147483648.0));
    CHECK_EQ(FROM_INT_D("fcvt.d.l", -7), dbits(-7.0));
    CHECK_EQ(FROM_INT_D("fcvt.d.lu", 1ULL << 63), dbits(9223372036854775808.0));
    double widened;
    __asm__ volatile("fcvt.d.s %0, %1" : "=f"(widened) : "f"(b));
    CHECK_EQ(dbits(widened), dbits(-2.25));
    __asm__ volatile("fcvt.d.s %0, %1" : "=f"(widened) : "f"(snan_s));
    CHECK_EQ(dbits(widened), 0x7FF8000000000000ULL);
    /* moves, loads and stores */
    uint64_t raw;
    __asm__ volatile("fmv.x.w %0, %1" : "=r"(raw) : "f"(b));
    CHECK_EQ(raw, 0xFFFFFFFFC0100000ULL);
    __asm__ volatile("fmv.x.d %0, %1" : "=r"(raw) : "f"(db));
    CHECK_EQ(raw, dbits(-2.25));
    double moved;
    __asm__ volatile("fmv.d.x %0, %1" : "=f"(moved) : "r"(dbits(3.5)));
    CHECK_EQ(dbits(moved), dbits(3.5));
    static volatile uint64_t memory[2];
    memory[0] = 0x1122334440200000ULL;
    float loaded;
    __asm__ volatile("flw %0, 0(%1)" : "=f"(loaded) : "r"(memory));
    __asm__ volatile("fmv.x.d %0, %1" : "=r"(raw) : "f"(loaded));
    CHECK_EQ(raw, 0xFFFFFFFF40200000ULL);                   /* FLW NaN-boxes */
    __asm__ volatile("fsw %0, 8(%1)" :: "f"(loaded), "r"(memory) : "memory");
    CHECK_EQ(memory[1], 0x40200000);
    double loaded_d;
    __asm__ volatile("fld %0, 0(%1)" : "=f"(loaded_d) : "r"(memory));
    __asm__ volatile("fsd %0, 8(%1)" :: "f"(loaded_d), "r"(memory) : "memory");
    CHECK_EQ(memory[1], 0x1122334440200000ULL);
    /* fcsr and its views */
    CSR_WRITE(fcsr, 0xFF);
    CHECK_EQ(CSR_READ(frm), 7);
    CHECK_EQ(CSR_READ(fflags), 0x1F);
    uint64_t old;
    __asm__ volatile("fsrm %0, %1" : "=r"(old) : "r"(1UL));
    CHECK_EQ(old, 7);
    __asm__ volatile("fsflags %0, %1" : "=r"(old) : "r"(0UL));
    CHECK_EQ(old, 0x1F);
    CHECK_EQ(CSR_READ(fcsr), 0x20);
    CSR_WRITE(fcsr, 0x100);
    CHECK_EQ(CSR_READ(fcsr), 0);
    /* frm 5..7 in fcsr makes dynamic-rounding instructions illegal */
    CSR_WRITE(frm, 5);
    uint64_t traps = m_traps.count;
    __asm__ volatile("fadd.d ft0, ft1, ft2");
    CHECK_EQ(m_traps.count, traps + 1);
    CHECK_EQ(m_traps.cause, 2);
    CSR_WRITE(frm, 0);
}

int main(void) {
    every_instruction();
    rounding_modes();
    exception_flags();
    nan_boxing();
    min_max_compare();
    conversions();
    fused_and_classify();
    dirty_tracking();
    finish();
}

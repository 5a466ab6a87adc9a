/*
 * A physical-memory test environment in the manner of riscv-tests' env/p, in one .text section so that a plain
 * -Ttext=0x80000000 link puts _start first: the machine-mode reset code drops to
 * user mode (mstatus = 0) on hart 0 (other harts park, unless RUN_ON_HART names another), the test passes or fails
 * through an ecall, and the machine-mode trap vector reports the result in tohost (1 = pass, TESTNUM << 1 | 1 =
 * failed case TESTNUM) with two word stores, low half first.
 */
#ifndef HTIF_RISCV_TEST_H
#define HTIF_RISCV_TEST_H

#ifndef RUN_ON_HART
#define RUN_ON_HART 0
#endif

#define TESTNUM gp

#define INIT_PMP                                                        \
        la t0, 1f;                                                      \
        csrw mtvec, t0;                                                 \
        li t0, (1 << 53) - 1;                                           \
        csrw pmpaddr0, t0;                                              \
        li t0, 0x1f;                                                    \
        csrw pmpcfg0, t0;                                               \
        .align 2;                                                       \
1:

#define RVTEST_CODE_BEGIN                                               \
        .text;                                                          \
        .align  6;                                                      \
        .globl _start;                                                  \
_start:                                                                 \
        j reset_vector;                                                 \
        .align 2;                                                       \
trap_vector:                                                            \
        csrr t5, mcause;                                                \
        li t6, 8;                                                       \
        beq t5, t6, write_tohost;                                       \
        li t6, 9;                                                       \
        beq t5, t6, write_tohost;                                       \
        li t6, 11;                                                      \
        beq t5, t6, write_tohost;                                       \
        ori TESTNUM, TESTNUM, 1337;                                     \
write_tohost:                                                           \
        sw TESTNUM, tohost, t5;                                         \
        sw zero, tohost + 4, t5;                                        \
        j write_tohost;                                                 \
reset_vector:                                                           \
        csrr a0, mhartid;                                               \
        li a1, RUN_ON_HART;                                             \
1:      bne a0, a1, 1b;                                                 \
        INIT_PMP;                                                       \
        la t0, trap_vector;                                             \
        csrw mtvec, t0;                                                 \
        csrwi medeleg, 0;                                               \
        csrwi mideleg, 0;                                               \
        csrwi mie, 0;                                                   \
        li TESTNUM, 0;                                                  \
        csrwi mstatus, 0;                                               \
        la t0, 2f;                                                      \
        csrw mepc, t0;                                                  \
        mret;                                                           \
2:

#define RVTEST_CODE_END                                                 \
        unimp

#define RVTEST_PASS                                                     \
        fence;                                                          \
        li TESTNUM, 1;                                                  \
        li a7, 93;                                                      \
        li a0, 0;                                                       \
        ecall

#define RVTEST_FAIL                                                     \
        fence;                                                          \
1:      beqz TESTNUM, 1b;                                               \
        sll TESTNUM, TESTNUM, 1;                                        \
        or TESTNUM, TESTNUM, 1;                                         \
        li a7, 93;                                                      \
        addi a0, TESTNUM, 0;                                            \
        ecall

#define RVTEST_DATA_BEGIN                                               \
        .pushsection .tohost,"aw",@progbits;                            \
        .align 6; .global tohost; tohost: .dword 0; .size tohost, 8;    \
        .align 6; .global fromhost; fromhost: .dword 0; .size fromhost, 8; \
        .popsection;                                                    \
        .align 4; .global begin_signature; begin_signature:

#define RVTEST_DATA_END .align 4; .global end_signature; end_signature:

/* As riscv-tests' test_macros.h: run code, compare testreg with the expected value, fail as case testnum. */
#define TEST_CASE(testnum, testreg, correctval, code...)                \
test_ ## testnum:                                                       \
        li TESTNUM, testnum;                                            \
        code;                                                           \
        li x7, correctval;                                              \
        bne testreg, x7, fail;

#define TEST_PASSFAIL                                                   \
        bne x0, TESTNUM, pass;                                          \
fail:                                                                   \
        RVTEST_FAIL;                                                    \
pass:                                                                   \
        RVTEST_PASS

#endif

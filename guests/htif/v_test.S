/* The user-mode part of a riscv-tests "v" style test; -DBREAK_CASE=N gives case N a wrong expectation. */
#define TESTNUM gp

#ifndef BREAK_CASE
#define BREAK_CASE 0
#endif
#define EXPECT(n, value) ((value) + ((n) == BREAK_CASE))

#define TEST_CASE(testnum, testreg, correctval, code...)                \
test_ ## testnum:                                                       \
        li TESTNUM, testnum;                                            \
        code;                                                           \
        li x7, correctval;                                              \
        bne testreg, x7, fail;

  .text
  .globl user_test
user_test:
  TEST_CASE(2, a0, EXPECT(2, 5), li a1, 2; li a2, 3; add a0, a1, a2)
  TEST_CASE(3, a0, EXPECT(3, 0x1234), la a1, user_word; li a2, 0x1234; sd a2, 0(a1); ld a0, 0(a1))
  TEST_CASE(4, a0, EXPECT(4, 42), li a1, 6; li a2, 7; mul a0, a1, a2)

  bne x0, TESTNUM, pass
fail:
  sll a0, TESTNUM, 1
1:
  beqz a0, 1b
  or a0, a0, 1
  ecall
pass:
  li a0, 1
  ecall

  .data
  .align 3
user_word:
  .dword 0

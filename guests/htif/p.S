/* A riscv-tests "p" style test: a few integer cases; -DBREAK_CASE=N gives case N a wrong expectation. */
#include "riscv_test.h"

#ifndef BREAK_CASE
#define BREAK_CASE 0
#endif
#define EXPECT(n, value) ((value) + ((n) == BREAK_CASE))

RVTEST_CODE_BEGIN

  TEST_CASE(2, a0, EXPECT(2, 5), li a1, 2; li a2, 3; add a0, a1, a2)
  TEST_CASE(3, a0, EXPECT(3, -1), li a1, 2; li a2, 3; sub a0, a1, a2)
  TEST_CASE(4, a0, EXPECT(4, 0x600), li a1, 3; slli a0, a1, 9)
  TEST_CASE(5, a0, EXPECT(5, 42), li a1, 6; li a2, 7; mul a0, a1, a2)
  TEST_CASE(6, a0, EXPECT(6, 0xff), li a1, 0xf0; ori a0, a1, 0x0f)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END

/* Start-up for the C guests: a stack per hart (up to four), then hart_main(hartid, device tree). */
  .text
  .globl _start
_start:
  csrr a0, mhartid
  li t0, 4
  bgeu a0, t0, park
  addi t0, a0, 1
  slli t0, t0, 12
  la sp, stacks
  add sp, sp, t0
  call hart_main
park:
  wfi
  j park

  .bss
  .align 12
stacks:
  .space 4 * 4096

/*
 * Entry of a riscv-tests "v" style test: hart 0 sets up Sv39 in machine mode (v_vm.c) and runs the test in user
 * mode; other harts stress memory as riscv-tests' coherence_torture does, with loads and no-op AMOs over the first
 * pages of RAM, tohost and fromhost included.
 */
  .section .text.init, "ax"
  .globl _start
_start:
  j reset
  .align 2
machine_trap:
  li t0, (99 << 1) | 1
  la t1, tohost
  sd t0, 0(t1)
1:
  j 1b

reset:
  la t0, 1f
  csrw mtvec, t0
  li t0, (1 << 53) - 1
  csrw pmpaddr0, t0
  li t0, 0x1f
  csrw pmpcfg0, t0
  .align 2
1:
  la t0, machine_trap
  csrw mtvec, t0
  csrr a0, mhartid
  bnez a0, torture
  la sp, machine_stack_top
  call vm_boot
2:
  j 2b

torture:
  li t1, 0x80000000
  li t2, 0x80003000
3:
  lw zero, 0(t1)
  amoadd.w zero, zero, (t1)
  addi t1, t1, 4
  bltu t1, t2, 3b
  li t1, 0x80000000
  j 3b

/* Supervisor traps arrive here at a kernel virtual address; so does everything this computes pc-relatively. */
  .text
  .align 2
  .globl supervisor_trap_entry
supervisor_trap_entry:
  la sp, kernel_stack_top
  csrr a1, scause
  call supervisor_trap
4:
  j 4b

  .bss
  .align 12
  .space 4096
machine_stack_top:
  .space 4096
kernel_stack_top:

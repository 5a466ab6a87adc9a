/* Entry and trap recovery of the fuzzer. fuzz_try(fn, arg) runs fn(arg) and returns 0; a trap taken meanwhile, in
   machine mode or in the user-mode code fn jumped to, comes back out of fuzz_try as 1 with the callee-saved
   registers, sp, gp and tp it had at the call: whatever the trapped code did to the registers is forgotten. */
    .section .text.start
    .globl _start
_start:
    csrr    t0, mhartid
    bnez    t0, park
    la      t0, fuzz_trap
    csrw    mtvec, t0
    la      sp, __stack_top
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    main
    call    guest_exit
park:
    wfi
    j       park

    .section .text
    .globl fuzz_try
fuzz_try:
    la      t0, fuzz_saved
    sd      ra, 0(t0)
    sd      sp, 8(t0)
    sd      gp, 16(t0)
    sd      tp, 24(t0)
    sd      s0, 32(t0)
    sd      s1, 40(t0)
    sd      s2, 48(t0)
    sd      s3, 56(t0)
    sd      s4, 64(t0)
    sd      s5, 72(t0)
    sd      s6, 80(t0)
    sd      s7, 88(t0)
    sd      s8, 96(t0)
    sd      s9, 104(t0)
    sd      s10, 112(t0)
    sd      s11, 120(t0)
    mv      t1, a0
    mv      a0, a1
    jalr    t1
    la      t0, fuzz_saved
    ld      ra, 0(t0)
    li      a0, 0
    ret

    .align 4
fuzz_trap:
    csrr    t0, mcause
    la      t1, fuzz_last_cause
    sd      t0, 0(t1)
    la      t0, fuzz_saved
    ld      ra, 0(t0)
    ld      sp, 8(t0)
    ld      gp, 16(t0)
    ld      tp, 24(t0)
    ld      s0, 32(t0)
    ld      s1, 40(t0)
    ld      s2, 48(t0)
    ld      s3, 56(t0)
    ld      s4, 64(t0)
    ld      s5, 72(t0)
    ld      s6, 80(t0)
    ld      s7, 88(t0)
    ld      s8, 96(t0)
    ld      s9, 104(t0)
    ld      s10, 112(t0)
    ld      s11, 120(t0)
    li      a0, 1
    ret

/* enter_user(entry): every register cleared but sp (inside the playground), then mret to entry in user mode. */
    .globl enter_user
enter_user:
    csrw    mepc, a0
    li      t0, 3 << 11
    csrc    mstatus, t0
    li      sp, 0x80500000
    li      ra, 0
    li      gp, 0
    li      tp, 0
    li      t0, 0
    li      t1, 0
    li      t2, 0
    li      s0, 0
    li      s1, 0
    li      a0, 0
    li      a1, 0
    li      a2, 0
    li      a3, 0
    li      a4, 0
    li      a5, 0
    li      a6, 0
    li      a7, 0
    li      s2, 0
    li      s3, 0
    li      s4, 0
    li      s5, 0
    li      s6, 0
    li      s7, 0
    li      s8, 0
    li      s9, 0
    li      s10, 0
    li      s11, 0
    li      t3, 0
    li      t4, 0
    li      t5, 0
    li      t6, 0
    mret

    .section .bss
    .align 3
    .globl fuzz_saved
fuzz_saved:
    .space 128
    .globl fuzz_last_cause
fuzz_last_cause:
    .space 8

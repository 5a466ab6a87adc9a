/* Entry for the GDB guests: hart 0 clears bss and runs main; every other hart runs secondary_main on a stack of
   its own once bss is clear, or parks when the guest has none. main's return value is the exit code. */
    .section .text.start
    .globl _start
_start:
    la      t0, trap_entry
    csrw    mtvec, t0
    csrr    t0, mhartid
    la      sp, __stack_top
    slli    t1, t0, 14
    sub     sp, sp, t1
    bnez    t0, secondary
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  fence   w, w
    li      t0, 1
    sw      t0, bss_cleared, t1
    call    main
    call    guest_exit
secondary:
    ld      t1, secondary_entry
    beqz    t1, park
3:  lw      t2, bss_cleared
    beqz    t2, 3b
    fence   r, rw
    jalr    t1
park:
    wfi
    j       park

    .align 2
trap_entry:
    csrr    a0, mcause
    csrr    a1, mepc
    csrr    a2, mtval
    call    guest_trap

    .section .sdata
    .align 3
    .weak   secondary_main
secondary_entry:
    .dword  secondary_main
bss_cleared:
    .word   0

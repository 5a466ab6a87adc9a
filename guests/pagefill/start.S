/* Machine-mode entry of the page-fill guest: hart 0 builds the Sv39 tables (pagefill.c), opens all of memory to
 * user mode through PMP entry 0 (without a PMP entry, user accesses fault), turns paging on and drops to user mode
 * in user_main. The user program's ECALL comes back to trap_entry with the checksum in a0. */
    .section .text.start
    .globl _start
_start:
    csrr    t0, mhartid
    bnez    t0, park
    la      t0, trap_entry
    csrw    mtvec, t0
    la      sp, __stack_top
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  li      t0, -1
    csrw    pmpaddr0, t0
    li      t0, 0x1f            /* NAPOT, read, write, execute */
    csrw    pmpcfg0, t0
    call    build_page_tables   /* returns the satp value */
    csrw    satp, a0
    sfence.vma
    li      t0, 3 << 11         /* mstatus.MPP = user */
    csrc    mstatus, t0
    la      t0, user_main
    csrw    mepc, t0
    la      sp, user_stack_top
    mret
park:
    wfi
    j       park

    .align 2
trap_entry:
    la      sp, __stack_top
    mv      a3, a0
    csrr    a0, mcause
    csrr    a1, mepc
    csrr    a2, mtval
    call    machine_trap

    .section .bss
    .align 4
user_stack:
    .space  16384
user_stack_top:

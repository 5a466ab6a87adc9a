/* Entry for ISA tests: enables the FPU, opens PMP to S/U mode, and installs a machine trap vector that saves
   all registers and calls m_trap(regs) in C; s_trap_vector does the same for supervisor traps. Hart 0 runs
   main; other harts run secondary_main if the test defines it (on their own stack), else park. */
    .section .text.start
    .globl _start
_start:
    csrr    t0, mhartid
    bnez    t0, secondary
    la      t0, m_trap_vector
    csrw    mtvec, t0
    li      t0, 1 << 13
    csrs    mstatus, t0
    li      t0, -1
    csrw    pmpaddr0, t0
    li      t0, 0x0f
    csrw    pmpcfg0, t0
    la      sp, __stack_top
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
    /* bss is hart 0's to clear: wait, or the clearing would wipe what this hart writes there */
3:  lw      t2, bss_cleared
    beqz    t2, 3b
    fence   r, rw
    la      t2, m_trap_vector
    csrw    mtvec, t2
    li      t2, 1 << 13
    csrs    mstatus, t2
    la      sp, __stack_top
    slli    t0, t0, 14
    sub     sp, sp, t0
    jalr    t1
park:
    wfi
    j       park

    .section .sdata
    .align 3
    .weak   secondary_main
secondary_entry:
    .dword  secondary_main
bss_cleared:
    .word   0
    .text

.macro SAVE_ALL
    addi    sp, sp, -256
    .irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd      x\r, \r*8(sp)
    .endr
    addi    t0, sp, 256
    sd      t0, 16(sp)
    mv      a0, sp
.endm

.macro RESTORE_ALL
    .irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld      x\r, \r*8(sp)
    .endr
    ld      sp, 16(sp)
.endm

    .align 2
    .globl m_trap_vector
m_trap_vector:
    SAVE_ALL
    call    m_trap
    RESTORE_ALL
    mret

/* Vectored mode: entry i records i in vector_taken, then continues as the direct vector does. */
.macro VECTOR_TABLE name, common
    .align 8
    .globl \name
\name:
    .option push
    .option norvc
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11
    j       \name\()_\i
    .endr
    .option pop
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11
\name\()_\i:
    addi    sp, sp, -16
    sd      t0, 0(sp)
    sd      t1, 8(sp)
    li      t0, \i
    la      t1, vector_taken
    sd      t0, 0(t1)
    ld      t0, 0(sp)
    ld      t1, 8(sp)
    addi    sp, sp, 16
    j       \common
    .endr
.endm
    VECTOR_TABLE m_vector_table, m_trap_vector
    VECTOR_TABLE s_vector_table, s_trap_vector

    .align 2
    .globl s_trap_vector
s_trap_vector:
    SAVE_ALL
    call    s_trap
    RESTORE_ALL
    sret

/* void run_in_mode(uint64_t mpp, void (*body)(void)): runs body in mode mpp (0 = U, 1 = S) until it executes
   ECALL, which m_trap turns into a return from here. The body never returns, so its callee-saved registers
   are restored here. */
    .globl run_in_mode
run_in_mode:
    addi    sp, sp, -112
    sd      ra, 0(sp)
    .irp r, 8,9,18,19,20,21,22,23,24,25,26,27
    sd      x\r, (\r-7)*8(sp)
    .endr
    la      t0, mode_return_sp
    sd      sp, 0(t0)
    li      t1, 3 << 11
    csrc    mstatus, t1
    slli    a0, a0, 11
    csrs    mstatus, a0
    csrw    mepc, a1
    mret
    .globl run_in_mode_return
run_in_mode_return:
    ld      ra, 0(sp)
    .irp r, 8,9,18,19,20,21,22,23,24,25,26,27
    ld      x\r, (\r-7)*8(sp)
    .endr
    addi    sp, sp, 112
    ret

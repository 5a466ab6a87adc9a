/* Entry for ISA tests: enables the FPU, opens PMP to S/U mode, and installs a machine trap vector that saves
   all registers and calls m_trap(regs) in C; s_trap_vector does the same for supervisor traps. */
    .section .text.start
    .globl _start
_start:
    csrr    t0, mhartid
    bnez    t0, park
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
2:  call    main
    call    guest_exit
park:
    wfi
    j       park

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

    .align 2
    .globl s_trap_vector
s_trap_vector:
    SAVE_ALL
    call    s_trap
    RESTORE_ALL
    sret

/* void run_in_mode(uint64_t mpp, void (*body)(void)): runs body in mode mpp (0 = U, 1 = S) until it executes
   ECALL, which m_trap turns into a return from here. */
    .globl run_in_mode
run_in_mode:
    addi    sp, sp, -16
    sd      ra, 0(sp)
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
    addi    sp, sp, 16
    ret

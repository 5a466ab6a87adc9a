/* void run_generated(uint64_t *registers, uint64_t *float_registers, void *code, void *scratch): loads x5..x31
   (but x27) and f0..f31 from the arrays, points s11 (x27) at scratch, calls code, and stores them back.
   The generated code leaves ra, sp, gp, tp and s11 alone; callee-saved registers are restored here. */
    .text
    .globl run_generated
run_generated:
    addi    sp, sp, -128
    sd      ra, 0(sp)
    sd      gp, 8(sp)
    sd      tp, 16(sp)
    .set    slot, 24
    .irp r, 8,9,18,19,20,21,22,23,24,25,26,27
    sd      x\r, slot(sp)
    .set    slot, slot + 8
    .endr
    sd      a1, 120(sp)
    .irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fld     f\r, \r*8(a1)
    .endr
    mv      tp, a0
    mv      gp, a2
    mv      s11, a3
    .irp r, 5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,28,29,30,31
    ld      x\r, \r*8(tp)
    .endr
    jalr    ra, gp
    .irp r, 5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,28,29,30,31
    sd      x\r, \r*8(tp)
    .endr
    ld      a1, 120(sp)
    .irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fsd     f\r, \r*8(a1)
    .endr
    ld      ra, 0(sp)
    ld      gp, 8(sp)
    ld      tp, 16(sp)
    .set    slot, 24
    .irp r, 8,9,18,19,20,21,22,23,24,25,26,27
    ld      x\r, slot(sp)
    .set    slot, slot + 8
    .endr
    addi    sp, sp, 128
    ret

/* Every RV64I, M and C instruction once or more, each result compared with its architectural value.
   uint64_t integer_tests(void) returns the number of failed checks; failed_line holds the last one's line.
   t3..t6 belong to the checks; s0, s1, a0..a5 (x8..x15) are the compressed forms' registers. */
#define FAIL addi t4, t4, 1; li t3, __LINE__
#define EXPECT(reg, value) li t6, value; beq reg, t6, 99f; FAIL; 99:
#define EXPECT_SAME(reg, other) beq reg, other, 99f; FAIL; 99:
#define TAKEN(branch, a, b) branch a, b, 98f; FAIL; 98:
#define NOT_TAKEN(branch, a, b) branch a, b, 97f; j 96f; 97: FAIL; 96:

    .data
    .align 3
    .globl failed_line
failed_line: .dword 0
bytes:  .byte 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x08
scratch: .dword 0, 0, 0, 0

    .text
    .globl integer_tests
integer_tests:
    addi    sp, sp, -64
    sd      ra, 0(sp)
    sd      s0, 8(sp)
    sd      s1, 16(sp)
    li      t4, 0
    li      t3, 0

    .option push
    .option norvc
    /* LUI, AUIPC, JAL, JALR */
    lui     a0, 0x80000
    EXPECT(a0, 0xFFFFFFFF80000000)
    lui     a0, 0x7FFFF
    EXPECT(a0, 0x7FFFF000)
1:  auipc   a0, 0
    lla     a1, 1b
    EXPECT_SAME(a0, a1)
1:  auipc   a0, 0x1
    lla     a1, 1b
    sub     a0, a0, a1
    EXPECT(a0, 0x1000)
    jal     a0, 2f
1:  FAIL
2:  lla     a1, 1b
    EXPECT_SAME(a0, a1)
    lla     a2, 3f
    jalr    a0, 1(a2)           /* bit 0 of the target is cleared */
1:  FAIL
3:  lla     a1, 1b
    EXPECT_SAME(a0, a1)
    lla     a2, 4f - 8
    jalr    zero, 8(a2)
    FAIL
4:
    /* branches, signed and unsigned, taken and not */
    li      a0, -1
    li      a1, 1
    TAKEN(beq, a0, a0)
    NOT_TAKEN(beq, a0, a1)
    TAKEN(bne, a0, a1)
    NOT_TAKEN(bne, a1, a1)
    TAKEN(blt, a0, a1)
    NOT_TAKEN(blt, a1, a0)
    TAKEN(bge, a1, a0)
    TAKEN(bge, a1, a1)
    NOT_TAKEN(bge, a0, a1)
    TAKEN(bltu, a1, a0)
    NOT_TAKEN(bltu, a0, a1)
    TAKEN(bgeu, a0, a1)
    NOT_TAKEN(bgeu, a1, a0)
    /* loads, sign and zero extension */
    lla     a5, bytes
    lb      a0, 0(a5)
    EXPECT(a0, 0xFFFFFFFFFFFFFF81)
    lbu     a0, 0(a5)
    EXPECT(a0, 0x81)
    lh      a0, 2(a5)
    EXPECT(a0, 0xFFFFFFFFFFFF8483)
    lhu     a0, 2(a5)
    EXPECT(a0, 0x8483)
    lw      a0, 4(a5)
    EXPECT(a0, 0xFFFFFFFF88878685)
    lwu     a0, 4(a5)
    EXPECT(a0, 0x88878685)
    ld      a0, 8(a5)
    EXPECT(a0, 0x0877665544332211)
    lb      a0, 15(a5)
    EXPECT(a0, 8)
    lw      a0, 12(a5)
    EXPECT(a0, 0x08776655)
    /* stores */
    lla     a5, scratch
    li      a1, 0x1122334455667788
    sd      a1, 0(a5)
    ld      a0, 0(a5)
    EXPECT_SAME(a0, a1)
    li      a1, 0xAABBCCDD
    sw      a1, 0(a5)
    ld      a0, 0(a5)
    EXPECT(a0, 0x11223344AABBCCDD)
    li      a1, 0xEEFF
    sh      a1, 4(a5)
    ld      a0, 0(a5)
    EXPECT(a0, 0x1122EEFFAABBCCDD)
    li      a1, 0x1234
    sb      a1, 7(a5)
    ld      a0, 0(a5)
    EXPECT(a0, 0x3422EEFFAABBCCDD)
    sd      a1, -8+16(a5)
    ld      a0, 8(a5)
    EXPECT(a0, 0x1234)
    /* register-immediate */
    li      a1, -5
    addi    a0, a1, 7
    EXPECT(a0, 2)
    addi    a0, a1, -2048
    EXPECT(a0, -2053)
    slti    a0, a1, -4
    EXPECT(a0, 1)
    slti    a0, a1, -5
    EXPECT(a0, 0)
    sltiu   a0, a1, -4
    EXPECT(a0, 1)
    sltiu   a0, a1, 5
    EXPECT(a0, 0)
    xori    a0, a1, -1
    EXPECT(a0, 4)
    ori     a0, a1, 0x0F0
    EXPECT(a0, -5 | 0xF0)
    andi    a0, a1, 0x0FF
    EXPECT(a0, 0xFB)
    slli    a0, a1, 63
    EXPECT(a0, 0x8000000000000000)
    srli    a0, a1, 60
    EXPECT(a0, 0xF)
    srai    a0, a1, 1
    EXPECT(a0, -3)
    addiw   a0, a1, 0
    EXPECT(a0, -5)
    li      a2, 0x7FFFFFFF
    addiw   a0, a2, 1
    EXPECT(a0, 0xFFFFFFFF80000000)
    slliw   a0, a2, 1
    EXPECT(a0, -2)
    srliw   a0, a1, 4
    EXPECT(a0, 0x0FFFFFFF)
    srliw   a0, a1, 0
    EXPECT(a0, -5)
    sraiw   a0, a2, 30
    EXPECT(a0, 1)
    li      a3, 0x180000000
    sraiw   a0, a3, 31
    EXPECT(a0, -1)
    /* register-register */
    li      a1, 0x7FFFFFFFFFFFFFFF
    li      a2, 3
    add     a0, a1, a2
    EXPECT(a0, 0x8000000000000002)
    sub     a0, a2, a1
    EXPECT(a0, 0x8000000000000004)
    li      a3, 67
    sll     a0, a2, a3          /* shift amounts use the low 6 bits */
    EXPECT(a0, 24)
    li      a4, -8
    slt     a0, a4, a2
    EXPECT(a0, 1)
    sltu    a0, a4, a2
    EXPECT(a0, 0)
    xor     a0, a4, a2
    EXPECT(a0, -5)
    srl     a0, a4, a3
    EXPECT(a0, 0x1FFFFFFFFFFFFFFF)
    sra     a0, a4, a3
    EXPECT(a0, -1)
    or      a0, a4, a2
    EXPECT(a0, -5)
    and     a0, a4, a1
    EXPECT(a0, 0x7FFFFFFFFFFFFFF8)
    addw    a0, a1, a2
    EXPECT(a0, 2)
    subw    a0, a2, a4
    EXPECT(a0, 11)
    li      a3, 33
    sllw    a0, a2, a3          /* W shifts use the low 5 bits */
    EXPECT(a0, 6)
    srlw    a0, a4, a3
    EXPECT(a0, 0x7FFFFFFC)
    sraw    a0, a4, a3
    EXPECT(a0, -4)
    /* M */
    li      a1, -7
    li      a2, 3
    mul     a0, a1, a2
    EXPECT(a0, -21)
    li      a3, 0x8000000000000000
    mulh    a0, a3, a3
    EXPECT(a0, 0x4000000000000000)
    mulh    a0, a1, a2
    EXPECT(a0, -1)
    mulhsu  a0, a1, a2
    EXPECT(a0, -1)
    mulhsu  a0, a2, a1          /* 3 * (2^64 - 7) >> 64 = 2 */
    EXPECT(a0, 2)
    mulhu   a0, a1, a1
    EXPECT(a0, 0xFFFFFFFFFFFFFFF2)
    div     a0, a1, a2
    EXPECT(a0, -2)
    divu    a0, a1, a2
    EXPECT(a0, 0x5555555555555553)
    rem     a0, a1, a2
    EXPECT(a0, -1)
    remu    a0, a1, a2
    EXPECT(a0, 0)
    div     a0, a1, zero
    EXPECT(a0, -1)
    divu    a0, a1, zero
    EXPECT(a0, -1)
    rem     a0, a1, zero
    EXPECT(a0, -7)
    remu    a0, a1, zero
    EXPECT(a0, -7)
    li      a4, -1
    div     a0, a3, a4          /* overflow: the dividend, remainder 0 */
    EXPECT_SAME(a0, a3)
    rem     a0, a3, a4
    EXPECT(a0, 0)
    li      a5, 0x100000003
    mulw    a0, a5, a5
    EXPECT(a0, 0x9)
    divw    a0, a1, a2
    EXPECT(a0, -2)
    li      a5, 0xFFFFFFF9
    divuw   a0, a5, a2
    EXPECT(a0, 0x55555553)
    remw    a0, a1, a2
    EXPECT(a0, -1)
    remuw   a0, a5, a2
    EXPECT(a0, 0)
    li      a5, 0x80000000
    li      a4, -1
    divw    a0, a5, a4
    EXPECT(a0, 0xFFFFFFFF80000000)
    remw    a0, a5, a4
    EXPECT(a0, 0)
    divuw   a0, a5, zero
    EXPECT(a0, -1)
    remuw   a0, a5, zero
    EXPECT(a0, 0xFFFFFFFF80000000)
    divw    a0, a5, zero
    EXPECT(a0, -1)
    remw    a0, a2, zero
    EXPECT(a0, 3)
    /* FENCE in its variants */
    fence
    fence   rw, rw
    fence.tso
    .option pop

    /* C: every RV64 compressed form (C.FLW/C.FSW and their SP forms are RV32 only) */
    mv      s1, sp
    addi    sp, sp, -32
    c.addi4spn s0, sp, 16
    addi    a0, sp, 16
    EXPECT_SAME(s0, a0)
    lla     s0, bytes
    c.lw    a0, 4(s0)
    EXPECT(a0, 0xFFFFFFFF88878685)
    c.ld    a1, 8(s0)
    EXPECT(a1, 0x0877665544332211)
    lla     s0, scratch
    c.sw    a0, 16(s0)
    c.sd    a1, 8(s0)
    ld      a2, 16(s0)
    EXPECT(a2, 0x0000000088878685)
    ld      a2, 8(s0)
    EXPECT_SAME(a2, a1)
    c.fld   fa0, 8(s0)
    c.fsd   fa0, 24(s0)
    ld      a2, 24(s0)
    EXPECT_SAME(a2, a1)
    c.nop
    li      a0, 5
    c.addi  a0, -6
    EXPECT(a0, -1)
    li      a0, 0x7FFFFFFF
    c.addiw a0, 1
    EXPECT(a0, 0xFFFFFFFF80000000)
    c.li    a0, -32
    EXPECT(a0, -32)
    mv      a1, sp
    c.addi16sp sp, -64
    sub     a0, a1, sp
    EXPECT(a0, 64)
    c.addi16sp sp, 64
    c.lui   a0, 0xFFFFF         /* nzimm[17:12] = -1 */
    EXPECT(a0, -4096)
    c.lui   a0, 0x1F
    EXPECT(a0, 0x1F000)
    li      a0, -16
    c.srli  a0, 60
    EXPECT(a0, 0xF)
    li      a0, -16
    c.srai  a0, 2
    EXPECT(a0, -4)
    li      a0, 0x1234
    c.andi  a0, -16
    EXPECT(a0, 0x1230)
    li      a0, 10
    li      a1, 3
    c.sub   a0, a1
    EXPECT(a0, 7)
    c.xor   a0, a1
    EXPECT(a0, 4)
    c.or    a0, a1
    EXPECT(a0, 7)
    c.and   a0, a1
    EXPECT(a0, 3)
    li      a0, 0x80000000
    c.subw  a0, a1
    EXPECT(a0, 0x7FFFFFFD)
    li      a0, 0x7FFFFFFF
    c.addw  a0, a1
    EXPECT(a0, 0xFFFFFFFF80000002)
    c.j     1f
    FAIL
1:  li      a0, 0
    c.beqz  a0, 1f
    FAIL
1:  c.bnez  a0, 2f
    j       1f
2:  FAIL
1:  li      a0, 1
    c.bnez  a0, 1f
    FAIL
1:  c.beqz  a0, 2f
    j       1f
2:  FAIL
1:  li      a0, 3
    c.slli  a0, 62
    EXPECT(a0, 0xC000000000000000)
    li      a0, 0x55
    sd      a0, 8(sp)
    li      a0, 0x7788
    sw      a0, 4(sp)
    c.ldsp  a1, 8(sp)
    EXPECT(a1, 0x55)
    c.lwsp  a2, 4(sp)
    EXPECT(a2, 0x7788)
    c.sdsp  a2, 16(sp)
    c.swsp  a1, 24(sp)
    ld      a0, 16(sp)
    EXPECT(a0, 0x7788)
    lw      a0, 24(sp)
    EXPECT(a0, 0x55)
    c.fldsp fa1, 16(sp)
    c.fsdsp fa1, 0(sp)
    ld      a0, 0(sp)
    EXPECT(a0, 0x7788)
    lla     a1, 1f
    c.jr    a1
    FAIL
1:  lla     a1, 2f
    c.jalr  a1
1:  FAIL
2:  lla     a2, 1b
    EXPECT_SAME(ra, a2)
    li      a1, 0x123
    c.mv    a0, a1
    EXPECT(a0, 0x123)
    c.add   a0, a1
    EXPECT(a0, 0x246)
    addi    sp, sp, 32
    EXPECT_SAME(sp, s1)

    ld      ra, 0(sp)
    ld      s0, 8(sp)
    ld      s1, 16(sp)
    addi    sp, sp, 64
    lla     t5, failed_line
    sd      t3, 0(t5)
    mv      a0, t4
    ret

/* C.EBREAK and C.JAL's RV64 replacement C.ADDIW are covered above; c.ebreak is checked by the trap tests. */
    .globl compressed_ebreak
compressed_ebreak:
    c.ebreak
    ret

/* Entry of the SBI test payload: the boot hart arrives here with a0 = hartid, a1 = device tree. */
    .section .text.start
    .globl _start
_start:
    la      sp, __stack_top
    call    main
1:  j       1b

/* Where hart_start sends the second hart: a0 = hartid, a1 = the opaque value. */
    .globl secondary_start
secondary_start:
    la      sp, __secondary_stack_top
    call    secondary_main
2:  j       2b

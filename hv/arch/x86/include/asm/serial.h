/* 16550 UART driver for the PC serial ports (COM1 at 0x3f8, COM2 at 0x2f8). */
#ifndef ASM_SERIAL_H
#define ASM_SERIAL_H

#include <hv/types.h>
#include <hv/cmdline.h>

#define NR_SERIAL_PORTS 2 /* index 0 = COM1, 1 = COM2 */

/*
 * Program port idx from so (baud 0 = keep the firmware's settings) and use it as a console.
 * Returns 0, or -1 if no UART answers at so->io_base.
 */
int ns16550_setup(unsigned int idx, const struct serial_opts *so);
/* Send one byte on port idx, waiting (bounded) for room in the transmitter. */
void ns16550_putc(unsigned int idx, char c);
/* One received byte from port idx, or -1 if none is waiting (never blocks). */
int ns16550_getc(unsigned int idx);

/* The console hooks serial_init/serial_puts/serial_poll are declared in <hv/console.h>. */

#endif

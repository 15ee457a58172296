/* 16550 UART: line setup from com1=/com2=, polled transmit and receive for the console. */
#include <asm/serial.h>
#include <asm/io.h>
#include <hv/console.h>
#include <hv/cmdline.h>

/* Register offsets from the I/O base (DLL/DLM replace RBR/IER while LCR.DLAB is set). */
#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_DLL 0
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7

#define LCR_DLAB         0x80
#define LCR_STOP2        0x04
#define FCR_ENABLE_CLEAR 0x07 /* FIFOs on, both cleared */
#define MCR_DTR_RTS      0x03
#define LSR_DR           0x01 /* a received byte is waiting */
#define LSR_THRE         0x20 /* transmit holding register empty */

#define TX_SPIN_LIMIT 200000 /* give up on a wedged or absent UART rather than hang */
#define RX_BATCH      64     /* bytes taken per port per poll */

struct uart {
    uint16_t base;
    bool console; /* selected by console= and answered the probe */
};

/*
 * Until serial_init runs, output goes to COM1 as the firmware left it, so the earliest
 * messages (and a panic before the command line is parsed) are still seen.
 */
static struct uart ports[NR_SERIAL_PORTS] = {{0x3f8, true}, {0x2f8, false}};

static bool uart_present(uint16_t base)
{
    uint8_t saved = inb(base + UART_SCR);
    bool ok;

    outb(base + UART_SCR, 0x5a);
    ok = inb(base + UART_SCR) == 0x5a;
    outb(base + UART_SCR, 0xa5);
    ok = ok && inb(base + UART_SCR) == 0xa5;
    outb(base + UART_SCR, saved);
    return ok;
}

/* Program port idx from so (baud 0 = keep the firmware's settings) and use it as a console. */
int ns16550_setup(unsigned int idx, const struct serial_opts *so)
{
    uint16_t base = so->io_base;
    static const uint8_t parity_bits[] = {
        ['n'] = 0x00, ['o'] = 0x08, ['e'] = 0x18, ['m'] = 0x28, ['s'] = 0x38};

    if (idx >= NR_SERIAL_PORTS)
        return -1;
    ports[idx].console = false;
    if (!uart_present(base))
        return -1;
    ports[idx].base = base;

    outb(base + UART_IER, 0); /* polled: no interrupts */
    if (so->baud) {
        uint32_t div = so->base_baud / so->baud;
        uint8_t lcr = (uint8_t)(so->data_bits - 5);

        if (div == 0)
            div = 1;
        if (so->stop_bits == 2)
            lcr |= LCR_STOP2;
        if ((unsigned char)so->parity < sizeof(parity_bits))
            lcr |= parity_bits[(unsigned char)so->parity];
        outb(base + UART_LCR, LCR_DLAB);
        outb(base + UART_DLL, (uint8_t)div);
        outb(base + UART_DLM, (uint8_t)(div >> 8));
        outb(base + UART_LCR, lcr);
    } else {
        outb(base + UART_LCR, inb(base + UART_LCR) & ~LCR_DLAB);
    }
    outb(base + UART_FCR, FCR_ENABLE_CLEAR);
    outb(base + UART_MCR, MCR_DTR_RTS);
    (void)inb(base + UART_RBR); /* drop anything stale */
    ports[idx].console = true;
    return 0;
}

static void uart_tx(uint16_t base, char c)
{
    for (unsigned int i = 0; i < TX_SPIN_LIMIT; i++) {
        if (inb(base + UART_LSR) & LSR_THRE)
            break;
        __builtin_ia32_pause();
    }
    outb(base + UART_THR, (uint8_t)c);
}

/* Send one byte on port idx, waiting (bounded) for room in the transmitter. */
void ns16550_putc(unsigned int idx, char c)
{
    if (idx < NR_SERIAL_PORTS)
        uart_tx(ports[idx].base, c);
}

/* One received byte from port idx, or -1 if none is waiting (never blocks). */
int ns16550_getc(unsigned int idx)
{
    uint16_t base;
    uint8_t lsr;

    if (idx >= NR_SERIAL_PORTS)
        return -1;
    base = ports[idx].base;
    lsr = inb(base + UART_LSR);
    if (lsr == 0xff || !(lsr & LSR_DR)) /* 0xff: nothing decodes this port */
        return -1;
    return inb(base + UART_RBR);
}

/* Serial driver: program the ports boot_opts.console selects. */
void serial_init(void)
{
    static const unsigned int want[NR_SERIAL_PORTS] = {CONSOLE_COM1, CONSOLE_COM2};

    for (unsigned int i = 0; i < NR_SERIAL_PORTS; i++) {
        ports[i].console = false;
        if (!(boot_opts.console & want[i]))
            continue;
        if (ns16550_setup(i, &boot_opts.com[i]))
            printk("serial: no UART found for COM%u at %#x\n", i + 1, boot_opts.com[i].io_base);
    }
}

/* Serial driver: write bytes to every console port ('\n' goes out as "\r\n"). */
void serial_puts(const char *s, size_t len)
{
    for (unsigned int i = 0; i < NR_SERIAL_PORTS; i++) {
        if (!ports[i].console)
            continue;
        for (size_t k = 0; k < len; k++) {
            if (s[k] == '\n')
                uart_tx(ports[i].base, '\r');
            uart_tx(ports[i].base, s[k]);
        }
    }
}

/* Serial driver: pass each received byte to console_rx_char(). */
void serial_poll(void)
{
    for (unsigned int i = 0; i < NR_SERIAL_PORTS; i++) {
        if (!ports[i].console)
            continue;
        for (unsigned int n = 0; n < RX_BATCH; n++) {
            int c = ns16550_getc(i);
            if (c < 0)
                break;
            console_rx_char((char)c);
        }
    }
}

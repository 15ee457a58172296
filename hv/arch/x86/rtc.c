/* CMOS real-time clock: the wall-clock time at boot, for the guests' shared_info. */
#include <hv/lib.h>
#include <hv/time.h>
#include <asm/io.h>
#include <asm/bootinfo.h>
#include <hv/domain.h>
#include <asm/time.h>

static uint8_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static unsigned int bcd(uint8_t v, bool is_bcd)
{
    return is_bcd ? (v & 0xF) + (v >> 4) * 10 : v;
}

static uint64_t now_at_read;
static uint64_t wallclock_override; /* set by dom0 through XENPF_settime; 0 = use the RTC */

static uint64_t days_from_civil(int y, unsigned int m, unsigned int d)
{
    /* Days since 1970-01-01 for a Gregorian date. */
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned int yoe = (unsigned int)(y - era * 400);
    unsigned int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (uint64_t)((int64_t)era * 146097 + doe - 719468);
}

/* Seconds since the epoch read from the CMOS RTC at boot. */
uint64_t arch_wallclock_boot_sec(void)
{
    static uint64_t cached;
    uint8_t sec, min, hour, day, mon, year, b;

    if (cached)
        return cached;
    for (int i = 0; i < 1000000 && (cmos(0x0A) & 0x80); i++)
        ;
    sec = cmos(0x00);
    min = cmos(0x02);
    hour = cmos(0x04);
    day = cmos(0x07);
    mon = cmos(0x08);
    year = cmos(0x09);
    b = cmos(0x0B);
    bool is_bcd = !(b & 0x04);
    unsigned int h = bcd(hour & 0x7F, is_bcd);
    if (!(b & 0x02) && (hour & 0x80))
        h = (h % 12) + 12;
    unsigned int y = 2000 + bcd(year, is_bcd);
    now_at_read = now_ns();
    cached = days_from_civil((int)y, bcd(mon, is_bcd), bcd(day, is_bcd)) * 86400 + h * 3600 +
             bcd(min, is_bcd) * 60 + bcd(sec, is_bcd);
    return cached;
}

/* Wall-clock time (ns since the epoch) at hypervisor system time 0. */
uint64_t arch_wallclock_boot_ns(void)
{
    if (wallclock_override)
        return wallclock_override;
    uint64_t wall = arch_wallclock_boot_sec() * 1000000000ULL;
    return wall > now_at_read ? wall - now_at_read : 0;
}

/* The hypervisor's boot command line, NUL-terminated (never NULL). */
const char *arch_hypervisor_cmdline(void)
{
    return boot_info.cmdline ? boot_info.cmdline : "";
}

/* Set the Unix time in ns that corresponds to now_ns() == 0 (XENPF_settime). */
void arch_set_wallclock_boot_ns(uint64_t ns)
{
    wallclock_override = ns ? ns : 1;
}

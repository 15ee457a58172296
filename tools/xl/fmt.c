/* Pure formatting and parsing for xl's commands: sizes, CPU maps, uptimes, list/vcpu/info rows. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

int xl_parse_memsize(const char *s, uint64_t *kb)
{
    unsigned long long v;
    char *end;
    unsigned int shift;

    if (!s || !isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || (end[0] && end[1]))
        return -1;
    switch (tolower((unsigned char)end[0])) {
    case 't':
        shift = 30;
        break;
    case 'g':
        shift = 20;
        break;
    case '\0':
    case 'm':
        shift = 10;
        break;
    case 'k':
        shift = 0;
        break;
    case 'b':
        *kb = v >> 10;
        return 0;
    default:
        return -1;
    }
    if (v > (UINT64_MAX >> 10) >> shift)
        return -1;
    *kb = (uint64_t)v << shift;
    return 0;
}

/* One element "N" or "N-M" of a CPU list into [*lo, *hi]; 0 or -1. */
static int parse_range(const char *s, size_t len, unsigned long *lo, unsigned long *hi)
{
    char buf[32], *end;

    if (len == 0 || len >= sizeof(buf))
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (!isdigit((unsigned char)buf[0]))
        return -1;
    *lo = strtoul(buf, &end, 10);
    *hi = *lo;
    if (*end == '-') {
        if (!isdigit((unsigned char)end[1]))
            return -1;
        *hi = strtoul(end + 1, &end, 10);
    }
    return *end || *hi < *lo ? -1 : 0;
}

int xl_parse_cpumap(const char *s, unsigned int nr_cpus, uint64_t *mask)
{
    uint64_t all = nr_cpus >= 64 ? ~0ULL : (1ULL << nr_cpus) - 1, m = 0;
    const char *p = s;

    if (nr_cpus == 0 || nr_cpus > XL_MAX_CPUS || !s || !*s)
        return -1;
    while (*p) {
        size_t len = strcspn(p, ",");
        bool neg = *p == '^';
        unsigned long lo, hi, i;

        if (len == 3 + (size_t)neg && !strncmp(p + neg, "all", 3)) {
            lo = 0;
            hi = nr_cpus - 1;
        } else if (parse_range(p + neg, len - neg, &lo, &hi) || hi >= nr_cpus) {
            return -1;
        }
        for (i = lo; i <= hi; i++) {
            if (neg)
                m &= ~(1ULL << i);
            else
                m |= 1ULL << i;
        }
        p += len;
        if (*p == ',' && !*++p)
            return -1;
    }
    *mask = m & all;
    return 0;
}

void xl_format_cpumap(uint64_t mask, unsigned int nr_cpus, char *buf, size_t len)
{
    unsigned int n = nr_cpus > XL_MAX_CPUS ? XL_MAX_CPUS : nr_cpus, i = 0;
    uint64_t all = n >= 64 ? ~0ULL : (1ULL << n) - 1;
    size_t o = 0;

    mask &= all;
    if (len == 0)
        return;
    buf[0] = '\0';
    if (n && mask == all) {
        snprintf(buf, len, "all");
        return;
    }
    if (!mask) {
        snprintf(buf, len, "none");
        return;
    }
    while (i < n && o < len) {
        unsigned int j;

        if (!(mask >> i & 1)) {
            i++;
            continue;
        }
        for (j = i; j + 1 < n && (mask >> (j + 1) & 1); j++)
            ;
        if (j > i)
            o += snprintf(buf + o, len - o, "%s%u-%u", o ? "," : "", i, j);
        else
            o += snprintf(buf + o, len - o, "%s%u", o ? "," : "", i);
        i = j + 1;
    }
}

void xl_format_uptime(unsigned long secs, bool short_mode, char *buf, size_t len)
{
    unsigned long day = secs / 86400, hour = secs / 3600 % 24, min = secs / 60 % 60;
    char days[32] = "";

    if (day)
        snprintf(days, sizeof(days), "%lu day%s, ", day, day > 1 ? "s" : "");
    if (short_mode)
        snprintf(buf, len, "%s%2lu:%02lu", days, hour, min);
    else
        snprintf(buf, len, "%s%2lu:%02lu:%02lu", days, hour, min, secs % 60);
}

int xl_resolve_domain(const char *arg, const struct xl_dom_name *doms, size_t n, uint32_t *domid)
{
    size_t i;
    const char *p = arg;

    if (!arg || !*arg)
        return -1;
    while (isdigit((unsigned char)*p))
        p++;
    if (!*p && p - arg <= 5) {
        unsigned long id = strtoul(arg, NULL, 10);

        for (i = 0; i < n; i++) {
            if (doms[i].domid == id) {
                *domid = doms[i].domid;
                return 0;
            }
        }
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (doms[i].name && !strcmp(doms[i].name, arg)) {
            *domid = doms[i].domid;
            return 0;
        }
    }
    return -1;
}

void xl_list_header(FILE *out, bool verbose)
{
    fputs("Name                                        ID   Mem VCPUs\tState\tTime(s)", out);
    if (verbose)
        fputs("   UUID                            Reason-Code\tSecurity Label", out);
    fputc('\n', out);
}

void xl_list_row(FILE *out, const char *name, const struct xctrl_dominfo *di, bool verbose)
{
    static const char reasons[] = "-rscwS";
    unsigned int reason = di->shutdown ? di->shutdown_reason : 0;
    unsigned long mem = (unsigned long)((di->tot_pages + di->outstanding_pages) * 4 / 1024);

    fprintf(out, "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f", name ? name : "(null)",
            (int)di->domid, mem, (int)di->nr_online_vcpus, di->running ? 'r' : '-',
            di->blocked ? 'b' : '-', di->paused ? 'p' : '-', di->shutdown ? 's' : '-',
            reason < sizeof(reasons) - 1 ? reasons[reason] : '?', di->dying ? 'd' : '-',
            (double)((float)di->cpu_time_ns / 1e9f));
    if (verbose) {
        char uuid[37];

        xl_format_uuid(di->handle, uuid);
        fprintf(out, " %s", uuid);
        if (di->shutdown)
            fprintf(out, " %8x", reason);
        else
            fprintf(out, " %8s", "-");
        fprintf(out, " %16s", "-");
    }
    fputc('\n', out);
}

void xl_vcpu_header(FILE *out)
{
    fprintf(out, "%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State", "Time(s)",
            "Affinity (Hard / Soft)");
}

void xl_vcpu_row(FILE *out, const char *name, uint32_t domid, unsigned int vcpu,
                 const struct xctrl_vcpuinfo *vi, uint64_t hard, uint64_t soft,
                 unsigned int nr_cpus)
{
    char h[256], s[256];

    fprintf(out, "%-32s %5u %5u", name ? name : "(null)", domid, vcpu);
    if (!vi->online)
        fprintf(out, "%5c %3c%cp ", '-', '-', '-');
    else
        fprintf(out, "%5u %3c%c- ", vi->cpu, vi->running ? 'r' : '-', vi->blocked ? 'b' : '-');
    xl_format_cpumap(hard, nr_cpus, h, sizeof(h));
    xl_format_cpumap(soft, nr_cpus, s, sizeof(s));
    fprintf(out, "%9.1f  %s / %s\n", (double)((float)vi->cpu_time_ns / 1e9f), h, s);
}

void xl_info_line(FILE *out, const char *key, const char *fmt, ...)
{
    va_list ap;

    fprintf(out, "%-23s: ", key);
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
}

void xl_virt_caps(uint32_t caps, char *buf, size_t len)
{
    bool directio = caps & XEN_SYSCTL_PHYSCAP_directio;
    static const struct {
        uint32_t bit;
        const char *name;
    } words[] = {
        {XEN_SYSCTL_PHYSCAP_pv, " pv"},
        {XEN_SYSCTL_PHYSCAP_hvm, " hvm"},
        {XEN_SYSCTL_PHYSCAP_hvm, " hvm_directio"},
        {XEN_SYSCTL_PHYSCAP_pv, " pv_directio"},
        {XEN_SYSCTL_PHYSCAP_hap, " hap"},
        {XEN_SYSCTL_PHYSCAP_shadow, " shadow"},
        {XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share, " iommu_hap_pt_share"},
        {XEN_SYSCTL_PHYSCAP_vmtrace, " vmtrace"},
        {XEN_SYSCTL_PHYSCAP_vpmu, " vpmu"},
        {XEN_SYSCTL_PHYSCAP_gnttab_v1, " gnttab-v1"},
        {XEN_SYSCTL_PHYSCAP_gnttab_v2, " gnttab-v2"},
    };
    size_t i, o = 0;

    if (len == 0)
        return;
    buf[0] = '\0';
    for (i = 0; i < sizeof(words) / sizeof(words[0]) && o < len; i++) {
        bool needs_io = i == 2 || i == 3; /* the *_directio words */

        if ((caps & words[i].bit) && (!needs_io || directio))
            o += snprintf(buf + o, len - o, "%s", words[i].name);
    }
}

const char *xl_sched_name(uint32_t sched_id)
{
    switch (sched_id) {
    case XEN_SCHEDULER_CREDIT:
        return "credit";
    case XEN_SCHEDULER_CREDIT2:
        return "credit2";
    case XEN_SCHEDULER_ARINC653:
        return "arinc653";
    case XEN_SCHEDULER_RTDS:
        return "rtds";
    case XEN_SCHEDULER_NULL:
        return "null";
    default:
        return "unknown";
    }
}

void xl_format_uuid(const uint8_t h[16], char buf[37])
{
    snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", h[0],
             h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13],
             h[14], h[15]);
}

int xl_parse_uuid(const char *s, uint8_t h[16])
{
    unsigned int i, n = 0;

    if (!s || strlen(s) != 36)
        return -1;
    for (i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;

        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
            return -1;
    }
    for (i = 0; i < 36 && n < 16; i++) {
        char pair[3];

        if (s[i] == '-')
            continue;
        pair[0] = s[i];
        pair[1] = s[i + 1];
        pair[2] = '\0';
        h[n++] = (uint8_t)strtoul(pair, NULL, 16);
        i++;
    }
    return 0;
}

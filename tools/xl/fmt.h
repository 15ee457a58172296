/* Pure formatting and parsing for xl's commands (no hypervisor access): sizes, CPU maps, rows. */
#ifndef XL_FMT_H
#define XL_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <xenolith/ctrl.h>

/* Most pCPUs a CPU map may name (the library's affinity masks are 64 bits). */
#define XL_MAX_CPUS 64

/* One domain id and its xenstore name, for resolving a DOM argument. */
struct xl_dom_name {
    uint32_t domid;
    const char *name; /* NULL: no name in xenstore */
};

/*
 * Parse a size as `xl mem-set' does: a decimal number with an optional suffix b, k, m, g or t
 * (either case; none means MiB). *kb gets KiB. Returns 0, or -1 for a malformed or huge value.
 */
int xl_parse_memsize(const char *s, uint64_t *kb);

/*
 * Parse a CPU list as xl does ("all", "3", "0-2,5", "^1" removes): bits below nr_cpus only.
 * Returns 0 with *mask set, or -1 (syntax, or a CPU >= nr_cpus / XL_MAX_CPUS).
 */
int xl_parse_cpumap(const char *s, unsigned int nr_cpus, uint64_t *mask);

/* Format the first nr_cpus bits of mask as xl prints affinities: "all", "0-2,5" or "none". */
void xl_format_cpumap(uint64_t mask, unsigned int nr_cpus, char *buf, size_t len);

/* Uptime as xl prints it: "[D day(s), ]H:MM:SS", or "[D day(s), ]H:MM" when short_mode. */
void xl_format_uptime(unsigned long secs, bool short_mode, char *buf, size_t len);

/*
 * Resolve a DOM argument: a decimal domain id that is in doms[], else a name in doms[].
 * Returns 0 with *domid set, or -1 when nothing matches.
 */
int xl_resolve_domain(const char *arg, const struct xl_dom_name *doms, size_t n, uint32_t *domid);

/* The `xl list' header line (with the UUID/reason columns when verbose). */
void xl_list_header(FILE *out, bool verbose);
/* One `xl list' row in Xen's format; name NULL prints "(null)" as Xen's xl does. */
void xl_list_row(FILE *out, const char *name, const struct xctrl_dominfo *di, bool verbose);

/* The `xl vcpu-list' header line. */
void xl_vcpu_header(FILE *out);
/* One `xl vcpu-list' row in Xen's format. */
void xl_vcpu_row(FILE *out, const char *name, uint32_t domid, unsigned int vcpu,
                 const struct xctrl_vcpuinfo *vi, uint64_t hard, uint64_t soft,
                 unsigned int nr_cpus);

/* An `xl info' line: key padded to 23 columns, ": ", the formatted value, newline. */
void xl_info_line(FILE *out, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The virt_caps value (each word space-prefixed) for XEN_SYSCTL_PHYSCAP_* bits. */
void xl_virt_caps(uint32_t caps, char *buf, size_t len);
/* Xen's name of a scheduler id (XEN_SCHEDULER_*), "unknown" otherwise. */
const char *xl_sched_name(uint32_t sched_id);

/* Format a 16-byte handle as a UUID string (37 bytes with the NUL). */
void xl_format_uuid(const uint8_t h[16], char buf[37]);
/* Parse a UUID string (8-4-4-4-12 hex digits) into 16 bytes; 0 or -1. */
int xl_parse_uuid(const char *s, uint8_t h[16]);

#endif

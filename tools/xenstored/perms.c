/* Node permissions: Xen's owner/default rule, per-domain entries, and their text form. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"
#include "util.h"

/* Access bits (XS_PERM_*) that connection c has on a node with these perms. */
unsigned int perm_for(const struct conn *c, const struct xs_perm *p, unsigned int n)
{
    int target = conn_target(c);

    if (c->privileged)
        return XS_PERM_BOTH;
    if (!n)
        return XS_PERM_NONE;
    if (p[0].id == c->domid || (target >= 0 && p[0].id == (unsigned int)target))
        return XS_PERM_BOTH;
    for (unsigned int i = 1; i < n; i++)
        if (p[i].id == c->domid || (target >= 0 && p[i].id == (unsigned int)target))
            return p[i].perm;
    return p[0].perm;
}

static int parse_one(const char *s, struct xs_perm *out)
{
    unsigned long id;
    char *end;

    switch (s[0]) {
    case 'n':
        out->perm = XS_PERM_NONE;
        break;
    case 'r':
        out->perm = XS_PERM_READ;
        break;
    case 'w':
        out->perm = XS_PERM_WRITE;
        break;
    case 'b':
        out->perm = XS_PERM_BOTH;
        break;
    default:
        return EINVAL;
    }
    if (s[1] < '0' || s[1] > '9')
        return EINVAL;
    errno = 0;
    id = strtoul(s + 1, &end, 10);
    if (errno || *end || id > 0xffff)
        return EINVAL;
    out->id = (uint32_t)id;
    return 0;
}

/* Parse n NUL-terminated strings like "r5"; 0 on success, EINVAL on bad syntax. */
int perms_parse(const char *s, size_t len, struct xs_perm **out, unsigned int *n)
{
    unsigned int count = 0, i = 0;
    struct xs_perm *p;

    if (!len || s[len - 1] != '\0')
        return EINVAL;
    for (size_t k = 0; k < len; k++)
        if (s[k] == '\0')
            count++;
    p = xcalloc(count, sizeof(*p));
    for (const char *q = s; q < s + len; q += strlen(q) + 1, i++) {
        if (parse_one(q, &p[i])) {
            free(p);
            return EINVAL;
        }
    }
    *out = p;
    *n = count;
    return 0;
}

/* Write perms as "r5\0n0\0..." into buf; returns bytes needed (may exceed cap). */
size_t perms_format(const struct xs_perm *p, unsigned int n, char *buf, size_t cap)
{
    static const char letters[] = "nrwb";
    size_t used = 0;

    for (unsigned int i = 0; i < n; i++) {
        char tmp[16];
        int l = snprintf(tmp, sizeof(tmp), "%c%u", letters[p[i].perm & 3], (unsigned)p[i].id);
        if (used + (size_t)l + 1 <= cap)
            memcpy(buf + used, tmp, (size_t)l + 1);
        used += (size_t)l + 1;
    }
    return used;
}

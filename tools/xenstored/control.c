/* XS_CONTROL (alias XS_DEBUG): a minimal set of privileged maintenance commands. */
#include <errno.h>
#include <string.h>

#include "xenstored.h"

/* Handle "check", "log [on|off]" and "print <text>"; EACCES unprivileged, EINVAL otherwise. */
int xs_control(struct conn *c, const struct xsd_sockmsg *hdr, const char *payload)
{
    const char *cmd = payload, *arg = NULL;
    const char *nul;

    if (!c->privileged)
        return EACCES;
    nul = memchr(payload, '\0', hdr->len);
    if (!nul)
        return EINVAL;
    if ((uint32_t)(nul + 1 - payload) < hdr->len) {
        arg = nul + 1;
        if (!memchr(arg, '\0', hdr->len - (size_t)(arg - payload)))
            return EINVAL;
    }
    if (!strcmp(cmd, "check")) {
        /* The database is kept consistent by construction; nothing to repair. */
    } else if (!strcmp(cmd, "log")) {
        if (arg && strcmp(arg, "on") && strcmp(arg, "off"))
            return EINVAL;
        xs_trace_enable(!arg || !strcmp(arg, "on"));
    } else if (!strcmp(cmd, "print")) {
        if (!arg)
            return EINVAL;
        xs_trace("control print: %s", arg);
    } else {
        return EINVAL;
    }
    xs_reply(c, hdr, "OK", 3);
    return 0;
}

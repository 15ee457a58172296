/* Xenstore path rules: allowed characters, relative paths, length limits, parent/child tests. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xenstored.h"

static bool valid_chars(const char *p)
{
    for (; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '/' || ch == '_' || ch == '@'))
            return false;
    }
    return true;
}

/* Canonical absolute form of a client path; 0 or EINVAL. */
int path_canon(const struct conn *c, const char *in, bool allow_special, char *out)
{
    size_t len = strlen(in);

    if (!len || !valid_chars(in))
        return EINVAL;
    if (in[0] == '@') {
        if (!allow_special || len > XENSTORE_ABS_PATH_MAX || strchr(in, '/'))
            return EINVAL;
        memcpy(out, in, len + 1);
        return 0;
    }
    if (strstr(in, "//") || (len > 1 && in[len - 1] == '/'))
        return EINVAL;
    if (in[0] == '/') {
        if (len > XENSTORE_ABS_PATH_MAX)
            return EINVAL;
        memcpy(out, in, len + 1);
        return 0;
    }
    if (len > XENSTORE_REL_PATH_MAX)
        return EINVAL;
    if (snprintf(out, XENSTORE_ABS_PATH_MAX + 1, "/local/domain/%u/%s", c->domid, in) >
        XENSTORE_ABS_PATH_MAX)
        return EINVAL;
    return 0;
}

/* True if path is child (or equal) of parent. */
bool path_is_child(const char *path, const char *parent)
{
    size_t l = strlen(parent);

    if (!strcmp(parent, "/"))
        return path[0] == '/';
    return !strncmp(path, parent, l) && (path[l] == '\0' || path[l] == '/');
}

/* Parent of an absolute path, written to out. */
void path_parent(const char *path, char *out)
{
    const char *slash = strrchr(path, '/');
    size_t l = slash && slash != path ? (size_t)(slash - path) : 1;

    memmove(out, path, l);
    out[l] = '\0';
}

/* Last component of an absolute path. */
const char *path_base(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

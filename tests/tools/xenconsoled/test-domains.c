/* Host tests: xenconsoled's domain tracking over a fake backend (store, domain list, rings). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "read_quiet.h"
#include "domains.h"

#define NDOM 8

static struct fake {
    struct cd_backend b;
    struct kv {
        char *path, *val;
    } kv[128];
    int nkv;
    char watches[16][64];
    int nwatch;
    struct cd_dominfo doms[NDOM];
    int ndoms;
    bool list_fails, bind_fails;
    struct xencons_interface ring[NDOM];
    uint64_t mapped_ref[NDOM];
    int maps, unmaps, binds, unbinds, notifies;
    unsigned int bound_remote[NDOM];
} fk;

static void *f_map(struct cd_backend *b, unsigned int domid, uint64_t ref)
{
    (void)b;
    if (domid >= NDOM) {
        errno = EINVAL;
        return NULL;
    }
    fk.maps++;
    fk.mapped_ref[domid] = ref;
    return &fk.ring[domid];
}

static void f_unmap(struct cd_backend *b, void *page)
{
    (void)b;
    CHECK(page >= (void *)fk.ring && page < (void *)(fk.ring + NDOM));
    fk.unmaps++;
}

static int f_bind(struct cd_backend *b, unsigned int domid, unsigned int port)
{
    (void)b;
    if (fk.bind_fails) {
        errno = EINVAL;
        return -1;
    }
    fk.binds++;
    fk.bound_remote[domid] = port;
    return (int)(100 + domid);
}

static void f_unbind(struct cd_backend *b, int port)
{
    (void)b;
    (void)port;
    fk.unbinds++;
}

static void f_notify(struct cd_backend *b, int port)
{
    (void)b;
    (void)port;
    fk.notifies++;
}

static int f_list(struct cd_backend *b, unsigned int first, struct cd_dominfo *out,
                  unsigned int max)
{
    int n = 0;

    (void)b;
    if (fk.list_fails)
        return -1;
    for (int i = 0; i < fk.ndoms && (unsigned int)n < max; i++)
        if (fk.doms[i].domid >= first)
            out[n++] = fk.doms[i];
    return n;
}

static struct kv *kv_find(const char *path)
{
    for (int i = 0; i < fk.nkv; i++)
        if (!strcmp(fk.kv[i].path, path))
            return &fk.kv[i];
    return NULL;
}

static char *f_read(struct cd_backend *b, const char *path)
{
    struct kv *k = kv_find(path);

    (void)b;
    return k ? strdup(k->val) : NULL;
}

static int f_write(struct cd_backend *b, const char *path, const char *value)
{
    struct kv *k = kv_find(path);

    (void)b;
    if (!k) {
        k = &fk.kv[fk.nkv++];
        k->path = strdup(path);
    } else {
        free(k->val);
    }
    k->val = strdup(value);
    return 0;
}

static int f_watch(struct cd_backend *b, const char *path, const char *token)
{
    (void)b;
    snprintf(fk.watches[fk.nwatch++], 64, "%s|%s", path, token);
    return 0;
}

static int f_unwatch(struct cd_backend *b, const char *path, const char *token)
{
    char w[64];

    (void)b;
    snprintf(w, sizeof(w), "%s|%s", path, token);
    for (int i = 0; i < fk.nwatch; i++) {
        if (!strcmp(fk.watches[i], w)) {
            memmove(fk.watches[i], fk.watches[i + 1], (size_t)(fk.nwatch - i - 1) * 64);
            fk.nwatch--;
            return 0;
        }
    }
    return -1;
}

static bool watching(const char *w)
{
    for (int i = 0; i < fk.nwatch; i++)
        if (!strcmp(fk.watches[i], w))
            return true;
    return false;
}

static void set(unsigned int domid, const char *key, const char *val)
{
    char path[96];

    snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, key);
    f_write(NULL, path, val);
}

static const char *get(unsigned int domid, const char *key)
{
    char path[96];
    struct kv *k;

    snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, key);
    k = kv_find(path);
    return k ? k->val : NULL;
}

static void console_keys(unsigned int domid, const char *type, const char *ref, const char *port)
{
    if (type)
        set(domid, "console/type", type);
    set(domid, "console/ring-ref", ref);
    set(domid, "console/port", port);
}

static void guest_out(unsigned int domid, const char *s)
{
    struct xencons_interface *r = &fk.ring[domid];

    for (size_t i = 0; s[i]; i++)
        r->out[MASK_XENCONS_IDX(r->out_prod++, r->out)] = s[i];
}

static struct cd_domain *tracked(struct cd_daemon *d, unsigned int domid)
{
    for (struct cd_domain *x = d->doms; x; x = x->next)
        if (x->domid == domid)
            return x;
    return NULL;
}

static size_t read_tty(const char *tty, char *buf, size_t cap)
{
    int fd = open(tty, O_RDWR | O_NOCTTY | O_NONBLOCK);
    size_t n = fd >= 0 ? read_quiet(fd, buf, cap, 200) : 0;

    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    return n;
}

static void file_has(const char *path, const char *want)
{
    char buf[4096] = {0};
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

    CHECK(n >= 0 && strstr(buf, want) != NULL);
    if (fd >= 0)
        close(fd);
}

int main(void)
{
    char logdir[] = "/tmp/xcd-test-XXXXXX", path[256], buf[256];
    struct cd_daemon d = {.b = &fk.b};
    struct cd_domain *x;
    char tty3[64];

    fk.b = (struct cd_backend){f_map,  f_unmap, f_bind,  f_unbind, f_notify,
                               f_list, f_read,  f_write, f_watch,  f_unwatch};
    CHECK(mkdtemp(logdir) != NULL);
    d.log_dir = logdir;

    /* dom0 is never a console domain; 3 exists without console keys yet */
    fk.doms[fk.ndoms++] = (struct cd_dominfo){0, false};
    fk.doms[fk.ndoms++] = (struct cd_dominfo){3, false};
    cd_watch_event(&d, "@introduceDomain", CD_TOKEN_DOMLIST);
    CHECK(!tracked(&d, 0));
    x = tracked(&d, 3);
    CHECK(x && !x->ring && fk.maps == 0);
    CHECK(watching("/local/domain/3/console|dom3"));

    /* the toolstack writes the keys: the console comes up */
    set(3, "name", "web/1");
    console_keys(3, "xenconsoled", "0xfefff", "5");
    set(3, "console/limit", "8192");
    guest_out(3, "early boot\n"); /* written before xenconsoled looked */
    cd_watch_event(&d, "/local/domain/3/console/port", "dom3");
    CHECK(x->ring == &fk.ring[3] && fk.mapped_ref[3] == 0xfefff && fk.bound_remote[3] == 5);
    CHECK(x->con.port == 103 && x->con.out.limit == 8192);
    CHECK(get(3, "console/tty") && !strncmp(get(3, "console/tty"), "/dev/pts/", 9));
    snprintf(tty3, sizeof(tty3), "%s", get(3, "console/tty"));
    CHECK(fk.ring[3].out_cons == fk.ring[3].out_prod);
    guest_out(3, "hello\n");
    cd_port_fired(&d, 103);
    CHECK(read_tty(tty3, buf, sizeof(buf)) == 17 && !memcmp(buf, "early boot\nhello\n", 17));
    snprintf(path, sizeof(path), "%s/guest-web_1.log", logdir);
    file_has(path, "early boot\nhello\n");
    /* a repeated event with the same keys changes nothing */
    cd_console_changed(&d, 3);
    CHECK(fk.maps == 1 && fk.binds == 1);

    /* other console types, missing type, and bad keys */
    fk.doms[fk.ndoms++] = (struct cd_dominfo){4, false};
    fk.doms[fk.ndoms++] = (struct cd_dominfo){5, false};
    fk.doms[fk.ndoms++] = (struct cd_dominfo){6, false};
    console_keys(4, "ioemu", "0xfefff", "5");
    console_keys(5, NULL, "0xfefff", "6");
    console_keys(6, "xenconsoled", "0xfefff", "zz");
    cd_sync(&d);
    CHECK(tracked(&d, 4) && !tracked(&d, 4)->ring);
    CHECK(tracked(&d, 5) && tracked(&d, 5)->ring && get(5, "console/tty"));
    CHECK(tracked(&d, 6) && !tracked(&d, 6)->ring);
    file_has(path, "hello");                                 /* unchanged */
    snprintf(buf, sizeof(buf), "%s/guest-dom5.log", logdir); /* no name: domid */
    CHECK(access(buf, F_OK) == 0);

    /* the ring moves (e.g. the guest kexec'd): re-mapped and re-bound, same pty */
    set(5, "console/ring-ref", "0x1234");
    cd_watch_event(&d, "/local/domain/5/console/ring-ref", "dom5");
    CHECK(fk.mapped_ref[5] == 0x1234 && fk.unmaps == 1 && fk.unbinds == 1);
    CHECK(!strcmp(get(5, "console/tty"), tracked(&d, 5)->con.tty));

    /* a move that cannot be mapped closes the console; the next good keys reopen it */
    set(5, "console/ring-ref", "0x5678");
    set(5, "console/port", "4000000000"); /* f_map works, so fail the bind instead */
    fk.bind_fails = true;
    cd_watch_event(&d, "/local/domain/5/console/port", "dom5");
    CHECK(!tracked(&d, 5)->ring && tracked(&d, 5)->con.master == -1);
    CHECK(fk.unmaps == 3 && fk.unbinds == 2); /* old ring down, the new page given back */
    fk.bind_fails = false;
    set(5, "console/port", "7");
    cd_watch_event(&d, "/local/domain/5/console/port", "dom5");
    CHECK(tracked(&d, 5)->ring && tracked(&d, 5)->con.master >= 0);
    CHECK(!strcmp(get(5, "console/tty"), tracked(&d, 5)->con.tty));

    /* the domain list can't be read: nothing is torn down */
    fk.list_fails = true;
    fk.doms[1].dying = true;
    cd_sync(&d);
    CHECK(tracked(&d, 3) && tracked(&d, 3)->ring);
    fk.list_fails = false;

    /* 3 dies with output pending: it reaches the log, then everything is released */
    guest_out(3, "last words\n");
    fk.ndoms = 4; /* and 6 vanished */
    cd_watch_event(&d, "@releaseDomain", CD_TOKEN_DOMLIST);
    CHECK(!tracked(&d, 3) && !tracked(&d, 6) && tracked(&d, 4) && tracked(&d, 5));
    CHECK(!watching("/local/domain/3/console|dom3") && !watching("/local/domain/6/console|dom6"));
    CHECK(fk.unmaps == 4 && fk.unbinds == 3);
    file_has(path, "hello\nlast words\n");
    CHECK(access(tty3, F_OK) != 0 || read_tty(tty3, buf, sizeof(buf)) == 0);

    /* unknown tokens and ports are ignored */
    cd_watch_event(&d, "/x", "dom3x");
    cd_watch_event(&d, "/x", "nonsense");
    cd_port_fired(&d, 999);

    cd_fini(&d);
    CHECK(d.doms == NULL && fk.unmaps == 5 && fk.unbinds == 4 && fk.nwatch == 0);
    snprintf(buf, sizeof(buf), "rm -rf %s", logdir);
    CHECK(system(buf) == 0);
    for (int i = 0; i < fk.nkv; i++) {
        free(fk.kv[i].path);
        free(fk.kv[i].val);
    }
    return check_summary("xenconsoled test-domains");
}

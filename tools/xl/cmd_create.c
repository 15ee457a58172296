/* `xl create': read xl.cfg plus command-line overrides, validate, then build and start it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "cmds.h"
#include "ctx.h"
#include "lifecycle.h"
#include "trace.h"
#include "domain_config.h"
#include "xl.h"

bool xl_dry_run;

/* Read all of PATH ("-" is stdin); returns a malloc'd buffer or NULL with errno set. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (!f)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *b = cap > (64u << 20) ? NULL : realloc(buf, cap ? cap * 2 : 4096);

            if (!b) {
                free(buf);
                if (f != stdin)
                    fclose(f);
                errno = cap ? EFBIG : ENOMEM;
                return NULL;
            }
            buf = b;
            cap = cap ? cap * 2 : 4096;
        }
        size_t r = fread(buf + n, 1, cap - n, f);

        n += r;
        if (r == 0)
            break;
    }
    int bad = ferror(f);

    if (f != stdin)
        fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    *len = n;
    return buf;
}

/* The key=value arguments, one per line of the source "command line" (line N: the Nth). */
static int parse_overrides(struct cfg *cfg, int argc, char **argv, const char *source,
                           struct diag *d)
{
    size_t n = 0, o = 0;
    char *buf;
    int i;

    for (i = optind; i < argc; i++)
        if (strchr(argv[i], '='))
            n += strlen(argv[i]) + 1;
    if (!n)
        return 0;
    buf = malloc(n);
    if (!buf) {
        diag_error(d, source, 0, "out of memory");
        return -1;
    }
    for (i = optind; i < argc; i++) {
        if (strchr(argv[i], '=')) {
            size_t l = strlen(argv[i]);

            memcpy(buf + o, argv[i], l);
            o += l;
            buf[o++] = '\n';
        }
    }
    i = cfg_parse(cfg, buf, n, source, d);
    free(buf);
    return i ? -1 : 0;
}

static int usage(void)
{
    return xl_usage("create");
}

/* Start the domain, leave its monitor behind, and with -c attach to its console. */
static int start(const struct domain_config *dc, bool paused, bool console)
{
    struct xl_start_opts o = {paused, false};
    uint32_t domid;
    char id[16];
    int monitor;

    if (xl_domain_start(dc, &o, &domid))
        return 1;
    monitor = xl_monitor_spawn(dc, domid);
    xl_trace("monitor");
    if (!console)
        return 0; /* exiting now: init inherits the monitor, nothing to wait for */
    xl_monitor_reap(monitor);
    snprintf(id, sizeof(id), "%u", domid);
    char *args[] = {"console", id, NULL};

    optind = 1;
    return xl_console_main(2, args);
}

int xl_create_main(int argc, char **argv)
{
    static const char cmdline_source[] = "command line";
    const char *file = NULL;
    bool dry = xl_dry_run, quiet = false, paused = false, console = false;
    struct diag d = {stderr, 0, 0};
    struct cfg cfg = {0};
    struct domain_config dc = {0};
    char *data;
    size_t len = 0;
    int i, opt, rc = 1;

    if (argc > 1 && argv[1][0] != '-' && !strchr(argv[1], '=')) {
        file = argv[1];
        argv[1] = argv[0];
        argc--;
        argv++;
    }
    xl_trace("start");
    optind = 1;
    while ((opt = getopt(argc, argv, "+AFVcdef:inpq")) != -1) {
        switch (opt) {
        case 'n':
            dry = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'f':
            file = optarg;
            break;
        case 'c':
            console = true;
            break;
        case 'p':
            paused = true;
            break;
        case 'A':
        case 'F':
        case 'V':
        case 'd':
        case 'e':
        case 'i':
            break; /* accepted for compatibility: xl always leaves a monitor behind */
        default:
            return usage();
        }
    }
    for (i = optind; i < argc; i++) {
        if (strchr(argv[i], '='))
            continue;
        if (file)
            return usage();
        file = argv[i];
    }
    if (!file) {
        fprintf(stderr, "xl create: no config file given\n");
        return usage();
    }
    data = read_file(file, &len);
    if (!data) {
        fprintf(stderr, "%s: cannot read config file: %s\n", file, strerror(errno));
        return 1;
    }
    if (!quiet)
        fprintf(stderr, "Parsing config from %s\n", file);
    cfg_parse(&cfg, data, len, file, &d);
    if (!d.errors && parse_overrides(&cfg, argc, argv, cmdline_source, &d))
        goto out;
    if (d.errors)
        goto out;
    if (domain_config_build(&dc, &cfg, file, &d))
        goto out;
    if (dry) {
        domain_config_print_json(&dc, stdout);
        fflush(stdout);
    }
    if (domain_config_check_support(&dc, file, &d))
        goto out;
    if (dry) {
        rc = 0;
        goto out;
    }
    xl_trace("config");
    rc = start(&dc, paused, console);
out:
    domain_config_free(&dc);
    cfg_free(&cfg);
    free(data);
    return rc;
}

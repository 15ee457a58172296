/* Hypervisor command-line parsing: a table of known options, Xen's syntax for each value. */
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/lib.h>

#define MiB      (1ULL << 20)
#define MAX_WORD 256

#define SERIAL_DEFAULTS(base)                                                                      \
    {                                                                                              \
        false, 115200, 115200, 8, 'n', 1, (base), -1                                               \
    }

static const struct serial_opts serial_defaults[2] = {SERIAL_DEFAULTS(0x3f8),
                                                      SERIAL_DEFAULTS(0x2f8)};

#define BOOT_OPTS_DEFAULTS                                                                         \
    {                                                                                              \
        .console = CONSOLE_COM1 | CONSOLE_VGA,                                                     \
        .com = {SERIAL_DEFAULTS(0x3f8), SERIAL_DEFAULTS(0x2f8)}, .dom0_max_vcpus_min = 1,          \
        .dom0_max_vcpus_max = UINT32_MAX, .loglvl = LOG_INFO, .guest_loglvl = LOG_WARN,            \
    }

static const struct boot_options defaults = BOOT_OPTS_DEFAULTS;

/* Starts out holding the defaults, so it is valid even before cmdline_parse runs. */
struct boot_options boot_opts = BOOT_OPTS_DEFAULTS;

/* Reset boot_opts to the defaults documented in cmdline.h. */
void boot_opts_set_defaults(void)
{
    boot_opts = defaults;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Option names compare with '-' and '_' treated as the same character, as in Xen. */
static bool name_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;
        if (x != y)
            return false;
        if (!x)
            return true;
    }
}

/* Xen's boolean spellings; 1, 0, or -1 when s is none of them. */
static int parse_bool(const char *s)
{
    static const char *const yes[] = {"1", "yes", "on", "true", "enable"};
    static const char *const no[] = {"0", "no", "off", "false", "disable"};

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (!strcmp(s, yes[i]))
            return 1;
        if (!strcmp(s, no[i]))
            return 0;
    }
    return -1;
}

/* A whole string as one number (base 0); -1 if empty, trailing junk or above max. */
static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    const char *end;
    uint64_t v = hv_strtoull(s, &end, 0);

    if (end == s || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Parse a com1=/com2= value into *so (io_base keeps its prior value unless given); 0 or -1. */
int parse_serial_opts(const char *s, struct serial_opts *so)
{
    struct serial_opts t = *so;
    const char *p = s;
    uint64_t v;

    /* <baud>|auto [/<base-baud>] */
    if (!strncmp(p, "auto", 4)) {
        t.baud = 0;
        p += 4;
    } else if (is_digit(*p)) {
        v = hv_strtoull(p, &p, 10);
        if (v == 0 || v > UINT32_MAX)
            return -1;
        t.baud = (uint32_t)v;
    } else if (*p && *p != ',') {
        return -1;
    }
    if (*p == '/') {
        p++;
        if (!is_digit(*p))
            return -1;
        v = hv_strtoull(p, &p, 10);
        if (v == 0 || v > UINT32_MAX)
            return -1;
        t.base_baud = (uint32_t)v;
    }
    if (t.baud && t.baud > t.base_baud)
        return -1;

    /* ,DPS: data bits 5-8, parity n/o/e/m/s, stop bits 1/2; may be empty. */
    if (*p == ',') {
        p++;
        if (*p && *p != ',') {
            if (p[0] < '5' || p[0] > '8' || !p[1] || !strchr("noems", p[1]) ||
                (p[2] != '1' && p[2] != '2'))
                return -1;
            t.data_bits = (uint8_t)(p[0] - '0');
            t.parity = p[1];
            t.stop_bits = (uint8_t)(p[2] - '0');
            p += 3;
        }
        /* ,<io-base> */
        if (*p == ',') {
            p++;
            if (*p && *p != ',') {
                if (!is_digit(*p))
                    return -1;
                v = hv_strtoull(p, &p, 0);
                if (v == 0 || v > 0xfff8)
                    return -1;
                t.io_base = (uint16_t)v;
            }
            /* ,<irq> (recorded only: the driver polls) */
            if (*p == ',') {
                p++;
                if (!is_digit(*p))
                    return -1;
                v = hv_strtoull(p, &p, 0);
                if (v > 255)
                    return -1;
                t.irq = (int)v;
            }
        }
    }
    if (*p)
        return -1;
    t.given = true;
    *so = t;
    return 0;
}

/* One dom0_mem amount starting at s; *end is left at the ',' or NUL after it. 0 or -1. */
static int parse_mem_amount(const char *s, const char **end, struct mem_amount *out)
{
    struct mem_amount a = {true, false, 0, 0};
    const char *p = s;
    uint64_t v;

    if (*p == '-') {
        a.minus = true;
        p++;
    }
    if (!is_digit(*p))
        return -1;
    v = hv_parse_size(p, &p);
    if (*p == '%') {
        if (v >= 100)
            return -1;
        a.percent = (unsigned int)v;
        p++;
    } else {
        a.bytes = v;
        if (*p == '+') {
            p++;
            if (!is_digit(*p))
                return -1;
            v = hv_parse_size(p, &p);
            if (*p != '%' || v >= 100)
                return -1;
            a.percent = (unsigned int)v;
            p++;
        }
    }
    if (*p && *p != ',')
        return -1;
    *end = p;
    *out = a;
    return 0;
}

/* dom0_mem=List of ( min:<sz> | max:<sz> | <sz> ) */
static int opt_dom0_mem(const char *val)
{
    struct mem_amount amt = boot_opts.dom0_mem, lo = boot_opts.dom0_mem_min,
                      hi = boot_opts.dom0_mem_max;
    const char *p = val;

    for (;;) {
        struct mem_amount *dst = &amt;
        if (!strncmp(p, "min:", 4)) {
            dst = &lo;
            p += 4;
        } else if (!strncmp(p, "max:", 4)) {
            dst = &hi;
            p += 4;
        }
        if (parse_mem_amount(p, &p, dst))
            return -1;
        if (!*p)
            break;
        p++; /* ',' */
    }
    boot_opts.dom0_mem = amt;
    boot_opts.dom0_mem_min = lo;
    boot_opts.dom0_mem_max = hi;
    return 0;
}

/* dom0_max_vcpus= <n> | <min>-<max> | <min>- | -<max> */
static int opt_dom0_max_vcpus(const char *val)
{
    unsigned int lo = 1, hi = UINT32_MAX;
    const char *p = val;
    uint64_t v;

    if (*p != '-') {
        if (!is_digit(*p))
            return -1;
        v = hv_strtoull(p, &p, 10);
        if (v == 0 || v > UINT32_MAX)
            return -1;
        lo = hi = (unsigned int)v;
    }
    if (*p == '-') {
        p++;
        hi = UINT32_MAX;
        if (*p) {
            if (!is_digit(*p))
                return -1;
            v = hv_strtoull(p, &p, 10);
            if (v == 0 || v > UINT32_MAX)
                return -1;
            hi = (unsigned int)v;
        } else if (p == val + 1) {
            return -1; /* a lone "-" */
        }
    }
    if (*p || hi < lo)
        return -1;
    boot_opts.dom0_max_vcpus_min = lo;
    boot_opts.dom0_max_vcpus_max = hi;
    return 0;
}

/* One Xen log level name; the LOG_* value or -2 if unknown. */
static int parse_level(const char *s, size_t len)
{
    static const struct {
        const char *name;
        int level;
    } levels[] = {
        {"none", -1},       {"error", LOG_ERR},   {"warning", LOG_WARN},
        {"info", LOG_INFO}, {"debug", LOG_DEBUG}, {"all", LOG_DEBUG},
    };

    for (size_t i = 0; i < ARRAY_SIZE(levels); i++) {
        if (strlen(levels[i].name) == len && !strncmp(s, levels[i].name, len))
            return levels[i].level;
    }
    return -2;
}

/* "<level>[/<rate-limited level>]"; the second part is checked but has no effect here. */
static int parse_loglvl(const char *val, int *out)
{
    const char *slash = strchr(val, '/');
    size_t len = slash ? (size_t)(slash - val) : strlen(val);
    int lvl = parse_level(val, len);

    if (lvl == -2)
        return -1;
    if (slash && parse_level(slash + 1, strlen(slash + 1)) == -2)
        return -1;
    *out = lvl;
    return 0;
}

static int opt_loglvl(const char *val)
{
    return parse_loglvl(val, &boot_opts.loglvl);
}

static int opt_guest_loglvl(const char *val)
{
    return parse_loglvl(val, &boot_opts.guest_loglvl);
}

/* console= comma list of com1, com2, vga, none. */
static int opt_console(const char *val)
{
    unsigned int mask = 0;
    const char *p = val;

    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);

        if (len == 4 && !strncmp(p, "com1", 4))
            mask |= CONSOLE_COM1;
        else if (len == 4 && !strncmp(p, "com2", 4))
            mask |= CONSOLE_COM2;
        else if (len == 3 && !strncmp(p, "vga", 3))
            mask |= CONSOLE_VGA;
        else if (!(len == 4 && !strncmp(p, "none", 4)))
            return -1;
        if (!comma)
            break;
        p = comma + 1;
    }
    boot_opts.console = mask;
    return 0;
}

static int opt_com(const char *val, int idx)
{
    struct serial_opts so = serial_defaults[idx];

    if (parse_serial_opts(val, &so))
        return -1;
    boot_opts.com[idx] = so;
    return 0;
}

static int opt_com1(const char *val)
{
    return opt_com(val, 0);
}

static int opt_com2(const char *val)
{
    return opt_com(val, 1);
}

static int opt_debug_exit(const char *val)
{
    uint64_t v;

    if (parse_uint(val, 0xffff, &v) || v == 0)
        return -1;
    boot_opts.debug_exit_port = (uint16_t)v;
    return 0;
}

enum opt_kind { OPT_BOOL, OPT_VALUE, OPT_IGNORE };

struct option {
    const char *name;
    enum opt_kind kind;
    bool *flag;                    /* OPT_BOOL */
    int (*parse)(const char *val); /* OPT_VALUE: 0, or -1 leaving boot_opts untouched */
};

static const struct option options[] = {
    {"console", OPT_VALUE, NULL, opt_console},
    {"com1", OPT_VALUE, NULL, opt_com1},
    {"com2", OPT_VALUE, NULL, opt_com2},
    {"dom0_mem", OPT_VALUE, NULL, opt_dom0_mem},
    {"dom0_max_vcpus", OPT_VALUE, NULL, opt_dom0_max_vcpus},
    {"loglvl", OPT_VALUE, NULL, opt_loglvl},
    {"guest_loglvl", OPT_VALUE, NULL, opt_guest_loglvl},
    {"noreboot", OPT_BOOL, &boot_opts.noreboot, NULL},
    {"bootscrub", OPT_BOOL, &boot_opts.bootscrub, NULL},
    {"sync_console", OPT_BOOL, &boot_opts.sync_console, NULL},
    {"debug_exit", OPT_VALUE, NULL, opt_debug_exit},
    /* Debian's GRUB scripts put this word where the image name would go. */
    {"placeholder", OPT_IGNORE, NULL, NULL},
};

static const struct option *find_option(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        if (name_eq(name, options[i].name))
            return &options[i];
    }
    return NULL;
}

/* Apply one "name[=value]" word; 0 if accepted, -1 if reported and ignored. */
static int apply_word(char *word)
{
    char *eq = strchr(word, '=');
    const char *val = NULL;
    const char *name = word;
    const struct option *opt;
    bool negate = false;

    if (eq) {
        *eq = '\0';
        val = eq + 1;
    }
    opt = find_option(name);
    if (!opt && !strncmp(name, "no-", 3)) {
        opt = find_option(name + 3);
        if (opt && opt->kind == OPT_BOOL && !val) {
            negate = true;
        } else if (opt) {
            printk("cmdline: '%s' cannot be negated with 'no-', ignored\n", word);
            return -1;
        }
    }
    if (!opt) {
        printk("cmdline: unknown option '%s', ignored\n", name);
        return -1;
    }

    switch (opt->kind) {
    case OPT_BOOL: {
        int b = val ? parse_bool(val) : !negate;
        if (b < 0) {
            printk("cmdline: '%s' needs a boolean (yes/no, on/off, 1/0...), not '%s'; ignored\n",
                   name, val);
            return -1;
        }
        *opt->flag = b;
        return 0;
    }
    case OPT_VALUE:
        if (!val || !*val) {
            printk("cmdline: '%s' needs a value, ignored\n", name);
            return -1;
        }
        if (opt->parse(val)) {
            printk("cmdline: bad value '%s' for '%s', ignored\n", val, name);
            return -1;
        }
        return 0;
    case OPT_IGNORE:
        return 0;
    }
    return -1;
}

/*
 * Parse a hypervisor command line into boot_opts (on top of what is there). A first word
 * that looks like an image path (contains '/', no '=') is skipped. Unknown options and bad
 * values are reported with printk and ignored. Returns the number of words rejected.
 */
int cmdline_parse(const char *cmdline)
{
    const char *p = cmdline;
    int rejected = 0;
    bool first = true;

    if (!p)
        return 0;
    for (;;) {
        char word[MAX_WORD];
        size_t n = 0;
        bool quoted = false, too_long = false;

        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        /* A word ends at unquoted white space; double quotes group and are dropped. */
        for (; *p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')); p++) {
            if (*p == '"') {
                quoted = !quoted;
                continue;
            }
            if (n + 1 < sizeof(word))
                word[n++] = *p;
            else
                too_long = true;
        }
        word[n] = '\0';

        if (first && strchr(word, '/') && !strchr(word, '=')) {
            first = false;
            continue;
        }
        first = false;
        if (too_long) {
            printk("cmdline: option '%.32s...' is too long, ignored\n", word);
            rejected++;
            continue;
        }
        if (apply_word(word))
            rejected++;
    }
    return rejected;
}

/* Evaluate a dom0_mem amount against the host's memory (bytes); saturates at 0. */
uint64_t mem_amount_resolve(const struct mem_amount *a, uint64_t host_bytes)
{
    /* host * percent / 100 without overflow for any 64-bit host size. */
    uint64_t part = host_bytes / 100 * a->percent + host_bytes % 100 * a->percent / 100;
    uint64_t v = a->bytes + part;

    if (v < a->bytes)
        v = UINT64_MAX;
    if (a->minus)
        return v >= host_bytes ? 0 : host_bytes - v;
    return v;
}

/*
 * dom0's memory in bytes given avail_bytes usable by it, like Xen: dom0_mem=<sz> if given,
 * else avail minus min(avail/16, 128 MiB); then clamped to [min:, max:] and to avail.
 */
uint64_t dom0_mem_bytes(uint64_t avail_bytes)
{
    uint64_t v;

    if (boot_opts.dom0_mem.set) {
        v = mem_amount_resolve(&boot_opts.dom0_mem, avail_bytes);
    } else {
        uint64_t reserve = avail_bytes / 16;
        v = avail_bytes - MIN(reserve, 128 * MiB);
    }
    if (boot_opts.dom0_mem_min.set)
        v = MAX(v, mem_amount_resolve(&boot_opts.dom0_mem_min, avail_bytes));
    if (boot_opts.dom0_mem_max.set)
        v = MIN(v, mem_amount_resolve(&boot_opts.dom0_mem_max, avail_bytes));
    return MIN(v, avail_bytes);
}

/* xl: the Xenolith toolstack front end, with Xen's command names and options. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "xl.h"

static int help_main(int argc, char **argv);

static const struct xl_command commands[] = {
    {"create", xl_create_main, "Create a domain from a config file",
     "[-n] [-q] [-f] <ConfigFile> [options] [vars]\n"
     "  -n, --dryrun  parse and check the config, print it as JSON, create nothing\n"
     "  -q            quiet: no \"Parsing config from\" line\n"
     "  -f FILE       the config file (also the first non-option argument)\n"
     "  key=value     settings applied after the file, in xl.cfg syntax\n"
     "  -c -p -F -e -d -V -A -i are accepted for compatibility; they take effect once\n"
     "  domains can be started"},
    {"list", NULL, "List information about all or some domains", "[-l] [-v] [Domain...]"},
    {"console", NULL, "Attach to a domain's console", "[-t <pv|serial>] [-n <num>] <Domain>"},
    {"shutdown", NULL, "Ask a domain to shut down", "[-a] [-w] <Domain>"},
    {"reboot", NULL, "Ask a domain to reboot", "[-a] [-w] <Domain>"},
    {"destroy", NULL, "Terminate a domain immediately", "[-f] <Domain>"},
    {"pause", NULL, "Pause execution of a domain", "<Domain>"},
    {"unpause", NULL, "Unpause a paused domain", "<Domain>"},
    {"info", NULL, "Get information about the host", "[-n]"},
    {"dmesg", NULL, "Read and/or clear the hypervisor's message buffer", "[-c]"},
    {"uptime", NULL, "Print uptime for all or some domains", "[-s] [Domain...]"},
    {"mem-set", NULL, "Set a domain's current memory (balloon target)", "<Domain> <MemMB>"},
    {"mem-max", NULL, "Set a domain's maximum memory", "<Domain> <MemMB>"},
    {"vcpu-list", NULL, "List the vCPUs of all or some domains", "[Domain...]"},
    {"vcpu-set", NULL, "Set the number of online vCPUs of a domain", "<Domain> <vCPUs>"},
    {"vcpu-pin", NULL, "Set which CPUs a vCPU may run on",
     "<Domain> <vCPU|all> <Hard affinity|-|all> [Soft affinity]"},
    {"sched-credit", NULL, "Get or set credit scheduler parameters",
     "[-d <Domain> [-w[=WEIGHT]] [-c[=CAP]]]"},
    {"help", help_main, "Print help for all commands or one", "[command]"},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct xl_command *find_command(const char *name)
{
    size_t i;

    for (i = 0; i < N_COMMANDS; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

static void print_usage(FILE *out)
{
    size_t i;

    fprintf(out, "Usage: xl [-v] [-N] <subcommand> [args]\n\n"
                 "xl full list of subcommands:\n\n");
    for (i = 0; i < N_COMMANDS; i++)
        fprintf(out, " %-20s%s\n", commands[i].name, commands[i].summary);
}

static int help_main(int argc, char **argv)
{
    const struct xl_command *c;

    if (argc < 2) {
        print_usage(stdout);
        return 0;
    }
    c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "xl: unknown command '%s'; see 'xl help'\n", argv[1]);
        return 1;
    }
    printf("Usage: xl %s %s\n\n%s.\n", c->name, c->usage, c->summary);
    return 0;
}

int main(int argc, char **argv)
{
    const struct xl_command *c;
    int opt;

    while ((opt = getopt(argc, argv, "+vN")) != -1) {
        switch (opt) {
        case 'v':
            break;
        case 'N':
            xl_dry_run = true;
            break;
        default:
            print_usage(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        print_usage(stderr);
        return 2;
    }
    c = find_command(argv[optind]);
    if (!c) {
        fprintf(stderr, "xl: unknown command '%s'; see 'xl help'\n", argv[optind]);
        return 1;
    }
    if (!c->run) {
        fprintf(stderr,
                "xl: command '%s' needs the Xenolith hypervisor interface (not implemented yet)\n",
                c->name);
        return 1;
    }
    return c->run(argc - optind, argv + optind);
}

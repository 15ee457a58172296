/* xl: the Xenolith toolstack front end, with Xen's command names and options. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "xl.h"

static int help_main(int argc, char **argv);

static const struct xl_command commands[] = {
    {"create", xl_create_main, "Create a domain from a config file",
     "[-c] [-p] [-q] [-n] [-f] <ConfigFile> [options] [vars]\n"
     "  -c            attach to the domain's console once it has started\n"
     "  -p            leave the domain paused after it is created\n"
     "  -n, --dryrun  parse and check the config, print it as JSON, create nothing\n"
     "  -q            quiet: no \"Parsing config from\" line\n"
     "  -f FILE       the config file (also the first non-option argument)\n"
     "  key=value     settings applied after the file, in xl.cfg syntax\n"
     "  -F -e -d -V -A -i are accepted for compatibility"},
    {"list", xl_list_main, "List information about all or some domains", "[-l] [-v] [Domain]"},
    {"console", xl_console_main, "Attach to a domain's console (Ctrl-] detaches)",
     "[-t pv] [-n 0] <Domain>"},
    {"shutdown", xl_shutdown_main, "Ask a domain to shut down", "[-a] [-w] <Domain>"},
    {"reboot", xl_reboot_main, "Ask a domain to reboot", "[-a] [-w] <Domain>"},
    {"destroy", xl_destroy_main, "Terminate a domain immediately", "[-f] <Domain>"},
    {"pause", xl_pause_main, "Pause execution of a domain", "<Domain>"},
    {"unpause", xl_unpause_main, "Unpause a paused domain", "<Domain>"},
    {"info", xl_info_main, "Get information about the host", "[-n]"},
    {"dmesg", xl_dmesg_main, "Read and/or clear the hypervisor's message buffer", "[-c]"},
    {"uptime", xl_uptime_main, "Print uptime for all or some domains", "[-s] [Domain...]"},
    {"mem-set", xl_mem_set_main, "Set a domain's current memory (balloon target)",
     "<Domain> <Mem[bkmgt]> (MiB without a suffix)"},
    {"mem-max", xl_mem_max_main, "Set a domain's maximum memory",
     "<Domain> <Mem[bkmgt]> (MiB without a suffix)"},
    {"vcpu-list", xl_vcpu_list_main, "List the vCPUs of all or some domains", "[Domain...]"},
    {"vcpu-set", xl_vcpu_set_main, "Set the number of online vCPUs of a domain",
     "[-i] <Domain> <vCPUs>"},
    {"vcpu-pin", xl_vcpu_pin_main, "Set which CPUs a vCPU may run on",
     "[-f] <Domain> <vCPU|all> <Hard affinity|-|all> [Soft affinity]"},
    {"sched-credit", xl_sched_credit_main, "Get or set credit scheduler parameters",
     "[-d <Domain> [-w <Weight>] [-c <Cap>]] [-p Pool-0]"},
    {"domid", xl_domid_main, "Convert a domain name to a domain id", "<DomainName>"},
    {"domname", xl_domname_main, "Convert a domain id to a domain name", "<DomainId>"},
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

int xl_usage(const char *name)
{
    const struct xl_command *c = find_command(name);

    if (c)
        fprintf(stderr, "Usage: xl %s %s\n\n%s.\n", c->name, c->usage, c->summary);
    return 2;
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
    argc -= optind;
    argv += optind;
    optind = 1; /* each command parses its own options from argv[1] */
    return c->run(argc, argv);
}

/* The xl front end: command table entries and the commands implemented so far. */
#ifndef XL_XL_H
#define XL_XL_H

#include <stdbool.h>

/* One xl subcommand. */
struct xl_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *usage;
};

/* Global -N: dry run for every command. */
extern bool xl_dry_run;

/* `xl create [-n] [-q] [-f] FILE [key=value...]': parse and validate; ARGV[0] is "create". */
int xl_create_main(int argc, char **argv);

#endif

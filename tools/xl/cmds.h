/* Entry points of xl's subcommands (each gets argv[0] = the command name) and shared helpers. */
#ifndef XL_CMDS_H
#define XL_CMDS_H

/* Print the usage of command NAME to stderr; returns the exit status for a usage error (2). */
int xl_usage(const char *name);

/* `xl list [-l] [-v] [Domain...]'. */
int xl_list_main(int argc, char **argv);
/* `xl info [-n]'. */
int xl_info_main(int argc, char **argv);
/* `xl dmesg [-c]'. */
int xl_dmesg_main(int argc, char **argv);
/* `xl uptime [-s] [Domain...]'. */
int xl_uptime_main(int argc, char **argv);
/* `xl domid <name>'. */
int xl_domid_main(int argc, char **argv);
/* `xl domname <id>'. */
int xl_domname_main(int argc, char **argv);
/* `xl pause <Domain>'. */
int xl_pause_main(int argc, char **argv);
/* `xl unpause <Domain>'. */
int xl_unpause_main(int argc, char **argv);
/* `xl destroy <Domain>'. */
int xl_destroy_main(int argc, char **argv);
/* `xl shutdown [-a] [-w] <Domain>'. */
int xl_shutdown_main(int argc, char **argv);
/* `xl reboot [-a] [-w] <Domain>'. */
int xl_reboot_main(int argc, char **argv);
/* `xl mem-set <Domain> <size>'. */
int xl_mem_set_main(int argc, char **argv);
/* `xl mem-max <Domain> <size>'. */
int xl_mem_max_main(int argc, char **argv);
/* `xl vcpu-list [Domain...]'. */
int xl_vcpu_list_main(int argc, char **argv);
/* `xl vcpu-set <Domain> <n>'. */
int xl_vcpu_set_main(int argc, char **argv);
/* `xl vcpu-pin <Domain> <vcpu|all> <hard|-|all> [soft]'. */
int xl_vcpu_pin_main(int argc, char **argv);
/* `xl sched-credit [-d <Domain> [-w W] [-c C]]'. */
int xl_sched_credit_main(int argc, char **argv);
/* `xl console <Domain>'. */
int xl_console_main(int argc, char **argv);

#endif

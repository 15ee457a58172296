/* xl's connections to the hypervisor (privcmd) and xenstored, opened on first use. */
#ifndef XL_CTX_H
#define XL_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include <xenolith/call.h>
#include <xenolith/ctrl.h>
#include <xenolith/store.h>

/* The hypercall handle; on failure prints why and exits 1. */
struct xcall *xl_xc(void);
/* The xenstore connection; on failure prints why and exits 1. */
struct xstore *xl_xs(void);
/* Drop both connections (a forked monitor opens its own). */
void xl_ctx_reset(void);

/* Every domain, in id order: a malloc'd array in *out and its length, or -1 (reported). */
int xl_list_domains(struct xctrl_dominfo **out);
/* /local/domain/<domid>/name: malloc'd, or NULL when there is none. */
char *xl_domain_name(uint32_t domid);
/* Resolve a DOM argument (name or id); prints Xen's "does not exist" error and returns -1. */
int xl_find_domain(const char *arg, uint32_t *domid);
/*
 * fn(domid, arg) for each DOM in names[0..n) (resolved by xl_find_domain), or for every domain when
 * n is 0 (fn's result ignored there: a domain may go away meanwhile). 0, or 1 if the list cannot
 * be read, or a named DOM is unknown or fn fails on it; that ends the walk unless keep_going.
 */
int xl_each_domain(char **names, int n, int (*fn)(uint32_t domid, void *arg), void *arg,
                   bool keep_going);
/* Info for a domain that must exist; prints an error and returns -1 otherwise. */
int xl_domain_info(uint32_t domid, struct xctrl_dominfo *di);

/* Print "xl: WHAT: <strerror(errno)>" (errno preserved) and return 1, for `return xl_fail(..)'. */
int xl_fail(const char *what);

/* Like xl_fail but returns -1, for helpers whose callers undo and report the failure. */
int xl_error(const char *what);

#endif

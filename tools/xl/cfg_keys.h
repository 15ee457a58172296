/* The xl.cfg setting names Xen's xl reads, for unknown-key warnings. */
#ifndef XL_CFG_KEYS_H
#define XL_CFG_KEYS_H

#include <stdbool.h>

/* Whether NAME is a setting Xen's xl understands (Xen 4.17+ xl_parse.c). */
bool cfg_key_known(const char *name);

#endif

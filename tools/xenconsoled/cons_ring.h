/* The console ring (struct xencons_interface) seen from the backend, safe against a hostile guest.
 */
#ifndef XENCONSOLED_CONS_RING_H
#define XENCONSOLED_CONS_RING_H

#include <stddef.h>

#include "public/io/console.h"

/*
 * Move up to cap bytes of guest output (out[]) into buf and advance out_cons. Returns the count
 * (0: nothing waiting), or -1 if the guest's indices are garbage (more than sizeof(out) apart):
 * then nothing is read or written.
 */
int cons_ring_take_output(struct xencons_interface *intf, char *buf, size_t cap);

/* Free bytes in the input ring (in[]); 0 if full or if the guest's in_cons is garbage. */
size_t cons_ring_input_space(const struct xencons_interface *intf);

/*
 * Append up to len bytes of keyboard input to in[] and advance in_prod. Returns the count put
 * (0 when full), or -1 if the guest's in_cons is garbage (nothing written).
 */
int cons_ring_put_input(struct xencons_interface *intf, const char *data, size_t len);

#endif

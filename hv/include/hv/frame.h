/* Frame references: a page mapped outside its owner stays allocated until the last mapping goes. */
#ifndef HV_FRAME_H
#define HV_FRAME_H

#include <hv/types.h>

/*
 * Every host frame has a 32-bit word: the number of *extra* references (mappings in another
 * domain's p2m, hypervisor pointers into a guest page) plus FRAME_ORPHAN once its owner has let
 * go of it. A page's owner (a domain's RAM, or the hypervisor for shared_info and grant frames)
 * holds an implicit reference that is not counted, so a fresh page needs no set-up and the word
 * of every free page is 0. The owner lets go with frame_release(): the page is freed at once if
 * nobody else refers to it, otherwise it becomes an orphan and the last frame_put() frees it.
 */
#define FRAME_ORPHAN   0x80000000u
#define FRAME_REFS_MAX 0x7fffffffu

/* Allocate the table for frames [first_mfn, first_mfn + nr) (all zero); 0 or -XEN_ENOMEM. */
int frame_table_init(uint64_t first_mfn, uint64_t nr);
/* Take an extra reference on mfn; false if mfn has no entry or its count is saturated. */
bool frame_get(uint64_t mfn);
/* Drop an extra reference; frees an orphan when it was the last one. Panics on underflow. */
void frame_put(uint64_t mfn);
/* The owner lets go of the (order-0) page at mfn: freed now, or when its last reference goes. */
void frame_release(uint64_t mfn);
/* Extra references on mfn (FRAME_ORPHAN or-ed in for an orphan); 0 for a frame without entry. */
uint32_t frame_count(uint64_t mfn);
/* Pages kept alive only by references after their owner let go. */
uint64_t frame_orphans(void);

#endif

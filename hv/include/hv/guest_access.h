/* Copying to and from guest memory: by guest-virtual address (current vCPU's paging) or
 * guest-physical. */
#ifndef HV_GUEST_ACCESS_H
#define HV_GUEST_ACCESS_H

#include <hv/types.h>

struct vcpu;
struct domain;

/* Copy len bytes from guest-virtual gva of vCPU v into dst; 0 or -XEN_EFAULT. */
int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
/* Copy len bytes from src to guest-virtual gva of vCPU v; 0 or -XEN_EFAULT. */
int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len);
/* Copy from guest-physical gpa of domain d; 0 or -XEN_EFAULT. */
int copy_from_guest_phys(struct domain *d, void *dst, uint64_t gpa, size_t len);
/* Copy to guest-physical gpa of domain d; 0 or -XEN_EFAULT. */
int copy_to_guest_phys(struct domain *d, uint64_t gpa, const void *src, size_t len);
/* Host pointer to the page backing guest frame gfn of d, or NULL if it is not RAM-backed. */
void *map_guest_frame(struct domain *d, uint64_t gfn);

#endif

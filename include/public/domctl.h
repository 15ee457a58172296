/* domctl (hypercall 36, toolstack): interface version only for now. */
#ifndef XENOLITH_PUBLIC_DOMCTL_H
#define XENOLITH_PUBLIC_DOMCTL_H

/* Must match xen_domctl.interface_version exactly (Xen 4.17). */
#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

#endif /* XENOLITH_PUBLIC_DOMCTL_H */

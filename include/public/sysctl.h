/* sysctl (hypercall 35, toolstack): interface version only for now. */
#ifndef XENOLITH_PUBLIC_SYSCTL_H
#define XENOLITH_PUBLIC_SYSCTL_H

/* Must match xen_sysctl.interface_version exactly (Xen 4.17). */
#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#endif /* XENOLITH_PUBLIC_SYSCTL_H */

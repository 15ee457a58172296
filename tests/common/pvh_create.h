/* The createdomain request libxl makes for a PVH domU, shared by unit tests and test guests. */
#ifndef TESTS_COMMON_PVH_CREATE_H
#define TESTS_COMMON_PVH_CREATE_H

#include <public/domctl.h>

/* Fill c (already zeroed) for a PVH domU with vcpus vCPUs: HVM + HAP, LAPIC, grant v1. */
static inline void pvh_create_request(struct xen_domctl_createdomain *c, unsigned int vcpus)
{
    c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    c->max_vcpus = vcpus;
    c->max_evtchn_port = 1023;
    c->max_grant_frames = -1;
    c->max_maptrack_frames = -1;
    c->grant_opts = XEN_DOMCTL_GRANT_version(1);
    c->arch.emulation_flags = XEN_X86_EMU_LAPIC;
}

#endif

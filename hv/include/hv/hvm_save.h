/* HVM save streams (XEN_DOMCTL_{get,set}hvmcontext): stream code and the arch hooks behind it. */
#ifndef HV_HVM_SAVE_H
#define HV_HVM_SAVE_H

#include <hv/domain.h>
#include <public/hvm/save.h>
#include <public/domctl.h>

/* Largest stream XEN_DOMCTL_sethvmcontext accepts (bigger: -XEN_ENOMEM, as a failed allocation). */
#define HVM_LOAD_MAX_BYTES (1024 * 1024)

/* ---- the stream (hv/common/hvm_save.c); d must be paused and not the caller's domain ---- */
/* Bytes a stream of d can need: what XEN_DOMCTL_gethvmcontext reports for a NULL buffer. */
size_t hvm_save_size(const struct domain *d);
/* Write d's stream (HEADER, CPU per online vCPU, MTRR per vCPU, END) into buf of size bytes;
 * *used = bytes written. 0, -XEN_ENOSPC (buffer too small) or -XEN_EINVAL (d dying). */
int hvm_save(struct domain *d, uint8_t *buf, size_t size, size_t *used);
/* Copy the payload of record (typecode, instance) of d's stream to buf if it is not NULL and
 * *len is large enough; *len = payload size. 0, -XEN_EINVAL (unknown type), -XEN_ENOENT (no
 * such vCPU), -XEN_ENODATA (vCPU down) or -XEN_ENOBUFS. */
int hvm_save_one(struct domain *d, unsigned int typecode, unsigned int instance, uint8_t *buf,
                 uint64_t *len);
/* Check the whole stream buf[0..size), then load it into d: every vCPU goes down except those a
 * CPU record was loaded into. On any error nothing is changed. 0 or -XEN_E* as Xen's hvm_load
 * (-ENODATA no header/END, -EINVAL bad record, -ENODEV device d lacks, -EOPNOTSUPP record we do
 * not load). */
int hvm_load(struct domain *d, const uint8_t *buf, size_t size);

/* XEN_DOMCTL_gethvmcontext, _sethvmcontext, _gethvmcontext_partial on d (domctl lock held; d is
 * not NULL). Sets *copyback when op has output (hv/common/domctl_hvm.c). */
long domctl_hvmcontext(struct vcpu *v, struct domain *d, struct xen_domctl *op, bool *copyback);

/* ---- arch hooks (hv/arch/x86/hvm/save.c) ---- */
/* Fill the arch fields of the header (cpuid, gtsc_khz). */
void arch_hvm_save_header(struct domain *d, struct hvm_save_header *h);
/* v's register state as a CPU record (v not running). */
void arch_hvm_save_cpu(struct vcpu *v, struct hvm_hw_cpu *c);
/* Check a CPU record for v and normalise it in place (segment attribute forms); 0, -XEN_EINVAL
 * or -XEN_EOPNOTSUPP, with the reason logged. */
int arch_hvm_check_cpu(struct vcpu *v, struct hvm_hw_cpu *c);
/* Load a CPU record that arch_hvm_check_cpu accepted into v (v not running). */
void arch_hvm_load_cpu(struct vcpu *v, const struct hvm_hw_cpu *c);
/* v's MTRR and PAT MSRs as an MTRR record. */
void arch_hvm_save_mtrr(struct vcpu *v, struct hvm_hw_mtrr *m);
/* Check an MTRR record for v; 0 or -XEN_EINVAL (reason logged). */
int arch_hvm_check_mtrr(struct vcpu *v, const struct hvm_hw_mtrr *m);
/* Load a checked MTRR record into v. */
void arch_hvm_load_mtrr(struct vcpu *v, const struct hvm_hw_mtrr *m);
/* Take v offline: it stays down until a CPU record or INIT/SIPI (or VCPUOP_up) starts it. */
void arch_hvm_vcpu_down(struct vcpu *v);
/* Bring v online with the state just loaded (runs once its domain is unpaused). */
void arch_hvm_vcpu_up(struct vcpu *v);

#endif

/* Prints the size and field offsets of every public ABI struct, plus key constants, for the golden
 * diff. */
/*
 * Normal build: against include/public (Xenolith). With -DXEN_ORACLE the same
 * list is printed from Xen's own headers under /usr/include/xen; entries that
 * exist only on our side print "skip NAME" so xen-oracle.sh can drop them.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#ifdef XEN_ORACLE
#define __XEN_TOOLS__ 1
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/memory.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/hvm/hvm_vcpu.h>
#include <xen/hvm/e820.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xen/hvm/save.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/arch-x86/xen-mca.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>
#include <xen/elfnote.h>
#include <xen/physdev.h>
#include <xen/platform.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#else
#include "public/xen.h"
#include "public/errno.h"
#include "public/event_channel.h"
#include "public/sched.h"
#include "public/vcpu.h"
#include "public/memory.h"
#include "public/version.h"
#include "public/features.h"
#include "public/grant_table.h"
#include "public/hvm/hvm_op.h"
#include "public/hvm/params.h"
#include "public/hvm/e820.h"
#include "public/hvm/start_info.h"
#include "public/hvm/save.h"
#include "public/arch-x86/cpuid.h"
#include "public/io/console.h"
#include "public/io/xs_wire.h"
#include "public/elfnote.h"
#include "public/physdev.h"
#include "public/platform.h"
#include "public/domctl.h"
#include "public/sysctl.h"
#endif

/* S: struct size; U: union size; T: typedef size; F: field offset; C: constant value. */
#define S(st)    printf("sizeof %s = %zu\n", #st, sizeof(struct st))
#define U(un)    printf("sizeof %s = %zu\n", #un, sizeof(union un))
#define T(ty)    printf("sizeof %s = %zu\n", #ty, sizeof(ty))
#define F(st, f) printf("offsetof %s.%s = %zu\n", #st, #f, offsetof(struct st, f))
#define C(k)     print_value(#k, (k) > 0, (unsigned long long)(k), (long long)(k))

/* The *_OURS variants are for things Xen 4.17's public headers lack (padding we made explicit,
 * Xenolith helpers, or numbers newer than 4.17). */
#ifdef XEN_ORACLE
#define S_OURS(st)    printf("skip %s\n", #st)
#define F_OURS(st, f) printf("skip %s.%s\n", #st, #f)
#define C_OURS(k)     printf("skip %s\n", #k)
#else
/* Spelled out rather than forwarded to S/F/C so that #k names the macro, not its expansion. */
#define S_OURS(st)    printf("sizeof %s = %zu\n", #st, sizeof(struct st))
#define F_OURS(st, f) printf("offsetof %s.%s = %zu\n", #st, #f, offsetof(struct st, f))
#define C_OURS(k)     print_value(#k, (k) > 0, (unsigned long long)(k), (long long)(k))
#endif

/* Positive values print unsigned (so 64-bit masks read naturally), others signed. */
static void print_value(const char *name, int positive, unsigned long long u, long long s)
{
    if (positive)
        printf("value %s = %llu\n", name, u);
    else
        printf("value %s = %lld\n", name, s);
}

static void xen_h(void)
{
    T(xen_ulong_t);
    T(xen_pfn_t);
    T(domid_t);
    T(xen_domain_handle_t);

    S(mmu_update);
    F(mmu_update, ptr);
    F(mmu_update, val);

    S(multicall_entry);
    F(multicall_entry, op);
    F(multicall_entry, result);
    F(multicall_entry, args);

    S(vcpu_time_info);
    F(vcpu_time_info, version);
    F(vcpu_time_info, pad0);
    F(vcpu_time_info, tsc_timestamp);
    F(vcpu_time_info, system_time);
    F(vcpu_time_info, tsc_to_system_mul);
    F(vcpu_time_info, tsc_shift);
    F(vcpu_time_info, flags);
    F(vcpu_time_info, pad1);

    S(arch_vcpu_info);
    F(arch_vcpu_info, cr2);
    F(arch_vcpu_info, pad);

    S(vcpu_info);
    F(vcpu_info, evtchn_upcall_pending);
    F(vcpu_info, evtchn_upcall_mask);
    F_OURS(vcpu_info, _pad0);
    F(vcpu_info, evtchn_pending_sel);
    F(vcpu_info, arch);
    F(vcpu_info, arch.cr2);
    F(vcpu_info, time);
    F(vcpu_info, time.version);
    F(vcpu_info, time.tsc_timestamp);
    F(vcpu_info, time.system_time);
    F(vcpu_info, time.tsc_to_system_mul);
    F(vcpu_info, time.tsc_shift);
    F(vcpu_info, time.flags);

    S(arch_shared_info);
    F(arch_shared_info, max_pfn);
    F(arch_shared_info, pfn_to_mfn_frame_list_list);
    F(arch_shared_info, nmi_reason);
    F(arch_shared_info, p2m_cr3);
    F(arch_shared_info, p2m_vaddr);
    F(arch_shared_info, p2m_generation);

    S(shared_info);
    F(shared_info, vcpu_info);
    F(shared_info, vcpu_info[1]);
    F(shared_info, vcpu_info[31]);
    F(shared_info, evtchn_pending);
    F(shared_info, evtchn_mask);
    F(shared_info, wc_version);
    F(shared_info, wc_sec);
    F(shared_info, wc_nsec);
    F(shared_info, wc_sec_hi);
    F(shared_info, arch);

    C(__HYPERVISOR_set_trap_table);
    C(__HYPERVISOR_mmu_update);
    C(__HYPERVISOR_set_gdt);
    C(__HYPERVISOR_stack_switch);
    C(__HYPERVISOR_set_callbacks);
    C(__HYPERVISOR_fpu_taskswitch);
    C(__HYPERVISOR_sched_op_compat);
    C(__HYPERVISOR_platform_op);
    C(__HYPERVISOR_set_debugreg);
    C(__HYPERVISOR_get_debugreg);
    C(__HYPERVISOR_update_descriptor);
    C(__HYPERVISOR_memory_op);
    C(__HYPERVISOR_multicall);
    C(__HYPERVISOR_update_va_mapping);
    C(__HYPERVISOR_set_timer_op);
    C(__HYPERVISOR_event_channel_op_compat);
    C(__HYPERVISOR_xen_version);
    C(__HYPERVISOR_console_io);
    C(__HYPERVISOR_physdev_op_compat);
    C(__HYPERVISOR_grant_table_op);
    C(__HYPERVISOR_vm_assist);
    C(__HYPERVISOR_update_va_mapping_otherdomain);
    C(__HYPERVISOR_iret);
    C(__HYPERVISOR_vcpu_op);
    C(__HYPERVISOR_set_segment_base);
    C(__HYPERVISOR_mmuext_op);
    C(__HYPERVISOR_xsm_op);
    C(__HYPERVISOR_nmi_op);
    C(__HYPERVISOR_sched_op);
    C(__HYPERVISOR_callback_op);
    C(__HYPERVISOR_xenoprof_op);
    C(__HYPERVISOR_event_channel_op);
    C(__HYPERVISOR_physdev_op);
    C(__HYPERVISOR_hvm_op);
    C(__HYPERVISOR_sysctl);
    C(__HYPERVISOR_domctl);
    C(__HYPERVISOR_kexec_op);
    C(__HYPERVISOR_tmem_op);
    C(__HYPERVISOR_argo_op);
    C(__HYPERVISOR_xenpmu_op);
    C(__HYPERVISOR_dm_op);
    C(__HYPERVISOR_hypfs_op);
    C(__HYPERVISOR_arch_0);
    C(__HYPERVISOR_arch_7);
    C(__HYPERVISOR_mca);
    C_OURS(XEN_HYPERCALL_PAGE_STUBS);
    C_OURS(XEN_HYPERCALL_STUB_SIZE);

    C(VIRQ_TIMER);
    C(VIRQ_DEBUG);
    C(VIRQ_CONSOLE);
    C(VIRQ_DOM_EXC);
    C(VIRQ_TBUF);
    C(VIRQ_DEBUGGER);
    C(VIRQ_XENOPROF);
    C(VIRQ_CON_RING);
    C(VIRQ_PCPU_STATE);
    C(VIRQ_MEM_EVENT);
    C(VIRQ_ARGO);
    C(VIRQ_ENOMEM);
    C(VIRQ_XENPMU);
    C(VIRQ_ARCH_0);
    C(VIRQ_ARCH_7);
    C(VIRQ_MCA);
    C(NR_VIRQS);

    C(CONSOLEIO_write);
    C(CONSOLEIO_read);
    C(VMASST_CMD_enable);
    C(VMASST_CMD_disable);
    C(VMASST_TYPE_4gb_segments);
    C(VMASST_TYPE_4gb_segments_notify);
    C(VMASST_TYPE_writable_pagetables);
    C(VMASST_TYPE_pae_extended_cr3);
    C(VMASST_TYPE_architectural_iopl);
    C(VMASST_TYPE_runstate_update_flag);
    C(VMASST_TYPE_m2p_strict);

    C(DOMID_FIRST_RESERVED);
    C(DOMID_SELF);
    C(DOMID_IO);
    C(DOMID_XEN);
    C(DOMID_COW);
    C(DOMID_INVALID);
    C(DOMID_IDLE);
    C(DOMID_MASK);
    C(XEN_LEGACY_MAX_VCPUS);
    C_OURS(MAX_VIRT_CPUS);
    C(XEN_PVCLOCK_TSC_STABLE_BIT);
    C(XEN_PVCLOCK_GUEST_STOPPED);
    C(__XEN_LATEST_INTERFACE_VERSION__);
}

static void errno_h(void)
{
    C(XEN_EPERM);
    C(XEN_ENOENT);
    C(XEN_ESRCH);
    C_OURS(XEN_EINTR); /* Xen exposes it only to the hypervisor build */
    C(XEN_EIO);
    C(XEN_ENXIO);
    C(XEN_E2BIG);
    C(XEN_ENOEXEC);
    C(XEN_EBADF);
    C(XEN_ECHILD);
    C(XEN_EAGAIN);
    C(XEN_EWOULDBLOCK);
    C(XEN_ENOMEM);
    C(XEN_EACCES);
    C(XEN_EFAULT);
    C(XEN_EBUSY);
    C(XEN_EEXIST);
    C(XEN_EXDEV);
    C(XEN_ENODEV);
    C(XEN_ENOTDIR);
    C(XEN_EISDIR);
    C(XEN_EINVAL);
    C(XEN_ENFILE);
    C(XEN_EMFILE);
    C(XEN_ENOSPC);
    C(XEN_EROFS);
    C(XEN_EMLINK);
    C(XEN_EDOM);
    C(XEN_ERANGE);
    C(XEN_EDEADLK);
    C(XEN_EDEADLOCK);
    C(XEN_ENAMETOOLONG);
    C(XEN_ENOLCK);
    C(XEN_ENOSYS);
    C(XEN_ENOTEMPTY);
    C(XEN_ENODATA);
    C(XEN_ETIME);
    C(XEN_EBADMSG);
    C(XEN_EOVERFLOW);
    C(XEN_EILSEQ);
    C_OURS(XEN_ERESTART); /* hypervisor-only in Xen */
    C(XEN_ENOTSOCK);
    C(XEN_EMSGSIZE);
    C(XEN_EOPNOTSUPP);
    C(XEN_EADDRINUSE);
    C(XEN_EADDRNOTAVAIL);
    C(XEN_ENOBUFS);
    C(XEN_EISCONN);
    C(XEN_ENOTCONN);
    C(XEN_ETIMEDOUT);
    C(XEN_ECONNREFUSED);
}

static void event_channel_h(void)
{
    T(evtchn_port_t);
    T(event_word_t);

    S(evtchn_alloc_unbound);
    F(evtchn_alloc_unbound, dom);
    F(evtchn_alloc_unbound, remote_dom);
    F(evtchn_alloc_unbound, port);

    S(evtchn_bind_interdomain);
    F(evtchn_bind_interdomain, remote_dom);
    F_OURS(evtchn_bind_interdomain, _pad0);
    F(evtchn_bind_interdomain, remote_port);
    F(evtchn_bind_interdomain, local_port);

    S(evtchn_bind_virq);
    F(evtchn_bind_virq, virq);
    F(evtchn_bind_virq, vcpu);
    F(evtchn_bind_virq, port);

    S(evtchn_bind_pirq);
    F(evtchn_bind_pirq, pirq);
    F(evtchn_bind_pirq, flags);
    F(evtchn_bind_pirq, port);

    S(evtchn_bind_ipi);
    F(evtchn_bind_ipi, vcpu);
    F(evtchn_bind_ipi, port);

    S(evtchn_close);
    F(evtchn_close, port);

    S(evtchn_send);
    F(evtchn_send, port);

    S(evtchn_status);
    F(evtchn_status, dom);
    F_OURS(evtchn_status, _pad0);
    F(evtchn_status, port);
    F(evtchn_status, status);
    F(evtchn_status, vcpu);
    F(evtchn_status, u);
    F(evtchn_status, u.unbound.dom);
    F(evtchn_status, u.interdomain.dom);
    F_OURS(evtchn_status, u.interdomain._pad0);
    F(evtchn_status, u.interdomain.port);
    F(evtchn_status, u.pirq);
    F(evtchn_status, u.virq);

    S(evtchn_bind_vcpu);
    F(evtchn_bind_vcpu, port);
    F(evtchn_bind_vcpu, vcpu);

    S(evtchn_unmask);
    F(evtchn_unmask, port);

    S(evtchn_reset);
    F(evtchn_reset, dom);

    S(evtchn_init_control);
    F(evtchn_init_control, control_gfn);
    F(evtchn_init_control, offset);
    F(evtchn_init_control, vcpu);
    F(evtchn_init_control, link_bits);
    F(evtchn_init_control, _pad);

    S(evtchn_expand_array);
    F(evtchn_expand_array, array_gfn);

    S(evtchn_set_priority);
    F(evtchn_set_priority, port);
    F(evtchn_set_priority, priority);

    S(evtchn_op);
    F(evtchn_op, cmd);
    F(evtchn_op, u);

    S(evtchn_fifo_control_block);
    F(evtchn_fifo_control_block, ready);
    F(evtchn_fifo_control_block, _rsvd);
    F(evtchn_fifo_control_block, head);

    C(EVTCHNOP_bind_interdomain);
    C(EVTCHNOP_bind_virq);
    C(EVTCHNOP_bind_pirq);
    C(EVTCHNOP_close);
    C(EVTCHNOP_send);
    C(EVTCHNOP_status);
    C(EVTCHNOP_alloc_unbound);
    C(EVTCHNOP_bind_ipi);
    C(EVTCHNOP_bind_vcpu);
    C(EVTCHNOP_unmask);
    C(EVTCHNOP_reset);
    C(EVTCHNOP_init_control);
    C(EVTCHNOP_expand_array);
    C(EVTCHNOP_set_priority);
    C(EVTCHNSTAT_closed);
    C(EVTCHNSTAT_unbound);
    C(EVTCHNSTAT_interdomain);
    C(EVTCHNSTAT_pirq);
    C(EVTCHNSTAT_virq);
    C(EVTCHNSTAT_ipi);
    C(BIND_PIRQ__WILL_SHARE);
    C(EVTCHN_2L_NR_CHANNELS);
    C(EVTCHN_FIFO_PRIORITY_MAX);
    C(EVTCHN_FIFO_PRIORITY_DEFAULT);
    C(EVTCHN_FIFO_PRIORITY_MIN);
    C(EVTCHN_FIFO_MAX_QUEUES);
    C(EVTCHN_FIFO_PENDING);
    C(EVTCHN_FIFO_MASKED);
    C(EVTCHN_FIFO_LINKED);
    C(EVTCHN_FIFO_BUSY);
    C(EVTCHN_FIFO_LINK_BITS);
    C(EVTCHN_FIFO_LINK_MASK);
    C(EVTCHN_FIFO_NR_CHANNELS);
}

static void sched_h(void)
{
    S(sched_shutdown);
    F(sched_shutdown, reason);

    S(sched_poll);
    F(sched_poll, ports);
    F(sched_poll, nr_ports);
    F_OURS(sched_poll, _pad0);
    F(sched_poll, timeout);

    S(sched_remote_shutdown);
    F(sched_remote_shutdown, domain_id);
    F_OURS(sched_remote_shutdown, _pad0);
    F(sched_remote_shutdown, reason);

    S(sched_watchdog);
    F(sched_watchdog, id);
    F(sched_watchdog, timeout);

    S(sched_pin_override);
    F(sched_pin_override, pcpu);

    C(SCHEDOP_yield);
    C(SCHEDOP_block);
    C(SCHEDOP_shutdown);
    C(SCHEDOP_poll);
    C(SCHEDOP_remote_shutdown);
    C(SCHEDOP_shutdown_code);
    C(SCHEDOP_watchdog);
    C(SCHEDOP_pin_override);
    C(SHUTDOWN_poweroff);
    C(SHUTDOWN_reboot);
    C(SHUTDOWN_suspend);
    C(SHUTDOWN_crash);
    C(SHUTDOWN_watchdog);
    C(SHUTDOWN_soft_reset);
    C(SHUTDOWN_MAX);
}

static void vcpu_h(void)
{
    S(vcpu_runstate_info);
    F(vcpu_runstate_info, state);
    F_OURS(vcpu_runstate_info, _pad0);
    F(vcpu_runstate_info, state_entry_time);
    F(vcpu_runstate_info, time);
    F(vcpu_runstate_info, time[3]);

    S(vcpu_register_runstate_memory_area);
    F(vcpu_register_runstate_memory_area, addr);

    S(vcpu_set_periodic_timer);
    F(vcpu_set_periodic_timer, period_ns);

    S(vcpu_set_singleshot_timer);
    F(vcpu_set_singleshot_timer, timeout_abs_ns);
    F(vcpu_set_singleshot_timer, flags);
    F_OURS(vcpu_set_singleshot_timer, _pad0);

    S(vcpu_register_vcpu_info);
    F(vcpu_register_vcpu_info, mfn);
    F(vcpu_register_vcpu_info, offset);
    F(vcpu_register_vcpu_info, rsvd);

    S(vcpu_get_physid);
    F(vcpu_get_physid, phys_id);

    S(vcpu_register_time_memory_area);
    F(vcpu_register_time_memory_area, addr);

    S(vcpu_hvm_x86_32);
    F(vcpu_hvm_x86_32, eax);
    F(vcpu_hvm_x86_32, ecx);
    F(vcpu_hvm_x86_32, edx);
    F(vcpu_hvm_x86_32, ebx);
    F(vcpu_hvm_x86_32, esp);
    F(vcpu_hvm_x86_32, ebp);
    F(vcpu_hvm_x86_32, esi);
    F(vcpu_hvm_x86_32, edi);
    F(vcpu_hvm_x86_32, eip);
    F(vcpu_hvm_x86_32, eflags);
    F(vcpu_hvm_x86_32, cr0);
    F(vcpu_hvm_x86_32, cr3);
    F(vcpu_hvm_x86_32, cr4);
    F(vcpu_hvm_x86_32, pad1);
    F(vcpu_hvm_x86_32, efer);
    F(vcpu_hvm_x86_32, cs_base);
    F(vcpu_hvm_x86_32, ds_base);
    F(vcpu_hvm_x86_32, ss_base);
    F(vcpu_hvm_x86_32, es_base);
    F(vcpu_hvm_x86_32, tr_base);
    F(vcpu_hvm_x86_32, cs_limit);
    F(vcpu_hvm_x86_32, ds_limit);
    F(vcpu_hvm_x86_32, ss_limit);
    F(vcpu_hvm_x86_32, es_limit);
    F(vcpu_hvm_x86_32, tr_limit);
    F(vcpu_hvm_x86_32, cs_ar);
    F(vcpu_hvm_x86_32, ds_ar);
    F(vcpu_hvm_x86_32, ss_ar);
    F(vcpu_hvm_x86_32, es_ar);
    F(vcpu_hvm_x86_32, tr_ar);
    F(vcpu_hvm_x86_32, pad2);

    S(vcpu_hvm_x86_64);
    F(vcpu_hvm_x86_64, rax);
    F(vcpu_hvm_x86_64, rcx);
    F(vcpu_hvm_x86_64, rdx);
    F(vcpu_hvm_x86_64, rbx);
    F(vcpu_hvm_x86_64, rsp);
    F(vcpu_hvm_x86_64, rbp);
    F(vcpu_hvm_x86_64, rsi);
    F(vcpu_hvm_x86_64, rdi);
    F(vcpu_hvm_x86_64, rip);
    F(vcpu_hvm_x86_64, rflags);
    F(vcpu_hvm_x86_64, cr0);
    F(vcpu_hvm_x86_64, cr3);
    F(vcpu_hvm_x86_64, cr4);
    F(vcpu_hvm_x86_64, efer);

    S(vcpu_hvm_context);
    F(vcpu_hvm_context, mode);
    F(vcpu_hvm_context, pad);
    F(vcpu_hvm_context, cpu_regs);
    F(vcpu_hvm_context, cpu_regs.x86_32);
    F(vcpu_hvm_context, cpu_regs.x86_64);

    C(VCPUOP_initialise);
    C(VCPUOP_up);
    C(VCPUOP_down);
    C(VCPUOP_is_up);
    C(VCPUOP_get_runstate_info);
    C(VCPUOP_register_runstate_memory_area);
    C(VCPUOP_set_periodic_timer);
    C(VCPUOP_stop_periodic_timer);
    C(VCPUOP_set_singleshot_timer);
    C(VCPUOP_stop_singleshot_timer);
    C(VCPUOP_register_vcpu_info);
    C(VCPUOP_send_nmi);
    C(VCPUOP_get_physid);
    C(VCPUOP_register_vcpu_time_memory_area);
    C_OURS(VCPUOP_register_runstate_phys_area);  /* Xen 4.18 */
    C_OURS(VCPUOP_register_vcpu_time_phys_area); /* Xen 4.18 */
    C(RUNSTATE_running);
    C(RUNSTATE_runnable);
    C(RUNSTATE_blocked);
    C(RUNSTATE_offline);
    C(XEN_RUNSTATE_UPDATE);
    C(_VCPU_SSHOTTMR_future);
    C(VCPU_SSHOTTMR_future);
    C(VCPU_HVM_MODE_32B);
    C(VCPU_HVM_MODE_64B);
}

static void memory_h(void)
{
    S(xen_memory_reservation);
    F(xen_memory_reservation, extent_start);
    F(xen_memory_reservation, nr_extents);
    F(xen_memory_reservation, extent_order);
    F(xen_memory_reservation, mem_flags);
    F(xen_memory_reservation, domid);
    F_OURS(xen_memory_reservation, _pad0);

    S(xen_memory_exchange);
    F(xen_memory_exchange, in);
    F(xen_memory_exchange, out);
    F(xen_memory_exchange, nr_exchanged);

    S(xen_machphys_mfn_list);
    F(xen_machphys_mfn_list, max_extents);
    F_OURS(xen_machphys_mfn_list, _pad0);
    F(xen_machphys_mfn_list, extent_start);
    F(xen_machphys_mfn_list, nr_extents);
    F_OURS(xen_machphys_mfn_list, _pad1);

    S(xen_machphys_mapping);
    F(xen_machphys_mapping, v_start);
    F(xen_machphys_mapping, v_end);
    F(xen_machphys_mapping, max_mfn);

    S(xen_add_to_physmap);
    F(xen_add_to_physmap, domid);
    F(xen_add_to_physmap, size);
    F(xen_add_to_physmap, space);
    F(xen_add_to_physmap, idx);
    F(xen_add_to_physmap, gpfn);

    S(xen_add_to_physmap_batch);
    F(xen_add_to_physmap_batch, domid);
    F(xen_add_to_physmap_batch, space);
    F(xen_add_to_physmap_batch, size);
    F(xen_add_to_physmap_batch, u);
    F(xen_add_to_physmap_batch, u.foreign_domid);
    F(xen_add_to_physmap_batch, u.res0);
    F(xen_add_to_physmap_batch, idxs);
    F(xen_add_to_physmap_batch, gpfns);
    F(xen_add_to_physmap_batch, errs);

    S(xen_remove_from_physmap);
    F(xen_remove_from_physmap, domid);
    F_OURS(xen_remove_from_physmap, _pad0);
    F(xen_remove_from_physmap, gpfn);

    S(xen_memory_map);
    F(xen_memory_map, nr_entries);
    F_OURS(xen_memory_map, _pad0);
    F(xen_memory_map, buffer);

    S(xen_foreign_memory_map);
    F(xen_foreign_memory_map, domid);
    F_OURS(xen_foreign_memory_map, _pad0);
    F(xen_foreign_memory_map, map);
    F(xen_foreign_memory_map, map.nr_entries);
    F(xen_foreign_memory_map, map.buffer);

    S(xen_pod_target);
    F(xen_pod_target, target_pages);
    F(xen_pod_target, tot_pages);
    F(xen_pod_target, pod_cache_pages);
    F(xen_pod_target, pod_entries);
    F(xen_pod_target, domid);
    F_OURS(xen_pod_target, _pad0);

    S(xen_mem_acquire_resource);
    F(xen_mem_acquire_resource, domid);
    F(xen_mem_acquire_resource, type);
    F(xen_mem_acquire_resource, id);
    F(xen_mem_acquire_resource, nr_frames);
    F(xen_mem_acquire_resource, pad);
    F(xen_mem_acquire_resource, frame);
    F(xen_mem_acquire_resource, frame_list);

    S(xen_vmemrange);
    F(xen_vmemrange, start);
    F(xen_vmemrange, end);
    F(xen_vmemrange, flags);
    F(xen_vmemrange, nid);

    S(xen_vnuma_topology_info);
    F(xen_vnuma_topology_info, domid);
    F(xen_vnuma_topology_info, pad);
    F(xen_vnuma_topology_info, nr_vnodes);
    F(xen_vnuma_topology_info, nr_vcpus);
    F(xen_vnuma_topology_info, nr_vmemranges);
    F(xen_vnuma_topology_info, vdistance);
    F(xen_vnuma_topology_info, vcpu_to_vnode);
    F(xen_vnuma_topology_info, vmemrange);

    C(XENMEM_increase_reservation);
    C(XENMEM_decrease_reservation);
    C(XENMEM_maximum_ram_page);
    C(XENMEM_current_reservation);
    C(XENMEM_maximum_reservation);
    C(XENMEM_machphys_mfn_list);
    C(XENMEM_populate_physmap);
    C(XENMEM_add_to_physmap);
    C(XENMEM_memory_map);
    C(XENMEM_machine_memory_map);
    C(XENMEM_exchange);
    C(XENMEM_machphys_mapping);
    C(XENMEM_set_memory_map);
    C(XENMEM_maximum_gpfn);
    C(XENMEM_remove_from_physmap);
    C(XENMEM_set_pod_target);
    C(XENMEM_get_pod_target);
    C(XENMEM_get_sharing_freed_pages);
    C(XENMEM_get_sharing_shared_pages);
    C(XENMEM_paging_op);
    C(XENMEM_access_op);
    C(XENMEM_sharing_op);
    C(XENMEM_add_to_physmap_batch);
    C(XENMEM_claim_pages);
    C(XENMEM_machphys_compat_mfn_list);
    C(XENMEM_get_vnumainfo);
    C(XENMEM_reserved_device_memory_map);
    C(XENMEM_acquire_resource);
    C(XENMEMF_address_bits(32));
    C(XENMEMF_get_address_bits(0x1220));
    C(XENMEMF_node(3));
    C(XENMEMF_get_node(0x400));
    C(XENMEMF_populate_on_demand);
    C(XENMEMF_exact_node_request);
    C(XENMEMF_exact_node(3));
    C(XENMEMF_vnode);
    C(XENMAPSPACE_shared_info);
    C(XENMAPSPACE_grant_table);
    C(XENMAPSPACE_gmfn);
    C(XENMAPSPACE_gmfn_range);
    C(XENMAPSPACE_gmfn_foreign);
    C(XENMAPSPACE_dev_mmio);
    C(XENMAPIDX_grant_table_status);
    C(XENMEM_resource_ioreq_server);
    C(XENMEM_resource_grant_table);
    C(XENMEM_resource_vmtrace_buf);
    C(XENMEM_resource_grant_table_id_shared);
    C(XENMEM_resource_grant_table_id_status);
    C(XENMEM_resource_ioreq_server_frame_bufioreq);
    C(XENMEM_resource_ioreq_server_frame_ioreq(2));
}

static void e820_h(void)
{
    S_OURS(e820entry); /* Xen keeps this struct out of its public headers */
    F_OURS(e820entry, addr);
    F_OURS(e820entry, size);
    F_OURS(e820entry, type);
    C_OURS(E820_RAM);
    C_OURS(E820_RESERVED);
    C_OURS(E820_ACPI);
    C_OURS(E820_NVS);
    C_OURS(E820_UNUSABLE);
    C_OURS(E820_DISABLED);
    C_OURS(E820_PMEM);
    C(HVM_BELOW_4G_RAM_END);
    C(HVM_BELOW_4G_MMIO_START);
    C(HVM_BELOW_4G_MMIO_LENGTH);
}

static void version_h(void)
{
    T(xen_extraversion_t);
    T(xen_capabilities_info_t);
    T(xen_changeset_info_t);
    T(xen_commandline_t);

    S(xen_compile_info);
    F(xen_compile_info, compiler);
    F(xen_compile_info, compile_by);
    F(xen_compile_info, compile_domain);
    F(xen_compile_info, compile_date);

    S(xen_platform_parameters);
    F(xen_platform_parameters, virt_start);

    S(xen_feature_info);
    F(xen_feature_info, submap_idx);
    F(xen_feature_info, submap);

    S(xen_build_id);
    F(xen_build_id, len);
    F(xen_build_id, buf);

    C(XENVER_version);
    C(XENVER_extraversion);
    C(XENVER_compile_info);
    C(XENVER_capabilities);
    C(XENVER_changeset);
    C(XENVER_platform_parameters);
    C(XENVER_get_features);
    C(XENVER_pagesize);
    C(XENVER_guest_handle);
    C(XENVER_commandline);
    C(XENVER_build_id);
    C(XEN_EXTRAVERSION_LEN);
    C(XEN_CAPABILITIES_INFO_LEN);
    C(XEN_CHANGESET_INFO_LEN);
    C_OURS(XEN_COMMANDLINE_LEN);
}

static void features_h(void)
{
    C(XENFEAT_writable_page_tables);
    C(XENFEAT_writable_descriptor_tables);
    C(XENFEAT_auto_translated_physmap);
    C(XENFEAT_supervisor_mode_kernel);
    C(XENFEAT_pae_pgdir_above_4gb);
    C(XENFEAT_mmu_pt_update_preserve_ad);
    C(XENFEAT_highmem_assist);
    C(XENFEAT_gnttab_map_avail_bits);
    C(XENFEAT_hvm_callback_vector);
    C(XENFEAT_hvm_safe_pvclock);
    C(XENFEAT_hvm_pirqs);
    C(XENFEAT_dom0);
    C(XENFEAT_memory_op_vnode_supported);
    C(XENFEAT_ARM_SMCCC_supported);
    C(XENFEAT_linux_rsdp_unrestricted);
    C(XENFEAT_not_direct_mapped);
    C(XENFEAT_direct_mapped);
    C(XENFEAT_NR_SUBMAPS);
}

static void grant_table_h(void)
{
    T(grant_ref_t);
    T(grant_handle_t);
    T(grant_status_t);

    S(grant_entry_v1);
    F(grant_entry_v1, flags);
    F(grant_entry_v1, domid);
    F(grant_entry_v1, frame);

    S(grant_entry_header);
    F(grant_entry_header, flags);
    F(grant_entry_header, domid);

    U(grant_entry_v2);
    printf("offsetof grant_entry_v2.full_page.frame = %zu\n",
           offsetof(union grant_entry_v2, full_page.frame));
    printf("offsetof grant_entry_v2.sub_page.page_off = %zu\n",
           offsetof(union grant_entry_v2, sub_page.page_off));
    printf("offsetof grant_entry_v2.sub_page.length = %zu\n",
           offsetof(union grant_entry_v2, sub_page.length));
    printf("offsetof grant_entry_v2.sub_page.frame = %zu\n",
           offsetof(union grant_entry_v2, sub_page.frame));
    printf("offsetof grant_entry_v2.transitive.trans_domid = %zu\n",
           offsetof(union grant_entry_v2, transitive.trans_domid));
    printf("offsetof grant_entry_v2.transitive.gref = %zu\n",
           offsetof(union grant_entry_v2, transitive.gref));

    S(gnttab_map_grant_ref);
    F(gnttab_map_grant_ref, host_addr);
    F(gnttab_map_grant_ref, flags);
    F(gnttab_map_grant_ref, ref);
    F(gnttab_map_grant_ref, dom);
    F(gnttab_map_grant_ref, status);
    F(gnttab_map_grant_ref, handle);
    F(gnttab_map_grant_ref, dev_bus_addr);

    S(gnttab_unmap_grant_ref);
    F(gnttab_unmap_grant_ref, host_addr);
    F(gnttab_unmap_grant_ref, dev_bus_addr);
    F(gnttab_unmap_grant_ref, handle);
    F(gnttab_unmap_grant_ref, status);
    F_OURS(gnttab_unmap_grant_ref, _pad0);

    S(gnttab_setup_table);
    F(gnttab_setup_table, dom);
    F_OURS(gnttab_setup_table, _pad0);
    F(gnttab_setup_table, nr_frames);
    F(gnttab_setup_table, status);
    F_OURS(gnttab_setup_table, _pad1);
    F(gnttab_setup_table, frame_list);

    S(gnttab_dump_table);
    F(gnttab_dump_table, dom);
    F(gnttab_dump_table, status);

    S(gnttab_transfer);
    F(gnttab_transfer, mfn);
    F(gnttab_transfer, domid);
    F_OURS(gnttab_transfer, _pad0);
    F(gnttab_transfer, ref);
    F(gnttab_transfer, status);
    F_OURS(gnttab_transfer, _pad1);

    S(gnttab_copy_ptr);
    F(gnttab_copy_ptr, u);
    F(gnttab_copy_ptr, u.ref);
    F(gnttab_copy_ptr, u.gmfn);
    F(gnttab_copy_ptr, domid);
    F(gnttab_copy_ptr, offset);
    F_OURS(gnttab_copy_ptr, _pad0);

    S(gnttab_copy);
    F(gnttab_copy, source);
    F(gnttab_copy, source.u.ref);
    F(gnttab_copy, source.domid);
    F(gnttab_copy, source.offset);
    F(gnttab_copy, dest);
    F(gnttab_copy, dest.u.gmfn);
    F(gnttab_copy, dest.domid);
    F(gnttab_copy, dest.offset);
    F(gnttab_copy, len);
    F(gnttab_copy, flags);
    F(gnttab_copy, status);
    F_OURS(gnttab_copy, _pad0);

    S(gnttab_query_size);
    F(gnttab_query_size, dom);
    F_OURS(gnttab_query_size, _pad0);
    F(gnttab_query_size, nr_frames);
    F(gnttab_query_size, max_nr_frames);
    F(gnttab_query_size, status);
    F_OURS(gnttab_query_size, _pad1);

    S(gnttab_unmap_and_replace);
    F(gnttab_unmap_and_replace, host_addr);
    F(gnttab_unmap_and_replace, new_addr);
    F(gnttab_unmap_and_replace, handle);
    F(gnttab_unmap_and_replace, status);
    F_OURS(gnttab_unmap_and_replace, _pad0);

    S(gnttab_set_version);
    F(gnttab_set_version, version);

    S(gnttab_get_status_frames);
    F(gnttab_get_status_frames, nr_frames);
    F(gnttab_get_status_frames, dom);
    F(gnttab_get_status_frames, status);
    F(gnttab_get_status_frames, frame_list);

    S(gnttab_get_version);
    F(gnttab_get_version, dom);
    F(gnttab_get_version, pad);
    F(gnttab_get_version, version);

    S(gnttab_swap_grant_ref);
    F(gnttab_swap_grant_ref, ref_a);
    F(gnttab_swap_grant_ref, ref_b);
    F(gnttab_swap_grant_ref, status);
    F_OURS(gnttab_swap_grant_ref, _pad0);

    S(gnttab_cache_flush);
    F(gnttab_cache_flush, a);
    F(gnttab_cache_flush, a.dev_bus_addr);
    F(gnttab_cache_flush, a.ref);
    F(gnttab_cache_flush, offset);
    F(gnttab_cache_flush, length);
    F(gnttab_cache_flush, op);

    C(GNTTABOP_map_grant_ref);
    C(GNTTABOP_unmap_grant_ref);
    C(GNTTABOP_setup_table);
    C(GNTTABOP_dump_table);
    C(GNTTABOP_transfer);
    C(GNTTABOP_copy);
    C(GNTTABOP_query_size);
    C(GNTTABOP_unmap_and_replace);
    C(GNTTABOP_set_version);
    C(GNTTABOP_get_status_frames);
    C(GNTTABOP_get_version);
    C(GNTTABOP_swap_grant_ref);
    C(GNTTABOP_cache_flush);
    C(GNTTAB_NR_RESERVED_ENTRIES);
    C(GNTTAB_RESERVED_CONSOLE);
    C(GNTTAB_RESERVED_XENSTORE);
    C(GTF_invalid);
    C(GTF_permit_access);
    C(GTF_accept_transfer);
    C(GTF_transitive);
    C(GTF_type_mask);
    C(GTF_readonly);
    C(GTF_reading);
    C(GTF_writing);
    C(GTF_PWT);
    C(GTF_PCD);
    C(GTF_PAT);
    C(GTF_sub_page);
    C(GTF_transfer_committed);
    C(GTF_transfer_completed);
    C(GNTCOPY_source_gref);
    C(GNTCOPY_dest_gref);
    C(GNTMAP_device_map);
    C(GNTMAP_host_map);
    C(GNTMAP_readonly);
    C(GNTMAP_application_map);
    C(GNTMAP_contains_pte);
    C(GNTMAP_guest_avail_mask);
    C(GNTTAB_CACHE_CLEAN);
    C(GNTTAB_CACHE_INVAL);
    C(GNTTAB_CACHE_SOURCE_GREF);
    C(GNTST_okay);
    C(GNTST_general_error);
    C(GNTST_bad_domain);
    C(GNTST_bad_gntref);
    C(GNTST_bad_handle);
    C(GNTST_bad_virt_addr);
    C(GNTST_bad_dev_addr);
    C(GNTST_no_device_space);
    C(GNTST_permission_denied);
    C(GNTST_bad_page);
    C(GNTST_bad_copy_arg);
    C(GNTST_address_too_big);
    C(GNTST_eagain);
    C(GNTST_no_space);
}

static void hvm_h(void)
{
    S(xen_hvm_param);
    F(xen_hvm_param, domid);
    F(xen_hvm_param, pad);
    F(xen_hvm_param, index);
    F(xen_hvm_param, value);

    S(xen_hvm_pagetable_dying);
    F(xen_hvm_pagetable_dying, domid);
    F(xen_hvm_pagetable_dying, pad);
    F(xen_hvm_pagetable_dying, gpa);

    S(xen_hvm_get_time);
    F(xen_hvm_get_time, now);

    S(xen_hvm_get_mem_type);
    F(xen_hvm_get_mem_type, domid);
    F(xen_hvm_get_mem_type, mem_type);
    F(xen_hvm_get_mem_type, pad);
    F(xen_hvm_get_mem_type, pfn);

    S(xen_hvm_evtchn_upcall_vector);
    F(xen_hvm_evtchn_upcall_vector, vcpu);
    F(xen_hvm_evtchn_upcall_vector, vector);
    F_OURS(xen_hvm_evtchn_upcall_vector, _pad0);

    C(HVMOP_set_param);
    C(HVMOP_get_param);
    C_OURS(HVMOP_set_pci_intx_level); /* Xen hides these at the current interface version */
    C_OURS(HVMOP_set_isa_irq_level);
    C_OURS(HVMOP_set_pci_link_route);
    C(HVMOP_flush_tlbs);
    C(HVMOP_pagetable_dying);
    C(HVMOP_get_time);
    C(HVMOP_xentrace);
    C(HVMOP_set_mem_access);
    C(HVMOP_get_mem_access);
    C(HVMOP_get_mem_type);
    C(HVMOP_set_evtchn_upcall_vector);
    C(HVMOP_guest_request_vm_event);
    C(HVMOP_altp2m);
    C(HVMMEM_ram_rw);
    C(HVMMEM_ram_ro);
    C(HVMMEM_mmio_dm);
    C(HVMMEM_unused);
    C(HVMMEM_ioreq_server);

    C(HVM_PARAM_CALLBACK_IRQ);
    C_OURS(HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT);
    C(HVM_PARAM_CALLBACK_IRQ_TYPE_MASK);
    C(HVM_PARAM_CALLBACK_TYPE_GSI);
    C(HVM_PARAM_CALLBACK_TYPE_PCI_INTX);
    C(HVM_PARAM_CALLBACK_TYPE_VECTOR);
    C(HVM_PARAM_STORE_PFN);
    C(HVM_PARAM_STORE_EVTCHN);
    C(HVM_PARAM_PAE_ENABLED);
    C(HVM_PARAM_IOREQ_PFN);
    C(HVM_PARAM_BUFIOREQ_PFN);
    C(HVM_PARAM_VIRIDIAN);
    C(HVM_PARAM_TIMER_MODE);
    C(HVM_PARAM_HPET_ENABLED);
    C(HVM_PARAM_IDENT_PT);
    C(HVM_PARAM_DM_DOMAIN);
    C(HVM_PARAM_ACPI_S_STATE);
    C(HVM_PARAM_VM86_TSS);
    C(HVM_PARAM_VPT_ALIGN);
    C(HVM_PARAM_CONSOLE_PFN);
    C(HVM_PARAM_CONSOLE_EVTCHN);
    C(HVM_PARAM_ACPI_IOPORTS_LOCATION);
    C(HVM_PARAM_MEMORY_EVENT_CR0);
    C(HVM_PARAM_MEMORY_EVENT_CR3);
    C(HVM_PARAM_MEMORY_EVENT_CR4);
    C(HVM_PARAM_MEMORY_EVENT_INT3);
    C(HVM_PARAM_NESTEDHVM);
    C(HVM_PARAM_MEMORY_EVENT_SINGLE_STEP);
    C(HVM_PARAM_BUFIOREQ_EVTCHN);
    C(HVM_PARAM_PAGING_RING_PFN);
    C(HVM_PARAM_MONITOR_RING_PFN);
    C(HVM_PARAM_SHARING_RING_PFN);
    C(HVM_PARAM_MEMORY_EVENT_MSR);
    C(HVM_PARAM_TRIPLE_FAULT_REASON);
    C(HVM_PARAM_IOREQ_SERVER_PFN);
    C(HVM_PARAM_NR_IOREQ_SERVER_PAGES);
    C(HVM_PARAM_VM_GENERATION_ID_ADDR);
    C(HVM_PARAM_ALTP2M);
    C(HVM_PARAM_X87_FIP_WIDTH);
    C(HVM_PARAM_VM86_TSS_SIZED);
    C(HVM_PARAM_MCA_CAP);
    C(HVM_NR_PARAMS);
    C(HVMPTM_delay_for_missed_ticks);
    C(HVMPTM_no_delay_for_missed_ticks);
    C(HVMPTM_no_missed_ticks_pending);
    C(HVMPTM_one_missed_tick_pending);
    C(XEN_ALTP2M_disabled);
    C(XEN_ALTP2M_mixed);
    C(XEN_ALTP2M_external);
    C(XEN_ALTP2M_limited);
    C(XEN_HVM_MCA_CAP_LMCE);
    C(XEN_HVM_MCA_CAP_MASK);
}

static void start_info_h(void)
{
    S(hvm_start_info);
    F(hvm_start_info, magic);
    F(hvm_start_info, version);
    F(hvm_start_info, flags);
    F(hvm_start_info, nr_modules);
    F(hvm_start_info, modlist_paddr);
    F(hvm_start_info, cmdline_paddr);
    F(hvm_start_info, rsdp_paddr);
    F(hvm_start_info, memmap_paddr);
    F(hvm_start_info, memmap_entries);
    F(hvm_start_info, reserved);

    S(hvm_modlist_entry);
    F(hvm_modlist_entry, paddr);
    F(hvm_modlist_entry, size);
    F(hvm_modlist_entry, cmdline_paddr);
    F(hvm_modlist_entry, reserved);

    S(hvm_memmap_table_entry);
    F(hvm_memmap_table_entry, addr);
    F(hvm_memmap_table_entry, size);
    F(hvm_memmap_table_entry, type);
    F(hvm_memmap_table_entry, reserved);

    C(XEN_HVM_START_MAGIC_VALUE);
    C(SIF_PRIVILEGED);
    C(SIF_INITDOMAIN);
    C(XEN_HVM_MEMMAP_TYPE_RAM);
    C(XEN_HVM_MEMMAP_TYPE_RESERVED);
    C(XEN_HVM_MEMMAP_TYPE_ACPI);
    C(XEN_HVM_MEMMAP_TYPE_NVS);
    C(XEN_HVM_MEMMAP_TYPE_UNUSABLE);
    C(XEN_HVM_MEMMAP_TYPE_DISABLED);
    C(XEN_HVM_MEMMAP_TYPE_PMEM);
}

static void hvm_save_h(void)
{
    S(hvm_save_descriptor);
    F(hvm_save_descriptor, typecode);
    F(hvm_save_descriptor, instance);
    F(hvm_save_descriptor, length);

    S(hvm_save_header);
    F(hvm_save_header, magic);
    F(hvm_save_header, version);
    F(hvm_save_header, changeset);
    F(hvm_save_header, cpuid);
    F(hvm_save_header, gtsc_khz);

    S(hvm_hw_cpu);
    F(hvm_hw_cpu, fpu_regs);
    F(hvm_hw_cpu, rax);
    F(hvm_hw_cpu, rbx);
    F(hvm_hw_cpu, rcx);
    F(hvm_hw_cpu, rdx);
    F(hvm_hw_cpu, rbp);
    F(hvm_hw_cpu, rsi);
    F(hvm_hw_cpu, rdi);
    F(hvm_hw_cpu, rsp);
    F(hvm_hw_cpu, r8);
    F(hvm_hw_cpu, r9);
    F(hvm_hw_cpu, r10);
    F(hvm_hw_cpu, r11);
    F(hvm_hw_cpu, r12);
    F(hvm_hw_cpu, r13);
    F(hvm_hw_cpu, r14);
    F(hvm_hw_cpu, r15);
    F(hvm_hw_cpu, rip);
    F(hvm_hw_cpu, rflags);
    F(hvm_hw_cpu, cr0);
    F(hvm_hw_cpu, cr2);
    F(hvm_hw_cpu, cr3);
    F(hvm_hw_cpu, cr4);
    F(hvm_hw_cpu, dr0);
    F(hvm_hw_cpu, dr1);
    F(hvm_hw_cpu, dr2);
    F(hvm_hw_cpu, dr3);
    F(hvm_hw_cpu, dr6);
    F(hvm_hw_cpu, dr7);
    F(hvm_hw_cpu, cs_sel);
    F(hvm_hw_cpu, ds_sel);
    F(hvm_hw_cpu, es_sel);
    F(hvm_hw_cpu, fs_sel);
    F(hvm_hw_cpu, gs_sel);
    F(hvm_hw_cpu, ss_sel);
    F(hvm_hw_cpu, tr_sel);
    F(hvm_hw_cpu, ldtr_sel);
    F(hvm_hw_cpu, cs_limit);
    F(hvm_hw_cpu, ds_limit);
    F(hvm_hw_cpu, es_limit);
    F(hvm_hw_cpu, fs_limit);
    F(hvm_hw_cpu, gs_limit);
    F(hvm_hw_cpu, ss_limit);
    F(hvm_hw_cpu, tr_limit);
    F(hvm_hw_cpu, ldtr_limit);
    F(hvm_hw_cpu, idtr_limit);
    F(hvm_hw_cpu, gdtr_limit);
    F(hvm_hw_cpu, cs_base);
    F(hvm_hw_cpu, ds_base);
    F(hvm_hw_cpu, es_base);
    F(hvm_hw_cpu, fs_base);
    F(hvm_hw_cpu, gs_base);
    F(hvm_hw_cpu, ss_base);
    F(hvm_hw_cpu, tr_base);
    F(hvm_hw_cpu, ldtr_base);
    F(hvm_hw_cpu, idtr_base);
    F(hvm_hw_cpu, gdtr_base);
    F(hvm_hw_cpu, cs_arbytes);
    F(hvm_hw_cpu, ds_arbytes);
    F(hvm_hw_cpu, es_arbytes);
    F(hvm_hw_cpu, fs_arbytes);
    F(hvm_hw_cpu, gs_arbytes);
    F(hvm_hw_cpu, ss_arbytes);
    F(hvm_hw_cpu, tr_arbytes);
    F(hvm_hw_cpu, ldtr_arbytes);
    F(hvm_hw_cpu, sysenter_cs);
    F(hvm_hw_cpu, sysenter_esp);
    F(hvm_hw_cpu, sysenter_eip);
    F(hvm_hw_cpu, shadow_gs);
    F(hvm_hw_cpu, msr_flags);
    F(hvm_hw_cpu, msr_lstar);
    F(hvm_hw_cpu, msr_star);
    F(hvm_hw_cpu, msr_cstar);
    F(hvm_hw_cpu, msr_syscall_mask);
    F(hvm_hw_cpu, msr_efer);
    F(hvm_hw_cpu, msr_tsc_aux);
    F(hvm_hw_cpu, tsc);
    F(hvm_hw_cpu, pending_event);
    F(hvm_hw_cpu, error_code);
    F(hvm_hw_cpu, flags);
    F(hvm_hw_cpu, pad0);

    S(hvm_hw_mtrr);
    F(hvm_hw_mtrr, msr_pat_cr);
    F(hvm_hw_mtrr, msr_mtrr_var);
    F(hvm_hw_mtrr, msr_mtrr_fixed);
    F(hvm_hw_mtrr, msr_mtrr_cap);
    F(hvm_hw_mtrr, msr_mtrr_def_type);

    C(HVM_SAVE_CODE(END));
    C(HVM_SAVE_CODE(HEADER));
    C(HVM_SAVE_CODE(CPU));
    C(HVM_SAVE_CODE(PIC));
    C(HVM_SAVE_CODE(IOAPIC));
    C(HVM_SAVE_CODE(LAPIC));
    C(HVM_SAVE_CODE(LAPIC_REGS));
    C(HVM_SAVE_CODE(PCI_IRQ));
    C(HVM_SAVE_CODE(ISA_IRQ));
    C(HVM_SAVE_CODE(PCI_LINK));
    C(HVM_SAVE_CODE(PIT));
    C(HVM_SAVE_CODE(RTC));
    C(HVM_SAVE_CODE(HPET));
    C(HVM_SAVE_CODE(PMTIMER));
    C(HVM_SAVE_CODE(MTRR));
    C(HVM_SAVE_CODE(VIRIDIAN_DOMAIN));
    C(HVM_SAVE_CODE(VIRIDIAN_VCPU));
    C(HVM_SAVE_CODE(VMCE_VCPU));
    C(HVM_SAVE_CODE(TSC_ADJUST));
    C(CPU_XSAVE_CODE);
    C(CPU_MSR_CODE);
    C(HVM_SAVE_CODE_MAX);
    C(HVM_SAVE_LENGTH(HEADER));
    C(HVM_SAVE_LENGTH(CPU));
    C(HVM_SAVE_LENGTH(MTRR));
    C(HVM_SAVE_LENGTH(PCI_IRQ));
    C(HVM_SAVE_LENGTH(ISA_IRQ));
    C(HVM_SAVE_LENGTH(PCI_LINK));
    C(HVM_FILE_MAGIC);
    C(HVM_FILE_VERSION);
    C(XEN_X86_FPU_INITIALISED);
    C(MTRR_VCNT);
    C(NUM_FIXED_MSR);
}

static void cpuid_h(void)
{
    C(XEN_CPUID_FIRST_LEAF);
    C(XEN_CPUID_LEAF(4));
    C(XEN_CPUID_MAX_NUM_LEAVES);
    C(XEN_CPUID_SIGNATURE_EBX);
    C(XEN_CPUID_SIGNATURE_ECX);
    C(XEN_CPUID_SIGNATURE_EDX);
    C(_XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD);
    C(XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD);
    C_OURS(XEN_CPUID_HYPERCALL_MSR);
    C(XEN_HVM_CPUID_APIC_ACCESS_VIRT);
    C(XEN_HVM_CPUID_X2APIC_VIRT);
    C(XEN_HVM_CPUID_IOMMU_MAPPINGS);
    C(XEN_HVM_CPUID_VCPU_ID_PRESENT);
    C(XEN_HVM_CPUID_DOMID_PRESENT);
    C(XEN_HVM_CPUID_EXT_DEST_ID);
    C(XEN_HVM_CPUID_UPCALL_VECTOR);
    C(XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK);
}

static void io_h(void)
{
    T(XENCONS_RING_IDX);
    S(xencons_interface);
    F(xencons_interface, in);
    F(xencons_interface, out);
    F(xencons_interface, in_cons);
    F(xencons_interface, in_prod);
    F(xencons_interface, out_cons);
    F(xencons_interface, out_prod);
    {
        struct xencons_interface ci;
        C(MASK_XENCONS_IDX(1030, ci.in));
        C(MASK_XENCONS_IDX(2050, ci.out));
    }

    S(xsd_sockmsg);
    F(xsd_sockmsg, type);
    F(xsd_sockmsg, req_id);
    F(xsd_sockmsg, tx_id);
    F(xsd_sockmsg, len);

    T(XENSTORE_RING_IDX);
    S(xenstore_domain_interface);
    F(xenstore_domain_interface, req);
    F(xenstore_domain_interface, rsp);
    F(xenstore_domain_interface, req_cons);
    F(xenstore_domain_interface, req_prod);
    F(xenstore_domain_interface, rsp_cons);
    F(xenstore_domain_interface, rsp_prod);
    F(xenstore_domain_interface, server_features);
    F(xenstore_domain_interface, connection);
    F(xenstore_domain_interface, error);

    C(XS_CONTROL);
    C(XS_DEBUG);
    C(XS_DIRECTORY);
    C(XS_READ);
    C(XS_GET_PERMS);
    C(XS_WATCH);
    C(XS_UNWATCH);
    C(XS_TRANSACTION_START);
    C(XS_TRANSACTION_END);
    C(XS_INTRODUCE);
    C(XS_RELEASE);
    C(XS_GET_DOMAIN_PATH);
    C(XS_WRITE);
    C(XS_MKDIR);
    C(XS_RM);
    C(XS_SET_PERMS);
    C(XS_WATCH_EVENT);
    C(XS_ERROR);
    C(XS_IS_DOMAIN_INTRODUCED);
    C(XS_RESUME);
    C(XS_SET_TARGET);
    C(XS_RESET_WATCHES);
    C(XS_DIRECTORY_PART);
    C(XS_TYPE_COUNT);
    C(XS_INVALID);
    C(XS_WATCH_PATH);
    C(XS_WATCH_TOKEN);
    C(XENSTORE_RING_SIZE);
    C(MASK_XENSTORE_IDX(1030));
    C(XENSTORE_PAYLOAD_MAX);
    C(XENSTORE_ABS_PATH_MAX);
    C(XENSTORE_REL_PATH_MAX);
    C(XENSTORE_SERVER_FEATURE_RECONNECTION);
    C(XENSTORE_SERVER_FEATURE_ERROR);
    C(XENSTORE_CONNECTED);
    C(XENSTORE_RECONNECT);
    C(XENSTORE_ERROR_NONE);
    C(XENSTORE_ERROR_COMM);
    C(XENSTORE_ERROR_RINGIDX);
    C(XENSTORE_ERROR_PROTO);
}

static void misc_h(void)
{
    C(XEN_ELFNOTE_INFO);
    C(XEN_ELFNOTE_ENTRY);
    C(XEN_ELFNOTE_HYPERCALL_PAGE);
    C(XEN_ELFNOTE_VIRT_BASE);
    C(XEN_ELFNOTE_PADDR_OFFSET);
    C(XEN_ELFNOTE_XEN_VERSION);
    C(XEN_ELFNOTE_GUEST_OS);
    C(XEN_ELFNOTE_GUEST_VERSION);
    C(XEN_ELFNOTE_LOADER);
    C(XEN_ELFNOTE_PAE_MODE);
    C(XEN_ELFNOTE_FEATURES);
    C(XEN_ELFNOTE_BSD_SYMTAB);
    C(XEN_ELFNOTE_HV_START_LOW);
    C(XEN_ELFNOTE_L1_MFN_VALID);
    C(XEN_ELFNOTE_SUSPEND_CANCEL);
    C(XEN_ELFNOTE_INIT_P2M);
    C(XEN_ELFNOTE_MOD_START_PFN);
    C(XEN_ELFNOTE_SUPPORTED_FEATURES);
    C(XEN_ELFNOTE_PHYS32_ENTRY);
    C_OURS(XEN_ELFNOTE_PHYS32_RELOC); /* newer than Xen 4.17 */
    C_OURS(XEN_ELFNOTE_MAX);          /* moves with the above */
    C(XEN_ELFNOTE_CRASH_INFO);
    C(XEN_ELFNOTE_CRASH_REGS);
    C(XEN_ELFNOTE_DUMPCORE_NONE);
    C(XEN_ELFNOTE_DUMPCORE_HEADER);
    C(XEN_ELFNOTE_DUMPCORE_XEN_VERSION);
    C(XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION);

    C(PHYSDEVOP_IRQ_UNMASK_NOTIFY);
    C(PHYSDEVOP_irq_status_query);
    C(PHYSDEVOP_set_iopl);
    C(PHYSDEVOP_set_iobitmap);
    C(PHYSDEVOP_apic_read);
    C(PHYSDEVOP_apic_write);
    C(PHYSDEVOP_alloc_irq_vector);
    C(PHYSDEVOP_free_irq_vector);
    C(PHYSDEVOP_eoi);
    C(PHYSDEVOP_map_pirq);
    C(PHYSDEVOP_unmap_pirq);
    C(PHYSDEVOP_manage_pci_add);
    C(PHYSDEVOP_manage_pci_remove);
    C(PHYSDEVOP_pirq_eoi_gmfn_v1);
    C(PHYSDEVOP_restore_msi);
    C(PHYSDEVOP_manage_pci_add_ext);
    C(PHYSDEVOP_setup_gsi);
    C(PHYSDEVOP_get_free_pirq);
    C(PHYSDEVOP_pci_mmcfg_reserved);
    C(PHYSDEVOP_pci_device_add);
    C(PHYSDEVOP_pci_device_remove);
    C(PHYSDEVOP_restore_msi_ext);
    C(PHYSDEVOP_pirq_eoi_gmfn_v2);
    C(PHYSDEVOP_dbgp_op);
    C(PHYSDEVOP_prepare_msix);
    C(PHYSDEVOP_release_msix);
    C(PHYSDEVOP_pirq_eoi_gmfn);

    C(XENPF_INTERFACE_VERSION);
    C(XENPF_settime32);
    C(XENPF_add_memtype);
    C(XENPF_del_memtype);
    C(XENPF_read_memtype);
    C(XENPF_microcode_update);
    C(XENPF_platform_quirk);
    C(XENPF_get_cpu_version);
    C(XENPF_efi_runtime_call);
    C(XENPF_firmware_info);
    C(XENPF_enter_acpi_sleep);
    C(XENPF_change_freq);
    C(XENPF_getidletime);
    C(XENPF_set_processor_pminfo);
    C(XENPF_get_cpuinfo);
    C(XENPF_cpu_online);
    C(XENPF_cpu_offline);
    C(XENPF_cpu_hotadd);
    C(XENPF_mem_hotadd);
    C(XENPF_core_parking);
    C(XENPF_resource_op);
    C(XENPF_settime64);
    C(XENPF_get_symbol);
    C_OURS(XENPF_get_dom0_console); /* Xen 4.19 */

    C(XEN_DOMCTL_INTERFACE_VERSION);
    C(XEN_SYSCTL_INTERFACE_VERSION);
}

static void domctl_h(void)
{
    S(xenctl_bitmap);
    F(xenctl_bitmap, bitmap);
    F(xenctl_bitmap, nr_bits);
    F_OURS(xenctl_bitmap, _pad0);

    S(xen_arch_domainconfig);
    F(xen_arch_domainconfig, emulation_flags);
    F(xen_arch_domainconfig, misc_flags);

    S(xen_cpuid_leaf);
    F(xen_cpuid_leaf, leaf);
    F(xen_cpuid_leaf, subleaf);
    F(xen_cpuid_leaf, a);
    F(xen_cpuid_leaf, b);
    F(xen_cpuid_leaf, c);
    F(xen_cpuid_leaf, d);
    T(xen_cpuid_leaf_t);

    S(xen_msr_entry);
    F(xen_msr_entry, idx);
    F(xen_msr_entry, flags);
    F(xen_msr_entry, val);
    T(xen_msr_entry_t);

    S(xen_domctl_createdomain);
    F(xen_domctl_createdomain, ssidref);
    F(xen_domctl_createdomain, handle);
    F(xen_domctl_createdomain, flags);
    F(xen_domctl_createdomain, iommu_opts);
    F(xen_domctl_createdomain, max_vcpus);
    F(xen_domctl_createdomain, max_evtchn_port);
    F(xen_domctl_createdomain, max_grant_frames);
    F(xen_domctl_createdomain, max_maptrack_frames);
    F(xen_domctl_createdomain, grant_opts);
    F(xen_domctl_createdomain, vmtrace_size);
    F(xen_domctl_createdomain, cpupool_id);
    F(xen_domctl_createdomain, arch);
    F(xen_domctl_createdomain, arch.emulation_flags);
    F(xen_domctl_createdomain, arch.misc_flags);

    S(xen_domctl_getdomaininfo);
    T(xen_domctl_getdomaininfo_t);
    F(xen_domctl_getdomaininfo, domain);
    F(xen_domctl_getdomaininfo, pad1);
    F(xen_domctl_getdomaininfo, flags);
    F(xen_domctl_getdomaininfo, tot_pages);
    F(xen_domctl_getdomaininfo, max_pages);
    F(xen_domctl_getdomaininfo, outstanding_pages);
    F(xen_domctl_getdomaininfo, shr_pages);
    F(xen_domctl_getdomaininfo, paged_pages);
    F(xen_domctl_getdomaininfo, shared_info_frame);
    F(xen_domctl_getdomaininfo, cpu_time);
    F(xen_domctl_getdomaininfo, nr_online_vcpus);
    F(xen_domctl_getdomaininfo, max_vcpu_id);
    F(xen_domctl_getdomaininfo, ssidref);
    F(xen_domctl_getdomaininfo, handle);
    F(xen_domctl_getdomaininfo, cpupool);
    F(xen_domctl_getdomaininfo, gpaddr_bits);
    F(xen_domctl_getdomaininfo, pad2);
    F(xen_domctl_getdomaininfo, arch_config);
    F(xen_domctl_getdomaininfo, arch_config.emulation_flags);

    S(xen_domctl_max_mem);
    F(xen_domctl_max_mem, max_memkb);

    S(xen_domctl_getvcpuinfo);
    F(xen_domctl_getvcpuinfo, vcpu);
    F(xen_domctl_getvcpuinfo, online);
    F(xen_domctl_getvcpuinfo, blocked);
    F(xen_domctl_getvcpuinfo, running);
    F_OURS(xen_domctl_getvcpuinfo, _pad0);
    F(xen_domctl_getvcpuinfo, cpu_time);
    F(xen_domctl_getvcpuinfo, cpu);
    F_OURS(xen_domctl_getvcpuinfo, _pad1);

    S(xen_domctl_vcpuaffinity);
    F(xen_domctl_vcpuaffinity, vcpu);
    F(xen_domctl_vcpuaffinity, flags);
    F(xen_domctl_vcpuaffinity, cpumap_hard);
    F(xen_domctl_vcpuaffinity, cpumap_hard.bitmap);
    F(xen_domctl_vcpuaffinity, cpumap_hard.nr_bits);
    F(xen_domctl_vcpuaffinity, cpumap_soft);
    F(xen_domctl_vcpuaffinity, cpumap_soft.bitmap);
    F(xen_domctl_vcpuaffinity, cpumap_soft.nr_bits);

    S(xen_domctl_max_vcpus);
    F(xen_domctl_max_vcpus, max);

    S(xen_domctl_sched_credit);
    F(xen_domctl_sched_credit, weight);
    F(xen_domctl_sched_credit, cap);
    S(xen_domctl_sched_credit2);
    F(xen_domctl_sched_credit2, weight);
    F(xen_domctl_sched_credit2, cap);
    S(xen_domctl_sched_rtds);
    F(xen_domctl_sched_rtds, period);
    F(xen_domctl_sched_rtds, budget);
    F(xen_domctl_sched_rtds, flags);
    S(xen_domctl_schedparam_vcpu);
    T(xen_domctl_schedparam_vcpu_t);
    F(xen_domctl_schedparam_vcpu, u);
    F(xen_domctl_schedparam_vcpu, u.credit.weight);
    F(xen_domctl_schedparam_vcpu, u.rtds.flags);
    F(xen_domctl_schedparam_vcpu, vcpuid);

    S(xen_domctl_scheduler_op);
    F(xen_domctl_scheduler_op, sched_id);
    F(xen_domctl_scheduler_op, cmd);
    F(xen_domctl_scheduler_op, u);
    F(xen_domctl_scheduler_op, u.credit.weight);
    F(xen_domctl_scheduler_op, u.credit.cap);
    F(xen_domctl_scheduler_op, u.credit2.weight);
    F(xen_domctl_scheduler_op, u.rtds.period);
    F(xen_domctl_scheduler_op, u.rtds.budget);
    F(xen_domctl_scheduler_op, u.rtds.flags);
    F(xen_domctl_scheduler_op, u.v.vcpus);
    F(xen_domctl_scheduler_op, u.v.nr_vcpus);
    F(xen_domctl_scheduler_op, u.v.padding);

    S(xen_domctl_setdomainhandle);
    F(xen_domctl_setdomainhandle, handle);

    S(xen_domctl_hvmcontext);
    F(xen_domctl_hvmcontext, size);
    F_OURS(xen_domctl_hvmcontext, _pad0);
    F(xen_domctl_hvmcontext, buffer);

    S(xen_domctl_hvmcontext_partial);
    F(xen_domctl_hvmcontext_partial, type);
    F(xen_domctl_hvmcontext_partial, instance);
    F(xen_domctl_hvmcontext_partial, bufsz);
    F(xen_domctl_hvmcontext_partial, buffer);

    S(xen_domctl_tsc_info);
    F(xen_domctl_tsc_info, tsc_mode);
    F(xen_domctl_tsc_info, gtsc_khz);
    F(xen_domctl_tsc_info, incarnation);
    F(xen_domctl_tsc_info, pad);
    F(xen_domctl_tsc_info, elapsed_nsec);

    S(xen_domctl_cpu_policy);
    F(xen_domctl_cpu_policy, nr_leaves);
    F(xen_domctl_cpu_policy, nr_msrs);
    F(xen_domctl_cpu_policy, leaves);
    F(xen_domctl_cpu_policy, msrs);
    F(xen_domctl_cpu_policy, err_leaf);
    F(xen_domctl_cpu_policy, err_subleaf);
    F(xen_domctl_cpu_policy, err_msr);
    F_OURS(xen_domctl_cpu_policy, _pad0);

    S(xen_domctl_paging_mempool);
    F(xen_domctl_paging_mempool, size);

    S(xen_domctl);
    T(xen_domctl_t);
    F(xen_domctl, cmd);
    F(xen_domctl, interface_version);
    F(xen_domctl, domain);
    F(xen_domctl, _pad);
    F(xen_domctl, u);
    F(xen_domctl, u.createdomain);
    F(xen_domctl, u.getdomaininfo);
    F(xen_domctl, u.vcpuaffinity);
    F(xen_domctl, u.max_mem);
    F(xen_domctl, u.getvcpuinfo);
    F(xen_domctl, u.max_vcpus);
    F(xen_domctl, u.scheduler_op);
    F(xen_domctl, u.setdomainhandle);
    F(xen_domctl, u.tsc_info);
    F(xen_domctl, u.hvmcontext);
    F(xen_domctl, u.hvmcontext_partial);
    F(xen_domctl, u.cpu_policy);
    F(xen_domctl, u.paging_mempool);
    F(xen_domctl, u.pad);
    printf("sizeof xen_domctl.u = %zu\n", sizeof(((struct xen_domctl *)0)->u));

    C(XEN_DOMCTL_createdomain);
    C(XEN_DOMCTL_destroydomain);
    C(XEN_DOMCTL_pausedomain);
    C(XEN_DOMCTL_unpausedomain);
    C(XEN_DOMCTL_getdomaininfo);
    C(XEN_DOMCTL_setvcpuaffinity);
    C(XEN_DOMCTL_shadow_op);
    C(XEN_DOMCTL_max_mem);
    C(XEN_DOMCTL_setvcpucontext);
    C(XEN_DOMCTL_getvcpucontext);
    C(XEN_DOMCTL_getvcpuinfo);
    C(XEN_DOMCTL_max_vcpus);
    C(XEN_DOMCTL_scheduler_op);
    C(XEN_DOMCTL_setdomainhandle);
    C(XEN_DOMCTL_setdebugging);
    C(XEN_DOMCTL_irq_permission);
    C(XEN_DOMCTL_iomem_permission);
    C(XEN_DOMCTL_ioport_permission);
    C(XEN_DOMCTL_hypercall_init);
    C(XEN_DOMCTL_settimeoffset);
    C(XEN_DOMCTL_getvcpuaffinity);
    C(XEN_DOMCTL_resumedomain);
    C(XEN_DOMCTL_sendtrigger);
    C(XEN_DOMCTL_subscribe);
    C(XEN_DOMCTL_gethvmcontext);
    C(XEN_DOMCTL_sethvmcontext);
    C(XEN_DOMCTL_set_address_size);
    C(XEN_DOMCTL_get_address_size);
    C(XEN_DOMCTL_assign_device);
    C(XEN_DOMCTL_bind_pt_irq);
    C(XEN_DOMCTL_memory_mapping);
    C(XEN_DOMCTL_ioport_mapping);
    C(XEN_DOMCTL_set_ext_vcpucontext);
    C(XEN_DOMCTL_get_ext_vcpucontext);
    C(XEN_DOMCTL_test_assign_device);
    C(XEN_DOMCTL_set_target);
    C(XEN_DOMCTL_deassign_device);
    C(XEN_DOMCTL_unbind_pt_irq);
    C(XEN_DOMCTL_get_device_group);
    C(XEN_DOMCTL_debug_op);
    C(XEN_DOMCTL_gethvmcontext_partial);
    C(XEN_DOMCTL_gettscinfo);
    C(XEN_DOMCTL_settscinfo);
    C(XEN_DOMCTL_getpageframeinfo3);
    C(XEN_DOMCTL_setvcpuextstate);
    C(XEN_DOMCTL_getvcpuextstate);
    C(XEN_DOMCTL_set_virq_handler);
    C(XEN_DOMCTL_setnodeaffinity);
    C(XEN_DOMCTL_getnodeaffinity);
    C(XEN_DOMCTL_get_vcpu_msrs);
    C(XEN_DOMCTL_set_vcpu_msrs);
    C(XEN_DOMCTL_setvnumainfo);
    C(XEN_DOMCTL_soft_reset);
    C(XEN_DOMCTL_get_cpu_policy);
    C(XEN_DOMCTL_set_cpu_policy);
    C(XEN_DOMCTL_get_paging_mempool_size);
    C(XEN_DOMCTL_set_paging_mempool_size);
    C(_XEN_DOMCTL_CDF_hvm);
    C(XEN_DOMCTL_CDF_hvm);
    C(_XEN_DOMCTL_CDF_hap);
    C(XEN_DOMCTL_CDF_hap);
    C(_XEN_DOMCTL_CDF_s3_integrity);
    C(XEN_DOMCTL_CDF_s3_integrity);
    C(_XEN_DOMCTL_CDF_oos_off);
    C(XEN_DOMCTL_CDF_oos_off);
    C(_XEN_DOMCTL_CDF_xs_domain);
    C(XEN_DOMCTL_CDF_xs_domain);
    C(_XEN_DOMCTL_CDF_iommu);
    C(XEN_DOMCTL_CDF_iommu);
    C(_XEN_DOMCTL_CDF_nested_virt);
    C(XEN_DOMCTL_CDF_nested_virt);
    C(XEN_DOMCTL_CDF_vpmu);
    C(XEN_DOMCTL_CDF_MAX);
    C(_XEN_DOMCTL_IOMMU_no_sharept);
    C(XEN_DOMCTL_IOMMU_no_sharept);
    C(XEN_DOMCTL_IOMMU_MAX);
    C(XEN_DOMCTL_GRANT_version_mask);
    C(_XEN_X86_EMU_LAPIC);
    C(XEN_X86_EMU_LAPIC);
    C(_XEN_X86_EMU_HPET);
    C(XEN_X86_EMU_HPET);
    C(_XEN_X86_EMU_PM);
    C(XEN_X86_EMU_PM);
    C(_XEN_X86_EMU_RTC);
    C(XEN_X86_EMU_RTC);
    C(_XEN_X86_EMU_IOAPIC);
    C(XEN_X86_EMU_IOAPIC);
    C(_XEN_X86_EMU_PIC);
    C(XEN_X86_EMU_PIC);
    C(_XEN_X86_EMU_VGA);
    C(XEN_X86_EMU_VGA);
    C(_XEN_X86_EMU_IOMMU);
    C(XEN_X86_EMU_IOMMU);
    C(_XEN_X86_EMU_PIT);
    C(XEN_X86_EMU_PIT);
    C(_XEN_X86_EMU_USE_PIRQ);
    C(XEN_X86_EMU_USE_PIRQ);
    C(_XEN_X86_EMU_VPCI);
    C(XEN_X86_EMU_VPCI);
    C(XEN_X86_EMU_ALL);
    C(XEN_X86_MSR_RELAXED);
    C(_XEN_DOMINF_dying);
    C(XEN_DOMINF_dying);
    C(_XEN_DOMINF_hvm_guest);
    C(XEN_DOMINF_hvm_guest);
    C(_XEN_DOMINF_shutdown);
    C(XEN_DOMINF_shutdown);
    C(_XEN_DOMINF_paused);
    C(XEN_DOMINF_paused);
    C(_XEN_DOMINF_blocked);
    C(XEN_DOMINF_blocked);
    C(_XEN_DOMINF_running);
    C(XEN_DOMINF_running);
    C(_XEN_DOMINF_debugged);
    C(XEN_DOMINF_debugged);
    C(_XEN_DOMINF_xs_domain);
    C(XEN_DOMINF_xs_domain);
    C(_XEN_DOMINF_hap);
    C(XEN_DOMINF_hap);
    C(XEN_DOMINF_shutdownmask);
    C(XEN_DOMINF_shutdownshift);
    C(XEN_INVALID_MAX_VCPU_ID);
    C(_XEN_VCPUAFFINITY_HARD);
    C(XEN_VCPUAFFINITY_HARD);
    C(_XEN_VCPUAFFINITY_SOFT);
    C(XEN_VCPUAFFINITY_SOFT);
    C(_XEN_VCPUAFFINITY_FORCE);
    C(XEN_VCPUAFFINITY_FORCE);
    C(XEN_SCHEDULER_CREDIT);
    C(XEN_SCHEDULER_CREDIT2);
    C(XEN_SCHEDULER_ARINC653);
    C(XEN_SCHEDULER_RTDS);
    C(XEN_SCHEDULER_NULL);
    C(XEN_DOMCTL_SCHEDOP_putinfo);
    C(XEN_DOMCTL_SCHEDOP_getinfo);
    C(XEN_DOMCTL_SCHEDOP_putvcpuinfo);
    C(XEN_DOMCTL_SCHEDOP_getvcpuinfo);
    C(_XEN_DOMCTL_SCHEDRT_extra);
    C(XEN_DOMCTL_SCHEDRT_extra);
    C(XEN_CPUID_NO_SUBLEAF);
    C(XEN_DOMCTL_GRANT_version(0x12));
}

static void sysctl_h(void)
{
    S(xen_sysctl_readconsole);
    F(xen_sysctl_readconsole, clear);
    F(xen_sysctl_readconsole, incremental);
    F(xen_sysctl_readconsole, pad0);
    F(xen_sysctl_readconsole, pad1);
    F(xen_sysctl_readconsole, index);
    F(xen_sysctl_readconsole, buffer);
    F(xen_sysctl_readconsole, count);
    F_OURS(xen_sysctl_readconsole, _pad0);

    S(xen_sysctl_physinfo);
    F(xen_sysctl_physinfo, threads_per_core);
    F(xen_sysctl_physinfo, cores_per_socket);
    F(xen_sysctl_physinfo, nr_cpus);
    F(xen_sysctl_physinfo, max_cpu_id);
    F(xen_sysctl_physinfo, nr_nodes);
    F(xen_sysctl_physinfo, max_node_id);
    F(xen_sysctl_physinfo, cpu_khz);
    F(xen_sysctl_physinfo, capabilities);
    F(xen_sysctl_physinfo, arch_capabilities);
    F(xen_sysctl_physinfo, pad);
    F(xen_sysctl_physinfo, total_pages);
    F(xen_sysctl_physinfo, free_pages);
    F(xen_sysctl_physinfo, scrub_pages);
    F(xen_sysctl_physinfo, outstanding_pages);
    F(xen_sysctl_physinfo, max_mfn);
    F(xen_sysctl_physinfo, hw_cap);

    S(xen_sysctl_sched_id);
    F(xen_sysctl_sched_id, sched_id);

    S(xen_sysctl_getdomaininfolist);
    F(xen_sysctl_getdomaininfolist, first_domain);
    F_OURS(xen_sysctl_getdomaininfolist, _pad0);
    F(xen_sysctl_getdomaininfolist, max_domains);
    F(xen_sysctl_getdomaininfolist, buffer);
    F(xen_sysctl_getdomaininfolist, num_domains);
    F_OURS(xen_sysctl_getdomaininfolist, _pad1);

    S(xen_sysctl_cpupool_op);
    F(xen_sysctl_cpupool_op, op);
    F(xen_sysctl_cpupool_op, cpupool_id);
    F(xen_sysctl_cpupool_op, sched_id);
    F(xen_sysctl_cpupool_op, domid);
    F(xen_sysctl_cpupool_op, cpu);
    F(xen_sysctl_cpupool_op, n_dom);
    F(xen_sysctl_cpupool_op, cpumap);
    F(xen_sysctl_cpupool_op, cpumap.bitmap);
    F(xen_sysctl_cpupool_op, cpumap.nr_bits);

    S(xen_sysctl_cpu_featureset);
    F(xen_sysctl_cpu_featureset, index);
    F(xen_sysctl_cpu_featureset, nr_features);
    F(xen_sysctl_cpu_featureset, features);

    S(xen_sysctl_cpu_policy);
    F(xen_sysctl_cpu_policy, index);
    F(xen_sysctl_cpu_policy, nr_leaves);
    F(xen_sysctl_cpu_policy, nr_msrs);
    F(xen_sysctl_cpu_policy, _rsvd);
    F(xen_sysctl_cpu_policy, leaves);
    F(xen_sysctl_cpu_policy, msrs);

    S(xen_sysctl);
    T(xen_sysctl_t);
    F(xen_sysctl, cmd);
    F(xen_sysctl, interface_version);
    F(xen_sysctl, u);
    F(xen_sysctl, u.readconsole);
    F(xen_sysctl, u.physinfo);
    F(xen_sysctl, u.sched_id);
    F(xen_sysctl, u.getdomaininfolist);
    F(xen_sysctl, u.cpupool_op);
    F(xen_sysctl, u.cpu_featureset);
    F(xen_sysctl, u.cpu_policy);
    F(xen_sysctl, u.pad);
    printf("sizeof xen_sysctl.u = %zu\n", sizeof(((struct xen_sysctl *)0)->u));

    C(XEN_SYSCTL_readconsole);
    C(XEN_SYSCTL_tbuf_op);
    C(XEN_SYSCTL_physinfo);
    C(XEN_SYSCTL_sched_id);
    C(XEN_SYSCTL_perfc_op);
    C(XEN_SYSCTL_getdomaininfolist);
    C(XEN_SYSCTL_debug_keys);
    C(XEN_SYSCTL_getcpuinfo);
    C(XEN_SYSCTL_availheap);
    C(XEN_SYSCTL_get_pmstat);
    C(XEN_SYSCTL_cpu_hotplug);
    C(XEN_SYSCTL_pm_op);
    C(XEN_SYSCTL_page_offline_op);
    C(XEN_SYSCTL_lockprof_op);
    C(XEN_SYSCTL_cputopoinfo);
    C(XEN_SYSCTL_numainfo);
    C(XEN_SYSCTL_cpupool_op);
    C(XEN_SYSCTL_scheduler_op);
    C(XEN_SYSCTL_coverage_op);
    C(XEN_SYSCTL_psr_cmt_op);
    C(XEN_SYSCTL_pcitopoinfo);
    C(XEN_SYSCTL_psr_alloc);
    C(XEN_SYSCTL_get_cpu_levelling_caps);
    C(XEN_SYSCTL_get_cpu_featureset);
    C(XEN_SYSCTL_livepatch_op);
    C(XEN_SYSCTL_get_cpu_policy);
    C(_XEN_SYSCTL_PHYSCAP_hvm);
    C(XEN_SYSCTL_PHYSCAP_hvm);
    C(_XEN_SYSCTL_PHYSCAP_pv);
    C(XEN_SYSCTL_PHYSCAP_pv);
    C(_XEN_SYSCTL_PHYSCAP_directio);
    C(XEN_SYSCTL_PHYSCAP_directio);
    C(_XEN_SYSCTL_PHYSCAP_hap);
    C(XEN_SYSCTL_PHYSCAP_hap);
    C(_XEN_SYSCTL_PHYSCAP_shadow);
    C(XEN_SYSCTL_PHYSCAP_shadow);
    C(_XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share);
    C(XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share);
    C(XEN_SYSCTL_PHYSCAP_vmtrace);
    C(XEN_SYSCTL_PHYSCAP_vpmu);
    C(XEN_SYSCTL_PHYSCAP_gnttab_v1);
    C(XEN_SYSCTL_PHYSCAP_gnttab_v2);
    C(XEN_SYSCTL_PHYSCAP_MAX);
    C(XEN_SYSCTL_CPUPOOL_OP_CREATE);
    C(XEN_SYSCTL_CPUPOOL_OP_DESTROY);
    C(XEN_SYSCTL_CPUPOOL_OP_INFO);
    C(XEN_SYSCTL_CPUPOOL_OP_ADDCPU);
    C(XEN_SYSCTL_CPUPOOL_OP_RMCPU);
    C(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN);
    C(XEN_SYSCTL_CPUPOOL_OP_FREEINFO);
    C(XEN_SYSCTL_CPUPOOL_PAR_ANY);
    C(XEN_SYSCTL_cpu_featureset_raw);
    C(XEN_SYSCTL_cpu_featureset_host);
    C(XEN_SYSCTL_cpu_featureset_pv);
    C(XEN_SYSCTL_cpu_featureset_hvm);
    C(XEN_SYSCTL_cpu_featureset_pv_max);
    C(XEN_SYSCTL_cpu_featureset_hvm_max);
    C(XEN_SYSCTL_cpu_policy_raw);
    C(XEN_SYSCTL_cpu_policy_host);
    C(XEN_SYSCTL_cpu_policy_pv_max);
    C(XEN_SYSCTL_cpu_policy_hvm_max);
    C(XEN_SYSCTL_cpu_policy_pv_default);
    C(XEN_SYSCTL_cpu_policy_hvm_default);
}

int main(void)
{
    xen_h();
    errno_h();
    event_channel_h();
    sched_h();
    vcpu_h();
    memory_h();
    e820_h();
    version_h();
    features_h();
    grant_table_h();
    hvm_h();
    start_info_h();
    hvm_save_h();
    cpuid_h();
    io_h();
    misc_h();
    domctl_h();
    sysctl_h();
    return 0;
}

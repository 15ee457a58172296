/* Guest page-table walks and copy_{from,to}_guest over the p2m. */
#include <hv/lib.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/frame.h>
#include <hv/physmap.h>
#include <public/errno.h>
#include <asm/page.h>
#include <asm/p2m.h>
#include <asm/hvm.h>

#define BAD_GPA (~0ULL)

/* Host pointer to the page backing guest frame gfn of d, or NULL if it is not RAM-backed. */
void *map_guest_frame(struct domain *d, uint64_t gfn)
{
    uint64_t mfn = p2m_lookup(d, gfn, NULL);
    return mfn == P2M_INVALID ? NULL : (void *)(mfn << PAGE_SHIFT);
}

static bool read_gpte(struct domain *d, uint64_t gpa, uint64_t *pte)
{
    const uint8_t *pg = map_guest_frame(d, gpa >> PAGE_SHIFT);
    if (!pg)
        return false;
    *pte = *(const volatile uint64_t *)(pg + (gpa & 0xFF8));
    return true;
}

/* Translate a guest-virtual address with the vCPU's current paging mode; ~0 on fault. */
uint64_t hvm_gva_to_gpa(struct vcpu *v, uint64_t gva, bool write)
{
    struct hvm_state s;
    uint64_t table, pte = 0;

    hvm_ops->get_state(v, &s);
    if (!(s.cr0 & X86_CR0_PG))
        return s.long_mode ? gva : (uint32_t)gva;
    if (!s.long_mode) {
        if (s.cr4 & X86_CR4_PAE) {
            uint64_t pdpte;
            if (!read_gpte(v->domain, (s.cr3 & 0xFFFFFFE0) + ((gva >> 30) & 3) * 8, &pdpte) ||
                !(pdpte & 1))
                return BAD_GPA;
            table = pdpte & PTE_ADDR_MASK;
            for (int level = 1; level >= 0; level--) {
                if (!read_gpte(v->domain, table + ((gva >> (12 + 9 * level)) & 511) * 8, &pte) ||
                    !(pte & _PAGE_PRESENT) || (write && !(pte & _PAGE_RW)))
                    return BAD_GPA;
                if (level == 1 && (pte & _PAGE_PSE))
                    return (pte & PTE_ADDR_MASK & ~0x1FFFFFULL) | (gva & 0x1FFFFF);
                table = pte & PTE_ADDR_MASK;
            }
            return table | (gva & 0xFFF);
        }
        /* 32-bit non-PAE paging */
        uint32_t e32;
        const uint8_t *pg = map_guest_frame(v->domain, (s.cr3 & 0xFFFFF000) >> 12);
        if (!pg)
            return BAD_GPA;
        e32 = *(const uint32_t *)(pg + ((gva >> 22) & 1023) * 4);
        if (!(e32 & 1))
            return BAD_GPA;
        if ((e32 & 0x80) && (s.cr4 & 0x10))
            return (e32 & 0xFFC00000) | (gva & 0x3FFFFF);
        pg = map_guest_frame(v->domain, e32 >> 12);
        if (!pg)
            return BAD_GPA;
        e32 = *(const uint32_t *)(pg + ((gva >> 12) & 1023) * 4);
        if (!(e32 & 1))
            return BAD_GPA;
        return (e32 & 0xFFFFF000) | (gva & 0xFFF);
    }
    table = s.cr3 & PTE_ADDR_MASK;
    for (int level = 3; level >= 0; level--) {
        if (!read_gpte(v->domain, table + ((gva >> (12 + 9 * level)) & 511) * 8, &pte))
            return BAD_GPA;
        if (!(pte & _PAGE_PRESENT) || (write && !(pte & _PAGE_RW) && (s.cr0 & X86_CR0_WP)))
            return BAD_GPA;
        if ((level == 2 || level == 1) && (pte & _PAGE_PSE)) {
            uint64_t mask = (1ULL << (12 + 9 * level)) - 1;
            return (pte & PTE_ADDR_MASK & ~mask) | (gva & mask);
        }
        table = pte & PTE_ADDR_MASK;
    }
    return table | (gva & 0xFFF);
}

static int copy_guest(struct vcpu *v, struct domain *d, uint64_t addr, void *buf, size_t len,
                      bool to_guest, bool virt)
{
    uint8_t *p = buf;
    while (len) {
        size_t chunk = MIN(len, PAGE_SIZE - (addr & 0xFFF));
        uint64_t gpa = virt ? hvm_gva_to_gpa(v, addr, to_guest) : addr;
        uint64_t mfn;
        uint8_t *pg;
        if (gpa == BAD_GPA)
            return -XEN_EFAULT;
        /* A frame reference keeps the page ours while we copy, even if the guest frees it;
         * writes through a read-only (grant) mapping are refused like the guest's own. */
        if (physmap_get_page(d, gpa >> PAGE_SHIFT, PHYSMAP_PRESENT, to_guest, &mfn) < 0)
            return -XEN_EFAULT;
        pg = (uint8_t *)(uintptr_t)(mfn << PAGE_SHIFT);
        if (to_guest)
            memcpy(pg + (gpa & 0xFFF), p, chunk);
        else
            memcpy(p, pg + (gpa & 0xFFF), chunk);
        frame_put(mfn);
        p += chunk;
        addr += chunk;
        len -= chunk;
    }
    return 0;
}

/* Copy len bytes from guest-virtual gva of vCPU v into dst; 0 or -XEN_EFAULT. */
int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    return copy_guest(v, v->domain, gva, dst, len, false, true);
}

/* Copy len bytes from src to guest-virtual gva of vCPU v; 0 or -XEN_EFAULT. */
int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    return copy_guest(v, v->domain, gva, (void *)src, len, true, true);
}

/* Copy from guest-physical gpa of domain d; 0 or -XEN_EFAULT. */
int copy_from_guest_phys(struct domain *d, void *dst, uint64_t gpa, size_t len)
{
    return copy_guest(NULL, d, gpa, dst, len, false, false);
}

/* Copy to guest-physical gpa of domain d; 0 or -XEN_EFAULT. */
int copy_to_guest_phys(struct domain *d, uint64_t gpa, const void *src, size_t len)
{
    return copy_guest(NULL, d, gpa, (void *)src, len, true, false);
}

/* MMIO instruction emulation for the xAPIC page: decode the faulting mov/xchg, compute next RIP. */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <asm/hvm.h>

#define XAPIC_BASE 0xFEE00000ULL

struct insn {
    unsigned int len;
    uint8_t opcode;
    bool twobyte;
    bool opsize, rex_w, rex_r;
    unsigned int modrm_reg, modrm_mod;
    unsigned int size; /* operand size in bytes */
    uint64_t imm;
};

static uint64_t *reg_ptr(struct vcpu *v, unsigned int idx)
{
    struct guest_regs *r = &hvm_of(v)->regs;
    uint64_t *tab[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, NULL,    &r->rbp, &r->rsi, &r->rdi,
                         &r->r8,  &r->r9,  &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15};
    return tab[idx & 15];
}

/* Decode bytes b[0..n) as a memory-operand instruction in 32- or 64-bit mode; false if unknown. */
static bool decode(const uint8_t *b, unsigned int n, bool mode64, struct insn *in)
{
    unsigned int i = 0;
    bool addr16 = false;

    memset(in, 0, sizeof(*in));
    for (; i < n; i++) {
        uint8_t c = b[i];
        if (c == 0x66)
            in->opsize = true;
        else if (c == 0x67)
            addr16 = !mode64;
        else if (c == 0xF0 || c == 0xF2 || c == 0xF3 || c == 0x2E || c == 0x36 || c == 0x3E ||
                 c == 0x26 || c == 0x64 || c == 0x65)
            continue;
        else
            break;
    }
    if (addr16)
        return false;
    if (i < n && mode64 && (b[i] & 0xF0) == 0x40) {
        in->rex_w = b[i] & 8;
        in->rex_r = b[i] & 4;
        i++;
    }
    if (i >= n)
        return false;
    in->opcode = b[i++];
    if (in->opcode == 0x0F) {
        if (i >= n)
            return false;
        in->twobyte = true;
        in->opcode = b[i++];
    }
    in->size = in->rex_w ? 8 : in->opsize ? 2 : 4;

    if (!in->twobyte && (in->opcode == 0xA1 || in->opcode == 0xA3)) {
        in->len = i + (mode64 ? 8 : 4);
        return in->len <= n;
    }
    if (i >= n)
        return false;
    uint8_t modrm = b[i++];
    in->modrm_mod = modrm >> 6;
    in->modrm_reg = ((modrm >> 3) & 7) | (in->rex_r ? 8 : 0);
    unsigned int rm = modrm & 7;
    if (in->modrm_mod == 3)
        return false; /* register operand: not a memory access */
    if (rm == 4) {
        if (i >= n)
            return false;
        uint8_t sib = b[i++];
        if ((sib & 7) == 5 && in->modrm_mod == 0)
            i += 4;
    } else if (rm == 5 && in->modrm_mod == 0) {
        i += 4; /* disp32 or RIP-relative */
    }
    if (in->modrm_mod == 1)
        i += 1;
    else if (in->modrm_mod == 2)
        i += 4;
    if (!in->twobyte && in->opcode == 0xC7) {
        unsigned int isz = in->opsize ? 2 : 4;
        if (i + isz > n)
            return false;
        in->imm = 0;
        memcpy(&in->imm, b + i, isz);
        if (in->rex_w && (in->imm & 0x80000000ULL))
            in->imm |= 0xFFFFFFFF00000000ULL;
        i += isz;
    }
    in->len = i;
    return i <= n;
}

static bool apic_access(struct vcpu *v, uint32_t off, bool write, uint64_t *val)
{
    if (write)
        return vlapic_write(v, off & 0xFF0, (uint32_t)*val, false);
    return vlapic_read(v, off & 0xFF0, val, false);
}

/* Emulate the MMIO access at gpa that faulted (xAPIC page); false if the domain must crash. */
bool hvm_emulate_mmio(struct vcpu *v, uint64_t gpa)
{
    struct hvm_state s;
    uint8_t bytes[15];
    unsigned int n = 0;
    struct insn in;
    uint64_t val = 0, *reg;

    if ((gpa & ~0xFFFULL) != XAPIC_BASE || !(hvm_of(v)->apic_base_msr & (1ULL << 11)) ||
        (hvm_of(v)->apic_base_msr & (1ULL << 10)))
        return false;
    hvm_ops->get_state(v, &s);
    /* Fetch what we can of the instruction (it may end near a page boundary). */
    while (n < sizeof(bytes)) {
        uint64_t gpa_i = hvm_gva_to_gpa(v, s.rip + n, false);
        uint8_t *pg;
        if (gpa_i == ~0ULL || !(pg = map_guest_frame(v->domain, gpa_i >> 12)))
            break;
        unsigned int chunk = MIN(sizeof(bytes) - n, 0x1000 - (gpa_i & 0xFFF));
        memcpy(bytes + n, pg + (gpa_i & 0xFFF), chunk);
        n += chunk;
    }
    if (!decode(bytes, n, s.long_mode && s.cs_l, &in)) {
        pr_err("d%u v%u: cannot decode xAPIC access at rip %#llx (bytes %02x %02x %02x %02x)\n",
               v->domain->domain_id, v->vcpu_id, (unsigned long long)s.rip, bytes[0], bytes[1],
               bytes[2], bytes[3]);
        return false;
    }
    reg = reg_ptr(v, in.modrm_reg);
    switch (in.twobyte ? 0x100 | in.opcode : in.opcode) {
    case 0x89: /* mov r/m, reg */
        if (!reg)
            return false;
        val = *reg;
        if (!apic_access(v, gpa, true, &val))
            return false;
        break;
    case 0x8B:  /* mov reg, r/m */
    case 0x1B7: /* movzx reg, r/m16 */
        if (!reg || !apic_access(v, gpa, false, &val))
            return false;
        if (in.opcode == 0xB7)
            val &= 0xFFFF;
        *reg = in.size == 2 ? (*reg & ~0xFFFFULL) | (val & 0xFFFF) : (uint32_t)val;
        break;
    case 0xC7: /* mov r/m, imm */
        val = in.imm;
        if (in.modrm_reg & 7 || !apic_access(v, gpa, true, &val))
            return false;
        break;
    case 0x87: { /* xchg r/m, reg */
        uint64_t old = 0;
        if (!reg || !apic_access(v, gpa, false, &old))
            return false;
        val = *reg;
        if (!apic_access(v, gpa, true, &val))
            return false;
        *reg = (uint32_t)old;
        break;
    }
    case 0xA1: /* mov eax, moffs */
        if (!apic_access(v, gpa, false, &val))
            return false;
        hvm_of(v)->regs.rax = (uint32_t)val;
        break;
    case 0xA3: /* mov moffs, eax */
        val = hvm_of(v)->regs.rax;
        if (!apic_access(v, gpa, true, &val))
            return false;
        break;
    default:
        pr_err("d%u v%u: unsupported instruction %#x on the xAPIC page at rip %#llx\n",
               v->domain->domain_id, v->vcpu_id, in.opcode, (unsigned long long)s.rip);
        return false;
    }
    hvm_ops->set_rip(v, s.rip + in.len);
    return true;
}

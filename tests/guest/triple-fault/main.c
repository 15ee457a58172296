/* A triple fault must crash this domain only; the system test checks the hypervisor's report. */
#include "xtf.h"

const char test_title[] = "triple-fault: int3 with an empty IDT (expect 'domain 0 crashed')";

/* Triple-fault on purpose; returning from here is the failure. */
void test_main(void)
{
    static const struct desc_ptr empty = {.limit = 0, .base = 0};

    /*
     * int3 cannot be delivered through a zero-limit IDT (#GP), neither can
     * that #GP (#DF), nor the #DF: shutdown. Under SVM that is the SHUTDOWN
     * intercept; the hypervisor has to crash the domain and keep running.
     */
    printk("Loading a zero-length IDT and executing int3\n");
    lidt(&empty);
    __asm__ volatile("int3" ::: "memory");

    xtf_failure("still running after int3 with an empty IDT");
}

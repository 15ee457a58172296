/* Debug-key table: 'h' lists the keys, 'm' shows memory; other subsystems register more. */
#include <hv/keyhandler.h>
#include <hv/console.h>
#include <hv/mm.h>

#define NR_KEYS 128 /* 7-bit ASCII */

struct keyhandler {
    keyhandler_fn_t fn;
    const char *desc;
};

static void show_keys(char key);
static void show_memory(char key);

/* Written at boot (and rarely later); read from the console poll path without a lock. */
static struct keyhandler handlers[NR_KEYS] = {
    ['h'] = {show_keys, "show this list of debug keys"},
    ['m'] = {show_memory, "show free memory and heap usage"},
};

static void show_keys(char key)
{
    (void)key;
    printk("Debug keys (type 'CTRL-a' three times to give input back to dom0):\n");
    for (unsigned int k = 0; k < NR_KEYS; k++) {
        if (!handlers[k].fn)
            continue;
        if (k > ' ' && k < 0x7f)
            printk("  '%c'       %s\n", (char)k, handlers[k].desc);
        else
            printk("  0x%02x      %s\n", k, handlers[k].desc);
    }
}

static void show_memory(char key)
{
    (void)key;
    page_alloc_dump();
    xmalloc_dump();
}

/* Run fn when key is pressed (replacing any earlier handler); desc is listed by 'h'. */
void register_keyhandler(char key, keyhandler_fn_t fn, const char *desc)
{
    unsigned char k = (unsigned char)key;

    if (k >= NR_KEYS) {
        printk("keyhandler: key 0x%02x is not 7-bit ASCII, not registered\n", k);
        return;
    }
    handlers[k].fn = fn;
    handlers[k].desc = desc ? desc : "";
}

/* Run the handler for key, or print a hint when there is none. */
void handle_keypress(char key)
{
    unsigned char k = (unsigned char)key;

    if (k < NR_KEYS && handlers[k].fn) {
        handlers[k].fn(key);
        return;
    }
    if (k > ' ' && k < 0x7f)
        printk("No debug key '%c'; press 'h' for the list\n", key);
    else
        printk("No debug key 0x%02x; press 'h' for the list\n", k);
}

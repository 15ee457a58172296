/* Debug keys: single keystrokes on the serial console (input switched to Xen) run handlers. */
#ifndef HV_KEYHANDLER_H
#define HV_KEYHANDLER_H

typedef void (*keyhandler_fn_t)(char key);

/* Run fn when key is pressed (replacing any earlier handler); desc is listed by 'h'. */
void register_keyhandler(char key, keyhandler_fn_t fn, const char *desc);
/* Run the handler for key, or print a hint when there is none. */
void handle_keypress(char key);

#endif

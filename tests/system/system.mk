# placeholder: filled by the system work
system-test:

# placeholder: filled by the guest work
guests:

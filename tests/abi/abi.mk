# placeholder: filled by the abi work
abi:

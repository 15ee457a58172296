# Dom0 userspace tools (hosted C): each tool directory adds itself below; `tools` builds them,
# `tools-check` runs their host tests. Built with the host compiler, -Wall -Wextra -Werror.
TOOLS_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -Itools/include
TOOLS_TEST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude -Itools/include \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TOOLS :=
TOOLS_CHECKS :=
# The dom0 tool libraries (tools/libs/*: call, ctrl, evtchn, gnttab, fmem, store, guest) as one
# static archive; public headers in tools/include/xenolith/. Tools link it: $(XTOOLS_LIB).
XTOOLS_LIB := $(BUILD)/tools/libs/libxtools.a

-include $(wildcard tools/*/tool.mk tools/libs/*/tool.mk)

.PHONY: tools tools-check
tools: $(TOOLS)
tools-check: $(TOOLS_CHECKS)

# ABI checks: public headers are self-contained, and their layout matches the committed golden.
#   make abi          headers compile alone (freestanding, C and assembler) + layout == golden
#   make abi-oracle   golden == Xen 4.17's own headers (installs Debian's libxen-dev if needed)
#   make abi-golden   regenerate the golden after a deliberate ABI change (review the diff!)

ABI_OUT         := $(BUILD)/abi
ABI_HEADERS     := $(sort $(shell find include/public -name '*.h'))
ABI_HEADER_OKS  := $(patsubst include/public/%.h,$(ABI_OUT)/headers/%.ok,$(ABI_HEADERS))
ABI_HOST_CFLAGS := -std=gnu11 -O0 -Wall -Wextra -Werror -Iinclude
# Freestanding with no system include path: only the compiler's own <stdint.h> may be used.
ABI_HDR_CFLAGS  := -std=gnu11 -ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-Wall -Wextra -Werror -Wpedantic -Iinclude

.PHONY: abi abi-oracle abi-golden

abi: $(ABI_HEADER_OKS) $(ABI_OUT)/abi-layout.txt
	@if diff -u tests/abi/abi-layout.golden $(ABI_OUT)/abi-layout.txt > $(ABI_OUT)/abi-layout.diff; then \
		echo "abi: OK"; \
	else \
		cat $(ABI_OUT)/abi-layout.diff; \
		echo "abi: FAIL: layout differs from tests/abi/abi-layout.golden (- golden, + headers)"; \
		exit 1; \
	fi

# Each header alone, included twice (guard check), as C and as preprocessed assembler.
$(ABI_OUT)/headers/%.ok: include/public/%.h $(ABI_HEADERS)
	@mkdir -p $(dir $@)
	@printf '#include "public/%s.h"\n#include "public/%s.h"\ntypedef int abi_nonempty_unit;\n' $* $* | \
		$(CC) $(ABI_HDR_CFLAGS) -x c -fsyntax-only - || { echo "abi: $< is not self-contained C"; exit 1; }
	@printf '#include "public/%s.h"\n' $* | \
		$(CC) -D__ASSEMBLY__ -nostdinc -Iinclude -x assembler-with-cpp -c - -o /dev/null || \
		{ echo "abi: $< is not usable from assembler"; exit 1; }
	@touch $@

$(ABI_OUT)/abi-layout: tests/abi/abi-layout.c $(ABI_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ABI_HOST_CFLAGS) $< -o $@

$(ABI_OUT)/abi-layout.txt: $(ABI_OUT)/abi-layout
	$< > $@

abi-oracle:
	@tests/abi/xen-oracle.sh $(BUILD)

abi-golden: $(ABI_OUT)/abi-layout.txt
	cp $< tests/abi/abi-layout.golden

# Host unit tests: each tests/unit/test-*.c names the real hypervisor sources it compiles
# on a line "// SOURCES: path/a.c path/b.c"; all run under ASan and UBSan.
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -DHV_HOSTED -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Itests/unit/include -Iinclude -Ihv/include \
	-Ihv/arch/x86/include
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test-*.c))

$(BUILD)/unit/test-%: tests/unit/test-%.c tests/unit/harness.h $(shell sed -n 's@^// SOURCES:@@p' tests/unit/test-*.c 2>/dev/null)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(UNIT_CFLAGS) -o $@ $< $(shell sed -n 's@^// SOURCES:@@p' $<)

unit: $(UNIT_TESTS)
	@fail=0; pass=0; for t in $(UNIT_TESTS); do \
	  if $$t; then pass=$$((pass+1)); else echo "FAILED: $$t"; fail=$$((fail+1)); fi; \
	done; echo "unit: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

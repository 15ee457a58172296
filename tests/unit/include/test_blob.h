/* Byte-buffer helpers shared by the decoder unit tests: files, external tools (xz, gzip...),
 * copies. */
#ifndef TEST_BLOB_H
#define TEST_BLOB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv/libelf.h>

struct blob {
    uint8_t *p;
    size_t n;
};

static char tmpdir[64]; /* per test binary; removed by the test's cleanup */

/* Create the test's temporary directory once. */
static inline void make_tmpdir(void)
{
    if (tmpdir[0])
        return;
    strcpy(tmpdir, "/tmp/xenolith-unit-XXXXXX");
    CHECK(mkdtemp(tmpdir) != NULL);
}

/* Read up to max bytes of path (max 0: the whole file); {0} if it cannot be read. */
static inline struct blob read_file(const char *path, size_t max)
{
    struct blob b = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return b;
    if (!max) {
        long n;
        if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0) {
            fclose(f);
            return b;
        }
        max = (size_t)n;
    }
    b.p = malloc(max);
    b.n = b.p ? fread(b.p, 1, max, f) : 0;
    fclose(f);
    return b;
}

/* Run "cmd < data > out" in the temporary directory; the output, or {0} if the command failed. */
static inline struct blob run_tool(const char *cmd, const struct blob *data)
{
    char in[128], out[128], sh[512];
    struct blob r = {0};
    FILE *f;

    make_tmpdir();
    snprintf(in, sizeof(in), "%s/in", tmpdir);
    snprintf(out, sizeof(out), "%s/out", tmpdir);
    f = fopen(in, "wb");
    CHECK(f != NULL);
    if (!f)
        return r;
    if (data->n)
        fwrite(data->p, 1, data->n, f);
    fclose(f);
    snprintf(sh, sizeof(sh), "%s < %s > %s", cmd, in, out);
    if (system(sh) != 0) {
        fprintf(stderr, "  command failed: %s\n", sh);
        CHECK(!"external tool ran");
        return r;
    }
    return read_file(out, 64 << 20);
}

/* A malloc'ed copy of exactly n bytes (so ASan catches any read past the end). */
static inline uint8_t *dup_exact(const uint8_t *p, size_t n)
{
    uint8_t *d = malloc(n ? n : 1);
    memcpy(d, p, n);
    return d;
}

/* True if the builder error message contains s (else print both). */
static inline bool msg_has(const struct build_err *e, const char *s)
{
    if (!strstr(e->msg, s)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", e->msg, s);
        return false;
    }
    return true;
}

#endif

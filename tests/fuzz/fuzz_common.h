/*
 * fuzz_common.h - what every libFuzzer harness of logad shares: MPI up once as a singleton (the parse
 * layer records errors in a context, and some loaders are collective), a quiet context on
 * MPI_COMM_SELF, and a scratch file for loaders that read a path. Built only with LAD_FUZZ=ON (clang,
 * -fsanitize=fuzzer,address,undefined); see tests/fuzz/README.md.
 */
#ifndef LAD_FUZZ_COMMON_H
#define LAD_FUZZ_COMMON_H

#include <mpi.h>
#include <sanitizer/lsan_interface.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lad_ctx.h"

static struct lad_ctx fuzz_ctx;
static char fuzz_path[256];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Called once before the first input: MPI (singleton), the context, a per-process scratch path. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    int provided;
    /* Open MPI, PMIx and hwloc keep allocations of their start-up to the end of the process: not the
     * leaks a fuzzer looks for, so LeakSanitizer ignores what is allocated here. */
    __lsan_disable();
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    if (lad_ctx_init(&fuzz_ctx, MPI_COMM_SELF) != LAD_OK)
        abort();
    __lsan_enable();
    fuzz_ctx.log_level = 0;
    const char *dir = getenv("LAD_FUZZ_TMP");
    snprintf(fuzz_path, sizeof fuzz_path, "%s/lad-fuzz-%d.in", dir ? dir : "/tmp", (int)getpid());
    return 0;
}

/* Local. Writes data to fuzz_path (the input of loaders that take a file name). */
static inline void fuzz_write_file(const uint8_t *data, size_t size)
{
    FILE *fp = fopen(fuzz_path, "wb");
    if (fp == NULL || (size > 0 && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0)
        abort();
}

/* Local. Copies data into a NUL-terminated heap string (so ASan sees reads past the input's end). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Local. A clean context for the next input (the first error recorded wins, so clear it). */
static inline void fuzz_reset(void)
{
    lad_ctx_clear_error(&fuzz_ctx);
}

#endif

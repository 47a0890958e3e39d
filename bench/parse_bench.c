/*
 * parse_bench.c - where the per-line time of preprocess goes, on one core, in ns per line.
 *
 * Reads a log into memory and times passes over all of its lines, each adding one component of the
 * per-line path to the previous pass: line splitting, header split, message key (masking when mined,
 * digit collapsing with --templates), key hash, key table, block-id extraction, counting. The
 * difference between consecutive passes is that component's cost; the last pass is lad_parse_lines
 * itself, the function preprocess runs, for a check that the sum is the real thing. Best of N passes.
 *
 *   cmake --build build --target lad_parse_bench
 *   build/lad_parse_bench LOG [TEMPLATES.csv] [REPEAT]      (mined without a template file)
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lad_blockid.h"
#include "lad_counts.h"
#include "lad_ctx.h"
#include "lad_hash.h"
#include "lad_keytab.h"
#include "lad_logformat.h"
#include "lad_mask.h"
#include "lad_parser.h"
#include "lad_preset.h"
#include "lad_template.h"

enum stage { SPLIT, HEADER, KEY, HASH, KEYTAB, BLOCKID, COUNT, N_STAGES };
static const char *const stage_names[N_STAGES] = {"line split (memchr)", "header split", "message key",
                                                  "key hash", "key table", "block ids", "counting"};

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* One pass over data doing the components up to `last`; returns a checksum so nothing is optimized away. */
static uint64_t pass(const struct lad_parser *p, struct lad_parse_local *loc, const char *data, size_t len,
                     enum stage last)
{
    uint64_t sum = 0;
    struct lad_header hdr;
    for (const char *pos = data, *end = data + len; pos < end;) {
        const char *nl = memchr(pos, '\n', (size_t)(end - pos));
        size_t n = nl ? (size_t)(nl - pos) : (size_t)(end - pos);
        sum += n;
        if (last >= HEADER) {
            size_t l = n > 0 && pos[n - 1] == '\r' ? n - 1 : n;
            bool ok = lad_logformat_match(p->format, pos, l, &hdr);
            int c = lad_logformat_content_index(p->format);
            const char *msg = ok ? hdr.start[c] : pos;
            size_t msg_len = ok ? hdr.len[c] : l;
            sum += msg_len;
            size_t key_len = 0;
            if (last >= KEY) {
                if (p->mode == LAD_KEY_MINED)
                    key_len = lad_mask_apply(p->masker, loc->mask_work, msg, msg_len, loc->scratch, loc->scratch_cap);
                else
                    key_len = lad_template_key(msg, msg_len, loc->scratch, loc->scratch_cap);
                sum += key_len;
            }
            uint64_t h = 0;
            if (last >= HASH)
                sum += h = lad_hash_bytes(loc->scratch, key_len, LAD_KEYTAB_SEED);
            int32_t key = 0;
            if (last >= KEYTAB)
                sum += (uint64_t)(key = lad_keytab_add(&loc->keys, loc->scratch, key_len, h, pos - data));
            if (last >= BLOCKID) {
                int k = lad_blockid_extract(pos, n, loc->sessions, loc->sessions_cap, NULL, NULL);
                for (int i = 0; i < k; i++) {
                    sum += (uint64_t)loc->sessions[i];
                    if (last >= COUNT)
                        lad_counts_add(&loc->counts, loc->sessions[i], key, 1);
                }
            }
        }
        pos = nl ? nl + 1 : end;
    }
    return sum;
}

int main(int argc, char **argv)
{
    int provided;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    if (argc < 2) {
        fprintf(stderr, "usage: %s LOG [TEMPLATES.csv] [REPEAT]\n", argv[0]);
        return 2;
    }
    const char *templates_path = argc > 2 && strcmp(argv[2], "-") != 0 ? argv[2] : NULL;
    int repeat = argc > 3 ? atoi(argv[3]) : 5;
    struct lad_ctx ctx;
    lad_ctx_init(&ctx, MPI_COMM_SELF);
    FILE *fp = fopen(argv[1], "rb");
    if (fp == NULL || fseek(fp, 0, SEEK_END) != 0) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    size_t len = (size_t)ftell(fp);
    char *data = malloc(len);
    rewind(fp);
    if (data == NULL || fread(data, 1, len, fp) != len)
        return 1;
    fclose(fp);
    int64_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';

    const struct lad_preset *hdfs = lad_preset_find("hdfs");
    struct lad_logformat *format = NULL;
    struct lad_masker *masker = NULL;
    struct lad_template_set set;
    memset(&set, 0, sizeof set);
    if (lad_logformat_compile(&ctx, hdfs->log_format, &format) != LAD_OK ||
        (templates_path && lad_template_set_load(&ctx, templates_path, &set) != LAD_OK) ||
        (!templates_path && lad_masker_create(&ctx, hdfs->builtin_masks, hdfs->masks, 0, &masker) != LAD_OK)) {
        fprintf(stderr, "set-up failed: %s\n", ctx.err_msg);
        return 1;
    }
    struct lad_parser parser;
    lad_parser_init(&parser, format, templates_path ? &set : NULL, masker, NULL, 0);

    double best[N_STAGES + 1];
    for (int s = 0; s <= N_STAGES; s++) {
        best[s] = 1e30;
        for (int r = 0; r < repeat; r++) {
            struct lad_parse_local loc; /* fresh tables each pass: every pass inserts the same keys */
            lad_parse_local_init(&ctx, &parser, &loc);
            free(loc.scratch);
            loc.scratch_cap = 3 * (size_t)(1 << 20) + 32;
            loc.scratch = malloc(loc.scratch_cap);
            volatile uint64_t sink;
            double t0 = seconds();
            if (s < N_STAGES)
                sink = pass(&parser, &loc, data, len, (enum stage)s);
            else {
                int64_t n_lines, bad;
                lad_parse_lines(&parser, &loc, data, len, 0, &n_lines, &bad);
                sink = (uint64_t)n_lines;
            }
            double t = seconds() - t0;
            (void)sink;
            best[s] = t < best[s] ? t : best[s];
            lad_parse_local_free(&loc);
        }
    }
    printf("%s: %lld lines, %.1f MB, events %s, best of %d, 1 thread\n", argv[1], (long long)lines, len / 1e6,
           templates_path ? "from templates" : "mined", repeat);
    printf("| component | ns/line | cumulative ns/line |\n|---|---|---|\n");
    for (int s = 0; s < N_STAGES; s++)
        printf("| %s | %.1f | %.1f |\n", stage_names[s], 1e9 * (best[s] - (s ? best[s - 1] : 0)) / (double)lines,
               1e9 * best[s] / (double)lines);
    printf("| lad_parse_lines (all of it) | | %.1f (%.0f MB/s) |\n", 1e9 * best[N_STAGES] / (double)lines,
           len / 1e6 / best[N_STAGES]);
    lad_parser_init(&parser, NULL, NULL, NULL, NULL, 0);
    lad_template_set_free(&set);
    lad_masker_free(&masker);
    lad_logformat_free(&format);
    free(data);
    lad_ctx_free(&ctx);
    MPI_Finalize();
    return 0;
}

/*
 * parse_bench.c - where the per-line time of preprocess goes, on one core, in ns per line.
 *
 * Reads a log into memory, prepares each component's input once (line spans, messages, keys, block
 * ids), then times every component alone over all lines: line splitting, header split, message key
 * (masking when mined, digit collapsing with a template file), key hash, key table, block-id
 * extraction, counting. Timed alone, each number is repeatable on a busy machine, where differences
 * of cumulative passes are not; the last line times lad_parse_lines itself (the function preprocess
 * runs) so the sum can be checked against the real thing. Best of REPEAT runs of each.
 *
 *   cmake --build build --target lad_parse_bench
 *   build/lad_parse_bench LOG [TEMPLATES.csv|-] [REPEAT]      (mined without a template file)
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

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Everything the component loops read, prepared once. */
struct prepared {
    const char *data;
    size_t len;
    int64_t n;              /* lines */
    size_t *start, *length; /* line spans (without the newline) */
    size_t *msg, *msg_len;  /* message spans, as offsets into data */
    char *keys;             /* all keys back to back */
    size_t *key_off, *key_len;
    uint64_t *key_hash;
    int32_t *key_id;
    int64_t *sessions;      /* block ids of line i: sessions[first[i] .. first[i + 1]) */
    int64_t *first;
};

enum component { SPLIT, HEADER, KEY, HASH, KEYTAB, BLOCKID, COUNT, FINISH, ALL, N_COMPONENTS };
static const char *const names[N_COMPONENTS] = {
    "line split (memchr)", "header split",     "message key", "key hash", "key table (intern)",
    "block ids",           "counting (add)",   "counting (finish, once per table)", "lad_parse_lines (all)"};

/* Runs component c once over all lines; returns a checksum so that nothing is optimized away. */
static uint64_t run(enum component c, const struct lad_parser *p, struct lad_parse_local *loc,
                    const struct prepared *in)
{
    uint64_t sum = 0;
    struct lad_header hdr;
    switch (c) {
    case SPLIT:
        for (const char *pos = in->data, *end = in->data + in->len; pos < end; sum++) {
            const char *nl = memchr(pos, '\n', (size_t)(end - pos));
            pos = nl ? nl + 1 : end;
        }
        break;
    case HEADER:
        for (int64_t i = 0; i < in->n; i++)
            sum += lad_logformat_match(p->format, in->data + in->start[i], in->length[i], &hdr);
        break;
    case KEY:
        for (int64_t i = 0; i < in->n; i++)
            sum += p->mode == LAD_KEY_MINED
                       ? lad_mask_apply(p->masker, loc->mask_work, in->data + in->msg[i], in->msg_len[i],
                                        loc->scratch, loc->scratch_cap)
                       : lad_template_key(in->data + in->msg[i], in->msg_len[i], loc->scratch, loc->scratch_cap);
        break;
    case HASH:
        for (int64_t i = 0; i < in->n; i++)
            sum += lad_hash_bytes(in->keys + in->key_off[i], in->key_len[i], LAD_KEYTAB_SEED);
        break;
    case KEYTAB:
        for (int64_t i = 0; i < in->n; i++)
            sum += (uint64_t)lad_keytab_add(&loc->keys, in->keys + in->key_off[i], in->key_len[i], in->key_hash[i],
                                            (int64_t)in->start[i]);
        break;
    case BLOCKID:
        for (int64_t i = 0; i < in->n; i++)
            sum += (uint64_t)lad_blockid_extract(in->data + in->start[i], in->length[i], loc->sessions,
                                                 loc->sessions_cap, NULL, NULL);
        break;
    case COUNT:
        for (int64_t i = 0; i < in->n; i++)
            for (int64_t k = in->first[i]; k < in->first[i + 1]; k++)
                sum += lad_counts_add(&loc->counts, in->sessions[k], in->key_id[i], 1);
        break;
    case FINISH:
        for (int64_t i = 0; i < in->n; i++)
            for (int64_t k = in->first[i]; k < in->first[i + 1]; k++)
                lad_counts_add(&loc->counts, in->sessions[k], in->key_id[i], 1);
        {
            double t0 = seconds();
#ifdef LAD_COUNTS_CHUNK_PAIRS /* trees before the session-major table had no finish: time nothing */
            sum += lad_counts_finish(&loc->counts);
#else
            sum += 1;
#endif
            sum += (uint64_t)((seconds() - t0) * 1e9); /* only this part is reported */
        }
        break;
    case ALL: {
        int64_t n_lines, bad;
        lad_parse_lines(p, loc, in->data, in->len, 0, &n_lines, &bad);
        sum = (uint64_t)n_lines;
        break;
    }
    case N_COMPONENTS:
        break;
    }
    return sum;
}

/* Fills in from the log (mask or template keys as the parser makes them); false when out of memory. */
static bool prepare(const struct lad_parser *p, struct lad_parse_local *loc, const char *data, size_t len,
                    struct prepared *in)
{
    memset(in, 0, sizeof *in);
    in->data = data;
    in->len = len;
    for (size_t i = 0; i < len; i++)
        in->n += data[i] == '\n';
    in->n += len > 0 && data[len - 1] != '\n';
    size_t n = (size_t)in->n + 1, keys_cap = 0, n_keys = 0, n_sessions = 0, sessions_cap = 0;
    in->start = malloc(n * sizeof *in->start);
    in->length = malloc(n * sizeof *in->length);
    in->msg = malloc(n * sizeof *in->msg);
    in->msg_len = malloc(n * sizeof *in->msg_len);
    in->key_off = malloc(n * sizeof *in->key_off);
    in->key_len = malloc(n * sizeof *in->key_len);
    in->key_hash = malloc(n * sizeof *in->key_hash);
    in->key_id = malloc(n * sizeof *in->key_id);
    in->first = malloc(n * sizeof *in->first);
    if (!in->start || !in->length || !in->msg || !in->msg_len || !in->key_off || !in->key_len || !in->key_hash ||
        !in->key_id || !in->first)
        return false;
    int64_t i = 0;
    struct lad_header hdr;
    struct lad_line_info info;
    for (const char *pos = data, *end = data + len; pos < end; i++) {
        const char *nl = memchr(pos, '\n', (size_t)(end - pos));
        size_t l = nl ? (size_t)(nl - pos) : (size_t)(end - pos);
        in->start[i] = (size_t)(pos - data);
        in->length[i] = l;
        if (!lad_parse_line_key(p, loc, pos, l, &hdr, &info))
            return false;
        in->msg[i] = (size_t)(info.message - data);
        in->msg_len[i] = info.message_len;
        if (n_keys + info.key_len > keys_cap) {
            keys_cap = 2 * (n_keys + info.key_len) + 4096;
            if ((in->keys = realloc(in->keys, keys_cap)) == NULL)
                return false;
        }
        memcpy(in->keys + n_keys, info.key, info.key_len);
        in->key_off[i] = n_keys;
        in->key_len[i] = info.key_len;
        in->key_hash[i] = info.key_hash;
        n_keys += info.key_len;
        in->key_id[i] = lad_keytab_add(&loc->keys, info.key, info.key_len, info.key_hash, (int64_t)in->start[i]);
        int k = lad_blockid_extract(pos, l, loc->sessions, loc->sessions_cap, NULL, NULL);
        if (n_sessions + (size_t)k > sessions_cap) {
            sessions_cap = 2 * (n_sessions + (size_t)k) + 1024;
            if ((in->sessions = realloc(in->sessions, sessions_cap * sizeof *in->sessions)) == NULL)
                return false;
        }
        in->first[i] = (int64_t)n_sessions;
        memcpy(in->sessions + n_sessions, loc->sessions, (size_t)k * sizeof *in->sessions);
        n_sessions += (size_t)k;
        pos = nl ? nl + 1 : end;
    }
    in->first[i] = (int64_t)n_sessions;
    return true;
}

static void prepared_free(struct prepared *in)
{
    free(in->start), free(in->length), free(in->msg), free(in->msg_len), free(in->keys);
    free(in->key_off), free(in->key_len), free(in->key_hash), free(in->key_id), free(in->sessions);
    free(in->first);
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
    struct lad_parse_local loc;
    struct prepared in;
    if (lad_parse_local_init(&ctx, &parser, &loc) != LAD_OK || !prepare(&parser, &loc, data, len, &in)) {
        fprintf(stderr, "out of memory preparing the inputs\n");
        return 1;
    }
    lad_parse_local_free(&loc);
    size_t max_line = 0;
    for (int64_t i = 0; i < in.n; i++)
        max_line = in.length[i] > max_line ? in.length[i] : max_line;

    double best[N_COMPONENTS], total = 0;
    for (int c = 0; c < N_COMPONENTS; c++) {
        best[c] = 1e30;
        for (int r = 0; r < repeat; r++) {
            /* fresh tables each run: every run inserts the same keys and counts */
            if (lad_parse_local_init(&ctx, &parser, &loc) != LAD_OK)
                return 1;
            free(loc.scratch); /* room for the longest line's key, as lad_parse_line_key would grow it */
            loc.scratch_cap = 3 * max_line + 32;
            if ((loc.scratch = malloc(loc.scratch_cap)) == NULL)
                return 1;
            volatile uint64_t sink;
            double t0 = seconds();
            sink = run((enum component)c, &parser, &loc, &in);
            double t = c == FINISH ? (double)(sink - 1) * 1e-9 : seconds() - t0;
            (void)sink;
            best[c] = t < best[c] ? t : best[c];
            lad_parse_local_free(&loc);
        }
        if (c < ALL)
            total += best[c];
    }
    printf("%s: %lld lines, %.1f MB, events %s, best of %d, 1 thread, each component alone\n", argv[1],
           (long long)lines, len / 1e6, templates_path ? "from templates" : "mined", repeat);
    printf("| component | ns/line |\n|---|---|\n");
    for (int c = 0; c < N_COMPONENTS; c++) {
        if (c == ALL)
            printf("| sum of the above | %.1f |\n", 1e9 * total / (double)lines);
        printf("| %s | %.1f |\n", names[c], 1e9 * best[c] / (double)lines);
    }
    printf("lad_parse_lines: %.0f MB/s\n", len / 1e6 / best[ALL]);
    prepared_free(&in);
    lad_parser_init(&parser, NULL, NULL, NULL, NULL, 0);
    lad_template_set_free(&set);
    lad_masker_free(&masker);
    lad_logformat_free(&format);
    free(data);
    lad_ctx_free(&ctx);
    MPI_Finalize();
    return 0;
}

/*
 * fuzz_labels.c - the labels CSV (anomaly_label.csv): every line split by lad_csv_split, then the
 * whole input (written to a scratch file) loaded by lad_labels_load against five feature rows, on
 * MPI_COMM_SELF. Invariants: fields lie within the line; a successful load labels only rows it has
 * and its counts add up.
 */
#include "fuzz_common.h"

#include "lad_csv.h"
#include "lad_features.h"
#include "lad_labels.h"

static struct lad_features feats;

static void split_lines(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
        char *line = fuzz_strndup((const uint8_t *)p, len);
        char *fields[4];
        int n = lad_csv_split(line, len, fields, 4);
        if (n < -1 || n > 4)
            abort();
        for (int i = 0; i < n; i++)
            if (fields[i] < line || fields[i] > line + len || fields[i] + strlen(fields[i]) > line + len)
                abort();
        free(line);
        p += len + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reset();
    split_lines(data, size);
    if (feats.keys == NULL) {
        static const int64_t keys[5] = {-8, 1, 2, 3, 1000};
        if (lad_features_alloc(&fuzz_ctx, &feats, 5, 1) != LAD_OK)
            abort();
        memcpy(feats.keys, keys, sizeof keys);
        feats.session_kind = LAD_SESSION_BLOCK;
    }
    fuzz_write_file(data, size);
    int8_t label[5];
    struct lad_label_stats stats;
    if (lad_labels_load(&fuzz_ctx, fuzz_path, &feats, label, &stats) == LAD_OK) {
        int64_t known = 0;
        for (int i = 0; i < 5; i++) {
            if (label[i] != LAD_LABEL_UNKNOWN && label[i] != LAD_LABEL_NORMAL && label[i] != LAD_LABEL_ANOMALY)
                abort();
            known += label[i] != LAD_LABEL_UNKNOWN;
        }
        if (known != stats.anomalies + stats.normals || known + stats.unlabelled != 5 || known == 0)
            abort();
    }
    return 0;
}

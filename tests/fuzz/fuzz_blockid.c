/*
 * fuzz_blockid.c - HDFS block ids on a line. Invariants: every id found is distinct, at most max are
 * stored, and an id formatted as blk_<id> parses back to itself.
 */
#include "fuzz_common.h"

#include "lad_blockid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = fuzz_strndup(data, size);
    int64_t ids[4];
    int overflow = 0, dropped = 0;
    int n = lad_blockid_extract(line, size, ids, 4, &overflow, &dropped);
    if (n < 0 || n > 4 || overflow < 0 || dropped < 0)
        abort();
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++)
            if (ids[i] == ids[j])
                abort();
        char buf[32];
        int len = lad_blockid_format(ids[i], buf, sizeof buf);
        int64_t back = 0;
        if (len <= 0 || !lad_blockid_parse(buf, (size_t)len, &back) || back != ids[i])
            abort();
    }
    int64_t id;
    (void)lad_blockid_parse(line, size, &id);
    free(line);
    return 0;
}

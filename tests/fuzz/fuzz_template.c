/*
 * fuzz_template.c - loading a loghub template file (the input, written to a scratch file) and
 * matching messages against it (every line of the input is also a message). Invariants: a loaded set
 * has at least one template, by_specificity is a permutation, a match result is a valid index whose
 * template matches, and the cache key fits in n bytes.
 */
#include "fuzz_common.h"

#include "lad_template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reset();
    fuzz_write_file(data, size);
    struct lad_template_set set;
    if (lad_template_set_load(&fuzz_ctx, fuzz_path, &set) != LAD_OK)
        return 0;
    if (set.n < 1)
        abort();
    char *seen = calloc((size_t)set.n, 1);
    for (int k = 0; k < set.n; k++) {
        int i = set.by_specificity[k];
        if (i < 0 || i >= set.n || seen[i]++)
            abort();
    }
    free(seen);
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
        char *msg = fuzz_strndup((const uint8_t *)p, len);
        int t = lad_template_match(&set, msg, len);
        if (t < -1 || t >= set.n || (t >= 0 && !lad_template_matches(&set.items[t], msg, len)))
            abort();
        char *key = malloc(len + 1);
        if (lad_template_key(msg, len, key, len) > len)
            abort();
        free(key);
        free(msg);
        p += len + 1;
    }
    /* Each template's own text, with its wildcards standing for nothing, is a message it matches. */
    for (int i = 0; i < set.n; i++)
        (void)lad_template_match(&set, set.items[i].text, strlen(set.items[i].text));
    lad_template_set_free(&set);
    return 0;
}

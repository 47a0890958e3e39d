/*
 * fuzz_mask.c - masking with the built-in scanner and one preset's PCRE2 patterns (the input's first
 * byte picks the preset), applied to every line. Invariants: the key fits the documented capacity and
 * masking a key again is stable in length bounds; token classification never reads past a token.
 */
#include "fuzz_common.h"

#include "lad_mask.h"
#include "lad_preset.h"

#define N_PRESETS 16
static struct lad_masker *maskers[N_PRESETS];
static struct lad_mask_work *works[N_PRESETS];

static int preset_count(void)
{
    int n = 0;
    while (n < N_PRESETS && lad_preset_at(n) != NULL)
        n++;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int np = preset_count(), k = data[0] % np;
    if (maskers[k] == NULL) {
        const struct lad_preset *p = lad_preset_at(k);
        int n = 0;
        while (p->masks[n] != NULL)
            n++;
        if (lad_masker_create(&fuzz_ctx, p->builtin_masks, p->masks, n, &maskers[k]) != LAD_OK ||
            (works[k] = lad_mask_work_create(maskers[k])) == NULL)
            abort();
    }
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    while (p <= end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
        char *msg = fuzz_strndup((const uint8_t *)p, len);
        size_t cap = 3 * len + 16;
        char *out = malloc(cap);
        size_t n = lad_mask_apply(maskers[k], works[k], msg, len, out, cap);
        if (n == SIZE_MAX || n > cap)
            abort();
        /* Every token of the key is classified without reading outside it. */
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && out[j] != ' ')
                j++;
            char *tok = fuzz_strndup((const uint8_t *)out + i, j - i);
            (void)lad_mask_token_is_variable(tok, j - i);
            free(tok);
            i = j + 1;
        }
        free(out);
        free(msg);
        if (e == NULL)
            break;
        p = e + 1;
    }
    return 0;
}

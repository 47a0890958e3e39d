/* mask.c - PLACEHOLDER until template mining lands: every entry point reports that mining is unavailable. */
#include "lad_mask.h"

#include <stdlib.h>

#include "lad_ctx.h"

struct lad_masker {
    int unused;
};
struct lad_mask_work {
    int unused;
};

enum lad_status lad_masker_create(struct lad_ctx *ctx, unsigned builtin, const char *const *patterns,
                                  int n_patterns, struct lad_masker **out)
{
    (void)builtin;
    (void)patterns;
    (void)n_patterns;
    *out = NULL;
    return lad_fail(ctx, LAD_ERR_USAGE, "template mining is not available yet: give --templates FILE");
}

void lad_masker_free(struct lad_masker **m)
{
    free(*m);
    *m = NULL;
}

struct lad_mask_work *lad_mask_work_create(const struct lad_masker *m)
{
    (void)m;
    return calloc(1, sizeof(struct lad_mask_work));
}

void lad_mask_work_free(struct lad_mask_work **w)
{
    free(*w);
    *w = NULL;
}

size_t lad_mask_apply(const struct lad_masker *m, struct lad_mask_work *w, const char *s, size_t n, char *out,
                      size_t cap)
{
    (void)m;
    (void)w;
    (void)s;
    (void)n;
    (void)out;
    (void)cap;
    return 0;
}

/*
 * assign_match.c - the event of a key never seen in training (the rule of lad_assign.h): Drain's
 * similarity against the groups after the split, then the refinement's skeleton merge, then UNKNOWN.
 *
 * The groups' tokens, variable flags and skeletons are computed once (lad_assign_finish); a key is
 * then compared only with the groups of its token count, found by binary search in a list sorted by
 * (token count, group), so the older group comes first among equals and ties keep it.
 */
#include <stdlib.h>
#include <string.h>

#include "lad_assign.h"
#include "lad_ctx.h"
#include "lad_hash.h"
#include "lad_mask.h"
#include "lad_mem.h"
#include "lad_refine.h"

struct lad_assign_match {
    int32_t n;            /* groups */
    int32_t *order;       /* groups sorted by (token count, index) */
    int32_t *order_ntok;  /* the token count of order[i] */
    int64_t *tok_start;   /* per group, its first token in tok_off/tok_len/tok_var; n_groups + 1 entries */
    uint32_t *tok_off, *tok_len;
    bool *tok_var;        /* the template token is a variable (<*>, "(<*>),"): never an equal constant */
    int32_t *n_var;
    uint64_t *sk_hash;
    char **skeleton;      /* NULL when the group keeps fewer than LAD_REFINE_MIN_SKELETON tokens */
};

void lad__assign_match_free(struct lad_assign_match **mp);

void lad__assign_match_free(struct lad_assign_match **mp)
{
    struct lad_assign_match *m = *mp;
    if (m == NULL)
        return;
    free(m->order);
    free(m->order_ntok);
    free(m->tok_start);
    free(m->tok_off);
    free(m->tok_len);
    free(m->tok_var);
    free(m->n_var);
    free(m->sk_hash);
    for (int32_t g = 0; m->skeleton && g < m->n; g++)
        free(m->skeleton[g]);
    free(m->skeleton);
    free(m);
    *mp = NULL;
}

/* Tokens of s[0, n) split at single spaces (keys and templates are joined so); at most max stored. */
static int32_t tokens(const char *s, size_t n, uint32_t *off, uint32_t *len, int32_t max)
{
    int32_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t b = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i > b) {
            if (k < max) {
                off[k] = (uint32_t)b;
                len[k] = (uint32_t)(i - b);
            }
            k++;
        }
        i++;
    }
    return k;
}

static int by_ntok(const void *x, const void *y, void *arg)
{
    const int32_t *ntok = arg;
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    if (ntok[a] != ntok[b])
        return ntok[a] < ntok[b] ? -1 : 1;
    return (a > b) - (a < b);
}

/* Checks of what a model file may hold wrong, then the tables. */
static enum lad_status check(struct lad_ctx *ctx, const struct lad_assigner *a, const char *where, int32_t *ntok)
{
    int e = a->events.n;
    if (e < 1 || strcmp(a->events.ids[e - 1], LAD_EVENT_UNKNOWN_ID) != 0)
        return lad_fail(ctx, LAD_ERR_MODEL, "%s: the event assigner's last event is not %s", where, LAD_EVENT_UNKNOWN_ID);
    for (int32_t k = 0; k < a->keys.n; k++)
        if (a->keys.event[k] < 0 || a->keys.event[k] >= e - 1)
            return lad_fail(ctx, LAD_ERR_MODEL, "%s: key %d of the event assigner names event %d of %d", where, (int)k,
                            (int)a->keys.event[k], e - 1);
    for (int32_t g = 0; g < a->n_groups; g++) {
        const char *t = a->group_template[g], *f = a->group_flags[g];
        if (a->group_event[g] < 0 || a->group_event[g] >= e - 1)
            return lad_fail(ctx, LAD_ERR_MODEL, "%s: group %d of the event assigner names event %d of %d", where,
                            (int)g, (int)a->group_event[g], e - 1);
        ntok[g] = tokens(t, strlen(t), NULL, NULL, 0);
        bool ok = strlen(f) == (size_t)ntok[g];
        for (const char *p = f; ok && *p; p++)
            ok = *p == 'k' || *p == 'd';
        if (!ok)
            return lad_fail(ctx, LAD_ERR_MODEL, "%s: group %d of the event assigner has skeleton flags '%.40s' for %d "
                            "tokens", where, (int)g, f, (int)ntok[g]);
    }
    return LAD_OK;
}

enum lad_status lad_assign_finish(struct lad_ctx *ctx, struct lad_assigner *a, const char *where)
{
    if (a->kind != LAD_ASSIGN_MINED)
        return LAD_OK;
    lad__assign_match_free(&a->match);
    size_t n = (size_t)a->n_groups, n1 = n > 0 ? n : 1;
    struct lad_assign_match *m = calloc(1, sizeof *m);
    int32_t *ntok = lad_malloc_array(n1, sizeof *ntok);
    enum lad_status st = m && ntok ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event assigner");
    if (st == LAD_OK)
        st = check(ctx, a, where, ntok);
    int64_t total = 0;
    for (size_t g = 0; st == LAD_OK && g < n; g++)
        total += ntok[g];
    if (st == LAD_OK) {
        m->order = lad_malloc_array(n1, sizeof *m->order);
        m->order_ntok = lad_malloc_array(n1, sizeof *m->order_ntok);
        m->tok_start = lad_malloc_array(n + 1, sizeof *m->tok_start);
        m->tok_off = lad_malloc_array((size_t)(total > 0 ? total : 1), sizeof *m->tok_off);
        m->tok_len = lad_malloc_array((size_t)(total > 0 ? total : 1), sizeof *m->tok_len);
        m->tok_var = lad_malloc_array((size_t)(total > 0 ? total : 1), sizeof *m->tok_var);
        m->n_var = lad_calloc_array(n1, sizeof *m->n_var);
        m->sk_hash = lad_calloc_array(n1, sizeof *m->sk_hash);
        m->skeleton = lad_calloc_array(n1, sizeof *m->skeleton);
        m->n = a->n_groups;
        if (!m->order || !m->order_ntok || !m->tok_start || !m->tok_off || !m->tok_len || !m->tok_var || !m->n_var ||
            !m->sk_hash || !m->skeleton)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event assigner");
    }
    struct lad_buf sk = {0};
    int64_t at = 0;
    for (size_t g = 0; st == LAD_OK && g < n; g++) {
        const char *t = a->group_template[g];
        m->tok_start[g] = at;
        tokens(t, strlen(t), m->tok_off + at, m->tok_len + at, ntok[g]);
        for (int32_t i = 0; i < ntok[g]; i++) {
            m->tok_var[at + i] = lad_mask_token_is_variable(t + m->tok_off[at + i], m->tok_len[at + i]);
            m->n_var[g] += m->tok_var[at + i];
        }
        at += ntok[g];
        int32_t kept;
        if (!lad_refine_skeleton(t, a->group_flags[g], &sk, &kept))
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event assigner");
        else if (kept >= LAD_REFINE_MIN_SKELETON) {
            m->sk_hash[g] = lad_hash_bytes(sk.data, sk.len, 0);
            if ((m->skeleton[g] = lad_strdup(sk.data)) == NULL)
                st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the event assigner");
        }
        m->order[g] = (int32_t)g;
    }
    lad_buf_free(&sk);
    if (st == LAD_OK) {
        m->tok_start[n] = at;
        qsort_r(m->order, n, sizeof *m->order, by_ntok, ntok);
        for (size_t i = 0; i < n; i++)
            m->order_ntok[i] = ntok[m->order[i]];
    }
    free(ntok);
    if (st != LAD_OK)
        lad__assign_match_free(&m);
    a->match = m;
    return st;
}

/* Step 1: Drain's fastMatch over the groups of nt tokens (see lad_assign.h); -1 if none reaches st. */
static int32_t by_similarity(const struct lad_assigner *a, const char *s, const uint32_t *off, const uint32_t *len,
                             int32_t nt)
{
    const struct lad_assign_match *m = a->match;
    size_t lo = 0, hi = (size_t)a->n_groups;
    while (lo < hi) { /* the first group of nt tokens */
        size_t mid = lo + (hi - lo) / 2;
        if (m->order_ntok[mid] < nt)
            lo = mid + 1;
        else
            hi = mid;
    }
    int32_t prefix = a->drain.depth - 3 < nt ? a->drain.depth - 3 : nt;
    int32_t best = -1, best_var = -1;
    double best_sim = -1.0;
    for (size_t i = lo; i < (size_t)a->n_groups && m->order_ntok[i] == nt; i++) {
        int32_t g = m->order[i], same = 0;
        const char *t = a->group_template[g];
        const uint32_t *toff = m->tok_off + m->tok_start[g], *tlen = m->tok_len + m->tok_start[g];
        const bool *var = m->tok_var + m->tok_start[g];
        bool path = true;
        for (int32_t j = 0; j < nt; j++) {
            bool eq = tlen[j] == len[j] && memcmp(t + toff[j], s + off[j], len[j]) == 0;
            if (j < prefix && !eq && !var[j])
                path = false; /* Drain's tree would not lead this key to the group's leaf */
            same += eq && !var[j];
        }
        double sim = nt ? (double)same / (double)nt : 1.0;
        if (path && (sim > best_sim || (sim == best_sim && m->n_var[g] > best_var))) {
            best_sim = sim;
            best_var = m->n_var[g];
            best = g;
        }
    }
    return best >= 0 && best_sim >= a->drain.similarity ? a->group_event[best] : -1;
}

/* Step 2: the event whose skeleton equals the key's own (a key holding a NUL byte has none); -2 on
 * allocation failure, -1 if none. */
static int32_t by_skeleton(const struct lad_assigner *a, const char *s, size_t n, int32_t nt)
{
    if (memchr(s, '\0', n) != NULL)
        return -1;
    char *key = lad_strndup(s, n), *flags = malloc((size_t)nt + 1);
    struct lad_buf sk = {0};
    int32_t kept = 0, found = -2;
    if (key && flags && lad_refine_key_flags(key, flags, nt + 1) == nt && lad_refine_skeleton(key, flags, &sk, &kept)) {
        found = -1;
        uint64_t h = kept >= LAD_REFINE_MIN_SKELETON ? lad_hash_bytes(sk.data, sk.len, 0) : 0;
        for (int32_t g = 0; h && g < a->n_groups && found < 0; g++)
            if (a->match->skeleton[g] && a->match->sk_hash[g] == h && strcmp(a->match->skeleton[g], sk.data) == 0)
                found = a->group_event[g];
    }
    free(key);
    free(flags);
    lad_buf_free(&sk);
    return found;
}

int32_t lad_assign_event(const struct lad_assigner *a, const char *s, size_t n, uint64_t hash,
                         enum lad_assign_how *how)
{
    int32_t id = lad_keytab_find(&a->keys, s, n, hash);
    *how = LAD_ASSIGN_SEEN;
    if (id >= 0)
        return a->keys.event[id];
    int32_t nt = tokens(s, n, NULL, NULL, 0);
    uint32_t stack_off[256], stack_len[256];
    uint32_t *off = nt <= 256 ? stack_off : lad_malloc_array((size_t)nt, sizeof *off);
    uint32_t *len = nt <= 256 ? stack_len : lad_malloc_array((size_t)nt, sizeof *len);
    int32_t ev = -1;
    if (off && len) {
        tokens(s, n, off, len, nt);
        *how = LAD_ASSIGN_SIMILAR;
        ev = by_similarity(a, s, off, len, nt);
        if (ev < 0) {
            *how = LAD_ASSIGN_SKELETON;
            ev = by_skeleton(a, s, n, nt);
        }
        if (ev == -1) {
            *how = LAD_ASSIGN_UNKNOWN;
            ev = a->events.n - 1;
        }
    }
    if (off != stack_off)
        free(off);
    if (len != stack_len)
        free(len);
    return ev < 0 ? -1 : ev;
}

/*
 * refine.c - the second grouping stage of mining: split Drain clusters on constant words, merge
 * groups with equal constant skeletons (lad_refine.h says why).
 *
 * split  keys are bucketed by cluster (stably, so each bucket stays in log order) and tokenized. A
 *        position is a selector when its tokens are not all equal, every one is a constant word and
 *        there are at most LAD_REFINE_MAX_WORDS distinct ones. The members are sorted by their
 *        selector words (then by log order), each run of equal words is a group, and the groups of a
 *        cluster are numbered by their first key. A cluster without selectors stays one group. A
 *        group's template has the members' token where they all agree and <*> elsewhere - for an
 *        unsplit cluster exactly Drain's template.
 * merge  groups are hashed by skeleton (the kept tokens joined by one space) in the order given; the
 *        first group with a skeleton opens an event, later ones join it. A skeleton of fewer than
 *        two tokens is too little evidence that two message shapes come from one statement: such a
 *        group stays an event of its own.
 */
#include "lad_refine.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_hash.h"
#include "lad_mask.h"
#include "lad_mem.h"

#define WILD "<*>"

struct tok {
    const char *s;
    uint32_t len;
};

static bool tok_eq(struct tok a, struct tok b)
{
    return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

static bool has_digit(struct tok t)
{
    for (uint32_t i = 0; i < t.len; i++)
        if (t.s[i] >= '0' && t.s[i] <= '9')
            return true;
    return false;
}

/* Punctuation around a word that does not make it another word: "(reserved)", "'Active'", "Yes,". */
static bool wraps_word(char c)
{
    return c != '\0' && strchr(".,;:'\"()[]{}", c) != NULL;
}

/*
 * A constant word: letters with the punctuation of identifiers and of key=value pairs ("SCREEN_ON",
 * "user=root", "android.intent.action.TIME_TICK", "null?true"), inside optional brackets, quotes or
 * a trailing separator. A digit makes it a value or a numbered name (eth0, an14, bglio23), which
 * Drain already treats as variable; <*> makes it a variable.
 */
static bool is_word(struct tok t)
{
    uint32_t b = 0, e = t.len;
    while (b < e && wraps_word(t.s[b]))
        b++;
    while (e > b && wraps_word(t.s[e - 1]))
        e--;
    bool letter = false;
    for (uint32_t i = b; i < e; i++) {
        char c = t.s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            letter = true;
        else if (c == '\0' || !strchr("_-+*?=.:", c))
            return false;
    }
    return letter;
}

/* Splits key s[0, n) into at most max tokens at single spaces; returns the count (> max: too many). */
static int32_t tokenize(const char *s, uint32_t n, struct tok *out, int32_t max)
{
    int32_t k = 0;
    for (uint32_t i = 0; i < n;) {
        uint32_t b = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i > b) {
            if (k < max)
                out[k] = (struct tok){s + b, i - b};
            k++;
        }
        i++;
    }
    return k;
}

/* ---- split ---- */

/* Scratch of one cluster: its members' tokens, row-major (member, position). */
struct cluster_work {
    struct tok *toks;
    size_t cap_toks;
    int32_t *sel, *order;
    size_t cap_sel, cap_order;
    int32_t n_tok, n_sel;
};

/* A run of two or more positions of numbered names and variables (dg) is a list: not skeleton. */
static void drop_lists(char *flags, const bool *dg, int32_t nt)
{
    for (int32_t p = 0; p < nt; p++)
        if (dg[p] && ((p > 0 && dg[p - 1]) || (p + 1 < nt && dg[p + 1])))
            flags[p] = 'd';
    flags[nt] = '\0';
}

/* Appends a group with the given members (indices into the cluster's rows); false on allocation failure. */
static bool add_group(struct lad_refine *r, size_t *cap, const struct cluster_work *w, const int32_t *rows,
                      int32_t n_rows)
{
    void *t = r->templates, *f = r->flags;
    size_t ct = *cap;
    bool ok = lad_grow(&t, &ct, (size_t)r->n_groups + 1, sizeof *r->templates);
    r->templates = t;
    size_t cf = *cap;
    ok = ok && lad_grow(&f, &cf, (size_t)r->n_groups + 1, sizeof *r->flags);
    r->flags = f;
    if (!ok)
        return false;
    *cap = ct < cf ? ct : cf;
    int32_t nt = w->n_tok;
    const struct tok *first = w->toks + (size_t)rows[0] * (size_t)nt;
    size_t len = 1;
    for (int32_t p = 0; p < nt; p++)
        len += first[p].len + 3 + 1;
    char *tpl = malloc(len), *flags = malloc((size_t)nt + 1);
    bool *dg = malloc((size_t)nt + 1);
    if (tpl == NULL || flags == NULL || dg == NULL) {
        free(tpl);
        free(flags);
        free(dg);
        return false;
    }
    char *o = tpl;
    for (int32_t p = 0; p < nt; p++) {
        bool same = true, var = true, digit = true;
        for (int32_t m = 0; m < n_rows; m++) {
            struct tok x = w->toks[(size_t)rows[m] * (size_t)nt + (size_t)p];
            same = same && tok_eq(x, first[p]);
            bool v = lad_mask_token_is_variable(x.s, x.len);
            var = var && v;
            digit = digit && (v || has_digit(x));
        }
        if (p > 0)
            *o++ = ' ';
        memcpy(o, same ? first[p].s : WILD, same ? first[p].len : 3);
        o += same ? first[p].len : 3;
        flags[p] = var ? 'd' : 'k';
        dg[p] = digit;
    }
    *o = '\0';
    drop_lists(flags, dg, nt);
    free(dg);
    r->templates[r->n_groups] = tpl;
    r->flags[r->n_groups] = flags;
    r->n_groups++;
    return true;
}

/* The selector positions of the cluster whose rows are w->toks: see the file comment. */
static void find_selectors(struct cluster_work *w, int32_t n_rows)
{
    int32_t nt = w->n_tok;
    w->n_sel = 0;
    for (int32_t p = 0; p < nt; p++) {
        struct tok words[LAD_REFINE_MAX_WORDS];
        int n_words = 0;
        bool ok = true;
        for (int32_t m = 0; ok && m < n_rows; m++) {
            struct tok x = w->toks[(size_t)m * (size_t)nt + (size_t)p];
            int k = 0;
            while (k < n_words && !tok_eq(words[k], x))
                k++;
            if (k < n_words)
                continue;
            ok = n_words < LAD_REFINE_MAX_WORDS && !has_digit(x) && is_word(x);
            if (ok)
                words[n_words++] = x;
        }
        if (ok && n_words >= 2)
            w->sel[w->n_sel++] = p;
    }
}

/* Rows compare by their selector words, then by log order (their index). */
static int by_selectors(const void *a, const void *b, void *arg)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    const struct cluster_work *w = arg;
    for (int32_t i = 0; i < w->n_sel; i++) {
        struct tok tx = w->toks[(size_t)x * (size_t)w->n_tok + (size_t)w->sel[i]];
        struct tok ty = w->toks[(size_t)y * (size_t)w->n_tok + (size_t)w->sel[i]];
        int c = memcmp(tx.s, ty.s, tx.len < ty.len ? tx.len : ty.len);
        if (c != 0 || tx.len != ty.len)
            return c ? c : (tx.len < ty.len ? -1 : 1);
    }
    return (x > y) - (x < y);
}

/* Runs of equal selector words, as (first row, start in w->order, length), by first row. */
struct run {
    int32_t first, start, n;
};

static int by_first_row(const void *a, const void *b)
{
    const struct run *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

/* Splits the cluster whose member keys are members[0, n_rows); numbers its groups from r->n_groups. */
static enum lad_status split_cluster(struct lad_ctx *ctx, const char *const *keys, const uint32_t *key_len,
                                     const int32_t *members, int32_t n_rows, struct cluster_work *w,
                                     struct lad_refine *r, size_t *cap)
{
    int32_t nt = tokenize(keys[members[0]], key_len[members[0]], NULL, 0);
    w->n_tok = nt;
    size_t need = (size_t)n_rows * (size_t)(nt > 0 ? nt : 1);
    void *p = w->toks, *s = w->sel, *o = w->order;
    bool ok = lad_grow(&p, &w->cap_toks, need, sizeof *w->toks);
    w->toks = p;
    ok = ok && lad_grow(&s, &w->cap_sel, (size_t)nt + 1, sizeof *w->sel);
    w->sel = s;
    ok = ok && lad_grow(&o, &w->cap_order, (size_t)n_rows, sizeof *w->order);
    w->order = o;
    struct run *runs = ok ? lad_malloc_array((size_t)n_rows, sizeof *runs) : NULL;
    if (runs == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory refining a cluster of %d keys", n_rows);
    enum lad_status st = LAD_OK;
    for (int32_t m = 0; m < n_rows && st == LAD_OK; m++) {
        int32_t k = members[m];
        if (tokenize(keys[k], key_len[k], w->toks + (size_t)m * (size_t)nt, nt) != nt)
            st = lad_fail(ctx, LAD_ERR_INTERNAL, "a Drain cluster mixes token counts");
        w->order[m] = m;
    }
    if (st == LAD_OK)
        find_selectors(w, n_rows);
    int32_t n_runs = 0;
    if (st == LAD_OK && w->n_sel > 0) {
        qsort_r(w->order, (size_t)n_rows, sizeof *w->order, by_selectors, w);
        /* a new run starts where the selector words change */
        for (int32_t i = 0; i < n_rows; i++) {
            bool fresh = i == 0;
            for (int32_t j = 0; !fresh && j < w->n_sel; j++) {
                int32_t pos = w->sel[j];
                fresh = !tok_eq(w->toks[(size_t)w->order[i - 1] * (size_t)nt + (size_t)pos],
                                w->toks[(size_t)w->order[i] * (size_t)nt + (size_t)pos]);
            }
            if (fresh)
                runs[n_runs++] = (struct run){w->order[i], i, 0};
            runs[n_runs - 1].n++;
        }
        qsort(runs, (size_t)n_runs, sizeof *runs, by_first_row);
    } else if (st == LAD_OK) {
        runs[n_runs++] = (struct run){0, 0, n_rows};
    }
    for (int32_t i = 0; i < n_runs && st == LAD_OK; i++) {
        const int32_t *rows = w->order + runs[i].start;
        if (!add_group(r, cap, w, rows, runs[i].n))
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory refining mined templates");
        for (int32_t m = 0; m < runs[i].n && st == LAD_OK; m++)
            r->group[members[rows[m]]] = r->n_groups - 1;
    }
    free(runs);
    return st;
}

enum lad_status lad_refine_split(struct lad_ctx *ctx, int32_t n_keys, const char *const *keys, const uint32_t *key_len,
                                 const int32_t *cluster, int32_t n_clusters, struct lad_refine *out)
{
    memset(out, 0, sizeof *out);
    struct cluster_work w;
    memset(&w, 0, sizeof w);
    size_t cap = 0, n = n_keys > 0 ? (size_t)n_keys : 1;
    /* members of each cluster, in log order: a stable counting sort by cluster */
    int32_t *start = lad_calloc_array((size_t)n_clusters + 1, sizeof *start);
    int32_t *members = lad_malloc_array(n, sizeof *members);
    out->group = lad_malloc_array(n, sizeof *out->group);
    enum lad_status st = LAD_OK;
    if (start == NULL || members == NULL || out->group == NULL) {
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory refining %d mined keys", n_keys);
        goto done;
    }
    for (int32_t k = 0; k < n_keys; k++) {
        if (cluster[k] < 0 || cluster[k] >= n_clusters) {
            st = lad_fail(ctx, LAD_ERR_INTERNAL, "mined key %d has no cluster", k);
            goto done;
        }
        start[cluster[k] + 1]++;
    }
    for (int32_t c = 0; c < n_clusters; c++)
        start[c + 1] += start[c];
    for (int32_t k = 0; k < n_keys; k++)
        members[start[cluster[k]]++] = k;
    for (int32_t c = n_clusters; c > 0; c--) /* start[c] was advanced to the end of cluster c */
        start[c] = start[c - 1];
    start[0] = 0;
    for (int32_t c = 0; c < n_clusters && st == LAD_OK; c++)
        if (start[c + 1] > start[c])
            st = split_cluster(ctx, keys, key_len, members + start[c], start[c + 1] - start[c], &w, out, &cap);
done:
    free(start);
    free(members);
    free(w.toks);
    free(w.sel);
    free(w.order);
    if (st != LAD_OK)
        lad_refine_free(out);
    return st;
}

void lad_refine_free(struct lad_refine *r)
{
    for (int32_t g = 0; g < r->n_groups; g++) {
        free(r->templates[g]);
        free(r->flags[g]);
    }
    lad_free(&r->templates);
    lad_free(&r->flags);
    lad_free(&r->group);
    r->n_groups = 0;
}

/* One key as a group of its own: what add_group gives a single member (every token agrees). */
int32_t lad_refine_key_flags(const char *key, char *flags, int32_t cap)
{
    int32_t n = tokenize(key, (uint32_t)strlen(key), NULL, 0);
    bool *dg = n + 1 <= cap ? malloc((size_t)n + 1) : NULL; /* a key may hold many tokens: not on the stack */
    if (dg == NULL)
        return -1;
    for (int32_t p = 0; p < n; p++) {
        while (*key == ' ')
            key++;
        struct tok t = {key, (uint32_t)strcspn(key, " ")};
        bool v = lad_mask_token_is_variable(t.s, t.len);
        flags[p] = v ? 'd' : 'k';
        dg[p] = v || has_digit(t);
        key += t.len;
    }
    drop_lists(flags, dg, n);
    free(dg);
    return n;
}

/* ---- merge ---- */

bool lad_refine_skeleton(const char *tpl, const char *flags, struct lad_buf *b, int32_t *n_kept)
{
    b->len = 0;
    *n_kept = 0;
    for (const char *p = tpl; *p; flags++) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (*flags == 'k') {
            if ((b->len > 0 && !lad_buf_append(b, " ", 1)) || !lad_buf_append(b, p, len))
                return false;
            (*n_kept)++;
        }
        p += len + (e != NULL);
    }
    return lad_buf_append(b, "", 1); /* NUL-terminated */
}

/* The text between kept tokens g-1 and g of a template (g = 0: before the first; g = n_kept: after
 * the last), as a pointer and length into tpl (empty when nothing lies between). */
static struct tok gap(const char *tpl, const char *flags, int32_t g)
{
    const char *p = tpl, *b = NULL, *e = NULL;
    int32_t kept = 0;
    for (; *p; flags++) {
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (*flags == 'k') {
            if (kept == g)
                break;
            kept++;
            b = e = NULL;
        } else if (kept == g) {
            if (b == NULL)
                b = p;
            e = p + len;
        }
        p += len + (end != NULL);
    }
    return b ? (struct tok){b, (uint32_t)(e - b)} : (struct tok){"", 0};
}

/* The template of an event from its members (first[e], then next[...]): see lad_refine.h. */
static char *event_template(const char *const *templates, const char *const *flags, int32_t first,
                            const int32_t *next, int32_t n_kept)
{
    if (next[first] < 0)
        return lad_strdup(templates[first]);
    struct lad_buf b = {0};
    bool ok = true;
    for (int32_t g = 0; ok && g <= n_kept; g++) {
        struct tok t = gap(templates[first], flags[first], g);
        bool same = true;
        for (int32_t i = next[first]; same && i >= 0; i = next[i])
            same = tok_eq(t, gap(templates[i], flags[i], g));
        if (!same)
            t = (struct tok){WILD, 3};
        if (t.len > 0)
            ok = (b.len == 0 || lad_buf_append(&b, " ", 1)) && lad_buf_append(&b, t.s, t.len);
        if (ok && g < n_kept) { /* kept token g: the same in every member */
            const char *p = templates[first], *f = flags[first];
            for (int32_t kept = 0;; f++) {
                const char *end = strchr(p, ' ');
                size_t len = end ? (size_t)(end - p) : strlen(p);
                if (*f == 'k' && kept++ == g) {
                    ok = (b.len == 0 || lad_buf_append(&b, " ", 1)) && lad_buf_append(&b, p, len);
                    break;
                }
                p += len + 1;
            }
        }
    }
    ok = ok && lad_buf_append(&b, "", 1);
    if (!ok)
        lad_buf_free(&b);
    return b.data;
}

enum lad_status lad_refine_merge(struct lad_ctx *ctx, int32_t n, const char *const *templates,
                                 const char *const *flags, int32_t *event, int32_t *n_events,
                                 char ***event_templates)
{
    *n_events = 0;
    *event_templates = NULL;
    size_t n_slots = 16;
    while (n_slots < 2 * (size_t)(n > 0 ? n : 1))
        n_slots *= 2;
    struct slot {
        uint64_t hash;
        char *skeleton;
        int32_t event;
    } *slots = lad_calloc_array(n_slots, sizeof *slots);
    int32_t *first = lad_malloc_array((size_t)(n > 0 ? n : 1), sizeof *first);
    int32_t *last = lad_malloc_array((size_t)(n > 0 ? n : 1), sizeof *last);
    int32_t *next = lad_malloc_array((size_t)(n > 0 ? n : 1), sizeof *next);
    int32_t *n_kept = lad_malloc_array((size_t)(n > 0 ? n : 1), sizeof *n_kept);
    char **out = lad_calloc_array((size_t)(n > 0 ? n : 1), sizeof *out);
    struct lad_buf sk = {0};
    enum lad_status st = LAD_OK;
    if (!slots || !first || !last || !next || !n_kept || !out) {
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory merging %d mined groups", n);
        goto done;
    }
    for (int32_t i = 0; i < n && st == LAD_OK; i++) {
        int32_t kept;
        next[i] = -1;
        if (!lad_refine_skeleton(templates[i], flags[i], &sk, &kept)) {
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory merging mined groups");
            break;
        }
        int32_t e = -1;
        uint64_t h = lad_hash_bytes(sk.data, sk.len, 0);
        size_t at = h & (n_slots - 1);
        if (kept >= LAD_REFINE_MIN_SKELETON) {
            while (slots[at].skeleton && (slots[at].hash != h || strcmp(slots[at].skeleton, sk.data) != 0))
                at = (at + 1) & (n_slots - 1);
            e = slots[at].skeleton ? slots[at].event : -1;
        }
        if (e < 0) {
            e = (*n_events)++;
            first[e] = last[e] = i;
            n_kept[e] = kept;
            if (kept >= LAD_REFINE_MIN_SKELETON && (slots[at] = (struct slot){h, lad_strdup(sk.data), e}).skeleton == NULL)
                st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory merging mined groups");
        } else {
            next[last[e]] = i;
            last[e] = i;
        }
        event[i] = e;
    }
    for (int32_t e = 0; e < *n_events && st == LAD_OK; e++)
        if ((out[e] = event_template(templates, flags, first[e], next, n_kept[e])) == NULL)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory merging mined groups");
done:
    for (size_t s = 0; slots && s < n_slots; s++)
        free(slots[s].skeleton);
    free(slots);
    free(first);
    free(last);
    free(next);
    free(n_kept);
    lad_buf_free(&sk);
    if (st != LAD_OK) {
        for (int32_t e = 0; out && e < *n_events; e++)
            free(out[e]);
        free(out);
        out = NULL;
        *n_events = 0;
    }
    *event_templates = out;
    return st;
}

/* template.c - loading loghub template files and matching messages against <*> templates. */
#include "lad_template.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lad_csv.h"
#include "lad_ctx.h"
#include "lad_escape.h"
#include "lad_hash.h"
#include "lad_mem.h"

#define WILDCARD "<*>"
#define WILDCARD_LEN 3
#define MAX_TEMPLATE_FILE ((long)64 << 20)

static void template_free(struct lad_template *t)
{
    for (int i = 0; i < t->n_pieces; i++)
        free(t->pieces[i]);
    lad_free(&t->pieces);
    lad_free(&t->piece_len);
    lad_free(&t->id);
    lad_free(&t->text);
}

void lad_template_set_free(struct lad_template_set *set)
{
    if (set == NULL)
        return;
    for (int i = 0; i < set->n; i++)
        template_free(&set->items[i]);
    lad_free(&set->items);
    lad_free(&set->by_specificity);
    set->n = 0;
}

static bool has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((s[i] >= '0' && s[i] <= '9') || s[i] == 0x1f)
            return true;
    return false;
}

/* Splits the text at every <*> into literal pieces. */
static bool template_compile(struct lad_template *t, const char *id, const char *text)
{
    memset(t, 0, sizeof *t);
    t->id = lad_strdup(id);
    t->text = lad_strdup(text);
    size_t len = strlen(text);
    t->pieces = lad_calloc_array(len / 2 + 2, sizeof *t->pieces);
    t->piece_len = lad_calloc_array(len / 2 + 2, sizeof *t->piece_len);
    if (!t->id || !t->text || !t->pieces || !t->piece_len)
        return false;
    t->anchored_start = strncmp(text, WILDCARD, WILDCARD_LEN) != 0;
    t->anchored_end = len < WILDCARD_LEN || strcmp(text + len - WILDCARD_LEN, WILDCARD) != 0;
    const char *p = text;
    while (*p) {
        const char *w = strstr(p, WILDCARD);
        size_t n = w ? (size_t)(w - p) : strlen(p);
        if (n > 0) {
            char *piece = lad_strndup(p, n);
            if (piece == NULL)
                return false;
            t->pieces[t->n_pieces] = piece;
            t->piece_len[t->n_pieces++] = n;
            t->n_literal += n;
        }
        if (w == NULL)
            break;
        p = w + WILDCARD_LEN;
    }
    return true;
}

static const char *find_bytes(const char *h, size_t hn, const char *needle, size_t nn)
{
    if (nn > hn)
        return NULL;
    return memmem(h, hn, needle, nn);
}

bool lad_template_matches(const struct lad_template *t, const char *s, size_t n)
{
    if (t->n_pieces == 0) /* only wildcards (matches all) or the empty template (matches "") */
        return !(t->anchored_start && t->anchored_end) || n == 0;
    size_t pos = 0, end = n;
    int first = 0, last = t->n_pieces - 1;
    if (t->anchored_start) {
        if (t->piece_len[0] > n || memcmp(s, t->pieces[0], t->piece_len[0]) != 0)
            return false;
        pos = t->piece_len[0];
        first = 1;
        if (t->n_pieces == 1 && t->anchored_end)
            return pos == n;
    }
    if (t->anchored_end && last >= first) {
        size_t l = t->piece_len[last];
        if (l > end - pos || memcmp(s + end - l, t->pieces[last], l) != 0)
            return false;
        end -= l;
        last--;
    }
    /* Leftmost matching of the middle pieces is enough: wildcards absorb whatever lies between. */
    for (int i = first; i <= last; i++) {
        const char *hit = find_bytes(s + pos, end - pos, t->pieces[i], t->piece_len[i]);
        if (hit == NULL)
            return false;
        pos = (size_t)(hit - s) + t->piece_len[i];
    }
    return true;
}

int lad_template_match(const struct lad_template_set *set, const char *s, size_t n)
{
    for (int k = 0; k < set->n; k++) {
        int i = set->by_specificity[k];
        if (lad_template_matches(&set->items[i], s, n))
            return i;
    }
    return -1;
}

size_t lad_template_key(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o < cap;) {
        if (s[i] >= '0' && s[i] <= '9') {
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
            out[o++] = 0x1f;
        } else
            out[o++] = s[i++];
    }
    return o;
}

static struct lad_template_set *sort_set;
static int compare_specificity(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b;
    size_t li = sort_set->items[i].n_literal, lj = sort_set->items[j].n_literal;
    if (li != lj)
        return li > lj ? -1 : 1;
    return (i > j) - (i < j);
}

static enum lad_status finish_set(struct lad_ctx *ctx, struct lad_template_set *set)
{
    set->by_specificity = lad_malloc_array((size_t)set->n, sizeof(int));
    if (set->by_specificity == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for templates");
    set->digit_free = true;
    for (int i = 0; i < set->n; i++) {
        set->by_specificity[i] = i;
        for (int p = 0; p < set->items[i].n_pieces; p++)
            if (has_digit(set->items[i].pieces[p], set->items[i].piece_len[p]))
                set->digit_free = false;
    }
    /* qsort is not stable, so ties are broken by index explicitly; the comparator is read-only. */
    sort_set = set;
    qsort(set->by_specificity, (size_t)set->n, sizeof(int), compare_specificity);
    sort_set = NULL;
    return LAD_OK;
}

enum lad_status lad_template_set_build(struct lad_ctx *ctx, int n, const char *const *ids,
                                       const char *const *texts, struct lad_template_set *set)
{
    memset(set, 0, sizeof *set);
    set->items = lad_calloc_array((size_t)n, sizeof *set->items);
    if (set->items == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for templates");
    for (int i = 0; i < n; i++) {
        set->n = i + 1;
        if (!template_compile(&set->items[i], ids[i], texts[i])) {
            lad_template_set_free(set);
            return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for templates");
        }
    }
    set->n = n;
    enum lad_status st = finish_set(ctx, set);
    if (st != LAD_OK)
        lad_template_set_free(set);
    return st;
}

static enum lad_status read_whole_file(struct lad_ctx *ctx, const char *path, char **data, long *len)
{
    *data = NULL;
    *len = 0;
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return lad_fail(ctx, LAD_ERR_IO, "cannot read template file %s: not a regular file", path);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return lad_fail(ctx, LAD_ERR_IO, "cannot read template file %s: %s", path, strerror(errno));
    enum lad_status st = LAD_OK;
    if (fseek(fp, 0, SEEK_END) != 0 || (*len = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0)
        st = lad_fail(ctx, LAD_ERR_IO, "cannot read template file %s: %s", path, strerror(errno));
    else if (*len > MAX_TEMPLATE_FILE)
        st = lad_fail(ctx, LAD_ERR_INPUT, "template file %s is larger than 64 MiB", path);
    else if ((*data = malloc((size_t)*len + 1)) == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", path);
    else if (fread(*data, 1, (size_t)*len, fp) != (size_t)*len)
        st = lad_fail(ctx, LAD_ERR_IO, "cannot read template file %s: %s", path, strerror(errno));
    fclose(fp);
    if (st != LAD_OK)
        lad_free(data);
    else
        (*data)[*len] = '\0';
    return st;
}

/*
 * Local. True if id was already added to the set of seen ids (slots: n_slots, a power of two at least
 * twice the number of ids, entries are index + 1 into ids); otherwise adds it as ids[n]. A hash set
 * keeps the duplicate check linear: comparing each id with all earlier ones took minutes on large files.
 */
static bool id_seen(const char **ids, int n, int32_t *slots, size_t n_slots, const char *id)
{
    size_t mask = n_slots - 1;
    for (size_t i = lad_hash_bytes(id, strlen(id), 0x45766e74ULL) & mask;; i = (i + 1) & mask) {
        if (slots[i] == 0) {
            slots[i] = n + 1;
            return false;
        }
        if (strcmp(ids[slots[i] - 1], id) == 0)
            return true;
    }
}

/* Parses the CSV text (modified in place) into the set. */
static enum lad_status parse_templates(struct lad_ctx *ctx, const char *path, char *text, long len,
                                       struct lad_template_set *set)
{
    size_t n_lines = 1;
    for (long i = 0; i < len; i++)
        n_lines += text[i] == '\n';
    size_t n_slots = 16;
    while (n_slots < 2 * n_lines)
        n_slots *= 2;
    const char **ids = lad_calloc_array(n_lines, sizeof *ids);
    const char **texts = lad_calloc_array(n_lines, sizeof *texts);
    int32_t *slots = lad_calloc_array(n_slots, sizeof *slots);
    if (!ids || !texts || !slots || n_lines > INT32_MAX) {
        free(ids);
        free(texts);
        free(slots);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", path);
    }
    enum lad_status st = LAD_OK;
    int n = 0, id_col = -1, text_col = -1;
    long lineno = 0;
    char *p = text, *end = text + len;
    if (len >= 3 && (unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb && (unsigned char)p[2] == 0xbf)
        p += 3; /* UTF-8 byte-order mark */
    while (p < end && st == LAD_OK) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *line_end = nl ? nl : end;
        lineno++;
        size_t l = (size_t)(line_end - p);
        *line_end = '\0';
        char *fields[8];
        bool blank = l == 0 || (l == 1 && p[0] == '\r');
        if (!blank) {
            int nf = lad_csv_split(p, l, fields, 8);
            if (nf < 0)
                st = lad_fail(ctx, LAD_ERR_INPUT, "%s:%ld: malformed CSV row", path, lineno);
            else if (id_col < 0) { /* the header names the columns */
                for (int f = 0; f < nf; f++) {
                    if (strcmp(fields[f], "EventId") == 0) id_col = f;
                    if (strcmp(fields[f], "EventTemplate") == 0) text_col = f;
                }
                if (id_col < 0 || text_col < 0)
                    st = lad_fail(ctx, LAD_ERR_INPUT,
                                  "%s:%ld: expected a header with EventId and EventTemplate columns", path, lineno);
            } else if (nf <= id_col || nf <= text_col)
                st = lad_fail(ctx, LAD_ERR_INPUT, "%s:%ld: row has %d fields, expected EventId,EventTemplate",
                              path, lineno, nf);
            else if (fields[id_col][0] == '\0')
                st = lad_fail(ctx, LAD_ERR_INPUT, "%s:%ld: empty EventId", path, lineno);
            else {
                char shown[64];
                if (id_seen(ids, n, slots, n_slots, fields[id_col]))
                    st = lad_fail(ctx, LAD_ERR_INPUT, "%s:%ld: EventId %s appears twice", path, lineno,
                                  lad_escape_str(shown, sizeof shown, fields[id_col]));
                ids[n] = fields[id_col];
                texts[n] = fields[text_col];
                n++;
            }
        }
        p = line_end + 1;
    }
    if (st == LAD_OK && id_col < 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "template file %s is empty", path);
    if (st == LAD_OK && n == 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "template file %s has a header but no templates", path);
    if (st == LAD_OK)
        st = lad_template_set_build(ctx, n, ids, texts, set);
    free(ids);
    free(texts);
    free(slots);
    return st;
}

enum lad_status lad_template_set_load(struct lad_ctx *ctx, const char *path, struct lad_template_set *set)
{
    memset(set, 0, sizeof *set);
    char *text = NULL;
    long len = 0;
    enum lad_status st = LAD_OK;
    if (ctx->rank == 0)
        st = read_whole_file(ctx, path, &text, &len);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        return st;
    /* One reader, one broadcast: thousands of ranks must not all open the same small file. */
    MPI_Bcast(&len, 1, MPI_LONG, 0, ctx->comm);
    if (ctx->rank != 0 && (text = malloc((size_t)len + 1)) == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for templates");
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK) {
        MPI_Bcast(text, (int)len, MPI_CHAR, 0, ctx->comm);
        text[len] = '\0';
        st = parse_templates(ctx, path, text, len, set);
    }
    free(text);
    return lad_status_agree(ctx, st);
}

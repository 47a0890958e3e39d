/*
 * logformat.c - logparser-style header formats, compiled once and matched by backtracking.
 *
 * A format compiles to a flat node array; an optional group is a node whose children follow it. The
 * matcher mirrors the regex logparser builds (fields `.*?`, space runs `\s+`, anchored at both ends),
 * so a header splits here exactly as in the logparser benchmark. Backtracking is cheap in practice:
 * a lazy field only tries end positions where the next node can start.
 */
#include "lad_logformat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_mem.h"

enum node_kind { NODE_LITERAL, NODE_SPACE, NODE_FIELD, NODE_OPTIONAL };

struct node {
    enum node_kind kind;
    char *text;   /* NODE_LITERAL: the literal bytes */
    size_t len;
    int field;    /* NODE_FIELD: field index */
    int n_children; /* NODE_OPTIONAL: the next n_children nodes (transitively) form the group */
};

struct lad_logformat {
    struct node *nodes;
    int n_nodes;
    char *names[LAD_LOGFORMAT_MAX_FIELDS];
    int n_fields;
    int content;
};

/* What remains to match after a sequence ends: the rest of the enclosing sequences. */
struct cont {
    const struct node *seq;
    int n;
    const struct cont *next;
};

static inline bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

void lad_logformat_free(struct lad_logformat **pf)
{
    struct lad_logformat *f = *pf;
    if (f == NULL)
        return;
    for (int i = 0; i < f->n_nodes; i++)
        free(f->nodes[i].text);
    for (int i = 0; i < f->n_fields; i++)
        free(f->names[i]);
    free(f->nodes);
    lad_free(pf);
}

static bool push_node(struct lad_logformat *f, size_t *cap, struct node n)
{
    void *p = f->nodes;
    if (!lad_grow(&p, cap, (size_t)f->n_nodes + 1, sizeof n))
        return false;
    f->nodes = p;
    f->nodes[f->n_nodes++] = n;
    return true;
}

static bool append_literal(struct lad_logformat *f, size_t *cap, char c, bool may_merge)
{
    /* Consecutive literal characters share one node, but never across a group boundary. */
    if (may_merge && f->n_nodes > 0 && f->nodes[f->n_nodes - 1].kind == NODE_LITERAL) {
        struct node *n = &f->nodes[f->n_nodes - 1];
        char *t = realloc(n->text, n->len + 2);
        if (t == NULL)
            return false;
        t[n->len++] = c;
        t[n->len] = '\0';
        n->text = t;
        return true;
    }
    struct node n = {.kind = NODE_LITERAL, .text = malloc(2), .len = 1};
    if (n.text == NULL)
        return false;
    n.text[0] = c;
    n.text[1] = '\0';
    if (!push_node(f, cap, n)) {
        free(n.text);
        return false;
    }
    return true;
}

enum lad_status lad_logformat_compile(struct lad_ctx *ctx, const char *format, struct lad_logformat **out)
{
    *out = NULL;
    struct lad_logformat *f = calloc(1, sizeof *f);
    if (f == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory compiling the log format");
    f->content = -1;
    size_t cap = 0;
    int open_groups[8], depth = 0;
    bool may_merge = true; /* false right after a group closed */
    enum lad_status st = LAD_OK;
    const char *p = format;
    while (*p && st == LAD_OK) {
        if (*p == '<') {
            const char *close = p + 1;
            while (*close && *close != '>' && *close != '<')
                close++;
            if (*close == '>' && close > p + 1) {
                size_t len = (size_t)(close - p - 1);
                for (int i = 0; i < f->n_fields; i++)
                    if (strlen(f->names[i]) == len && strncmp(f->names[i], p + 1, len) == 0)
                        st = lad_fail(ctx, LAD_ERR_USAGE, "log format: field <%.*s> appears twice", (int)len, p + 1);
                if (st == LAD_OK && f->n_fields == LAD_LOGFORMAT_MAX_FIELDS)
                    st = lad_fail(ctx, LAD_ERR_USAGE, "log format: more than %d fields", LAD_LOGFORMAT_MAX_FIELDS);
                if (st != LAD_OK)
                    break;
                f->names[f->n_fields] = lad_strndup(p + 1, len);
                if (f->names[f->n_fields] == NULL ||
                    !push_node(f, &cap, (struct node){.kind = NODE_FIELD, .field = f->n_fields})) {
                    st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory compiling the log format");
                    break;
                }
                if (len == 7 && strncmp(p + 1, "Content", 7) == 0)
                    f->content = f->n_fields;
                f->n_fields++;
                p = close + 1;
                continue;
            }
        }
        bool ok = true, merge = may_merge;
        may_merge = true;
        if (*p == ' ') {
            while (*p == ' ')
                p++;
            ok = push_node(f, &cap, (struct node){.kind = NODE_SPACE});
        } else if (*p == '\\' && p[1] != '\0') {
            ok = append_literal(f, &cap, p[1], merge);
            p += 2;
        } else if (*p == '(') {
            if (depth == 8) {
                st = lad_fail(ctx, LAD_ERR_USAGE, "log format: optional groups nested too deeply");
                break;
            }
            open_groups[depth++] = f->n_nodes;
            ok = push_node(f, &cap, (struct node){.kind = NODE_OPTIONAL});
            p++;
        } else if (*p == ')') {
            if (depth == 0 || p[1] != '?') {
                st = lad_fail(ctx, LAD_ERR_USAGE, "log format: ')' must close an optional group '(...)?' in '%s'",
                              format);
                break;
            }
            int g = open_groups[--depth];
            f->nodes[g].n_children = f->n_nodes - g - 1;
            may_merge = false;
            p += 2;
        } else {
            ok = append_literal(f, &cap, *p, merge);
            p++;
        }
        if (!ok)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory compiling the log format");
    }
    if (st == LAD_OK && depth != 0)
        st = lad_fail(ctx, LAD_ERR_USAGE, "log format: unclosed '(' in '%s'", format);
    if (st == LAD_OK && f->content < 0)
        st = lad_fail(ctx, LAD_ERR_USAGE, "log format '%s' has no <Content> field", format);
    if (st != LAD_OK) {
        lad_logformat_free(&f);
        return st;
    }
    *out = f;
    return LAD_OK;
}

int lad_logformat_n_fields(const struct lad_logformat *fmt) { return fmt->n_fields; }
const char *lad_logformat_field_name(const struct lad_logformat *fmt, int i) { return fmt->names[i]; }
int lad_logformat_content_index(const struct lad_logformat *fmt) { return fmt->content; }

int lad_logformat_field_index(const struct lad_logformat *fmt, const char *name)
{
    for (int i = 0; i < fmt->n_fields; i++)
        if (strcmp(fmt->names[i], name) == 0)
            return i;
    return -1;
}

/* Length of a node including its group's children. */
static int node_span(const struct node *seq, int i)
{
    return seq[i].kind == NODE_OPTIONAL ? 1 + seq[i].n_children : 1;
}

/* The first node that will be matched after position i of seq (following continuations), or NULL at
 * the very end. Used only as a hint to skip impossible field ends, so optional groups count as
 * "anything may come next". */
static const struct node *next_node(const struct node *seq, int i, int n, const struct cont *k)
{
    while (i >= n) {
        if (k == NULL)
            return NULL;
        seq = k->seq;
        n = k->n;
        i = 0;
        k = k->next;
    }
    return &seq[i];
}

struct match_state {
    const char *s;
    size_t end;
    struct lad_header *hdr;
    /*
     * fail_from[f]: field f, started at any position >= this, cannot lead to a match. A field's node
     * is always followed by the same continuation, and a lazy field started later has a subset of
     * the ends of one started earlier, so one failure rules out every later start. Without this, a
     * line that does not fit (many spaces, no match) made the backtracking exponential in the number
     * of fields: minutes for one 2 KB line (found by tests/fuzz/fuzz_logformat).
     */
    size_t fail_from[LAD_LOGFORMAT_MAX_FIELDS];
};

static bool match_seq(const struct match_state *m, const struct node *seq, int n, size_t pos,
                      const struct cont *k);

static bool match_cont(const struct match_state *m, size_t pos, const struct cont *k)
{
    if (k == NULL)
        return pos == m->end; /* anchored: the whole line must be consumed */
    return match_seq(m, k->seq, k->n, pos, k->next);
}

static bool match_seq(const struct match_state *m, const struct node *seq, int n, size_t pos,
                      const struct cont *k)
{
    if (n == 0)
        return match_cont(m, pos, k);
    const struct node *nd = &seq[0];
    int span = node_span(seq, 0);
    const struct node *rest = seq + span;
    int n_rest = n - span;
    switch (nd->kind) {
    case NODE_LITERAL:
        if (m->end - pos < nd->len || memcmp(m->s + pos, nd->text, nd->len) != 0)
            return false;
        return match_seq(m, rest, n_rest, pos + nd->len, k);
    case NODE_SPACE: {
        /* \s+ is greedy: longest run first, then shorter ones on backtracking. */
        size_t run = 0;
        while (pos + run < m->end && is_space(m->s[pos + run]))
            run++;
        for (size_t l = run; l >= 1; l--)
            if (match_seq(m, rest, n_rest, pos + l, k))
                return true;
        return false;
    }
    case NODE_FIELD: {
        const struct node *after = next_node(rest, 0, n_rest, k);
        if (after == NULL) { /* the last field takes the rest of the line */
            m->hdr->start[nd->field] = m->s + pos;
            m->hdr->len[nd->field] = m->end - pos;
            return true;
        }
        size_t *fail_from = &((struct match_state *)m)->fail_from[nd->field];
        if (pos >= *fail_from)
            return false;
        /* Ends at or past *fail_from were all tried by the failed later start. */
        size_t last = *fail_from <= m->end ? *fail_from - 1 : m->end;
        for (size_t e = pos; e <= last; e++) {
            /* Lazy: shortest first. Skip ends where the next node cannot start. */
            if (after->kind == NODE_LITERAL && (e >= m->end || m->s[e] != after->text[0]))
                continue;
            if (after->kind == NODE_SPACE && (e >= m->end || !is_space(m->s[e])))
                continue;
            if (match_seq(m, rest, n_rest, e, k)) {
                m->hdr->start[nd->field] = m->s + pos;
                m->hdr->len[nd->field] = e - pos;
                return true;
            }
        }
        *fail_from = pos;
        return false;
    }
    case NODE_OPTIONAL: {
        /* Greedy '?': try the group first, then without it. */
        struct cont inner = {rest, n_rest, k};
        if (match_seq(m, seq + 1, nd->n_children, pos, &inner))
            return true;
        return match_seq(m, rest, n_rest, pos, k);
    }
    }
    return false;
}

bool lad_logformat_match(const struct lad_logformat *fmt, const char *line, size_t len, struct lad_header *hdr)
{
    size_t b = 0, e = len;
    while (b < e && is_space(line[b]))
        b++;
    while (e > b && is_space(line[e - 1]))
        e--;
    hdr->n_fields = fmt->n_fields;
    for (int i = 0; i < fmt->n_fields; i++) {
        hdr->start[i] = NULL;
        hdr->len[i] = 0;
    }
    struct match_state m = {line + b, e - b, hdr, {0}};
    for (int i = 0; i < LAD_LOGFORMAT_MAX_FIELDS; i++)
        m.fail_from[i] = SIZE_MAX;
    return match_seq(&m, fmt->nodes, fmt->n_nodes, 0, NULL);
}

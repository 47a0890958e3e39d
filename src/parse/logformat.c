/*
 * logformat.c - logparser-style header formats, compiled once and matched in time linear in the line.
 *
 * Semantics. A format is the regex logparser builds from it: fields are lazy `(.*?)`, a run of spaces
 * is a greedy `\s+`, `(...)?` a greedy optional group, the whole stripped line anchored at both ends.
 * The result is that of a backtracking regex engine: the first success in priority order (shorter
 * field first, longer space run first, the group before skipping it). tests/unit/test_logformat.c
 * checks every line of the 16 loghub samples, random formats and hostile lines against PCRE2 compiled
 * from the same format string.
 *
 * Why not PCRE2 per line. PCRE2 with JIT splits an HDFS header in 65-70 ns (measured on the synthetic
 * HDFS log of README "Speed", with the Content field made greedy; ~105 ns as logparser writes it), the
 * old recursive matcher in ~72 ns, this one in ~33 ns. And PCRE2 is a backtracking engine: a line of
 * 80 spaces needs its match limit, and a line that really fits but needs more steps than the limit
 * would be miscounted as malformed. This matcher is linear by construction and exact.
 *
 * Why linear. The format compiles to a program of nodes in which every jump goes forward (node i
 * continues at i + 1; an optional group may also be skipped), so "does the rest of the format match
 * from node i at byte p" depends on (i, p) only. The matcher first follows the first-choice path
 * without any bookkeeping (almost every line matches on it). When that fails it backtracks, remembering
 * what failed as intervals, which the structure makes exact:
 *   - a field that fails at p fails at every later p too (it tries a superset of ends from p), so one
 *     number per field node (fail_from) says where it is dead, and its scans never overlap;
 *   - a space run that fails at p fails at every later p of the same run: one interval per space node;
 *   - from those, dead_from(i) bounds where any node can still succeed, which cuts every scan short.
 * Each field scans each byte at most once and each space node tries each target about once, so a
 * match costs O(nodes x bytes) in the worst case and a few memchr passes on hostile lines (a 64 MB
 * line of spaces: milliseconds with the HDFS format, under 0.2 s with any preset). A step cap (a multiple of the line length) is the last guard:
 * a line that reaches it counts as malformed.
 */
#include "lad_logformat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_mem.h"
#include "parse_internal.h"

/* Nodes of one format (fields, separators, groups, the end): far more than any real format needs. */
#define MAX_NODES 128

/* The step cap of one backtracking match, per byte and node. Hostile lines and random formats take at
 * most about one step per byte and node; the cap only bounds a case the analysis above missed. */
#define STEPS_PER_BYTE 4

enum node_kind { NODE_LITERAL, NODE_SPACE, NODE_FIELD, NODE_OPTIONAL, NODE_END };

struct node {
    enum node_kind kind;
    char *text;     /* NODE_LITERAL: the literal bytes */
    size_t len;
    int field;      /* NODE_FIELD: field index */
    bool final;     /* NODE_FIELD directly before NODE_END: takes the rest of the line */
    int n_children; /* NODE_OPTIONAL: the next n_children nodes form the group; skipping it goes past them */
    /* The bytes the node can begin with (as the next node of a field: where the field may end), unless
     * starts_any (a field comes first); starts_at_end: it can match at the end of the line. */
    uint8_t starts[32];
    bool starts_any, starts_at_end;
};

/*
 * A step of the first-choice path of a format without groups: the nodes with each field fused with the
 * node after it, so that a header such as HDFS's "<Date> <Time> <Pid> <Level> <Component>: <Content>"
 * is seven steps, each a scan and a store, instead of twelve nodes that each dispatch and look again
 * at the byte the previous one stopped at.
 */
enum step_kind {
    STEP_TO_SPACE, /* field up to the first whitespace byte, then the space run */
    STEP_TO_BYTE,  /* field up to the literal's first byte, then the literal */
    STEP_EMPTY,    /* field followed by a field: empty on the first path */
    STEP_REST,     /* final field: the rest of the line */
    STEP_LITERAL,
    STEP_SPACE,
    STEP_END
};

struct step {
    enum step_kind kind;
    int field;        /* the field steps */
    const char *text; /* STEP_TO_BYTE, STEP_LITERAL: the literal */
    size_t len;
};

struct lad_logformat {
    struct node *nodes; /* ends with one NODE_END */
    int n_nodes;
    bool simple;        /* no optional group: the first-choice path is a plain loop */
    struct step plan[MAX_NODES]; /* if simple: the first-choice path, steps up to STEP_END or STEP_REST */
    int required[MAX_NODES]; /* literal nodes outside groups, in order: every match holds them */
    int n_required;
    char *names[LAD_LOGFORMAT_MAX_FIELDS];
    int n_fields;
    int content;
};

static inline bool is_space(char c) { return lad__is_space(c); }

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
    if (f->n_nodes == MAX_NODES || !lad_grow(&p, cap, (size_t)f->n_nodes + 1, sizeof n))
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

/*
 * The steps of a format without groups. A field ends where its next node may begin (next_end): before
 * a literal at the literal's first byte, before a space run at the first whitespace byte, before
 * another field at once (empty), before the end at the end; fusing the two nodes keeps those rules.
 */
static void compile_plan(struct lad_logformat *f)
{
    struct step *st = f->plan;
    for (int i = 0; i < f->n_nodes; i++, st++) {
        const struct node *nd = &f->nodes[i], *next = i + 1 < f->n_nodes ? nd + 1 : NULL;
        *st = (struct step){.kind = STEP_END, .field = nd->field, .text = nd->text, .len = nd->len};
        switch (nd->kind) {
        case NODE_END:
            return;
        case NODE_LITERAL:
            st->kind = STEP_LITERAL;
            break;
        case NODE_SPACE:
            st->kind = STEP_SPACE;
            break;
        case NODE_OPTIONAL: /* not in a simple format */
            return;
        case NODE_FIELD:
            if (nd->final) {
                st->kind = STEP_REST;
                return;
            }
            if (next->kind == NODE_FIELD) {
                st->kind = STEP_EMPTY;
                break;
            }
            st->kind = next->kind == NODE_SPACE ? STEP_TO_SPACE : STEP_TO_BYTE;
            st->text = next->text;
            st->len = next->len;
            i++; /* the node it ends at is part of the step */
            break;
        }
    }
}

/* After parsing: the end node, which fields take the rest of the line, whether any group exists. */
static bool finish_program(struct lad_logformat *f, size_t *cap)
{
    if (!push_node(f, cap, (struct node){.kind = NODE_END}))
        return false;
    f->simple = true;
    for (int i = 0; i + 1 < f->n_nodes; i++) {
        f->nodes[i].final = f->nodes[i].kind == NODE_FIELD && f->nodes[i + 1].kind == NODE_END;
        if (f->nodes[i].kind == NODE_OPTIONAL)
            f->simple = false;
    }
    for (int i = f->n_nodes - 1; i >= 0; i--) { /* first bytes, from the end: node i depends on later ones */
        struct node *nd = &f->nodes[i];
        if (nd->kind == NODE_LITERAL)
            nd->starts[(unsigned char)nd->text[0] / 8] |= (uint8_t)(1u << ((unsigned char)nd->text[0] % 8));
        else if (nd->kind == NODE_SPACE)
            for (int c = 0; c < 256; c++)
                if (is_space((char)c))
                    nd->starts[c / 8] |= (uint8_t)(1u << (c % 8));
        nd->starts_any = nd->kind == NODE_FIELD;
        nd->starts_at_end = nd->kind == NODE_END;
        if (nd->kind == NODE_OPTIONAL) {
            const struct node *a = &f->nodes[i + 1], *b = &f->nodes[i + 1 + nd->n_children];
            for (int k = 0; k < 32; k++)
                nd->starts[k] = a->starts[k] | b->starts[k];
            nd->starts_any = a->starts_any || b->starts_any;
            nd->starts_at_end = a->starts_at_end || b->starts_at_end;
        }
    }
    for (int i = 0; i < f->n_nodes; i += f->nodes[i].kind == NODE_OPTIONAL ? 1 + f->nodes[i].n_children : 1)
        if (f->nodes[i].kind == NODE_LITERAL)
            f->required[f->n_required++] = i;
    if (f->simple)
        compile_plan(f);
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
                    lad_free(&f->names[f->n_fields]); /* not counted yet: lad_logformat_free would miss it */
                    st = lad_fail(ctx, LAD_ERR_NOMEM, "log format: out of memory or more than %d parts", MAX_NODES);
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
            st = lad_fail(ctx, LAD_ERR_NOMEM, "log format: out of memory or more than %d parts", MAX_NODES);
    }
    if (st == LAD_OK && depth != 0)
        st = lad_fail(ctx, LAD_ERR_USAGE, "log format: unclosed '(' in '%s'", format);
    if (st == LAD_OK && f->content < 0)
        st = lad_fail(ctx, LAD_ERR_USAGE, "log format '%s' has no <Content> field", format);
    if (st == LAD_OK && !finish_program(f, &cap))
        st = lad_fail(ctx, LAD_ERR_NOMEM, "log format: out of memory or more than %d parts", MAX_NODES);
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

/*
 * The first end in [from, to) that a field may take when node `next` follows it: only where `next` can
 * begin (its literal's first byte, a space), or `to` when there is none. Skipping the other ends only
 * saves calls that would fail at once. s[0, len) is the line; `to` may be len + 1.
 */
static inline size_t next_end(const struct node *next, const char *s, size_t len, size_t from, size_t to)
{
    if (next->kind == NODE_LITERAL || next->kind == NODE_SPACE) {
        size_t stop = to < len ? to : len; /* both need a byte at the end position */
        if (from >= stop)
            return to;
        size_t e = next->kind == NODE_LITERAL ? lad__find_byte(s, from, stop, next->text[0]) : lad__find_space(s, from, stop);
        return e < stop ? e : to;
    }
    if (next->kind == NODE_OPTIONAL && !next->starts_any) {
        size_t stop = to < len ? to : len;
        while (from < stop && !(next->starts[(unsigned char)s[from] / 8] & (1u << ((unsigned char)s[from] % 8))))
            from++;
        if (from < stop)
            return from;
        return next->starts_at_end && from <= len && len < to ? len : to;
    }
    return from < to ? from : to;
}

/*
 * The first-choice path of a format without groups: each field takes its first possible end, each
 * space run all of its spaces. Equal to the backtracking result whenever it succeeds, since that is
 * the first path a backtracking engine tries; false means "backtracking needed", not "no match".
 */
static bool match_first_path(const struct lad_logformat *f, const char *s, size_t len, struct lad_header *hdr)
{
    size_t pos = 0, e;
    for (const struct step *st = f->plan;; st++) {
        switch (st->kind) {
        case STEP_END:
            return pos == len;
        case STEP_REST:
            hdr->start[st->field] = s + pos;
            hdr->len[st->field] = len - pos;
            return true;
        case STEP_EMPTY:
            hdr->start[st->field] = s + pos;
            hdr->len[st->field] = 0;
            break;
        case STEP_TO_SPACE:
            if (pos >= len || (e = lad__find_space(s, pos, len)) == len)
                return false;
            hdr->start[st->field] = s + pos;
            hdr->len[st->field] = e - pos;
            pos = e + 1; /* s[e] is whitespace: the run goes on from the byte after it */
            while (pos < len && is_space(s[pos])) /* runs are short: one or two bytes */
                pos++;
            break;
        case STEP_TO_BYTE:
            if (pos >= len || (e = lad__find_byte(s, pos, len, st->text[0])) == len)
                return false;
            if (len - e < st->len || (st->len > 1 && memcmp(s + e + 1, st->text + 1, st->len - 1) != 0))
                return false;
            hdr->start[st->field] = s + pos;
            hdr->len[st->field] = e - pos;
            pos = e + st->len;
            break;
        case STEP_LITERAL:
            if (len - pos < st->len || s[pos] != st->text[0] ||
                (st->len > 1 && memcmp(s + pos + 1, st->text + 1, st->len - 1) != 0))
                return false;
            pos += st->len;
            break;
        case STEP_SPACE:
            if (pos == len || !is_space(s[pos]))
                return false;
            do
                pos++;
            while (pos < len && is_space(s[pos]));
            break;
        }
    }
}

/* State of one backtracking match; see the head comment for what the intervals mean. */
struct matcher {
    const struct node *nodes;
    const char *s;
    size_t len;
    struct lad_header *hdr;
    uint64_t steps, max_steps; /* steps > max_steps: give up, the line counts as malformed */
    uint64_t epoch;            /* bumped whenever a fail_from shrinks: dead_from values are then stale */
    size_t fail_from[MAX_NODES];          /* NODE_FIELD: fails at every position >= this */
    size_t run_lo[MAX_NODES], run_hi[MAX_NODES]; /* NODE_SPACE: fails at every position of [lo, hi) */
    size_t dead[MAX_NODES];               /* cache of dead_from, valid when dead_epoch == epoch */
    uint64_t dead_epoch[MAX_NODES];
};

static bool match_node(struct matcher *m, int i, size_t pos);

static size_t sat_sub(size_t a, size_t b) { return a > b ? a - b : 0; }

/* A position from which node i surely fails everywhere onward (len + 1 when nothing is known). */
static size_t dead_from(struct matcher *m, int i)
{
    if (m->dead_epoch[i] == m->epoch)
        return m->dead[i];
    const struct node *nd = &m->nodes[i];
    size_t d = m->len + 1;
    switch (nd->kind) {
    case NODE_END:
        break;
    case NODE_FIELD:
        if (!nd->final) {
            size_t next = dead_from(m, i + 1);
            d = m->fail_from[i] < next ? m->fail_from[i] : next;
        }
        break;
    case NODE_SPACE: /* every target of a space run lies after its start */
        d = sat_sub(dead_from(m, i + 1), 1);
        break;
    case NODE_LITERAL:
        d = sat_sub(dead_from(m, i + 1), nd->len);
        break;
    case NODE_OPTIONAL: {
        size_t in = dead_from(m, i + 1), skip = dead_from(m, i + 1 + nd->n_children);
        d = in > skip ? in : skip;
        break;
    }
    }
    m->dead[i] = d;
    m->dead_epoch[i] = m->epoch;
    return d;
}

/* Lazy field at pos: the shortest end from which the rest matches. */
static bool match_field(struct matcher *m, int i, size_t pos)
{
    const struct node *nd = &m->nodes[i];
    if (!nd->final) {
        if (pos >= m->fail_from[i])
            return false;
        size_t to = m->fail_from[i]; /* ends from here on are known to fail */
        uint64_t seen = 0;             /* the epoch `to` reflects */
        size_t e = pos;
        for (;;) {
            if (m->epoch != seen) { /* a failure below may have cut the ends still worth trying */
                size_t d = dead_from(m, i + 1);
                to = d < to ? d : to;
                seen = m->epoch;
            }
            e = next_end(nd + 1, m->s, m->len, e, to);
            if (e >= to || match_node(m, i + 1, e))
                break;
            if (++m->steps > m->max_steps)
                return false;
            e++;
        }
        if (e >= to) {
            m->fail_from[i] = pos;
            m->epoch++;
            return false;
        }
        m->hdr->len[nd->field] = e - pos;
    } else
        m->hdr->len[nd->field] = m->len - pos;
    m->hdr->start[nd->field] = m->s + pos;
    return true;
}

/* Greedy run of whitespace at pos: the longest run first, then shorter ones. */
static bool match_space(struct matcher *m, int i, size_t pos)
{
    const char *s = m->s;
    if (pos >= m->len || !is_space(s[pos]) || (pos >= m->run_lo[i] && pos < m->run_hi[i]))
        return false;
    size_t limit = m->len; /* highest target worth trying */
    if (m->epoch > 0) {
        size_t d = sat_sub(dead_from(m, i + 1), 1);
        limit = d < limit ? d : limit;
    }
    if (limit <= pos)
        return false;
    /* The run's end, but no further than the limit, and no further than the recorded run when this is
     * the same run seen from an earlier position (its targets are known to fail). */
    size_t top = pos + 1;
    while (top < limit && top != m->run_lo[i] && is_space(s[top]))
        top++;
    size_t hi = top == m->run_lo[i] ? m->run_hi[i] : top;
    uint64_t seen = m->epoch;
    for (size_t q = top; q > pos; q--) {
        if (m->epoch != seen) { /* targets at or past dead_from of the next node need no try */
            size_t d = dead_from(m, i + 1);
            if (d <= q)
                q = d > pos + 1 ? d - 1 : pos + 1;
            seen = m->epoch;
            if (d <= pos + 1)
                break;
        }
        if (match_node(m, i + 1, q))
            return true;
        if (++m->steps > m->max_steps)
            return false;
    }
    m->run_lo[i] = pos;
    m->run_hi[i] = hi;
    return false;
}

static bool match_node(struct matcher *m, int i, size_t pos)
{
    if (++m->steps > m->max_steps)
        return false;
    const struct node *nd = &m->nodes[i];
    switch (nd->kind) {
    case NODE_END:
        return pos == m->len;
    case NODE_LITERAL:
        return m->len - pos >= nd->len && memcmp(m->s + pos, nd->text, nd->len) == 0 &&
               match_node(m, i + 1, pos + nd->len);
    case NODE_SPACE:
        return match_space(m, i, pos);
    case NODE_FIELD:
        return match_field(m, i, pos);
    case NODE_OPTIONAL: /* greedy '?': the group first, then without it */
        return match_node(m, i + 1, pos) || match_node(m, i + 1 + nd->n_children, pos);
    }
    return false;
}

/*
 * A necessary condition, checked before backtracking: the literals outside groups occur in order (with
 * whitespace after those that a space run follows). Taking each one's earliest occurrence is optimal,
 * so one forward pass decides it. Most hostile lines fail here at memchr speed (no ':' in a line of
 * spaces), before the backtracking walks their runs.
 */
static bool has_required_literals(const struct lad_logformat *f, const char *s, size_t len)
{
    size_t at = 0;
    for (int r = 0; r < f->n_required; r++) {
        const struct node *nd = &f->nodes[f->required[r]];
        bool ws_after = nd[1].kind == NODE_SPACE;
        for (;;) {
            const char *hit = at < len ? memmem(s + at, len - at, nd->text, nd->len) : NULL;
            if (hit == NULL)
                return false;
            at = (size_t)(hit - s) + nd->len;
            if (!ws_after)
                break;
            if (at < len && is_space(s[at])) {
                at++;
                break;
            }
            at = (size_t)(hit - s) + 1;
        }
    }
    return true;
}

/* The general matcher: backtracking with the failure intervals, under the step cap. */
static bool match_backtrack(const struct lad_logformat *f, const char *s, size_t len, struct lad_header *hdr,
                            uint64_t *steps)
{
    *steps = 0;
    if (!has_required_literals(f, s, len))
        return false;
    struct matcher m;
    m.nodes = f->nodes;
    m.s = s;
    m.len = len;
    m.hdr = hdr;
    m.steps = 0;
    m.max_steps = STEPS_PER_BYTE * ((uint64_t)len + 16) * (uint64_t)f->n_nodes;
    m.epoch = 0;
    for (int i = 0; i < f->n_nodes; i++) {
        m.fail_from[i] = len + 1;
        m.run_lo[i] = m.run_hi[i] = SIZE_MAX;
        m.dead_epoch[i] = UINT64_MAX;
    }
    bool ok = match_node(&m, 0, 0);
    *steps = m.steps;
    return ok && m.steps <= m.max_steps;
}

bool lad_logformat_match(const struct lad_logformat *fmt, const char *line, size_t len, struct lad_header *hdr)
{
    size_t b = 0, e = len;
    while (b < e && is_space(line[b]))
        b++;
    while (e > b && is_space(line[e - 1]))
        e--;
    hdr->n_fields = fmt->n_fields;
    /* Without groups every field lies on every path, so a match sets them all. */
    if (fmt->simple && match_first_path(fmt, line + b, e - b, hdr))
        return true;
    for (int i = 0; i < fmt->n_fields; i++) { /* fields of a skipped group stay NULL */
        hdr->start[i] = NULL;
        hdr->len[i] = 0;
    }
    uint64_t steps;
    return match_backtrack(fmt, line + b, e - b, hdr, &steps);
}

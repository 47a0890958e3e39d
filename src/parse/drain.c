/*
 * drain.c - the Drain parse tree, with the semantics of logparser's Drain.py (the implementation
 * whose accuracy the loghub benchmark publishes), so that "Drain with the benchmark settings" means
 * the same thing here and there:
 *
 *   root -> one node per token count -> up to depth-3 layers keyed by the leading tokens -> a leaf
 *   holding clusters. A token holding a digit always goes down the <*> child; a node with max_children
 *   children sends further new tokens to <*> (Drain.py's exact counting, <*> included). At the leaf
 *   the cluster with the highest similarity (equal non-<*> template tokens / length) wins, ties going
 *   to the one with more <*>, then to the older one; it is taken when similarity >= st, and then every
 *   template token that differs from the message becomes <*>. A token that is a variable as a whole
 *   ("<*>", and with the punctuation that masking keeps, "(<*>),", "/<*>"; lad_mask.h) is the <*> it
 *   stands for: it goes down the <*> child and never counts as an equal token.
 *
 * One deliberate difference: Drain.py attaches a new cluster to a leaf only when the sequence has at
 * least depth-2 tokens, so shorter sequences never match anything and every line of them becomes a
 * cluster of its own. Here a short sequence is attached after its last token, so identical short
 * messages share a cluster (with distinct keys, the quirk could not be reproduced anyway).
 *
 * Tokens are interned, so templates are arrays of token ids and similarity compares integers. Tree
 * edges live in one open-addressing table keyed by (parent node, label).
 */
#include "lad_drain.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_hash.h"
#include "lad_mask.h"
#include "lad_mem.h"

#define WILD 0 /* token id of "<*>" */
#define DEFAULT_MAX_CHILDREN 100

struct node {
    int32_t n_children;
    int32_t *clusters; /* leaf: cluster ids in creation order */
    int32_t n_clusters, cap_clusters;
};

struct cluster {
    int32_t n_tokens;
    int32_t *tokens; /* template as token ids */
    int32_t n_wild;
    char *text;      /* template text, rebuilt when a token turns into <*> */
};

struct edge {
    uint64_t key; /* parent node id << 32 | label (token id, or token count under the root) */
    int32_t child;
};

struct lad_drain {
    int token_layers; /* depth - 3: leading tokens that choose the leaf */
    double st;
    int max_children;
    /* interned tokens */
    struct strtab {
        char *arena;
        size_t arena_len, arena_cap;
        size_t *off;
        uint32_t *len;
        bool *digit;    /* holds a digit: Drain.py sends it down the <*> child */
        bool *variable; /* a variable as a whole ("<*>", "(<*>),"): never an equal constant */
        int32_t n;
        size_t cap;
        int32_t *slots; /* id + 1 */
        size_t n_slots;
    } tok;
    /* tree */
    struct node *nodes;
    int32_t n_nodes;
    size_t cap_nodes;
    struct edge *edges; /* child == -1: empty */
    size_t n_edges, n_edge_slots;
    /* clusters */
    struct cluster *clusters;
    int32_t n_clusters;
    size_t cap_clusters;
    /* scratch: the token ids of the sequence being added */
    int32_t *seq;
    size_t cap_seq;
};

static bool has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return true;
    return false;
}

/* ---- token interning ---- */

static bool strtab_rehash(struct strtab *t)
{
    size_t n_slots = t->n_slots ? 2 * t->n_slots : 1024;
    int32_t *slots = lad_calloc_array(n_slots, sizeof *slots);
    if (slots == NULL)
        return false;
    for (int32_t id = 0; id < t->n; id++) {
        size_t i = lad_hash_bytes(t->arena + t->off[id], t->len[id], 0) & (n_slots - 1);
        while (slots[i] != 0)
            i = (i + 1) & (n_slots - 1);
        slots[i] = id + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->n_slots = n_slots;
    return true;
}

/* Id of token s[0, n), interning it if new; -1 on allocation failure. */
static int32_t intern(struct strtab *t, const char *s, size_t n)
{
    if (t->n_slots == 0 && !strtab_rehash(t))
        return -1;
    size_t mask = t->n_slots - 1, i = lad_hash_bytes(s, n, 0) & mask;
    for (; t->slots[i] != 0; i = (i + 1) & mask) {
        int32_t id = t->slots[i] - 1;
        if (t->len[id] == n && memcmp(t->arena + t->off[id], s, n) == 0)
            return id;
    }
    if (t->n == INT32_MAX - 1 || n > UINT32_MAX)
        return -1;
    if ((size_t)t->n >= t->cap) {
        size_t cap = t->cap;
        void *a = t->off, *b = t->len, *c = t->digit, *v = t->variable;
        bool ok = lad_grow(&a, &cap, (size_t)t->n + 1, sizeof *t->off);
        t->off = a;
        cap = t->cap;
        ok = ok && lad_grow(&b, &cap, (size_t)t->n + 1, sizeof *t->len);
        t->len = b;
        cap = t->cap;
        ok = ok && lad_grow(&c, &cap, (size_t)t->n + 1, sizeof *t->digit);
        t->digit = c;
        cap = t->cap;
        ok = ok && lad_grow(&v, &cap, (size_t)t->n + 1, sizeof *t->variable);
        t->variable = v;
        if (!ok)
            return -1;
        t->cap = cap;
    }
    void *arena = t->arena;
    if (!lad_grow(&arena, &t->arena_cap, t->arena_len + n + 1, 1))
        return -1;
    t->arena = arena;
    int32_t id = t->n++;
    memcpy(t->arena + t->arena_len, s, n);
    t->arena[t->arena_len + n] = '\0';
    t->off[id] = t->arena_len;
    t->len[id] = (uint32_t)n;
    t->digit[id] = has_digit(s, n);
    t->variable[id] = lad_mask_token_is_variable(s, n);
    t->arena_len += n + 1;
    t->slots[i] = id + 1;
    if ((size_t)t->n * 2 > t->n_slots && !strtab_rehash(t))
        return -1;
    return id;
}

static void strtab_free(struct strtab *t)
{
    lad_free(&t->arena);
    lad_free(&t->off);
    lad_free(&t->len);
    lad_free(&t->digit);
    lad_free(&t->variable);
    lad_free(&t->slots);
}

/* ---- tree ---- */

/* The edge label of a token: a variable token ("<*>", "(<*>),") goes down the <*> child, as the
 * plain <*> it stands for does in Drain.py. */
static int32_t label(const struct lad_drain *d, int32_t tok)
{
    return d->tok.variable[tok] ? WILD : tok;
}

static int32_t new_node(struct lad_drain *d)
{
    void *p = d->nodes;
    if (d->n_nodes == INT32_MAX || !lad_grow(&p, &d->cap_nodes, (size_t)d->n_nodes + 1, sizeof *d->nodes))
        return -1;
    d->nodes = p;
    memset(&d->nodes[d->n_nodes], 0, sizeof *d->nodes);
    return d->n_nodes++;
}

static uint64_t edge_key(int32_t parent, int32_t label)
{
    return (uint64_t)(uint32_t)parent << 32 | (uint32_t)label;
}

static size_t edge_slot(const struct lad_drain *d, uint64_t key)
{
    size_t mask = d->n_edge_slots - 1, i = lad_hash_u64(key) & mask;
    while (d->edges[i].child >= 0 && d->edges[i].key != key)
        i = (i + 1) & mask;
    return i;
}

/* Child of parent under label, or -1. */
static int32_t child(const struct lad_drain *d, int32_t parent, int32_t label)
{
    const struct edge *e = &d->edges[edge_slot(d, edge_key(parent, label))];
    return e->child;
}

static bool edges_grow(struct lad_drain *d)
{
    size_t n_slots = 2 * d->n_edge_slots;
    struct edge *old = d->edges, *e = lad_malloc_array(n_slots, sizeof *e);
    if (e == NULL)
        return false;
    for (size_t i = 0; i < n_slots; i++)
        e[i].child = -1;
    size_t old_slots = d->n_edge_slots;
    d->edges = e;
    d->n_edge_slots = n_slots;
    for (size_t i = 0; i < old_slots; i++)
        if (old[i].child >= 0)
            d->edges[edge_slot(d, old[i].key)] = old[i];
    free(old);
    return true;
}

/* Creates the child of parent under label; -1 on allocation failure. */
static int32_t add_child(struct lad_drain *d, int32_t parent, int32_t label)
{
    if ((d->n_edges + 1) * 2 > d->n_edge_slots && !edges_grow(d))
        return -1;
    int32_t c = new_node(d);
    if (c < 0)
        return -1;
    struct edge *e = &d->edges[edge_slot(d, edge_key(parent, label))];
    e->key = edge_key(parent, label);
    e->child = c;
    d->n_edges++;
    d->nodes[parent].n_children++;
    return c;
}

/* ---- clusters ---- */

/* Equal non-<*> tokens and <*> count of template c against the sequence (Drain.py's seqDist). */
static double similarity(const struct lad_drain *d, const struct cluster *c, const int32_t *seq, int32_t *n_wild)
{
    int32_t same = 0;
    for (int32_t i = 0; i < c->n_tokens; i++)
        same += !d->tok.variable[c->tokens[i]] && c->tokens[i] == seq[i];
    *n_wild = c->n_wild;
    /* The empty sequence has one cluster at most, and it matches itself. */
    return c->n_tokens ? (double)same / (double)c->n_tokens : 1.0;
}

static bool rebuild_text(struct lad_drain *d, struct cluster *c)
{
    size_t len = 1;
    for (int32_t i = 0; i < c->n_tokens; i++)
        len += d->tok.len[c->tokens[i]] + 1;
    char *text = malloc(len), *w = text;
    if (text == NULL)
        return false;
    for (int32_t i = 0; i < c->n_tokens; i++) {
        if (i > 0)
            *w++ = ' ';
        memcpy(w, d->tok.arena + d->tok.off[c->tokens[i]], d->tok.len[c->tokens[i]]);
        w += d->tok.len[c->tokens[i]];
    }
    *w = '\0';
    free(c->text);
    c->text = text;
    return true;
}

/* Drain.py's treeSearch + fastMatch: the cluster for seq, or -1. */
static int32_t tree_search(const struct lad_drain *d, const int32_t *seq, int32_t n)
{
    int32_t node = child(d, 0, n);
    if (node < 0)
        return -1;
    int32_t layers = n < d->token_layers ? n : d->token_layers;
    for (int32_t i = 0; i < layers; i++) {
        int32_t next = child(d, node, label(d, seq[i]));
        if (next < 0)
            next = child(d, node, WILD);
        if (next < 0)
            return -1;
        node = next;
    }
    const struct node *leaf = &d->nodes[node];
    int32_t best = -1, best_wild = -1;
    double best_sim = -1;
    for (int32_t k = 0; k < leaf->n_clusters; k++) {
        int32_t wild;
        double sim = similarity(d, &d->clusters[leaf->clusters[k]], seq, &wild);
        if (sim > best_sim || (sim == best_sim && wild > best_wild)) {
            best_sim = sim;
            best_wild = wild;
            best = leaf->clusters[k];
        }
    }
    return best >= 0 && best_sim >= d->st ? best : -1;
}

/* Drain.py's addSeqToPrefixTree for a new cluster; false on allocation failure. */
static bool tree_insert(struct lad_drain *d, int32_t cid)
{
    const struct cluster *c = &d->clusters[cid];
    int32_t n = c->n_tokens;
    int32_t node = child(d, 0, n);
    if (node < 0 && (node = add_child(d, 0, n)) < 0)
        return false;
    int32_t layers = n < d->token_layers ? n : d->token_layers;
    for (int32_t i = 0; i < layers; i++) {
        int32_t tok = label(d, c->tokens[i]), next = child(d, node, tok);
        if (next < 0) {
            int32_t wild = child(d, node, WILD), nc = d->nodes[node].n_children;
            if (d->tok.digit[tok])
                next = wild >= 0 ? wild : add_child(d, node, WILD);
            else if (wild >= 0)
                next = nc < d->max_children ? add_child(d, node, tok) : wild;
            else if (nc + 1 < d->max_children)
                next = add_child(d, node, tok);
            else /* the last free place goes to <*>, which takes every later token */
                next = add_child(d, node, WILD);
            if (next < 0)
                return false;
        }
        node = next;
    }
    struct node *leaf = &d->nodes[node];
    void *p = leaf->clusters;
    size_t cap = (size_t)leaf->cap_clusters;
    if (!lad_grow(&p, &cap, (size_t)leaf->n_clusters + 1, sizeof *leaf->clusters) || cap > INT32_MAX)
        return false;
    leaf->clusters = p;
    leaf->cap_clusters = (int32_t)cap;
    leaf->clusters[leaf->n_clusters++] = cid;
    return true;
}

static int32_t new_cluster(struct lad_drain *d, const int32_t *seq, int32_t n)
{
    void *p = d->clusters;
    if (d->n_clusters == INT32_MAX ||
        !lad_grow(&p, &d->cap_clusters, (size_t)d->n_clusters + 1, sizeof *d->clusters))
        return -1;
    d->clusters = p;
    struct cluster *c = &d->clusters[d->n_clusters];
    memset(c, 0, sizeof *c);
    c->tokens = lad_malloc_array((size_t)n, sizeof *c->tokens);
    if (c->tokens == NULL)
        return -1;
    if (n > 0) /* an empty message has no tokens, and seq may be NULL: memcpy must not see it */
        memcpy(c->tokens, seq, (size_t)n * sizeof *seq);
    c->n_tokens = n;
    for (int32_t i = 0; i < n; i++)
        c->n_wild += d->tok.variable[seq[i]];
    if (!rebuild_text(d, c)) {
        lad_free(&c->tokens);
        return -1;
    }
    int32_t cid = d->n_clusters++;
    return tree_insert(d, cid) ? cid : -1;
}

/* ---- public ---- */

enum lad_status lad_drain_create(struct lad_ctx *ctx, const struct lad_drain_params *p, struct lad_drain **out)
{
    *out = NULL;
    if (p->depth < 3 || !(p->similarity > 0 && p->similarity <= 1) || p->max_children < 0)
        return lad_fail(ctx, LAD_ERR_USAGE, "Drain needs depth >= 3 and similarity in (0, 1] (got %d, %g)", p->depth,
                        p->similarity);
    struct lad_drain *d = calloc(1, sizeof *d);
    if (d == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the Drain tree");
    d->token_layers = p->depth - 3;
    d->st = p->similarity;
    d->max_children = p->max_children > 0 ? p->max_children : DEFAULT_MAX_CHILDREN;
    d->n_edge_slots = 1024;
    d->edges = lad_malloc_array(d->n_edge_slots, sizeof *d->edges);
    bool ok = d->edges != NULL && intern(&d->tok, "<*>", 3) == WILD && new_node(d) == 0;
    for (size_t i = 0; ok && i < d->n_edge_slots; i++)
        d->edges[i].child = -1;
    if (!ok) {
        lad_drain_free(&d);
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for the Drain tree");
    }
    *out = d;
    return LAD_OK;
}

void lad_drain_free(struct lad_drain **dp)
{
    struct lad_drain *d = *dp;
    if (d == NULL)
        return;
    for (int32_t i = 0; i < d->n_nodes; i++)
        free(d->nodes[i].clusters);
    for (int32_t i = 0; i < d->n_clusters; i++) {
        free(d->clusters[i].tokens);
        free(d->clusters[i].text);
    }
    free(d->nodes);
    free(d->clusters);
    free(d->edges);
    free(d->seq);
    strtab_free(&d->tok);
    free(d);
    *dp = NULL;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int32_t lad_drain_add(struct lad_drain *d, const char *key, size_t len)
{
    /* Tokens as Python's str.split() gives them for ASCII whitespace. */
    int32_t n = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && is_space(key[i]))
            i++;
        if (i == len)
            break;
        size_t b = i;
        while (i < len && !is_space(key[i]))
            i++;
        void *p = d->seq;
        if (n == INT32_MAX || !lad_grow(&p, &d->cap_seq, (size_t)n + 1, sizeof *d->seq))
            return -1;
        d->seq = p;
        if ((d->seq[n++] = intern(&d->tok, key + b, i - b)) < 0)
            return -1;
    }
    int32_t cid = tree_search(d, d->seq, n);
    if (cid < 0)
        return new_cluster(d, d->seq, n);
    /* Every template token that differs from the message becomes <*>. */
    struct cluster *c = &d->clusters[cid];
    bool changed = false;
    for (int32_t i = 0; i < n; i++)
        if (c->tokens[i] != d->seq[i] && c->tokens[i] != WILD) {
            c->n_wild += !d->tok.variable[c->tokens[i]];
            c->tokens[i] = WILD;
            changed = true;
        }
    if (changed && !rebuild_text(d, c))
        return -1;
    return cid;
}

int32_t lad_drain_n_clusters(const struct lad_drain *d)
{
    return d->n_clusters;
}

const char *lad_drain_template(const struct lad_drain *d, int32_t cluster)
{
    return cluster >= 0 && cluster < d->n_clusters ? d->clusters[cluster].text : NULL;
}

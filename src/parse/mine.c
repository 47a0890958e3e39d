/*
 * mine.c - template mining over the distinct keys of all ranks.
 *
 *   route     each key goes to the owner of its token count (Drain never compares sequences of
 *             different lengths, so owners never need each other's keys): one all-to-all exchange of
 *             packed records (first_pos, lines, length, text)
 *   dedupe    the owner interns what it receives: a key seen by several ranks keeps its smallest
 *             first_pos and the sum of its lines
 *   drain     the owner adds its keys to one Drain tree in order of first_pos, i.e. in the order a
 *             sequential Drain would first meet them in the log
 *   split     the owner splits Drain's clusters on positions that hold a few constant words
 *             (lad_refine_split), over the same keys in the same order
 *   number    groups (first_pos of their first key, lines, template and skeleton flags) are gathered
 *             on rank 0, which merges groups with equal constant skeletons into one event
 *             (lad_refine_merge), numbers the events M1, M2, ... by first_pos, scatters the numbers
 *             back to the owners and broadcasts the event table
 *   reply     owners answer every record they received with its event number (an exchange of
 *             int32, in the order of the records), and each rank fills keys->event
 *   keep      with an assigner (lad_assign.h), rank 0 keeps the groups and the owners' keys are
 *             collected, so a model can give new lines exactly these events
 *
 * Nothing here depends on which rank or thread saw a key first, only on the global byte offset of
 * its first line, so the result is the same for every rank and thread count.
 */
#include "lad_mine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_assign.h"
#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_events.h"
#include "lad_hash.h"
#include "lad_keytab.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "lad_refine.h"

#define REC_HEADER (2 * sizeof(int64_t) + sizeof(uint32_t))

/* What one exchange needs: byte counts and displacements per rank. */
struct xfer {
    int *scount, *sdispl, *rcount, *rdispl;
};

static bool xfer_init(struct xfer *x, int size)
{
    x->scount = lad_calloc_array((size_t)size, sizeof(int));
    x->sdispl = lad_calloc_array((size_t)size, sizeof(int));
    x->rcount = lad_calloc_array((size_t)size, sizeof(int));
    x->rdispl = lad_calloc_array((size_t)size, sizeof(int));
    return x->scount && x->sdispl && x->rcount && x->rdispl;
}

static void xfer_free(struct xfer *x)
{
    lad_free(&x->scount);
    lad_free(&x->sdispl);
    lad_free(&x->rcount);
    lad_free(&x->rdispl);
}

/* Displacements from counts; false when a total does not fit an MPI int. */
static bool displs(const int *count, int *displ, int size, size_t *total)
{
    size_t t = 0;
    for (int r = 0; r < size; r++) {
        if (t > (size_t)2147483647)
            return false;
        displ[r] = (int)t;
        t += (size_t)count[r];
    }
    *total = t;
    return t <= (size_t)2147483647;
}

static int32_t token_count(const char *s, size_t n)
{
    int32_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += (i == 0 || s[i - 1] == ' ') && s[i] != ' ';
    return c;
}

static void put_header(char *p, int64_t first_pos, int64_t lines, uint32_t len)
{
    memcpy(p, &first_pos, sizeof first_pos);
    memcpy(p + 8, &lines, sizeof lines);
    memcpy(p + 16, &len, sizeof len);
}

static void put_record(char *p, int64_t first_pos, int64_t lines, const char *text, uint32_t len)
{
    put_header(p, first_pos, lines, len);
    memcpy(p + REC_HEADER, text, len);
}

static const char *get_record(const char *p, int64_t *first_pos, int64_t *lines, uint32_t *len)
{
    memcpy(first_pos, p, sizeof *first_pos);
    memcpy(lines, p + 8, sizeof *lines);
    memcpy(len, p + 16, sizeof *len);
    return p + REC_HEADER;
}

/* State of one mining run on one rank. */
struct mine {
    struct lad_keytab owned;  /* keys this rank owns, deduplicated */
    int32_t *recv_key;        /* received record i -> owned key id */
    int64_t *recv_records;    /* records received from each rank */
    int32_t n_recv;
    int32_t *send_order;      /* send position j -> local key id */
    int64_t *send_records;    /* records sent to each rank */
    int32_t *key_cluster;     /* owned key -> local cluster (a group of the split) */
    int64_t *cl_first, *cl_lines;
    int32_t n_clusters;
    int32_t *cl_global;       /* local cluster -> global event index */
    struct lad_drain *drain;
    struct lad_refine refine; /* the local clusters: Drain's, split */
};

static void mine_free(struct mine *m)
{
    lad_keytab_free(&m->owned);
    lad_free(&m->recv_key);
    lad_free(&m->recv_records);
    lad_free(&m->send_order);
    lad_free(&m->send_records);
    lad_free(&m->key_cluster);
    lad_free(&m->cl_first);
    lad_free(&m->cl_lines);
    lad_free(&m->cl_global);
    lad_drain_free(&m->drain);
    lad_refine_free(&m->refine);
}

/* Route every local key to its owner; the owner interns what it gets. */
static enum lad_status route_keys(struct lad_ctx *ctx, const struct lad_keytab *keys, struct mine *m)
{
    int size = ctx->size;
    int *owner = lad_malloc_array((size_t)keys->n, sizeof *owner);
    int64_t *bytes = lad_calloc_array((size_t)size, sizeof *bytes);
    size_t *cursor = lad_calloc_array((size_t)size, sizeof *cursor);
    char *sbuf = NULL, *rbuf = NULL;
    m->send_order = lad_malloc_array((size_t)keys->n, sizeof *m->send_order);
    m->send_records = lad_calloc_array((size_t)size, sizeof *m->send_records);
    m->recv_records = lad_calloc_array((size_t)size, sizeof *m->recv_records);
    enum lad_status st = LAD_OK;
    if (!owner || !bytes || !cursor || !m->send_order || !m->send_records || !m->recv_records)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory routing %d keys for mining", keys->n);
    for (int32_t k = 0; st == LAD_OK && k < keys->n; k++) {
        int32_t nt = token_count(lad_keytab_text(keys, k), keys->text_len[k]);
        owner[k] = (int)(lad_hash_u64((uint64_t)nt) % (uint64_t)size);
        bytes[owner[k]] += (int64_t)(REC_HEADER + keys->text_len[k]);
        m->send_records[owner[k]]++;
    }
    size_t stotal = 0;
    for (int r = 0; st == LAD_OK && r < size; r++) {
        cursor[r] = stotal;
        stotal += (size_t)bytes[r];
    }
    if (st == LAD_OK && (sbuf = lad_malloc_array(stotal, 1)) == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory packing keys for mining");
    if (st == LAD_OK) {
        /* Pack by owner; the send order is remembered to map replies back to keys. */
        int32_t *rec_cursor = lad_calloc_array((size_t)size, sizeof *rec_cursor);
        if (rec_cursor == NULL)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory packing keys for mining");
        for (int r = 0, rec = 0; rec_cursor && r < size; r++) {
            rec_cursor[r] = rec;
            rec += (int)m->send_records[r];
        }
        for (int32_t k = 0; rec_cursor && k < keys->n; k++) {
            int r = owner[k];
            put_record(sbuf + cursor[r], keys->first_pos[k], keys->lines[k], lad_keytab_text(keys, k),
                       keys->text_len[k]);
            cursor[r] += REC_HEADER + keys->text_len[k];
            m->send_order[rec_cursor[r]++] = k;
        }
        free(rec_cursor);
    }
    st = lad_status_agree(ctx, st);
    void *got = NULL;
    int64_t rtotal = 0;
    if (st == LAD_OK) {
        lad_comm_exchange_counts(ctx, m->send_records, m->recv_records);
        st = lad_comm_alltoallv_alloc(ctx, sbuf, bytes, 1, "the exchange of mining keys", &got, NULL, &rtotal);
        rbuf = got;
    }
    free(sbuf);
    if (st == LAD_OK) {
        int64_t n_recv = 0;
        for (int r = 0; r < size; r++)
            n_recv += m->recv_records[r];
        m->n_recv = (int32_t)n_recv;
        m->recv_key = lad_malloc_array((size_t)n_recv, sizeof *m->recv_key);
        if (m->recv_key == NULL || !lad_keytab_init(&m->owned))
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for mining keys");
        const char *p = rbuf;
        for (int32_t i = 0; st == LAD_OK && i < m->n_recv; i++) {
            int64_t first, lines;
            uint32_t len;
            const char *text = get_record(p, &first, &lines, &len);
            m->recv_key[i] = lad_keytab_add_many(&m->owned, text, len, lad_hash_bytes(text, len, LAD_KEYTAB_SEED),
                                                 first, lines);
            if (m->recv_key[i] < 0)
                st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for mining keys");
            p = text + len;
        }
    }
    free(rbuf);
    free(owner);
    free(bytes);
    free(cursor);
    return lad_status_agree(ctx, st);
}

/* A key in log order: first_pos, then the text (first_pos values are distinct lines; this only guards). */
struct ordered {
    int64_t first;
    const char *text;
    uint32_t len;
    int32_t id;
};

static int by_first_pos(const void *a, const void *b)
{
    const struct ordered *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    int c = memcmp(x->text, y->text, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Drain, then the split, over the owned keys in log order. Local. */
static enum lad_status run_drain(struct lad_ctx *ctx, const struct lad_drain_params *p, struct mine *m)
{
    const struct lad_keytab *t = &m->owned;
    struct ordered *order = lad_malloc_array((size_t)t->n, sizeof *order);
    const char **text = lad_malloc_array((size_t)t->n, sizeof *text);
    int32_t *drain_cluster = lad_malloc_array((size_t)t->n, sizeof *drain_cluster);
    m->key_cluster = lad_malloc_array((size_t)t->n, sizeof *m->key_cluster);
    m->cl_first = lad_malloc_array((size_t)t->n, sizeof *m->cl_first);
    m->cl_lines = lad_calloc_array((size_t)t->n, sizeof *m->cl_lines);
    uint32_t *len = lad_malloc_array((size_t)t->n, sizeof *len);
    enum lad_status st = LAD_OK;
    if (!order || !text || !drain_cluster || !len || !m->key_cluster || !m->cl_first || !m->cl_lines)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for mining %d keys", t->n);
    if (st == LAD_OK)
        st = lad_drain_create(ctx, p, &m->drain);
    if (st == LAD_OK) {
        for (int32_t i = 0; i < t->n; i++)
            order[i] = (struct ordered){t->first_pos[i], lad_keytab_text(t, i), t->text_len[i], i};
        qsort(order, (size_t)t->n, sizeof *order, by_first_pos);
    }
    for (int32_t i = 0; st == LAD_OK && i < t->n; i++) {
        text[i] = order[i].text;
        len[i] = order[i].len;
        if ((drain_cluster[i] = lad_drain_add(m->drain, text[i], len[i])) < 0)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory in the Drain tree");
    }
    if (st == LAD_OK)
        st = lad_refine_split(ctx, t->n, text, len, drain_cluster, lad_drain_n_clusters(m->drain), &m->refine);
    if (st == LAD_OK) {
        m->n_clusters = m->refine.n_groups;
        for (int32_t c = 0; c < m->n_clusters; c++)
            m->cl_first[c] = -1;
    }
    for (int32_t i = 0; st == LAD_OK && i < t->n; i++) {
        int32_t k = order[i].id, c = m->refine.group[i];
        if (m->cl_first[c] < 0) /* the group's first key in log order is its earliest */
            m->cl_first[c] = t->first_pos[k];
        m->key_cluster[k] = c;
        m->cl_lines[c] += t->lines[k];
    }
    free(order);
    free(text);
    free(len);
    free(drain_cluster);
    return st;
}

struct gathered {
    int64_t first, lines;
    const char *text;
    uint32_t len;
    int rank;
    int32_t local;
    int32_t event; /* the event it joins (merge_groups) */
};

static int by_first(const void *a, const void *b)
{
    const struct gathered *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    int c = memcmp(x->text, y->text, x->len < y->len ? x->len : y->len);
    if (c || x->len != y->len)
        return c ? c : (x->len > y->len) - (x->len < y->len);
    return x->rank != y->rank ? x->rank - y->rank : x->local - y->local;
}

/* Rank 0: the events of the groups g (in log order), merged by skeleton; fills g[].event and the
 * table: ids M1, M2, ... in order of first occurrence, lines summed over each event's groups. */
static enum lad_status merge_groups(struct lad_ctx *ctx, struct gathered *g, int32_t n, struct lad_events *events)
{
    const char **tpl = lad_malloc_array((size_t)(n > 0 ? n : 1), sizeof *tpl);
    const char **flags = lad_malloc_array((size_t)(n > 0 ? n : 1), sizeof *flags);
    int32_t *event = lad_malloc_array((size_t)(n > 0 ? n : 1), sizeof *event);
    char **merged = NULL;
    int32_t n_events = 0;
    enum lad_status st = LAD_OK;
    if (!tpl || !flags || !event)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory numbering mined events");
    for (int32_t i = 0; st == LAD_OK && i < n; i++) {
        tpl[i] = g[i].text;
        flags[i] = g[i].text + strlen(g[i].text) + 1;
    }
    if (st == LAD_OK)
        st = lad_refine_merge(ctx, n, tpl, flags, event, &n_events, &merged);
    char id[32];
    for (int32_t e = 0; st == LAD_OK && e < n_events; e++) {
        snprintf(id, sizeof id, "M%d", e + 1);
        st = lad_events_add(ctx, events, id, merged[e]);
    }
    for (int32_t i = 0; st == LAD_OK && i < n; i++) {
        g[i].event = event[i];
        events->lines[event[i]] += g[i].lines;
    }
    for (int32_t e = 0; merged && e < n_events; e++)
        free(merged[e]);
    free(merged);
    free(tpl);
    free(flags);
    free(event);
    return st;
}

/* Rank 0 numbers the clusters of all owners by first occurrence and builds the event table; with an
 * assigner, rank 0 also records every group (template, flags, event) in log order. */
static enum lad_status number_clusters(struct lad_ctx *ctx, struct mine *m, struct lad_events *events,
                                       struct lad_assigner *a)
{
    int size = ctx->size;
    struct lad_buf packed = {0};
    struct xfer x = {0};
    int *n_cl = lad_calloc_array((size_t)size, sizeof *n_cl);
    int *cl_displ = lad_calloc_array((size_t)size, sizeof *cl_displ);
    char *all = NULL;
    struct gathered *g = NULL;
    int32_t *global_all = NULL;
    enum lad_status st = LAD_OK;
    m->cl_global = lad_malloc_array((size_t)m->n_clusters, sizeof *m->cl_global);
    if (!xfer_init(&x, size) || !n_cl || !cl_displ || !m->cl_global)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory numbering mined events");
    for (int32_t c = 0; st == LAD_OK && c < m->n_clusters; c++) {
        /* the text of a record: the template, NUL, its skeleton flags, NUL */
        const char *tpl = m->refine.templates[c], *flags = m->refine.flags[c];
        size_t t_len = strlen(tpl), f_len = strlen(flags);
        uint32_t len = (uint32_t)(t_len + f_len + 2);
        if (!lad_buf_reserve(&packed, REC_HEADER + len))
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory numbering mined events");
        else {
            char *rec = packed.data + packed.len;
            put_header(rec, m->cl_first[c], m->cl_lines[c], len);
            memcpy(rec + REC_HEADER, tpl, t_len + 1);
            memcpy(rec + REC_HEADER + t_len + 1, flags, f_len + 1);
            packed.len += REC_HEADER + len;
        }
    }
    if (st == LAD_OK && packed.len > (size_t)2147483647)
        st = lad_fail(ctx, LAD_ERR_INPUT, "too many mined templates on rank %d", ctx->rank);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto done;
    int my_bytes = (int)packed.len, my_clusters = (int)m->n_clusters;
    MPI_Gather(&my_bytes, 1, MPI_INT, x.rcount, 1, MPI_INT, 0, ctx->comm);
    MPI_Gather(&my_clusters, 1, MPI_INT, n_cl, 1, MPI_INT, 0, ctx->comm);
    size_t total = 0, total_cl = 0;
    if (ctx->rank == 0) {
        if (!displs(x.rcount, x.rdispl, size, &total) || !displs(n_cl, cl_displ, size, &total_cl))
            st = lad_fail(ctx, LAD_ERR_INPUT, "too many mined templates to number on one rank");
        else if (!(all = lad_malloc_array(total, 1)) || !(g = lad_malloc_array(total_cl, sizeof *g)) ||
                 !(global_all = lad_malloc_array(total_cl, sizeof *global_all)))
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory numbering mined events");
    }
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto done;
    MPI_Gatherv(packed.data, my_bytes, MPI_BYTE, all, x.rcount, x.rdispl, MPI_BYTE, 0, ctx->comm);
    if (ctx->rank == 0) {
        const char *p = all;
        size_t i = 0;
        for (int r = 0; r < size; r++)
            for (int32_t c = 0; c < n_cl[r]; c++, i++) {
                g[i].text = get_record(p, &g[i].first, &g[i].lines, &g[i].len);
                g[i].rank = r;
                g[i].local = c;
                p = g[i].text + g[i].len;
            }
        qsort(g, total_cl, sizeof *g, by_first);
        st = merge_groups(ctx, g, (int32_t)total_cl, events);
        for (i = 0; st == LAD_OK && i < total_cl; i++) {
            global_all[cl_displ[g[i].rank] + g[i].local] = g[i].event;
            if (a != NULL)
                st = lad_assign_add_group(ctx, a, g[i].text, g[i].text + strlen(g[i].text) + 1, g[i].event);
        }
    }
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto done;
    MPI_Scatterv(global_all, n_cl, cl_displ, MPI_INT32_T, m->cl_global, m->n_clusters, MPI_INT32_T, 0, ctx->comm);
    st = lad_events_bcast(ctx, events, 0);
done:
    free(all);
    free(g);
    free(global_all);
    free(n_cl);
    free(cl_displ);
    lad_buf_free(&packed);
    xfer_free(&x);
    return st;
}

/* Owners answer every received record with its event; senders fill keys->event. */
static enum lad_status reply_events(struct lad_ctx *ctx, struct mine *m, struct lad_keytab *keys)
{
    int32_t *answer = lad_malloc_array((size_t)m->n_recv, sizeof *answer);
    int32_t *got = lad_malloc_array((size_t)keys->n, sizeof *got);
    enum lad_status st = LAD_OK;
    if (!answer || !got)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory returning mined events");
    for (int32_t i = 0; st == LAD_OK && i < m->n_recv; i++)
        answer[i] = m->cl_global[m->key_cluster[m->recv_key[i]]];
    st = lad_status_agree(ctx, st);
    /* The reply travels the reverse way: what was received is sent back, in the same order. */
    if (st == LAD_OK)
        st = lad_comm_alltoallv(ctx, answer, m->recv_records, got, m->send_records, sizeof *got,
                                "the exchange of mined events");
    for (int32_t j = 0; st == LAD_OK && j < keys->n; j++)
        keys->event[m->send_order[j]] = got[j];
    free(answer);
    free(got);
    return lad_status_agree(ctx, st);
}

/* The owned keys' events, for the assigner (every distinct key is owned by exactly one rank). */
static enum lad_status collect_keys(struct lad_ctx *ctx, struct mine *m, const struct lad_events *events,
                                    struct lad_assigner *a)
{
    int32_t *owned_event = lad_malloc_array((size_t)(m->owned.n > 0 ? m->owned.n : 1), sizeof *owned_event);
    enum lad_status st = owned_event ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory collecting mined keys");
    for (int32_t k = 0; st == LAD_OK && k < m->owned.n; k++)
        owned_event[k] = m->cl_global[m->key_cluster[k]];
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK)
        st = lad_assign_collect(ctx, a, &m->owned, owned_event, events);
    free(owned_event);
    return st;
}

enum lad_status lad_mine_events(struct lad_ctx *ctx, struct lad_keytab *keys, const struct lad_drain_params *p,
                                struct lad_events *events, struct lad_assigner *a)
{
    struct mine m;
    memset(&m, 0, sizeof m);
    enum lad_status st = route_keys(ctx, keys, &m);
    if (st == LAD_OK)
        st = lad_status_agree(ctx, run_drain(ctx, p, &m));
    if (st == LAD_OK)
        st = number_clusters(ctx, &m, events, a);
    if (st == LAD_OK)
        st = reply_events(ctx, &m, keys);
    if (st == LAD_OK && a != NULL)
        st = collect_keys(ctx, &m, events, a);
    if (st == LAD_OK) {
        /* how much Drain had to do, for the log: distinct keys over all owners */
        long long owned = m.owned.n, distinct = 0;
        MPI_Allreduce(&owned, &distinct, 1, MPI_LONG_LONG, MPI_SUM, ctx->comm);
        lad_log(ctx, LAD_LOG_VERBOSE, "mining: %lld distinct keys -> %d events (depth %d, st %.2f)", distinct,
                events->n, p->depth, p->similarity);
    }
    mine_free(&m);
    return st;
}

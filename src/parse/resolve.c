/* resolve.c - matching each distinct message key against the given templates, once. */
#include "lad_resolve.h"

#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_events.h"
#include "lad_mem.h"
#include "lad_template.h"

enum lad_status lad_resolve_count_lines(struct lad_ctx *ctx, const struct lad_keytab *keys, struct lad_events *events)
{
    int64_t *local = lad_calloc_array((size_t)events->n, sizeof *local);
    enum lad_status st = local ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory counting event lines");
    for (int32_t k = 0; st == LAD_OK && k < keys->n; k++)
        if (keys->event[k] >= 0 && keys->event[k] < events->n)
            local[keys->event[k]] += keys->lines[k];
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK && events->n > 0 &&
        MPI_Allreduce(local, events->lines, events->n, MPI_INT64_T, MPI_SUM, ctx->comm) != MPI_SUCCESS)
        st = lad_fail(ctx, LAD_ERR_MPI, "reduction of event line counts failed");
    free(local);
    return st;
}

enum lad_status lad_resolve_template_events(struct lad_ctx *ctx, const struct lad_parser *p,
                                            struct lad_keytab *keys, struct lad_events *events)
{
    const struct lad_template_set *set = p->templates;
    enum lad_status st = LAD_OK;
    for (int i = 0; i < set->n && st == LAD_OK; i++)
        st = lad_events_add(ctx, events, set->items[i].id, set->items[i].text);
    if (st == LAD_OK)
        st = lad_events_add(ctx, events, LAD_EVENT_UNMATCHED_ID, LAD_EVENT_UNMATCHED_TEXT);
    int unmatched = events->n - 1;
    for (int32_t k = 0; st == LAD_OK && k < keys->n; k++) {
        const char *text = lad_keytab_text(keys, k);
        int ev;
        if (p->mode == LAD_KEY_TEMPLATE_DIRECT)
            ev = atoi(text + 1); /* the key is the event index the line matched */
        else
            ev = lad_template_match(set, text, keys->text_len[k]);
        keys->event[k] = ev >= 0 ? ev : unmatched;
    }
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK)
        st = lad_resolve_count_lines(ctx, keys, events);
    return st;
}

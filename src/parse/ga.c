/* ga.c - grouping accuracy: one pass to size groups and events, one to find pure groups. */
#include "lad_ga.h"

#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_hash.h"
#include "lad_mem.h"

#define MIXED (-2) /* a predicted group holding lines of several true events */

enum lad_status lad_ga_compute(struct lad_ctx *ctx, const int32_t *truth, const int32_t *pred, int64_t n,
                               struct lad_ga_result *out)
{
    memset(out, 0, sizeof *out);
    size_t cap = n > 0 ? (size_t)n : 1;
    int64_t *truth_size = lad_calloc_array(cap, sizeof *truth_size);
    int64_t *group_size = lad_calloc_array(cap, sizeof *group_size);
    int32_t *group_event = lad_malloc_array(cap, sizeof *group_event);
    enum lad_status st = LAD_OK;
    if (!truth_size || !group_size || !group_event) {
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory computing grouping accuracy");
        goto done;
    }
    for (size_t g = 0; g < cap; g++)
        group_event[g] = -1;
    /* Sizes of true events and predicted groups, and whether each group is pure (one true event). */
    for (int64_t i = 0; i < n; i++) {
        if (truth[i] < 0 || truth[i] >= n || pred[i] >= n)
            continue;
        out->lines++;
        out->truth_events += truth_size[truth[i]]++ == 0;
        if (pred[i] < 0)
            continue;
        out->parsed_groups += group_size[pred[i]]++ == 0;
        int32_t *ev = &group_event[pred[i]];
        if (*ev == -1)
            *ev = truth[i];
        else if (*ev != truth[i])
            *ev = MIXED;
    }
    /* A pure group is correct when it holds every line of its event. */
    for (size_t g = 0; g < cap; g++)
        if (group_event[g] >= 0 && group_size[g] == truth_size[group_event[g]])
            out->correct += group_size[g];
    out->accuracy = out->lines ? (double)out->correct / (double)out->lines : 1.0;
done:
    free(truth_size);
    free(group_size);
    free(group_event);
    return st;
}

enum lad_status lad_ga_labels(struct lad_ctx *ctx, const char *const *names, int64_t n, int32_t *labels)
{
    /* Open addressing over the strings themselves: slot -> index of the first string with that text. */
    size_t n_slots = 16;
    while (n_slots < 2 * (size_t)(n > 0 ? n : 1))
        n_slots *= 2;
    int64_t *slots = lad_malloc_array(n_slots, sizeof *slots);
    if (slots == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory labelling %lld lines", (long long)n);
    for (size_t s = 0; s < n_slots; s++)
        slots[s] = -1;
    int32_t next = 0;
    for (int64_t i = 0; i < n; i++) {
        const char *s = names[i];
        if (s == NULL || *s == '\0') {
            labels[i] = -1;
            continue;
        }
        size_t len = strlen(s), h = lad_hash_bytes(s, len, 0) & (n_slots - 1);
        while (slots[h] >= 0 && strcmp(names[slots[h]], s) != 0)
            h = (h + 1) & (n_slots - 1);
        if (slots[h] < 0) {
            slots[h] = i;
            labels[i] = next++;
        } else {
            labels[i] = labels[slots[h]];
        }
    }
    free(slots);
    return LAD_OK;
}

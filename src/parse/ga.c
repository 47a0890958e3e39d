/* ga.c - grouping accuracy: one pass to size groups and events, one to find pure groups; and parsing
 * accuracy: template strings compared after the DS rule. */
#include "lad_ga.h"

#include <stdbool.h>
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

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The next byte of a template under the DS rule at *p: a whitespace run is one ' ', none at the ends
 * (then '\0' at the end). */
static char ds_next(const char **p)
{
    const char *s = *p;
    if (is_space(*s)) {
        while (is_space(*s))
            s++;
        if (*s == '\0') {
            *p = s;
            return '\0';
        }
        *p = s;
        return ' ';
    }
    if (*s != '\0')
        *p = s + 1;
    return *s;
}

bool lad_pa_same_template(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return false;
    while (is_space(*a))
        a++;
    while (is_space(*b))
        b++;
    for (;;) {
        char x = ds_next(&a), y = ds_next(&b);
        if (x != y)
            return false;
        if (x == '\0')
            return true;
    }
}

int64_t lad_pa_count(const char *const *truth, const char *const *parsed, const int32_t *truth_label, int64_t n)
{
    int64_t same = 0;
    for (int64_t i = 0; i < n; i++)
        same += truth_label[i] >= 0 && lad_pa_same_template(truth[i], parsed[i]);
    return same;
}

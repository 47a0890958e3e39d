/*
 * detector.c - the table of detectors (lad_detector.h). Its order is the order names are listed in
 * messages; a model's type or a file's kind picks an entry by search, not by index, so the enum values
 * need not be positions.
 */
#include "lad_detector.h"

#include <stdio.h>
#include <string.h>

#include "model_internal.h"

static const struct lad_detector *const detectors[] = {&lad__detector_pca, &lad__detector_logreg};
#define N_DETECTORS ((int)(sizeof detectors / sizeof detectors[0]))

const struct lad_detector *lad_detector_find(enum lad_model_type type)
{
    for (int i = 0; i < N_DETECTORS; i++)
        if (detectors[i]->type == type)
            return detectors[i];
    return NULL;
}

const struct lad_detector *lad_detector_find_name(const char *name)
{
    for (int i = 0; i < N_DETECTORS; i++)
        if (strcmp(detectors[i]->name, name) == 0)
            return detectors[i];
    return NULL;
}

/* "a", "a or b", "a, b or c". */
void lad_detector_format_names(char *buf, size_t cap)
{
    size_t at = 0;
    if (cap > 0)
        buf[0] = '\0';
    for (int i = 0; i < N_DETECTORS && at < cap; i++) {
        const char *sep = i == 0 ? "" : i == N_DETECTORS - 1 ? " or " : ", ";
        int w = snprintf(buf + at, cap - at, "%s%s", sep, detectors[i]->name);
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

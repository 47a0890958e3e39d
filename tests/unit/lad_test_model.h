/*
 * lad_test_model.h - the model and the event assigner the model-file tests write and read: three
 * events with distinct, exactly representable values everywhere, so that a round trip is checked
 * value by value. Tests change what they test (the session kind, the weights) after making them.
 */
#ifndef LAD_TEST_MODEL_H
#define LAD_TEST_MODEL_H

#include <string.h>

#include "lad_assign.h"
#include "lad_mask.h"
#include "lad_mem.h"
#include "lad_model_file.h"
#include "lad_model_unknown.h"
#include "lad_test.h"

/* A model of `type` on the events ids[0..2] with templates[0..2]: block sessions, tfidf and centering
 * from 42 training rows, two principal components or three weights. A failure ends the test. */
static inline void lad_test_make_model(struct lad_model *m, enum lad_model_type type, const char *const ids[3],
                                       const char *const templates[3])
{
    struct lad_ctx *ctx = &lad_test_ctx;
    memset(m, 0, sizeof *m);
    m->type = type;
    for (int e = 0; e < 3; e++)
        CU_ASSERT_EQUAL_FATAL(lad_events_add(ctx, &m->events, ids[e], templates[e]), LAD_OK);
    m->session_kind = LAD_SESSION_BLOCK;
    m->event_source = lad_strdup("templates:HDFS_templates.csv");
    m->options = lad_strdup("variance=0.95 alpha=0.001");
    m->n_train = 42;
    m->fingerprint = 0xfedcba9876543210ULL;
    CU_ASSERT_EQUAL_FATAL(lad_transform_alloc(ctx, &m->transform, 3), LAD_OK);
    m->transform.flags = LAD_TF_TFIDF | LAD_TF_CENTER;
    m->transform.n_train = 42;
    for (int j = 0; j < 3; j++) {
        m->transform.df[j] = 10 + j;
        m->transform.weight[j] = 1.25 + j;
        m->transform.mean[j] = -0.5 * j;
    }
    if (type == LAD_MODEL_TYPE_PCA) {
        CU_ASSERT_EQUAL_FATAL(lad_pca_alloc(ctx, &m->pca, 3, 2), LAD_OK);
        m->pca.alpha = 0.001;
        m->pca.variance = 0.875;
        m->pca.threshold = 3.5;
        for (int j = 0; j < 3; j++)
            m->pca.eigenvalues[j] = 4.0 / (j + 1);
        for (int j = 0; j < 6; j++)
            m->pca.components[j] = 0.125 * (j + 1);
    } else {
        CU_ASSERT_EQUAL_FATAL(lad_logreg_alloc(ctx, &m->logreg, 3), LAD_OK);
        m->logreg.w[0] = 1.5;
        m->logreg.w[1] = -2.25;
        m->logreg.w[2] = 0.0625;
        m->logreg.bias = -3.75;
        m->logreg.lambda = 0.01;
        m->logreg.threshold = 0.5;
        m->logreg.balanced = true;
        m->logreg.iterations = 7;
        m->logreg.converged = true;
    }
}

/* A mined assigner of BGL-like windows over the events ids[0..2] with templates[0..2] (and UNKNOWN),
 * with one pattern mask; key k (key_len[k] bytes) goes to event key_event[k]. A failure ends the test. */
static inline struct lad_assigner *lad_test_make_assigner(const char *const ids[3], const char *const templates[3],
                                                          int n_keys, const char *const *keys,
                                                          const uint32_t *key_len, const int32_t *key_event)
{
    struct lad_ctx *ctx = &lad_test_ctx;
    struct lad_assigner *a = NULL;
    CU_ASSERT_EQUAL_FATAL(lad_assign_new(ctx, &a), LAD_OK);
    a->kind = LAD_ASSIGN_MINED;
    a->preset = lad_strdup("bgl");
    a->log_format = lad_strdup("<Label> <Timestamp> <Content>");
    a->window = lad_strdup("sliding:60,30");
    a->masks = lad_calloc_array(1, sizeof *a->masks);
    a->masks[a->n_masks++] = lad_strdup("core\\.\\d+");
    a->builtin_masks = LAD_MASK_ALL;
    a->drain = (struct lad_drain_params){4, 0.5, 100};
    for (int e = 0; e < 3; e++) {
        CU_ASSERT_EQUAL_FATAL(lad_events_add(ctx, &a->events, ids[e], templates[e]), LAD_OK);
        CU_ASSERT_EQUAL_FATAL(lad_assign_add_group(ctx, a, templates[e], "kkd", e), LAD_OK);
    }
    CU_ASSERT_EQUAL_FATAL(lad_events_add(ctx, &a->events, LAD_EVENT_UNKNOWN_ID, LAD_EVENT_UNKNOWN_TEXT), LAD_OK);
    for (int k = 0; k < n_keys; k++)
        CU_ASSERT_EQUAL_FATAL(lad_assign_add_key(ctx, a, keys[k], key_len[k], key_event[k]), LAD_OK);
    CU_ASSERT_EQUAL_FATAL(lad_assign_finish(ctx, a, "test"), LAD_OK);
    return a;
}

#endif

/*
 * lad_test_model.h - the model the model-file tests write and read: three events with distinct,
 * exactly representable values everywhere, so that a round trip is checked value by value. Tests
 * change what they test (the session kind, the weights) after making it.
 */
#ifndef LAD_TEST_MODEL_H
#define LAD_TEST_MODEL_H

#include <string.h>

#include "lad_mem.h"
#include "lad_model_file.h"
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

#endif

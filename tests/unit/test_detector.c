/*
 * test_detector.c - the detector table (lad_detector.h): every model type and every file kind finds
 * its entry and no other, every entry is complete, and the names listed in messages.
 */
#include <string.h>

#include "lad_detector.h"
#include "lad_options.h"
#include "lad_test.h"
#include "lad_transform.h"

static const enum lad_model_type types[] = {LAD_MODEL_TYPE_PCA, LAD_MODEL_TYPE_LOGREG};
#define N_TYPES ((int)(sizeof types / sizeof types[0]))

static void test_lookup_round_trip(void)
{
    for (int i = 0; i < N_TYPES; i++) {
        const struct lad_detector *d = lad_detector_find(types[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(d);
        CU_ASSERT_EQUAL(d->type, types[i]);
        CU_ASSERT_PTR_EQUAL(lad_detector_find_name(d->name), d);
        CU_ASSERT_STRING_EQUAL(lad_model_type_name(types[i]), d->name);
    }
    CU_ASSERT_STRING_EQUAL(lad_detector_find(LAD_MODEL_TYPE_PCA)->name, "pca");
    CU_ASSERT_STRING_EQUAL(lad_detector_find(LAD_MODEL_TYPE_LOGREG)->name, "logreg");
    CU_ASSERT_PTR_NULL(lad_detector_find((enum lad_model_type)0));
    CU_ASSERT_PTR_NULL(lad_detector_find((enum lad_model_type)99));
    CU_ASSERT_STRING_EQUAL(lad_model_type_name((enum lad_model_type)0), "unknown");
    CU_ASSERT_PTR_NULL(lad_detector_find_name(""));
    CU_ASSERT_PTR_NULL(lad_detector_find_name("PCA")); /* kinds are matched exactly */
    CU_ASSERT_PTR_NULL(lad_detector_find_name("pcax"));
}

/* --model's choices (core, lad_options.h) and the detector table name the same detectors: each choice
 * finds its entry, each entry is a choice, and the bits are distinct and make up LAD_MODEL_BOTH. */
static void test_choices_match_table(void)
{
    unsigned all = 0;
    for (int k = 0; k < LAD_N_MODEL_CHOICES; k++) {
        const struct lad_detector *d = lad_detector_find_name(lad_model_choices[k].name);
        CU_ASSERT_PTR_NOT_NULL_FATAL(d);
        CU_ASSERT_EQUAL(all & (unsigned)lad_model_choices[k].kind, 0);
        all |= (unsigned)lad_model_choices[k].kind;
    }
    CU_ASSERT_EQUAL(all, (unsigned)LAD_MODEL_BOTH);
    CU_ASSERT_EQUAL(LAD_N_MODEL_CHOICES, N_TYPES);
    for (int i = 0; i < N_TYPES; i++) {
        int found = 0;
        for (int k = 0; k < LAD_N_MODEL_CHOICES; k++)
            found += strcmp(lad_model_choices[k].name, lad_detector_find(types[i])->name) == 0;
        CU_ASSERT_EQUAL(found, 1);
    }
}

/* A missing operation would crash only when that path runs: check them all here. */
static void test_entries_are_complete(void)
{
    unsigned flags = 0;
    for (int i = 0; i < N_TYPES; i++) {
        const struct lad_detector *d = lad_detector_find(types[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(d);
        CU_ASSERT_TRUE(d->name != NULL && d->name[0] != '\0');
        CU_ASSERT_EQUAL(lad_transform_parse(&lad_test_ctx, d->default_transform, &flags), LAD_OK);
        CU_ASSERT_TRUE(d->fit && d->describe && d->check && d->write && d->read && d->check_values &&
                       d->add_unknown && d->threshold && d->score_row);
        CU_ASSERT_TRUE(d->score_meaning != NULL && d->score_meaning[0] != '\0');
        CU_ASSERT_TRUE(d->contribution_meaning != NULL && d->contribution_meaning[0] != '\0');
        CU_ASSERT_TRUE(d->expected_meaning == NULL || d->expected_meaning[0] != '\0');
    }
    CU_ASSERT_TRUE(lad_detector_find(LAD_MODEL_TYPE_LOGREG)->supervised);
    CU_ASSERT_FALSE(lad_detector_find(LAD_MODEL_TYPE_PCA)->supervised);
}

static void test_format_names(void)
{
    char buf[64];
    lad_detector_format_names(buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "pca or logreg");
    char small[6];
    lad_detector_format_names(small, sizeof small); /* truncated, still terminated */
    CU_ASSERT_STRING_EQUAL(small, "pca o");
    lad_detector_format_names(small, 0); /* nothing written */
}

/* The options text each detector stores in its models (lad_model_file.h "options"). */
static void test_describe(void)
{
    struct lad_detector_settings s;
    memset(&s, 0, sizeof s);
    s.pca = (struct lad_pca_options){.variance = 0.95, .k = 0, .alpha = 0.001};
    s.pca_refit = 1;
    s.logreg = (struct lad_logreg_options){.lambda = 1e-5, .balanced = true, .threshold = 0.5, .max_iter = 50};
    char buf[256];
    lad_detector_find(LAD_MODEL_TYPE_PCA)->describe(&s, "tfidf,center", buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "transform=tfidf,center pca_variance=0.95 pca_k=0 pca_alpha=0.001 pca_refit=1");
    lad_detector_find(LAD_MODEL_TYPE_LOGREG)->describe(&s, "tfidf", buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "transform=tfidf lr_lambda=1e-05 lr_class_weight=balanced lr_threshold=0.5 "
                                "lr_max_iter=50");
}

static CU_TestInfo tests[] = {
    {"type and kind find their detector", test_lookup_round_trip},
    {"--model choices and the table agree", test_choices_match_table},
    {"every entry has every operation", test_entries_are_complete},
    {"names listed for messages", test_format_names},
    {"options text of each detector", test_describe},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"detector", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}

/*
 * modeling.c - the pieces train, detect and run share: where features come from, labels, fitting a
 * model with the command's options, and scoring into the result files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_detector.h"
#include "lad_featfile.h"
#include "lad_features.h"
#include "lad_ingest.h"
#include "lad_labels.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "lad_metrics.h"
#include "lad_model_file.h"
#include "lad_model_unknown.h"
#include "lad_options.h"
#include "lad_outset.h"
#include "lad_report.h"
#include "lad_score.h"
#include "lad_summary.h"
#include "lad_verdict.h"
#include "stages_internal.h"

enum lad_status lad__events_copy(struct lad_ctx *ctx, const struct lad_events *src, struct lad_events *dst)
{
    memset(dst, 0, sizeof *dst);
    enum lad_status st = LAD_OK;
    for (int i = 0; i < src->n && st == LAD_OK; i++) {
        st = lad_events_add(ctx, dst, src->ids[i], src->templates[i]);
        if (st == LAD_OK)
            dst->lines[i] = src->lines[i];
    }
    return st;
}

enum lad_status lad__check_model_options(struct lad_ctx *ctx, const struct lad_options *o)
{
    unsigned flags;
    return lad_status_agree(ctx, o->transform ? lad_transform_parse(ctx, o->transform, &flags) : LAD_OK);
}

enum lad_status lad__load_features(struct lad_ctx *ctx, const struct lad_options *o,
                                   const struct lad_template_set *templates, const struct lad_assigner *assigner,
                                   const char *source, struct lad_features *f)
{
    enum lad_status st;
    if (o->features_path) {
        lad_timer_start(ctx, LAD_PHASE_LOAD);
        st = lad_featfile_read(ctx, o->features_path, f);
        lad_timer_stop(ctx, LAD_PHASE_LOAD);
        if (st == LAD_OK)
            lad_log(ctx, LAD_LOG_INFO, "features: %lld blocks x %d events from %s", (long long)f->n_global, f->n_events,
                    o->features_path);
    } else {
        st = lad_ingest_logs(ctx, o, templates, assigner, source, f);
        if (st == LAD_OK)
            lad_ingest_report(ctx, f);
        if (st == LAD_OK && f->n_global == 0)
            st = lad_fail(ctx, LAD_ERR_INPUT, "the input names no session (no HDFS block id): nothing to %s",
                          lad_command_name(o->command));
    }
    /* Equal rows are trained on and scored once (lad_features_group_rows): part of putting rows in order. */
    lad_timer_start(ctx, LAD_PHASE_ORDER);
    if (st == LAD_OK)
        st = lad_status_agree(ctx, lad_features_group_rows(ctx, f));
    lad_timer_stop(ctx, LAD_PHASE_ORDER);
    if (st != LAD_OK)
        lad_features_free(f);
    return st;
}

enum lad_status lad__load_labels(struct lad_ctx *ctx, const char *path, const struct lad_features *f, int8_t **label,
                                 struct lad_label_stats *stats)
{
    *label = lad_malloc_array((size_t)f->n_local, sizeof **label);
    enum lad_status st = lad_status_agree(ctx, *label ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    lad_timer_start(ctx, LAD_PHASE_LOAD); /* reading a labels file of millions of rows takes time too */
    if (st == LAD_OK)
        st = lad_labels_load(ctx, path, f, *label, stats);
    lad_timer_stop(ctx, LAD_PHASE_LOAD);
    if (st == LAD_OK)
        lad_labels_report(ctx, path, stats);
    else
        lad_free(label);
    return st;
}

/* What the detectors read of the command's options (lad_detector.h: the model layer does not see the
 * command line). --lr-class-weight was checked to be none or balanced. */
static void detector_settings(const struct lad_options *o, struct lad_detector_settings *s)
{
    memset(s, 0, sizeof *s);
    s->pca = (struct lad_pca_options){.variance = o->pca_variance, .k = o->pca_k, .alpha = o->pca_alpha};
    s->pca_refit = o->pca_refit;
    s->logreg = (struct lad_logreg_options){.lambda = o->lr_lambda,
                                            .balanced = strcmp(o->lr_class_weight, "balanced") == 0,
                                            .threshold = o->lr_threshold,
                                            .max_iter = o->lr_max_iter};
}

enum lad_status lad__load_training_input(struct lad_ctx *ctx, const struct lad_options *o, struct lad_features *f,
                                         int8_t **label, struct lad_label_stats *stats)
{
    *label = NULL;
    enum lad_status st = lad__load_features(ctx, o, NULL, NULL, NULL, f);
    if (st == LAD_OK && o->labels_path)
        st = lad__load_labels(ctx, o->labels_path, f, label, stats);
    else if (st == LAD_OK && o->line_labels)
        st = lad_ingest_line_labels(ctx, f, label, stats);
    return st;
}

int lad__model_types(enum lad_model_kind kinds, enum lad_model_type types[LAD_N_MODEL_CHOICES])
{
    int n = 0;
    for (int k = 0; k < LAD_N_MODEL_CHOICES; k++)
        if (kinds & lad_model_choices[k].kind) /* every choice has its detector: unit_detector */
            types[n++] = lad_detector_find_name(lad_model_choices[k].name)->type;
    return n;
}

enum lad_status lad__train_and_write(struct lad_ctx *ctx, const struct lad_options *o, const struct lad_features *f,
                                     const int8_t *label, enum lad_model_type type, struct lad_model *m)
{
    enum lad_status st = lad__train_model(ctx, o, f, label, type, m);
    char path[PATH_MAX];
    lad_outset_model_path(o, lad_model_type_name(type), path, sizeof path);
    lad_timer_start(ctx, LAD_PHASE_WRITE);
    if (st == LAD_OK)
        st = lad_model_write(ctx, path, m);
    lad_timer_stop(ctx, LAD_PHASE_WRITE);
    if (st == LAD_OK)
        lad_log(ctx, LAD_LOG_INFO, "wrote %s (%s, %lld training blocks, %d events)", path, lad_model_type_name(type),
                (long long)m->n_train, m->events.n);
    return st;
}

enum lad_status lad__train_model(struct lad_ctx *ctx, const struct lad_options *o, const struct lad_features *f,
                                 const int8_t *label, enum lad_model_type type, struct lad_model *m)
{
    memset(m, 0, sizeof *m);
    m->type = type;
    const struct lad_detector *d = lad_detector_find(type);
    if (d == NULL)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "unknown model type %d", (int)type);
    struct lad_detector_settings settings;
    detector_settings(o, &settings);
    unsigned flags = 0;
    enum lad_status st = lad_transform_parse(ctx, o->transform ? o->transform : d->default_transform, &flags);
    if (st == LAD_OK && d->supervised && label == NULL)
        st = lad_fail(ctx, LAD_ERR_USAGE, "%s needs labels: give --labels CSV", d->name);
    st = lad_status_agree(ctx, st);
    /* A supervised detector learns from labelled rows only; an unsupervised one uses every row. */
    uint8_t *use = NULL;
    if (st == LAD_OK && d->supervised) {
        use = lad_malloc_array((size_t)f->n_local, sizeof *use);
        st = lad_status_agree(ctx, use ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
        for (int64_t i = 0; st == LAD_OK && i < f->n_local; i++)
            use[i] = label[i] == 0 || label[i] == 1;
    }
    lad_timer_start(ctx, LAD_PHASE_TRAIN);
    if (st == LAD_OK)
        st = d->fit(ctx, f, label, use, flags, &settings, m);
    lad_timer_stop(ctx, LAD_PHASE_TRAIN);
    if (st == LAD_OK)
        st = lad__events_copy(ctx, &f->events, &m->events);
    if (st == LAD_OK) {
        char buf[512], tf[64];
        lad_transform_format(flags, tf, sizeof tf);
        d->describe(&settings, tf, buf, sizeof buf);
        m->options = lad_strdup(buf);
        m->event_source = lad_strdup(f->event_source ? f->event_source : "");
        m->session_kind = f->session_kind;
        m->n_train = m->transform.n_train;
        m->fingerprint = lad_model_fingerprint(ctx, f, use);
    }
    if (st == LAD_OK && f->assigner) /* how to assign events to new logs; mined: the UNKNOWN column */
        st = lad_model_attach_assigner(ctx, f->assigner, m);
    free(use);
    if (st != LAD_OK)
        lad_model_free(m);
    return st;
}

static enum lad_status path_in(struct lad_ctx *ctx, const char *dir, const char *name, char *buf, size_t cap)
{
    if ((size_t)snprintf(buf, cap, "%s/%s", dir, name) >= cap)
        return lad_fail(ctx, LAD_ERR_USAGE, "output path too long: %s/%s", dir, name);
    return LAD_OK;
}

enum lad_status lad__detect(struct lad_ctx *ctx, const struct lad_options *o, const struct lad_model *models,
                            int n_models, const struct lad_features *f, const int8_t *label,
                            const struct lad_label_stats *label_stats, const char *out_dir)
{
    struct lad_verdicts v[LAD_N_MODEL_CHOICES];
    struct lad_metrics metrics[LAD_N_MODEL_CHOICES];
    memset(v, 0, sizeof v);
    enum lad_status st = LAD_OK;
    char path[PATH_MAX];
    for (int i = 0; i < n_models && st == LAD_OK; i++) {
        const struct lad_model *m = &models[i];
        if (m->session_kind != f->session_kind)
            st = lad_fail(ctx, LAD_ERR_MODEL, "the %s model was trained on %s sessions, the input has %s sessions",
                          lad_model_type_name(m->type), m->session_kind == LAD_SESSION_BLOCK ? "block" : "window",
                          f->session_kind == LAD_SESSION_BLOCK ? "block" : "window");
        struct lad_column_map map;
        memset(&map, 0, sizeof map);
        if (st == LAD_OK)
            st = lad_score_map_columns(ctx, &m->events, &f->events, &map);
        if (st == LAD_OK && map.missing_events == m->events.n)
            st = lad_fail(ctx, LAD_ERR_MODEL, "none of the %d events of the %s model occurs in the input: a model of "
                                              "another log format?", m->events.n, lad_model_type_name(m->type));
        st = lad_status_agree(ctx, st);
        if (st == LAD_OK && map.unseen_events)
            lad_log(ctx, LAD_LOG_WARN, "%d event type(s) of the input (%lld lines) are unknown to the %s model and do "
                                       "not count in its scores", map.unseen_events, (long long)map.unseen_lines,
                    lad_model_type_name(m->type));
        lad_timer_start(ctx, LAD_PHASE_SCORE);
        if (st == LAD_OK)
            st = lad_status_agree(ctx, lad_score_rows(ctx, m, f, &map, o->top_events, &v[i]));
        lad_timer_stop(ctx, LAD_PHASE_SCORE);
        lad_score_map_free(&map);
        if (st == LAD_OK) {
            int64_t n_anom = lad_verdicts_count_anomalies(ctx, &v[i]);
            lad_log(ctx, LAD_LOG_INFO, "%s: %lld of %lld blocks anomalous", v[i].detector->name, (long long)n_anom,
                    (long long)f->n_global);
            char key[64];
            snprintf(key, sizeof key, "%s_anomalies", v[i].detector->name);
            lad_summary_add_i64(ctx, key, n_anom);
        }
    }
    /* Every rank writes its own rows (no gather). The primary verdicts (the last model: logreg when
     * both ran) go to anomalies.csv, which is also anomalies_<model>.csv then: formatted once. */
    lad_timer_start(ctx, LAD_PHASE_GATHER);
    char also[PATH_MAX], name[64];
    for (int i = n_models - 1; i >= 0 && st == LAD_OK; i--) {
        snprintf(name, sizeof name, LAD_OUT_ANOMALIES_MODEL, v[i].detector->name);
        if (n_models > 1)
            st = path_in(ctx, out_dir, name, also, sizeof also);
        if (st == LAD_OK)
            st = path_in(ctx, out_dir, i == n_models - 1 ? LAD_OUT_ANOMALIES : name, path, sizeof path);
        if (st == LAD_OK)
            st = lad_verdict_write_csv(ctx, f, &v[i], path, i == n_models - 1 && n_models > 1 ? also : NULL);
    }
    if (st == LAD_OK)
        st = path_in(ctx, out_dir, LAD_OUT_EXPLAINED, path, sizeof path);
    if (st == LAD_OK)
        st = lad_verdict_write_explained(ctx, f, v, n_models, path);
    if (st == LAD_OK)
        st = path_in(ctx, out_dir, LAD_OUT_VERDICTS, path, sizeof path);
    if (st == LAD_OK)
        st = lad_verdict_write_h5(ctx, f, v, n_models, path);
    lad_timer_stop(ctx, LAD_PHASE_GATHER);
    if (st == LAD_OK)
        lad_log(ctx, LAD_LOG_INFO, "wrote %s/anomalies.csv, %s and %s", out_dir, LAD_OUT_EXPLAINED, LAD_OUT_VERDICTS);
    if (st == LAD_OK && label != NULL) {
        for (int i = 0; i < n_models && st == LAD_OK; i++)
            st = lad_metrics_compute(ctx, &v[i], label, &metrics[i]);
        if (st == LAD_OK) {
            lad_metrics_print(ctx, metrics, n_models);
            for (int i = 0; i < n_models; i++) {
                char key[64];
                snprintf(key, sizeof key, "%s_f1", metrics[i].model_name);
                lad_summary_add_f64(ctx, key, metrics[i].f1);
            }
            st = path_in(ctx, out_dir, LAD_OUT_METRICS, path, sizeof path);
        }
        if (st == LAD_OK)
            st = lad_metrics_write_json(ctx, metrics, n_models, label_stats,
                                        o->labels_path ? o->labels_path : "line labels: <Label>", path);
    }
    if (st == LAD_OK && !o->no_report) {
        const struct lad_report_input report = {o, f, models, v, n_models, label, label ? metrics : NULL,
                                                label ? label_stats : NULL};
        st = path_in(ctx, out_dir, "report.html", path, sizeof path);
        if (st == LAD_OK)
            st = lad_report_write(ctx, &report, path);
        if (st == LAD_OK)
            lad_log(ctx, LAD_LOG_INFO, "wrote %s", path);
    }
    for (int i = 0; i < n_models; i++)
        lad_verdicts_free(&v[i]);
    return st;
}

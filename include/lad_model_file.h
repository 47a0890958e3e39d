/*
 * lad_model_file.h - trained models on disk (models/<name>.h5).
 *
 * Layout (readable with h5dump): the MODEL, EVENTS and TRANSFORM parts of the file schema
 * (lad_schema.h), then the part of its kind (/pca or /logreg), and /assigner: how detect gives new
 * lines the events training gave (lad_assign_file.h). The feature columns (/events) are matched by
 * template text; the fingerprint does not depend on the rank count. Models of mined events end with
 * the UNKNOWN column (lad_model_unknown.h).
 */
#ifndef LAD_MODEL_FILE_H
#define LAD_MODEL_FILE_H

#include <stdint.h>

#include "lad_events.h"
#include "lad_features.h"
#include "lad_logreg.h"
#include "lad_pca.h"
#include "lad_status.h"
#include "lad_transform.h"

struct lad_ctx;
struct lad_assigner;

#define LAD_MODEL_FORMAT "logad-model"

enum lad_model_type { LAD_MODEL_TYPE_PCA = 1, LAD_MODEL_TYPE_LOGREG = 2 };

struct lad_model {
    enum lad_model_type type;
    struct lad_events events;      /* feature columns */
    enum lad_session_kind session_kind;
    char *event_source;
    struct lad_transform transform;
    int64_t n_train;
    uint64_t fingerprint;
    char *options;                 /* free text: the options it was trained with */
    struct lad_pca_model pca;
    struct lad_logreg_model logreg;
    struct lad_assigner *assigner; /* how new lines get their events (lad_assign.h), or NULL (older models) */
};

/* Local. "pca" / "logreg". */
const char *lad_model_type_name(enum lad_model_type type);

/*
 * Collective. A fingerprint of the training matrix (the selected rows of f: keys and counts) that does
 * not depend on the rank count: a sum over rows of a hash of (key, counts), reduced modulo 2^64.
 */
uint64_t lad_model_fingerprint(struct lad_ctx *ctx, const struct lad_features *f, const uint8_t *use);

/* Collective. Writes m to path (temporary name, then rename). */
enum lad_status lad_model_write(struct lad_ctx *ctx, const char *path, const struct lad_model *m);

/*
 * Collective. Reads path. A file that is not a logad model, has another format version, or whose
 * datasets disagree in size is a LAD_ERR_MODEL with a message naming what is wrong.
 */
enum lad_status lad_model_read(struct lad_ctx *ctx, const char *path, struct lad_model *m);

/* Local. Frees; safe on a zeroed struct. */
void lad_model_free(struct lad_model *m);

#endif

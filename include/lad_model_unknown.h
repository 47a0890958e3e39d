/*
 * lad_model_unknown.h - a trained model takes its event assigner (lad_assign.h) and, when its events
 * were mined, one more column: UNKNOWN, where detect counts the lines of event types training never
 * saw, so that they weigh in a block's verdict instead of being dropped.
 *
 * The column had no occurrence in training, so the model is extended exactly as if it had been
 * trained with an all-zero column, which leaves every score of the training data bit for bit as it
 * was (the extra terms are exact zeros):
 *   transform  df 0, mean 0; TF-IDF weight ln((1 + N) / 1) + 1, the largest any column can have: an
 *              event in no training row is the rarest there is.
 *   PCA        eigenvalue 0 and a zero row in the components: the unknown direction is orthogonal to
 *              the normal subspace, so every unknown line adds its whole transformed count squared to
 *              the residual (SPE) of its block.
 *   logreg     a weight learned from zero occurrences would be 0 (the L2 term alone acts on it), which
 *              would hide an unknown event from the supervised model. The rule instead: the largest
 *              positive weight of the trained events (0 if none). An unknown line is taken as strong
 *              anomaly evidence, never stronger per line than what the model believes of its most
 *              anomalous known event; with TF-IDF it counts at least as much as a line of that event.
 */
#ifndef LAD_MODEL_UNKNOWN_H
#define LAD_MODEL_UNKNOWN_H

#include "lad_status.h"

struct lad_ctx;
struct lad_model;
struct lad_assigner;

/*
 * Local. m (trained on the features a was built with: the same events, in order) takes a reference to
 * a; with a mined assigner, m gains the UNKNOWN column as described above. LAD_ERR_INTERNAL when the
 * events differ, LAD_ERR_NOMEM.
 */
enum lad_status lad_model_attach_assigner(struct lad_ctx *ctx, struct lad_assigner *a, struct lad_model *m);

#endif

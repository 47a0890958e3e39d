/*
 * synth.c - writing a synthetic log and its labels in parallel, byte-identical for any rank count.
 *
 * The log's time axis [0, span) is cut into equal windows of log time. Window c holds the lines of
 * every event in it, in log order (window.c: each rank regenerates the sessions that overlap the
 * window from (seed, block) alone, keeps their events inside it, sorts and formats them). Windows are
 * dealt round-robin to the ranks and written back to back through MPI-IO (ordered_write.c), so the
 * file is the concatenation of the windows in time order, whatever the rank count, thread count or
 * window length: the window length is only a performance knob (memory per rank versus the sessions
 * regenerated at window edges), so it may depend on the rank count.
 *
 * Both files are written under temporary names and renamed only when both are complete; a failure
 * anywhere removes both temporaries, and a log whose labels then cannot be renamed is removed too.
 */
#include <string.h>
#include <unistd.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "lad_outfile.h"
#include "synth_internal.h"

#define TARGET_WINDOW_BYTES (32.0 * 1024 * 1024)
#define EST_LINE_BYTES 145.0 /* average synthetic line, for sizing windows only */
#define MIN_WINDOWS_PER_RANK 4

/*
 * Seconds of log time per window: about TARGET_WINDOW_BYTES of lines. A window shorter than a session
 * makes ranks regenerate the sessions that straddle its edges, (window + MAX_SPAN) / window times
 * each, so short windows (high --blocks-per-second) grow towards MAX_SPAN while they stay under
 * 8 x the target. Short logs are cut finer, so every rank gets work.
 */
static int64_t window_seconds(const struct lad_synth_plan *p, int size)
{
    double bytes_per_second = p->rate * (p->mean_events > 1 ? p->mean_events : 1) * EST_LINE_BYTES;
    double d = TARGET_WINDOW_BYTES / bytes_per_second;
    if (d < LAD_SYNTH_MAX_SPAN) {
        double longer = 8 * TARGET_WINDOW_BYTES / bytes_per_second;
        d = longer < LAD_SYNTH_MAX_SPAN ? longer : LAD_SYNTH_MAX_SPAN;
    }
    double spread = (double)p->span / ((double)MIN_WINDOWS_PER_RANK * size);
    if (d > spread)
        d = spread;
    if (d > (double)UINT32_MAX)
        d = (double)UINT32_MAX;
    return d < 1 ? 1 : (int64_t)d;
}

struct log_job {
    const struct lad_synth_plan *plan;
    int64_t seconds; /* per window */
    int nthreads;
    struct lad__synth_scratch scratch;
};

static enum lad_status fill_log(struct lad_ctx *ctx, void *arg, int64_t chunk, struct lad_buf *out, int64_t *items)
{
    struct log_job *job = arg;
    int64_t lo = chunk * job->seconds;
    return lad__synth_window(ctx, job->plan, lo, lo + job->seconds, job->nthreads, &job->scratch, out, items);
}

enum lad_status lad_synth_write(struct lad_ctx *ctx, const struct lad_synth_plan *p, const char *log_path,
                                const char *labels_path, struct lad_synth_report *r)
{
    memset(r, 0, sizeof *r);
    if (strcmp(log_path, labels_path) == 0)
        return lad_fail(ctx, LAD_ERR_USAGE, "synth: --out and --labels-out are the same file %s", log_path);
    double t0 = MPI_Wtime();
    char tmp_log[PATH_MAX], tmp_labels[PATH_MAX];
    struct lad_comm_file log_file = {MPI_FILE_NULL, log_path, 0, NULL};
    struct lad_comm_file labels_file = {MPI_FILE_NULL, labels_path, 0, NULL};
    enum lad_status st = lad_outfile_collective_begin(ctx, log_path, tmp_log);
    if (st != LAD_OK)
        return st;
    st = lad_outfile_collective_begin(ctx, labels_path, tmp_labels);
    if (st == LAD_OK)
        st = lad_comm_file_open(ctx, &log_file, tmp_log, log_path);
    if (st == LAD_OK)
        st = lad_comm_file_open(ctx, &labels_file, tmp_labels, labels_path);

    struct log_job job = {p, window_seconds(p, ctx->size), ctx->nthreads, {0}};
    struct lad__synth_ordered log = {
        .file = &log_file, .n_chunks = (p->span + job.seconds - 1) / job.seconds, .fill = fill_log,
        .arg = &job, .progress = "writing the log",
        .est_bytes = (double)p->n_blocks * p->mean_events * EST_LINE_BYTES};
    struct lad__synth_labels_job labels_job = {p};
    struct lad__synth_ordered labels = {
        .file = &labels_file, .n_chunks = (p->n_blocks + LAD__SYNTH_LABEL_CHUNK - 1) / LAD__SYNTH_LABEL_CHUNK,
        .fill = lad__synth_fill_labels, .arg = &labels_job};
    if (st == LAD_OK) {
        lad_log(ctx, LAD_LOG_VERBOSE, "synth: %lld windows of %lld s of log time", (long long)log.n_chunks,
                (long long)job.seconds);
        st = lad__synth_write_ordered(ctx, &log);
        lad__synth_scratch_free(&job.scratch);
    }
    if (st == LAD_OK)
        st = lad__synth_write_ordered(ctx, &labels);
    /* Both files are closed on every rank whatever happened (MPI_File_close is collective). */
    st = lad_comm_file_close(ctx, &log_file, st);
    st = lad_comm_file_close(ctx, &labels_file, st);

    /* Rename the log, then the labels; each end removes its temporary on failure. */
    enum lad_status st_log = lad_outfile_collective_end(ctx, log_path, tmp_log, st);
    st = lad_outfile_collective_end(ctx, labels_path, tmp_labels, st_log);
    if (st != LAD_OK && st_log == LAD_OK && ctx->rank == 0 && lad_outfile_pending_count() == 0)
        unlink(log_path); /* a log without its labels is not a result (a pending one is discarded) */
    if (st == LAD_OK) {
        r->lines = log.items;
        r->log_bytes = log.bytes;
        r->label_bytes = labels.bytes;
        r->chunks = log.n_chunks;
    }
    r->seconds = MPI_Wtime() - t0;
    return st;
}

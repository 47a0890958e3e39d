/* ctx.c - the run context: a private communicator and what every collective call needs to know. */
#include "lad_ctx.h"

#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "lad_comm.h"
#include "lad_log.h"
#include "lad_options.h"

/* A positive integer environment variable, or 0 when unset or not a number. */
static int env_positive_int(const char *name)
{
    const char *s = getenv(name);
    if (s == NULL || *s == '\0')
        return 0;
    char *end;
    long v = strtol(s, &end, 10);
    return (*end == '\0' && v > 0 && v <= 4096) ? (int)v : 0;
}

enum lad_status lad_ctx_init(struct lad_ctx *ctx, MPI_Comm comm)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->comm = MPI_COMM_NULL;
    /* A private duplicate keeps logad's messages apart from any caller's traffic on comm. */
    if (MPI_Comm_dup(comm, &ctx->comm) != MPI_SUCCESS)
        return LAD_ERR_MPI;
    lad_comm_set_error_policy(ctx->comm); /* MPI_ERRORS_RETURN: see lad_comm.h */
    MPI_Comm_rank(ctx->comm, &ctx->rank);
    MPI_Comm_size(ctx->comm, &ctx->size);
    MPI_Query_thread(&ctx->thread_level);
#ifdef _OPENMP
    /* Under Slurm a task owns SLURM_CPUS_PER_TASK CPUs: without OMP_NUM_THREADS, OpenMP would start
     * one thread per CPU of the node and oversubscribe every task's share. --threads still wins. */
    int slurm_cpus = env_positive_int("SLURM_CPUS_PER_TASK");
    if (getenv("OMP_NUM_THREADS") == NULL && slurm_cpus > 0)
        omp_set_num_threads(slurm_cpus);
    ctx->nthreads = omp_get_max_threads();
#else
    ctx->nthreads = 1;
#endif
    ctx->log_level = LAD_LOG_INFO;
    ctx->progress_seconds = 10.0;
    return LAD_OK;
}

void lad_ctx_free(struct lad_ctx *ctx)
{
    if (ctx == NULL)
        return;
    if (ctx->comm != MPI_COMM_NULL && ctx->comm != 0)
        MPI_Comm_free(&ctx->comm);
    lad_buf_free(&ctx->summary);
    lad_buf_free(&ctx->outputs);
    ctx->comm = MPI_COMM_NULL;
}

void lad_ctx_clear_error(struct lad_ctx *ctx)
{
    ctx->err_status = LAD_OK;
    ctx->err_msg[0] = '\0';
}

const char *lad_ctx_threads_source(const struct lad_options *o)
{
    if (o != NULL && o->threads > 0)
        return "--threads";
    if (getenv("OMP_NUM_THREADS") != NULL)
        return "OMP_NUM_THREADS";
    if (env_positive_int("SLURM_CPUS_PER_TASK") > 0)
        return "SLURM_CPUS_PER_TASK";
    return "OpenMP default";
}

void lad_ctx_note_output(struct lad_ctx *ctx, const char *path)
{
    /* Kept NUL-separated; a failed append only shortens the list in the summary. */
    if (ctx->rank == 0 && path != NULL)
        lad_buf_append(&ctx->outputs, path, strlen(path) + 1);
}

/* Appends "a-b" or "a" to a CPU list being built. */
static void append_cpu_range(char *buf, size_t cap, size_t *len, int a, int b)
{
    if (*len >= cap)
        return;
    int n = a == b ? snprintf(buf + *len, cap - *len, "%s%d", *len ? "," : "", a)
                   : snprintf(buf + *len, cap - *len, "%s%d-%d", *len ? "," : "", a, b);
    *len = n < 0 ? cap : *len + (size_t)n;
}

int lad_ctx_cpus_allowed(char *list, size_t cap)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (cap > 0)
        list[0] = '\0';
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 0;
    size_t len = 0;
    int start = -1;
    for (int c = 0; c <= CPU_SETSIZE; c++) {
        bool in = c < CPU_SETSIZE && CPU_ISSET(c, &set);
        if (in && start < 0)
            start = c;
        if (!in && start >= 0) {
            append_cpu_range(list, cap, &len, start, c - 1);
            start = -1;
        }
    }
    return CPU_COUNT(&set);
}

/* Ranks of a node whose CPU sets overlap another rank's there (node rank 0 counts, others 0). */
static int count_sharing(MPI_Comm node, int node_rank, int node_size, const cpu_set_t *mine)
{
    cpu_set_t *all = node_rank == 0 ? lad_malloc_array((size_t)node_size, sizeof *all) : NULL;
    int ok = node_rank != 0 || all != NULL, all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, node);
    if (!all_ok) {
        free(all);
        return 0;
    }
    MPI_Gather(mine, (int)sizeof *mine, MPI_BYTE, all, (int)sizeof *mine, MPI_BYTE, 0, node);
    int sharing = 0;
    for (int a = 0; all && a < node_size; a++)
        for (int b = 0; b < node_size; b++) {
            cpu_set_t both;
            CPU_AND(&both, &all[a], &all[b]);
            if (a != b && CPU_COUNT(&both) > 0) {
                sharing++;
                break;
            }
        }
    free(all);
    return sharing;
}

enum lad_status lad_ctx_placement(struct lad_ctx *ctx, struct lad_placement *p)
{
    memset(p, 0, sizeof *p);
    /* A node is a shared-memory domain: count the ranks that lead one. */
    MPI_Comm node = MPI_COMM_NULL;
    int node_rank = 0, node_size = 1;
    if (MPI_Comm_split_type(ctx->comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) != MPI_SUCCESS)
        return lad_fail(ctx, LAD_ERR_MPI, "MPI_Comm_split_type failed");
    MPI_Comm_rank(node, &node_rank);
    MPI_Comm_size(node, &node_size);
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        CPU_ZERO(&set);
    int cpus = CPU_COUNT(&set);
    /* Ranks bound to overlapping CPUs compete for them: the sign of a binding gone wrong (all ranks
     * on core 0 when OpenMP binds threads of unbound ranks). */
    int sharing = count_sharing(node, node_rank, node_size, &set);
    MPI_Comm_free(&node);
    int sums[2] = {node_rank == 0, sharing}, mins[2] = {cpus, -cpus}, tot[2], ext[2];
    if (MPI_Allreduce(sums, tot, 2, MPI_INT, MPI_SUM, ctx->comm) != MPI_SUCCESS ||
        MPI_Allreduce(mins, ext, 2, MPI_INT, MPI_MIN, ctx->comm) != MPI_SUCCESS)
        return lad_fail(ctx, LAD_ERR_MPI, "reduction of the rank placement failed");
    p->nodes = tot[0];
    p->ranks_sharing_cpus = tot[1];
    p->cpus_min = ext[0];
    p->cpus_max = -ext[1];
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    p->cpus_online = online > 0 && online < INT_MAX ? (int)online : 0;
    return LAD_OK;
}

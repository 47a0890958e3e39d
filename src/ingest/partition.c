/*
 * partition.c - equal byte ranges per rank and the line-edge rule.
 *
 * Ranges are cut by bytes, not lines, because counting lines would need a full pass over the data
 * before the real one. Equal bytes give equal work for log files, whose lines have similar lengths.
 */
#include "lad_partition.h"

#include <string.h>

#include "lad_inputs.h"

void lad_partition_range(MPI_Offset total, int rank, int size, MPI_Offset *lo, MPI_Offset *hi)
{
    MPI_Offset share = total / size, extra = total % size;
    /* The first `extra` ranks take one more byte, so ranges tile [0, total) exactly. */
    *lo = share * rank + (rank < extra ? rank : extra);
    *hi = *lo + share + (rank < extra ? 1 : 0);
}

int lad_partition_segments(const struct lad_inputs *in, MPI_Offset lo, MPI_Offset hi, struct lad_segment *segs)
{
    int n = 0;
    for (int f = 0; f < in->n_files; f++) {
        MPI_Offset fb = in->files[f].base, fe = fb + in->files[f].size;
        MPI_Offset b = lo > fb ? lo : fb, e = hi < fe ? hi : fe;
        if (b >= e)
            continue;
        /* Offsets become file-local: every file starts with a line, whatever came before it. */
        segs[n].file_index = f;
        segs[n].begin = b - fb;
        segs[n].end = e - fb;
        n++;
    }
    return n;
}

size_t lad_partition_first_line(const char *data, size_t n, bool prev_is_newline)
{
    if (prev_is_newline)
        return 0;
    /* We start inside a line that an earlier range owns: it ends at the next newline. */
    const char *nl = memchr(data, '\n', n);
    return nl ? (size_t)(nl - data) + 1 : n;
}

void lad_partition_lines(const char *data, size_t n, int parts, int p, size_t *b, size_t *e)
{
    size_t lo = (size_t)((unsigned long long)n * (unsigned)p / (unsigned)parts);
    size_t hi = (size_t)((unsigned long long)n * (unsigned)(p + 1) / (unsigned)parts);
    /* Part p owns the lines whose first byte is in [lo, hi); the same rule as between ranks, so a
     * line is parsed by exactly one thread. The last part owns everything up to n. */
    size_t start = lo + lad_partition_first_line(data + lo, n - lo, lo == 0 || data[lo - 1] == '\n');
    size_t stop = (p == parts - 1) ? n : hi + lad_partition_first_line(data + hi, n - hi, hi == 0 || data[hi - 1] == '\n');
    if (start > stop)
        start = stop;
    *b = start;
    *e = stop;
}

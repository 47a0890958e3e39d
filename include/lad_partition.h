/*
 * lad_partition.h - cutting the global byte space into per-rank ranges, and the line-edge rule.
 *
 * The rule, used both between ranks and between the threads of a rank: a line belongs to the range
 * that holds its first byte. A range that starts in the middle of a line skips to the byte after the
 * next '\n'; a range whose last line runs past its end reads on to that line's '\n' (or end of file).
 * Every line is therefore read exactly once, whatever the number of ranges, and a range may own no
 * line at all (more ranks than lines), which is fine: such ranks still join every collective.
 */
#ifndef LAD_PARTITION_H
#define LAD_PARTITION_H

#include <mpi.h>
#include <stdbool.h>
#include <stddef.h>

struct lad_inputs;

/* Local. The global byte range [*lo, *hi) of rank `rank` out of `size`: equal shares, the first
 * (total % size) ranks one byte longer. */
void lad_partition_range(MPI_Offset total, int rank, int size, MPI_Offset *lo, MPI_Offset *hi);

/* One contiguous piece of a rank's range inside one file. */
struct lad_segment {
    int file_index;
    MPI_Offset begin; /* file offset of the first byte of the range in this file */
    MPI_Offset end;   /* file offset one past the range's last byte in this file */
};

/*
 * Local. Splits the global range [lo, hi) into per-file segments, in file order. Writes at most
 * in->n_files segments to segs and returns how many (empty intersections are left out).
 */
int lad_partition_segments(const struct lad_inputs *in, MPI_Offset lo, MPI_Offset hi, struct lad_segment *segs);

/*
 * Local. The line-edge rule on a buffer: index of the first line start in data[0, n), where
 * prev_is_newline says whether the byte before data[0] ends a line (true at the start of a file).
 * Returns n when no line starts in the buffer.
 */
size_t lad_partition_first_line(const char *data, size_t n, bool prev_is_newline);

/*
 * Local. Splits data[0, n) (which holds complete lines) into `parts` sub-ranges for threads: part p
 * gets the lines whose first byte lies in [p*n/parts, (p+1)*n/parts). Writes begin/end offsets of
 * part p's lines to *b and *e (empty when b == e).
 */
void lad_partition_lines(const char *data, size_t n, int parts, int p, size_t *b, size_t *e);

#endif

/*
 * lad_mem.h - allocation helpers: overflow-checked sizes, free that NULLs the owner's pointer, and a
 * growable array and byte buffer used throughout the pipeline. All functions are local.
 */
#ifndef LAD_MEM_H
#define LAD_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Keeps freed memory for reuse: allocations below 1 GiB come from the heap, and a freed block stays
 * there instead of going back to the kernel. Why: the pipeline frees and allocates buffers of tens of
 * megabytes phase after phase (read chunks, count tables, exchange buffers, output text), and with
 * glibc's defaults each is a fresh mmap whose every page faults again: on the 5.3 GB log at 2 ranks
 * that was 0.35 s of loading labels and 0.3 s of writing results, against a peak RSS 40 MiB higher.
 * Called once at start-up, before any thread exists.
 */
void lad_mem_keep_freed(void);

/* malloc/calloc of n*size bytes; NULL on overflow or failure (never aborts). n*size==0 allocates 1 byte. */
void *lad_malloc_array(size_t n, size_t size);
void *lad_calloc_array(size_t n, size_t size);
/*
 * As lad_malloc_array / lad_calloc_array, for arrays of megabytes: the kernel is also asked to back
 * them with transparent huge pages (madvise MADV_HUGEPAGE; a no-op where unsupported). Why: the first
 * touch of fresh memory costs a page fault per 4 KiB page, ~14 us each on a virtual machine measured
 * here (1.9 s of CPU to touch 512 MiB; 0.05 s with huge pages). Free with free() or lad_free.
 */
void *lad_malloc_big(size_t n, size_t size);
void *lad_calloc_big(size_t n, size_t size);
/* realloc to n*size bytes; on failure returns NULL and leaves *p untouched. */
void *lad_realloc_array(void *p, size_t n, size_t size);

/* Frees *pp and sets it to NULL; accepts pp == NULL and *pp == NULL (mfu_free). */
void lad_free(void *pp);

/* Duplicates a string; NULL on failure or if s is NULL. */
char *lad_strdup(const char *s);
char *lad_strndup(const char *s, size_t n);

/* Ensures capacity for at least `need` elements of `elem` bytes in *data (capacity in *cap, in
 * elements), growing geometrically. Returns false on overflow or allocation failure. */
bool lad_grow(void **data, size_t *cap, size_t need, size_t elem);

/* A growable byte buffer. */
struct lad_buf {
    char *data;
    size_t len;
    size_t cap;
};
bool lad_buf_reserve(struct lad_buf *b, size_t extra);
bool lad_buf_append(struct lad_buf *b, const void *src, size_t n);
bool lad_buf_printf(struct lad_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lad_buf_free(struct lad_buf *b);

#endif

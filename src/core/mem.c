/* mem.c - allocation helpers that fail by returning NULL/false, never by aborting. */
#include "lad_mem.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void lad_mem_keep_freed(void)
{
    (void)mallopt(M_MMAP_THRESHOLD, 1 << 30); /* a hint: where refused, only speed differs */
    (void)mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

void *lad_malloc_array(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    return malloc(bytes ? bytes : 1);
}

void *lad_calloc_array(size_t n, size_t size)
{
    if (n == 0 || size == 0)
        return calloc(1, 1);
    return calloc(n, size);
}

/* Advises huge pages for the whole pages inside [p, p + bytes), for blocks of 4 MiB and more. */
static void *advise_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    const size_t page = 4096;
    if (p != NULL && bytes >= ((size_t)4 << 20)) {
        uintptr_t b = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
        uintptr_t e = ((uintptr_t)p + bytes) & ~(uintptr_t)(page - 1);
        if (e > b)
            (void)madvise((void *)b, e - b, MADV_HUGEPAGE);
    }
#else
    (void)bytes;
#endif
    return p;
}

void *lad_malloc_big(size_t n, size_t size)
{
    return advise_huge(lad_malloc_array(n, size), n * size);
}

void *lad_calloc_big(size_t n, size_t size)
{
    return advise_huge(lad_calloc_array(n, size), n * size);
}

void *lad_realloc_array(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    return realloc(p, bytes ? bytes : 1);
}

void lad_free(void *pp)
{
    if (pp == NULL)
        return;
    void **p = (void **)pp;
    free(*p);
    *p = NULL;
}

char *lad_strdup(const char *s)
{
    return s ? lad_strndup(s, strlen(s)) : NULL;
}

char *lad_strndup(const char *s, size_t n)
{
    if (s == NULL)
        return NULL;
    char *d = malloc(n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

bool lad_grow(void **data, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return false;
        c *= 2;
    }
    void *p = lad_realloc_array(*data, c, elem);
    if (p == NULL)
        return false;
    *data = p;
    *cap = c;
    return true;
}

bool lad_buf_reserve(struct lad_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return false;
    void *d = b->data;
    if (!lad_grow(&d, &b->cap, b->len + extra + 1, 1))
        return false;
    b->data = d;
    return true;
}

bool lad_buf_append(struct lad_buf *b, const void *src, size_t n)
{
    if (!lad_buf_reserve(b, n))
        return false;
    memcpy(b->data + b->len, src, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool lad_buf_printf(struct lad_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    bool ok = n >= 0 && lad_buf_reserve(b, (size_t)n);
    if (ok) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
    return ok;
}

void lad_buf_free(struct lad_buf *b)
{
    lad_free(&b->data);
    b->len = b->cap = 0;
}

/*
 * h5_seal.c - the integrity header of every HDF5 file logad writes, and its check before HDF5 reads.
 *
 * Why: logad reads files it did not just write (models, features.h5) and must treat them as
 * untrusted. A per-dataset checksum is not enough: a damaged file can crash libhdf5 while it parses
 * the file's own metadata (an ASan heap-buffer-overflow inside H5Aexists_by_name), long before any
 * dataset is read. So no byte of a file reaches HDF5 until the whole file has been checked.
 *
 * How: every file is created with a 4 KiB HDF5 user block (HDF5 leaves those bytes alone and puts its
 * superblock after them; h5dump still reads the file). When the file is complete and closed, and
 * before it is renamed into place, the user block gets a header: a magic, a header version, the piece
 * size, the length of the HDF5 part, and a 128-bit digest of every byte of the HDF5 part. The last 8
 * bytes of the block are a digest of the block itself, so every byte of the file is covered.
 *
 * The digest is computed in parallel and is the same at any rank count: the HDF5 part is cut into
 * pieces of a fixed size; each rank reads a contiguous run of pieces and hashes each with XXH64,
 * seeded with the piece's index (so moving a piece changes its digest); the file digest is two sums
 * modulo 2^64 of independently mixed piece digests, which one MPI_Allreduce adds in any grouping.
 * A changed piece changes its lane terms with certainty (the mixers are bijections), so a corruption
 * escapes only if a 64-bit piece digest collides. This guards against corruption (disks, copies,
 * truncation, other programs), not against someone who edits a file and recomputes the header.
 *
 * Header layout (little-endian), LAD_H5_USERBLOCK bytes:
 *   0 magic "\x89LOGAD\r\n"   8 u32 header version (1)   12 u32 user block size   16 u64 piece size
 *   24 u64 bytes after the user block   32 u64[2] digest   48 char[32] writer ("logad 0.1.0")
 *   zeros   4088 u64 XXH64 of bytes [0, 4088)
 */
#include "lad_h5.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_digest.h"
#include "lad_hash.h"
#include "lad_mem.h"
#include "lad_outfile.h"
#include "lad_version.h"
#include "h5_internal.h"

#define MAGIC "\x89LOGAD\r\n"
#define MAGIC_LEN 8
#define HEADER_VERSION 1
#define HDF5_SIGNATURE "\x89HDF\r\n\x1a\n"
#define OFF_VERSION 8
#define OFF_UB_SIZE 12
#define OFF_PIECE 16
#define OFF_LENGTH 24
#define OFF_DIGEST 32
#define OFF_WRITER 48
#define WRITER_LEN 32
#define OFF_SELF (LAD_H5_USERBLOCK - 8)
/* Seeds that keep the header's own digest, the piece digests and the two lanes apart. */
#define SEED_HEADER 0x6c6f6761642d6862ULL
#define SEED_PIECE 0x6c6f6761642d7063ULL
#define LANE_A 0x243f6a8885a308d3ULL
#define LANE_B 0x13198a2e03707344ULL
/* Pieces a reader accepts: small enough to buffer one per rank, large enough to be few. */
#define PIECE_MIN ((uint64_t)4 << 10)
#define PIECE_MAX ((uint64_t)64 << 20)
#define PIECE_DEFAULT ((int64_t)1 << 20)

static int64_t piece_bytes_override;

void lad_h5_set_piece_bytes(int64_t bytes)
{
    piece_bytes_override = bytes;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/*
 * Local. Reads len bytes at offset in calls of at most the MPI-IO limit. A short read means the file is
 * shorter than its size said a moment ago: it changed while being read. Returns LAD_ERR_IO, recorded.
 */
static enum lad_status read_at(struct lad_ctx *ctx, MPI_File fh, MPI_Offset offset, unsigned char *buf, size_t len,
                               const char *name)
{
    const size_t per = (size_t)lad_comm_limits()->io_bytes;
    for (size_t done = 0; done < len;) {
        int n = (int)(len - done < per ? len - done : per);
        MPI_Status status;
        int rc = MPI_File_read_at(fh, offset + (MPI_Offset)done, buf + done, n, MPI_BYTE, &status);
        if (rc != MPI_SUCCESS)
            return lad_comm_io_error(ctx, rc, 0, "cannot read", name);
        int got = 0;
        MPI_Get_count(&status, MPI_BYTE, &got);
        if (got != n)
            return lad_fail(ctx, LAD_ERR_IO, "cannot read %s: the file changed while it was read", name);
        done += (size_t)n;
    }
    return LAD_OK;
}

/*
 * Collective. The 128-bit digest of the data_bytes bytes after the user block, in pieces of piece
 * bytes. Rank r hashes the pieces [n r / size, n (r + 1) / size): contiguous reads, balanced to one
 * piece. The sums do not depend on which rank added which piece. Returns an agreed status.
 */
static enum lad_status file_digest(struct lad_ctx *ctx, MPI_File fh, uint64_t data_bytes, uint64_t piece,
                                   const char *name, uint64_t digest[2])
{
    uint64_t n_pieces = (data_bytes + piece - 1) / piece;
    uint64_t lo = n_pieces * (uint64_t)ctx->rank / (uint64_t)ctx->size;
    uint64_t hi = n_pieces * (uint64_t)(ctx->rank + 1) / (uint64_t)ctx->size;
    unsigned char *buf = hi > lo ? malloc(piece) : NULL;
    enum lad_status st = (hi > lo && buf == NULL) ? lad_fail(ctx, LAD_ERR_NOMEM, "out of memory checking %s", name)
                                                  : LAD_OK;
    uint64_t lanes[2] = {0, 0};
    for (uint64_t i = lo; i < hi && st == LAD_OK; i++) {
        uint64_t at = i * piece, len = data_bytes - at < piece ? data_bytes - at : piece;
        st = read_at(ctx, fh, (MPI_Offset)(LAD_H5_USERBLOCK + at), buf, (size_t)len, name);
        if (st != LAD_OK)
            break;
        uint64_t d = lad_digest64(buf, (size_t)len, SEED_PIECE ^ lad_hash_u64(i));
        lanes[0] += lad_hash_u64(d ^ LANE_A);
        lanes[1] += lad_hash_u64(d ^ LANE_B);
    }
    free(buf);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        return st;
    lad_comm_check(ctx, MPI_Allreduce(MPI_IN_PLACE, lanes, 2, MPI_UINT64_T, MPI_SUM, ctx->comm),
                   "adding file digests");
    /* The length and piece count are folded in, so a file cut at a piece boundary differs too. */
    digest[0] = lad_hash_u64(lanes[0] ^ lad_hash_u64(data_bytes));
    digest[1] = lad_hash_u64(lanes[1] ^ lad_hash_u64(n_pieces ^ piece));
    return LAD_OK;
}

/* Collective. Opens path on every rank (MPI_ERRORS_RETURN); returns an agreed status. */
static enum lad_status open_all(struct lad_ctx *ctx, const char *path, int mode, const char *name, MPI_File *fh)
{
    *fh = MPI_FILE_NULL;
    int probe_slot = lad_outfile_track_lock_probe(path, ctx->rank); /* Open MPI's, beside path */
    int rc = MPI_File_open(ctx->comm, path, mode, MPI_INFO_NULL, fh);
    lad_outfile_untrack(probe_slot);
    enum lad_status st = LAD_OK;
    if (rc != MPI_SUCCESS) {
        *fh = MPI_FILE_NULL;
        st = lad_comm_io_error(ctx, rc, 0, mode == MPI_MODE_RDONLY ? "cannot read" : "cannot write", name);
    }
    return lad_status_agree(ctx, st);
}

/* Collective. Closes (a failed close after writing is a failed write); returns an agreed status. */
static enum lad_status close_all(struct lad_ctx *ctx, MPI_File *fh, enum lad_status st, const char *name)
{
    if (*fh != MPI_FILE_NULL) {
        int rc = MPI_File_close(fh);
        if (rc != MPI_SUCCESS && st == LAD_OK)
            st = lad_comm_io_error(ctx, rc, 0, "cannot close", name);
        *fh = MPI_FILE_NULL;
    }
    return lad_status_agree(ctx, st);
}

enum lad_status lad_h5_seal(struct lad_ctx *ctx, const char *path, const char *name)
{
    MPI_File fh;
    enum lad_status st = open_all(ctx, path, MPI_MODE_RDWR, name, &fh);
    if (st != LAD_OK)
        return st;
    MPI_Offset size = 0;
    int rc = MPI_File_get_size(fh, &size);
    if (rc != MPI_SUCCESS)
        st = lad_comm_io_error(ctx, rc, 0, "cannot write", name);
    else if (size < LAD_H5_USERBLOCK)
        st = lad_fail(ctx, LAD_ERR_INTERNAL, "%s: HDF5 left no user block (%lld bytes)", name, (long long)size);
    st = lad_status_agree(ctx, st);
    uint64_t piece = piece_bytes_override > 0 ? (uint64_t)piece_bytes_override : (uint64_t)PIECE_DEFAULT;
    uint64_t digest[2] = {0, 0};
    if (st == LAD_OK)
        st = file_digest(ctx, fh, (uint64_t)size - LAD_H5_USERBLOCK, piece, name, digest);
    if (st == LAD_OK && ctx->rank == 0) {
        unsigned char *h = calloc(1, LAD_H5_USERBLOCK);
        if (h == NULL)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory writing %s", name);
        else {
            memcpy(h, MAGIC, MAGIC_LEN);
            put_u32(h + OFF_VERSION, HEADER_VERSION);
            put_u32(h + OFF_UB_SIZE, LAD_H5_USERBLOCK);
            put_u64(h + OFF_PIECE, piece);
            put_u64(h + OFF_LENGTH, (uint64_t)size - LAD_H5_USERBLOCK);
            put_u64(h + OFF_DIGEST, digest[0]);
            put_u64(h + OFF_DIGEST + 8, digest[1]);
            snprintf((char *)h + OFF_WRITER, WRITER_LEN, "logad %s", LAD_VERSION);
            put_u64(h + OFF_SELF, lad_digest64(h, OFF_SELF, SEED_HEADER));
            /* The user block is a hole HDF5 never wrote: on a full disk this write can fail, as any. */
            MPI_Status status;
            rc = MPI_File_write_at(fh, 0, h, LAD_H5_USERBLOCK, MPI_BYTE, &status);
            int got = 0;
            if (rc == MPI_SUCCESS)
                MPI_Get_count(&status, MPI_BYTE, &got);
            if (rc != MPI_SUCCESS)
                st = lad_comm_io_error(ctx, rc, 0, "cannot write", name);
            else if (got != LAD_H5_USERBLOCK)
                st = lad_fail(ctx, LAD_ERR_IO, "cannot write %s: No space left on device (header)", name);
            free(h);
        }
    }
    return close_all(ctx, &fh, lad_status_agree(ctx, st), name);
}

/* What rank 0 found in the header: a verdict and, when usable, the fields the digest needs. */
enum verdict { HEADER_OK, NO_HEADER, OLD_HDF5, DAMAGED, NEWER, WRONG_LENGTH };

static enum verdict parse_header(const unsigned char *h, size_t got, uint64_t file_size, uint64_t *piece,
                                 uint64_t *length, uint64_t digest[2], uint32_t *version)
{
    if (got < MAGIC_LEN || memcmp(h, MAGIC, MAGIC_LEN) != 0)
        return got >= 8 && memcmp(h, HDF5_SIGNATURE, 8) == 0 ? OLD_HDF5 : NO_HEADER;
    if (got < LAD_H5_USERBLOCK)
        return WRONG_LENGTH;
    if (get_u64(h + OFF_SELF) != lad_digest64(h, OFF_SELF, SEED_HEADER))
        return DAMAGED;
    *version = get_u32(h + OFF_VERSION);
    if (*version != HEADER_VERSION)
        return NEWER;
    *piece = get_u64(h + OFF_PIECE);
    *length = get_u64(h + OFF_LENGTH);
    digest[0] = get_u64(h + OFF_DIGEST);
    digest[1] = get_u64(h + OFF_DIGEST + 8);
    /* A header with a valid digest but impossible fields was not written by logad. */
    if (get_u32(h + OFF_UB_SIZE) != LAD_H5_USERBLOCK || *piece < PIECE_MIN || *piece > PIECE_MAX)
        return DAMAGED;
    if (*length != file_size - LAD_H5_USERBLOCK)
        return WRONG_LENGTH;
    return HEADER_OK;
}

/* Local (rank 0). The one line for a file that fails the check. */
static enum lad_status reject(struct lad_ctx *ctx, enum verdict v, const char *path, const char *remedy,
                              uint64_t file_size, uint64_t length, uint32_t version)
{
    const char *lead = "is corrupted or was not written by logad";
    switch (v) {
    case OLD_HDF5:
        return lad_fail(ctx, LAD_ERR_INPUT,
                        "%s has no logad checksum header: it was written by a logad older than file format version 2 "
                        "(models and features.h5 of format version 1 had none) or by another program; %s",
                        path, remedy);
    case NO_HEADER:
        return lad_fail(ctx, LAD_ERR_INPUT, "%s is corrupted or is not an HDF5 file written by logad (no logad header); %s",
                        path, remedy);
    case DAMAGED:
        return lad_fail(ctx, LAD_ERR_INPUT, "%s %s: its checksum header is damaged; %s", path, lead, remedy);
    case NEWER:
        return lad_fail(ctx, LAD_ERR_INPUT, "%s %s: unknown checksum header version %u (a newer logad?); %s", path, lead,
                        version, remedy);
    case WRONG_LENGTH:
        if (file_size < LAD_H5_USERBLOCK)
            return lad_fail(ctx, LAD_ERR_INPUT, "%s %s: %llu bytes, shorter than its header; %s", path, lead,
                            (unsigned long long)file_size, remedy);
        return lad_fail(ctx, LAD_ERR_INPUT, "%s %s: %llu bytes, but its header says %llu (truncated or appended to); %s",
                        path, lead, (unsigned long long)file_size, (unsigned long long)(length + LAD_H5_USERBLOCK),
                        remedy);
    default:
        return lad_fail(ctx, LAD_ERR_INPUT, "%s %s: checksum mismatch; %s", path, lead, remedy);
    }
}

enum lad_status lad_h5_verify(struct lad_ctx *ctx, const char *path, const char *remedy)
{
    MPI_File fh;
    enum lad_status st = open_all(ctx, path, MPI_MODE_RDONLY, path, &fh);
    if (st != LAD_OK)
        return st;
    /* Rank 0 reads and judges the header; every rank gets (verdict, piece, length, digest). */
    uint64_t fields[5] = {0, 0, 0, 0, 0};
    if (ctx->rank == 0) {
        MPI_Offset size = 0;
        unsigned char *h = calloc(1, LAD_H5_USERBLOCK);
        int rc = MPI_File_get_size(fh, &size);
        if (h == NULL)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", path);
        else if (rc != MPI_SUCCESS)
            st = lad_comm_io_error(ctx, rc, 0, "cannot read", path);
        size_t got = size < LAD_H5_USERBLOCK ? (size_t)size : LAD_H5_USERBLOCK;
        if (st == LAD_OK)
            st = read_at(ctx, fh, 0, h, got, path);
        uint32_t version = 0;
        uint64_t digest[2] = {0, 0};
        if (st == LAD_OK) {
            enum verdict v = parse_header(h, got, (uint64_t)size, &fields[1], &fields[2], digest, &version);
            if (v != HEADER_OK)
                st = reject(ctx, v, path, remedy, (uint64_t)size, fields[2], version);
            fields[3] = digest[0];
            fields[4] = digest[1];
        }
        free(h);
    }
    st = lad_status_agree(ctx, st);
    uint64_t want[2] = {0, 0}, digest[2] = {0, 0};
    if (st == LAD_OK) {
        MPI_Bcast(fields, 5, MPI_UINT64_T, 0, ctx->comm);
        want[0] = fields[3];
        want[1] = fields[4];
        st = file_digest(ctx, fh, fields[2], fields[1], path, digest);
    }
    if (st == LAD_OK && ctx->rank == 0 && (digest[0] != want[0] || digest[1] != want[1]))
        st = reject(ctx, HEADER_OK, path, remedy, 0, 0, 0);
    return close_all(ctx, &fh, lad_status_agree(ctx, st), path);
}

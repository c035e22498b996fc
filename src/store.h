/*
 * store.h: files under media_dir. Incoming bytes go to a temporary file in
 * media_dir/tmp while their SHA-1 is computed (OpenSSL's EVP API); only
 * once the database row is committed are files renamed into place, so an
 * interrupted or failed upload leaves neither a row nor a file.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>

#define SHA1_LEN	20
#define STORE_PATH_MAX	1024

struct sink {
	int		 fd;
	char		 path[STORE_PATH_MAX];	/* the temporary file */
	void		*md;		/* EVP_MD_CTX */
	unsigned long long size;
	unsigned long long limit;	/* refuse more than this */
	int		 full;		/* the disk filled up */
};

/* Start a temporary file under media_dir/tmp; 0 or -1. */
int	 sink_open(struct sink *, const char *media_dir, unsigned long long limit);
/* Append; -1 on a write error (disk full) or past the limit. */
int	 sink_write(struct sink *, const void *, size_t);
/* Flush to disk and give the SHA-1; the file stays; 0 or -1. */
int	 sink_close(struct sink *, unsigned char sha1[SHA1_LEN]);
/* Remove the temporary file; safe to call more than once. */
void	 sink_abort(struct sink *);

/* mkdir -p of the directory part of media_dir/rel; 0 or -1. */
int	 store_mkdirs(const char *media_dir, const char *rel);
/* media_dir/rel into out. */
void	 store_abs(char *out, size_t outsz, const char *media_dir, const char *rel);

/* ---- times ------------------------------------------------------------- */

/*
 * Parse ISO 8601 "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)" (an offset is
 * required). Gives the instant in UTC milliseconds and the offset in
 * minutes. 0 or -1.
 */
int	 iso_parse(const char *, long long *utc_ms, int *offset_min);
/* "YYYY-MM-DD HH:MM:SS.mmm" (DATETIME(3) text) for milliseconds. */
void	 dt_format(long long ms, char out[48]);

#endif

/* crypto.c: see crypto.h. */
#include "config.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto.h"

/* Hash of a random password, checked against when an email is unknown so
 * that a wrong email costs the same time as a wrong password. */
static char	 dummy_hash[PASSWORD_HASH_MAX];

int
crypto_init(void)
{
	char	 pw[TOKEN_MAX];

	if (sodium_init() < 0)
		return -1;
	if (dummy_hash[0] == '\0') {
		token_new(pw);
		if (password_hash(pw, dummy_hash) != 0)
			return -1;
		sodium_memzero(pw, sizeof(pw));
	}
	return 0;
}

void
token_new(char *out)
{
	static const char	 alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	size_t			 i;

	/*
	 * 43 characters drawn uniformly (libsodium rejects biased draws):
	 * 43 x log2(62) = 256 bits, always the same length, and only the
	 * [A-Za-z0-9] characters Immich's tokens have.
	 */
	for (i = 0; i < TOKEN_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[TOKEN_LEN] = '\0';
}

void
token_hash(const char *token, unsigned char out[TOKEN_HASH_LEN])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

void
uuid_v4(char out[UUID_LEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 b[16];
	size_t			 i, o = 0;

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

int
password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	return crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

int
password_verify(const char *hash, const char *password, int *rehash)
{
	struct crypt_data	*cd;
	const char		*out;
	size_t			 n;
	int			 ok = 0;

	*rehash = 0;
	if (strncmp(hash, "$argon2", 7) == 0) {
		if (crypto_pwhash_str_verify(hash, password, strlen(password)) != 0)
			return 0;
		*rehash = crypto_pwhash_str_needs_rehash(hash,
		    crypto_pwhash_OPSLIMIT_INTERACTIVE,
		    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
		return 1;
	}
	if (strncmp(hash, "$2a$", 4) == 0 || strncmp(hash, "$2b$", 4) == 0 ||
	    strncmp(hash, "$2y$", 4) == 0) {
		/* crypt_data is 32 KiB: keep it off the thread's stack. */
		if ((cd = calloc(1, sizeof(*cd))) == NULL)
			return 0;
		out = crypt_r(password, hash, cd);
		n = strlen(hash);
		ok = out != NULL && out[0] != '*' && strlen(out) == n &&
		    sodium_memcmp(out, hash, n) == 0;
		sodium_memzero(cd, sizeof(*cd));
		free(cd);
		*rehash = ok;
		return ok;
	}
	/* Empty or unknown: no password login, after the same work as a
	 * wrong password, so the answer's time tells nothing. */
	if (dummy_hash[0] != '\0' && hash != dummy_hash)
		(void)password_verify(dummy_hash, password, rehash);
	*rehash = 0;
	return 0;
}

void
password_dummy_verify(const char *password)
{
	int	 rehash;

	(void)password_verify(dummy_hash, password, &rehash);
}

/*
 * crypto.h: passwords, tokens and ids, all through well-kept libraries:
 * libsodium (Argon2id, SHA-256, the OS random source, constant-time
 * comparison) and the system's libcrypt (bcrypt hashes imported from Immich).
 * Nothing here is hand-rolled cryptography.
 */
#ifndef CRYPTO_H
#define CRYPTO_H

#include <stddef.h>

#define TOKEN_HASH_LEN	32	/* SHA-256 */
#define TOKEN_LEN	43	/* characters of a token */
#define TOKEN_MAX	64	/* room for a token as text, with its NUL */
#define PASSWORD_HASH_MAX 128	/* crypto_pwhash_STRBYTES */
#define UUID_LEN	36

/* Initialise libsodium; -1 if the system cannot provide randomness. */
int	 crypto_init(void);

/* 256 bits from the OS as 43 characters of [A-Za-z0-9], like Immich's
 * tokens. out must hold TOKEN_MAX bytes. */
void	 token_new(char *out);
/* SHA-256 of a token, as stored in sessions and api_keys. */
void	 token_hash(const char *token, unsigned char out[TOKEN_HASH_LEN]);

/* A random version-4 UUID, 36 characters and a NUL. */
void	 uuid_v4(char out[UUID_LEN + 1]);

/* Argon2id hash of password (libsodium's interactive limits); 0 or -1. */
int	 password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/*
 * Check password against an Argon2id or bcrypt ($2a$/$2b$/$2y$) hash.
 * Returns 1 on a match, 0 otherwise; *rehash is set when the hash should be
 * replaced by a fresh Argon2id one (bcrypt, or weaker parameters).
 */
int	 password_verify(const char *hash, const char *password, int *rehash);
/* Spend the time a verification costs, for unknown emails. */
void	 password_dummy_verify(const char *password);

#endif

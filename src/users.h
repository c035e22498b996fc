/*
 * users.h: accounts as a service, shared by the HTTP handlers and
 * partnerctl so both apply the same rules, and the JSON shapes (DTOs)
 * Immich clients expect for users.
 */
#ifndef USERS_H
#define USERS_H

#include "partnerd.h"

struct db;
struct db_row;
struct json_object;

/* Column order of USER_COLS in stmts.c. */
enum ucol {
	UC_ID = 0, UC_NAME, UC_EMAIL, UC_PROFILE_IMAGE, UC_AVATAR,
	UC_PROFILE_CHANGED, UC_STORAGE_LABEL, UC_SHOULD_CHANGE_PW, UC_IS_ADMIN,
	UC_CREATED, UC_DELETED, UC_UPDATED, UC_QUOTA, UC_STATUS,
	UC__MAX
};

extern const char *const avatar_colors[];	/* NULL-terminated */

/* The Immich colour for an email: code points summed, modulo 10. */
const char	*avatar_color_for(const char *email);

/* UserResponseDto (admin = 0) or UserAdminResponseDto (admin = 1) from a
 * row whose columns start at first. Returns a new object. */
struct json_object *dto_user(const struct db_row *, size_t first, int admin);

/* Collect every row of a user query as DTOs into arr (db_row_fn). */
struct user_list {
	struct json_object	*arr;
	int			 admin;
};
int	 user_list_row(void *arg, const struct db_row *);

/* Lowercase an email in place (Immich lowercases on input). */
void	 email_normalise(char *);

/*
 * What to set on a user; NULL or -1 means "leave as is" (create: default).
 * The *_set flags distinguish "set to null" from "not given".
 */
struct user_input {
	const char	*email;
	const char	*name;
	const char	*password;
	int		 is_admin;
	int		 should_change_password;
	int		 avatar_set;
	const char	*avatar_color;
	int		 storage_label_set;
	const char	*storage_label;
	int		 quota_set;
	long long	 quota;
	int		 quota_null;
	/* A new password ends every session of the user but this one (NULL:
	 * all). API keys stay: they are not sessions. */
	const char	*keep_session;
};

/* The least length of a new password (change-password, partnerctl). */
#define USER_PASSWORD_MIN	8

#define USER_INPUT_INIT { NULL, NULL, NULL, -1, -1, 0, NULL, 0, NULL, 0, 0, 0, NULL }

/*
 * Create or update a user. On failure return the error and point *msg at
 * a static message for the client (e.g. "Email is not available").
 */
enum perr	 user_create(struct db *, const struct user_input *,
		    char id[37], const char **msg);
enum perr	 user_update(struct db *, const char *id,
		    const struct user_input *, const char **msg);
/*
 * Does password match user id's? PERR_NONE, PERR_BAD_REQUEST (*msg "Wrong
 * password") or a database error. Costs one Argon2 verification either way.
 */
enum perr	 user_password_check(struct db *, const char *id,
		    const char *password, const char **msg);
/* Soft-delete: the account and its sessions stop working at once. */
enum perr	 user_soft_delete(struct db *, const char *id, const char **msg);

#endif

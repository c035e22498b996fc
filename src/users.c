/* users.c: see users.h. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "partnerd.h"
#include "crypto.h"
#include "db.h"
#include "users.h"

const char *const avatar_colors[] = {
	"primary", "pink", "red", "yellow", "blue", "green", "purple",
	"orange", "gray", "amber", NULL,
};

const char *
avatar_color_for(const char *email)
{
	const unsigned char	*p = (const unsigned char *)email;
	unsigned long		 sum = 0, cp;
	int			 extra;

	/* Sum Unicode code points, decoding UTF-8 as JavaScript strings do. */
	while (*p != '\0') {
		if (*p < 0x80) {
			cp = *p++;
			extra = 0;
		} else if ((*p & 0xe0) == 0xc0) {
			cp = *p++ & 0x1f;
			extra = 1;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = *p++ & 0x0f;
			extra = 2;
		} else {
			cp = *p++ & 0x07;
			extra = 3;
		}
		while (extra-- > 0 && (*p & 0xc0) == 0x80)
			cp = cp << 6 | (*p++ & 0x3f);
		sum += cp;
	}
	return avatar_colors[sum % 10];
}

static struct json_object *
str_or_null(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

struct json_object *
dto_user(const struct db_row *row, size_t f, int admin)
{
	const char *const	*v = row->val + f;
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(v[UC_ID]));
	json_object_object_add(o, "name", json_object_new_string(v[UC_NAME]));
	json_object_object_add(o, "email", json_object_new_string(v[UC_EMAIL]));
	json_object_object_add(o, "profileImagePath",
	    json_object_new_string(v[UC_PROFILE_IMAGE]));
	json_object_object_add(o, "avatarColor", json_object_new_string(
	    v[UC_AVATAR] ? v[UC_AVATAR] : avatar_color_for(v[UC_EMAIL])));
	json_object_object_add(o, "profileChangedAt",
	    json_object_new_string(v[UC_PROFILE_CHANGED]));
	if (!admin)
		return o;
	json_object_object_add(o, "storageLabel", str_or_null(v[UC_STORAGE_LABEL]));
	json_object_object_add(o, "shouldChangePassword",
	    json_object_new_boolean(v[UC_SHOULD_CHANGE_PW][0] == '1'));
	json_object_object_add(o, "isAdmin",
	    json_object_new_boolean(v[UC_IS_ADMIN][0] == '1'));
	json_object_object_add(o, "createdAt", json_object_new_string(v[UC_CREATED]));
	json_object_object_add(o, "deletedAt", str_or_null(v[UC_DELETED]));
	json_object_object_add(o, "updatedAt", json_object_new_string(v[UC_UPDATED]));
	json_object_object_add(o, "oauthId", json_object_new_string(""));
	json_object_object_add(o, "quotaSizeInBytes", v[UC_QUOTA] ?
	    json_object_new_int64(strtoll(v[UC_QUOTA], NULL, 10)) : NULL);
	json_object_object_add(o, "quotaUsageInBytes", json_object_new_int64(0));
	json_object_object_add(o, "status", json_object_new_string(v[UC_STATUS]));
	json_object_object_add(o, "license", NULL);
	return o;
}

int
user_list_row(void *arg, const struct db_row *row)
{
	struct user_list	*l = arg;

	return json_object_array_add(l->arr, dto_user(row, 0, l->admin));
}

void
email_normalise(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Is the email in use by anyone but except_id (which may be NULL)? */
static enum perr
email_free(struct db *db, const char *email, const char *except_id,
    const char **msg)
{
	struct dbv	 a[2] = { DBV_STR(email), DBV_OPTSTR(except_id) };
	char		 id[64];
	int		 rc;

	rc = db_query_str(db, STMT_USER_EMAIL_TAKEN, a, 2, id, sizeof(id));
	if (rc == DB_OK) {
		*msg = "Email is not available";
		return PERR_BAD_REQUEST;
	}
	return rc == DB_NOTFOUND ? PERR_NONE : perr_from_db(rc);
}

enum perr
user_create(struct db *db, const struct user_input *in, char id[37],
    const char **msg)
{
	char		 email[256], hash[PASSWORD_HASH_MAX];
	enum perr	 e;
	int		 rc;

	*msg = NULL;
	if (in->email == NULL || strlen(in->email) >= sizeof(email))
		return PERR_BAD_REQUEST;
	snprintf(email, sizeof(email), "%s", in->email);
	email_normalise(email);
	if ((e = email_free(db, email, NULL, msg)) != PERR_NONE)
		return e;
	if (password_hash(in->password ? in->password : "", hash) != 0)
		return PERR_INTERNAL;
	uuid_v4(id);
	{
		struct dbv a[9] = {
			DBV_STR(id), DBV_STR(email),
			DBV_STR(in->name ? in->name : ""),
			/* no password given: an empty hash, which never verifies */
			DBV_STR(in->password ? hash : ""),
			DBV_INT(in->is_admin == 1),
			DBV_OPTSTR(in->avatar_set ? in->avatar_color : NULL),
			DBV_INT(in->should_change_password != 0),
			DBV_OPTSTR(in->storage_label_set ? in->storage_label : NULL),
			in->quota_set && !in->quota_null ? DBV_INT(in->quota) : DBV_NULL,
		};

		rc = db_exec(db, STMT_USER_INSERT, a, 9, NULL);
	}
	sodium_memzero(hash, sizeof(hash));
	if (rc == DB_CONFLICT) {
		/* The email was free a moment ago: a race, or the label. */
		*msg = in->storage_label_set && in->storage_label ?
		    "Storage label already in use by another account" :
		    "Email is not available";
		return PERR_BAD_REQUEST;
	}
	return rc == DB_OK ? PERR_NONE : perr_from_db(rc);
}

enum perr
user_update(struct db *db, const char *id, const struct user_input *in,
    const char **msg)
{
	char		 email[256], hash[PASSWORD_HASH_MAX];
	uint64_t	 n = 0;
	enum perr	 e;
	int		 rc;

	*msg = NULL;
	if (in->email != NULL) {
		if (strlen(in->email) >= sizeof(email))
			return PERR_BAD_REQUEST;
		snprintf(email, sizeof(email), "%s", in->email);
		email_normalise(email);
		if ((e = email_free(db, email, id, msg)) != PERR_NONE)
			return e;
	}
	if (in->password != NULL && password_hash(in->password, hash) != 0)
		return PERR_INTERNAL;
	{
		struct dbv a[12] = {
			DBV_STR(id),
			in->email ? DBV_STR(email) : DBV_NULL,
			DBV_OPTSTR(in->name),
			in->password ? DBV_STR(hash) : DBV_NULL,
			in->is_admin >= 0 ? DBV_INT(in->is_admin) : DBV_NULL,
			in->should_change_password >= 0 ?
			    DBV_INT(in->should_change_password) : DBV_NULL,
			DBV_INT(in->avatar_set), DBV_OPTSTR(in->avatar_color),
			DBV_INT(in->storage_label_set), DBV_OPTSTR(in->storage_label),
			DBV_INT(in->quota_set),
			in->quota_set && !in->quota_null ? DBV_INT(in->quota) : DBV_NULL,
		};

		if ((rc = db_begin(db)) == DB_OK)
			rc = db_exec(db, STMT_USER_UPDATE, a, 12, &n);
	}
	sodium_memzero(hash, sizeof(hash));
	/* invalidateSessions: whoever knew the old password is signed out. */
	if (rc == DB_OK && n > 0 && in->password != NULL) {
		struct dbv a[2] = { DBV_STR(id), DBV_OPTSTR(in->keep_session) };

		rc = db_exec(db, STMT_SESSION_DELETE_OTHERS, a, 2, NULL);
	}
	if (rc == DB_OK)
		rc = db_commit(db);
	else
		db_rollback(db);
	if (rc == DB_CONFLICT) {
		*msg = in->storage_label_set && in->storage_label ?
		    "Storage label already in use by another account" :
		    "Email is not available";
		return PERR_BAD_REQUEST;
	}
	if (rc != DB_OK)
		return perr_from_db(rc);
	if (n == 0) {
		*msg = "User not found";
		return PERR_BAD_REQUEST;
	}
	return PERR_NONE;
}

enum perr
user_password_check(struct db *db, const char *id, const char *password,
    const char **msg)
{
	char		 hash[PASSWORD_HASH_MAX];
	struct dbv	 a[1] = { DBV_STR(id) };
	int		 rc, rehash, ok;

	*msg = NULL;
	rc = db_query_str(db, STMT_USER_PASSWORD_HASH, a, 1, hash, sizeof(hash));
	if (rc != DB_OK)
		return perr_from_db(rc);
	ok = password != NULL && password_verify(hash, password, &rehash);
	sodium_memzero(hash, sizeof(hash));
	if (!ok) {
		*msg = "Wrong password";
		return PERR_BAD_REQUEST;
	}
	return PERR_NONE;
}

enum perr
user_soft_delete(struct db *db, const char *id, const char **msg)
{
	struct dbv	 a[1] = { DBV_STR(id) };
	uint64_t	 n = 0;
	int		 rc;

	*msg = NULL;
	if ((rc = db_begin(db)) != DB_OK)
		return perr_from_db(rc);
	if ((rc = db_exec(db, STMT_USER_SOFT_DELETE, a, 1, &n)) != DB_OK ||
	    (n == 1 && (rc = db_exec(db, STMT_SESSION_DELETE_USER, a, 1,
	    NULL)) != DB_OK)) {
		db_rollback(db);
		return perr_from_db(rc);
	}
	if (n == 0) {
		db_rollback(db);
		*msg = "User not found";
		return PERR_BAD_REQUEST;
	}
	if ((rc = db_commit(db)) != DB_OK)
		return perr_from_db(rc);
	return PERR_NONE;
}

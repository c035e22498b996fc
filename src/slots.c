/* slots.c: see slots.h. One mutex; the tables are a few entries long. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "partnerd.h"
#include "slots.h"

struct upload_user {
	char		 user[37];
	unsigned	 n;	/* 0 = free entry */
};

struct limits {
	pthread_mutex_t		 mu;
	unsigned		 uploads, uploads_max, per_user;
	struct upload_user	*users;	/* uploads_max entries */
	unsigned		 hashes, hashes_max;
};

struct limits *
limits_new(const struct conf *c)
{
	struct limits	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->uploads_max = c->max_uploads ? c->max_uploads : c->threads / 2;
	if (l->uploads_max == 0)
		l->uploads_max = 1;
	l->per_user = c->max_uploads_per_user;
	l->hashes_max = c->max_password_hashes;
	if ((l->users = calloc(l->uploads_max, sizeof(*l->users))) == NULL) {
		free(l);
		return NULL;
	}
	pthread_mutex_init(&l->mu, NULL);
	return l;
}

void
limits_free(struct limits *l)
{
	if (l == NULL)
		return;
	pthread_mutex_destroy(&l->mu);
	free(l->users);
	free(l);
}

/* The entry of user, or a free one when create; NULL if none. */
static struct upload_user *
upload_user(struct limits *l, const char *user, int create)
{
	struct upload_user	*free_e = NULL;
	unsigned		 i;

	for (i = 0; i < l->uploads_max; i++) {
		if (l->users[i].n > 0 && strcmp(l->users[i].user, user) == 0)
			return &l->users[i];
		if (l->users[i].n == 0 && free_e == NULL)
			free_e = &l->users[i];
	}
	if (!create || free_e == NULL)
		return NULL;
	snprintf(free_e->user, sizeof(free_e->user), "%s", user);
	return free_e;
}

int
limits_upload_enter(struct limits *l, const char *user)
{
	struct upload_user	*u;
	int			 rc = -1;

	if (l == NULL)
		return 0;
	pthread_mutex_lock(&l->mu);
	if (l->uploads < l->uploads_max &&
	    (u = upload_user(l, user, 1)) != NULL && u->n < l->per_user) {
		u->n++;
		l->uploads++;
		rc = 0;
	}
	pthread_mutex_unlock(&l->mu);
	return rc;
}

void
limits_upload_leave(struct limits *l, const char *user)
{
	struct upload_user	*u;

	if (l == NULL)
		return;
	pthread_mutex_lock(&l->mu);
	if ((u = upload_user(l, user, 0)) != NULL) {
		u->n--;
		l->uploads--;
	}
	pthread_mutex_unlock(&l->mu);
}

int
limits_hash_enter(struct limits *l)
{
	int	 rc = -1;

	if (l == NULL)
		return 0;
	pthread_mutex_lock(&l->mu);
	if (l->hashes < l->hashes_max) {
		l->hashes++;
		rc = 0;
	}
	pthread_mutex_unlock(&l->mu);
	return rc;
}

void
limits_hash_leave(struct limits *l)
{
	if (l == NULL)
		return;
	pthread_mutex_lock(&l->mu);
	if (l->hashes > 0)
		l->hashes--;
	pthread_mutex_unlock(&l->mu);
}

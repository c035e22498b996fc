/*
 * partnerctl.c: the administrator's command line, for hosts where a shell
 * is easier than a web UI. It talks to the same database through the same
 * statement table and the same users service as the worker, so the rules
 * are the same. Passwords are never taken on the command line (they would
 * show in ps and shell history): they are prompted for on a terminal, or
 * read as one line from standard input.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>
#include <sodium.h>

#include "partnerd.h"
#include "assets.h"
#include "crypto.h"
#include "db.h"
#include "geodata.h"
#include "media.h"
#include "store.h"
#include "migrations.h"
#include "partners.h"
#include "users.h"
#include "valid.h"

#define DEMO_PASSWORD	"partnerd-demo"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: partnerctl [-c FILE] COMMAND [ARGS]\n"
	    "  help                             this text (also -h, --help)\n"
	    "  setup [--db-host H] [--db-port P] [--db-socket S] [--db-name N] [--db-user U]\n"
	    "        [--media-dir DIR] [--admin-email E] [--admin-name N]\n"
	    "                                   first install: write the configuration (-c FILE,\n"
	    "                                   mode 0640), apply the schema, create the admin;\n"
	    "                                   asks for what is not given (on a terminal);\n"
	    "                                   passwords: the database's, then the admin's\n"
	    "  migrate                          apply pending database migrations\n"
	    "  db-user NAME                     (as the migration account) create the run-time\n"
	    "                                   MariaDB account with row privileges only\n"
	    "  user add --email E [--name N] [--admin]\n"
	    "                                   create a user; the password is asked for\n"
	    "  user list [--deleted]            list users\n"
	    "  user passwd EMAIL                set a user's password\n"
	    "  user delete EMAIL                soft-delete a user (not an admin)\n"
	    "  partner list EMAIL               the shares by and with a user\n"
	    "  partner add SHARER RECIPIENT [--from DAY]\n"
	    "                                   SHARER shares their library with RECIPIENT (the\n"
	    "                                   photos taken from DAY, YYYY-MM-DD, on)\n"
	    "  partner from SHARER RECIPIENT DAY|all\n"
	    "                                   share from another day on, or the whole library\n"
	    "  partner remove SHARER RECIPIENT  SHARER stops sharing with RECIPIENT\n"
	    "  partner timeline RECIPIENT SHARER on|off\n"
	    "                                   show SHARER in RECIPIENT's main timeline or not\n"
	    "  import --owner EMAIL [--quiet] DIR...\n"
	    "                                   bring photos and videos in (safe to rerun)\n"
	    "  demo [--photos DIR]              add the demo accounts and library (idempotent)\n"
	    "  geodata load [--force] [--countries FILE] [FILE]\n"
	    "                                   load the place names (GeoNames cities500.txt, with\n"
	    "                                   admin1.json beside it; default %s)\n"
	    "  geodata backfill                 give every photo with a position its place name\n"
	    "  geodata lookup [LAT LON]         the place a position gets (pairs from stdin without)\n"
	    "Users are named by email. Passwords (at least %d characters) are prompted\n"
	    "for on a terminal, or read as one line from standard input; never from the\n"
	    "command line. Commands that write the media directory run as its owner.\n"
	    "The configuration file is -c FILE, else $PARTNERD_CONF, else\n"
	    "%s.\n", PARTNERD_GEODATA, USER_PASSWORD_MIN, PARTNERD_CONF_DEFAULT);
}

/* Refuse a command's leftover arguments; 0 when there are none. */
static int
no_more(int argc, char *argv[])
{
	if (optind >= argc)
		return 0;
	fprintf(stderr, "partnerctl: unexpected argument \"%s\"\n", argv[optind]);
	usage(stderr);
	return 2;
}

/*
 * Files partnerctl writes into the media tree must be the worker's: a tree
 * written by root (or anyone else) is one the service cannot write later.
 * 0 when this process runs as the media directory's owner.
 */
static int
media_writer_ok(const struct conf *c)
{
	struct stat	 st;

	if (stat(c->media_dir, &st) != 0) {
		fprintf(stderr, "partnerctl: media_dir %s: %s\n", c->media_dir,
		    strerror(errno));
		return -1;
	}
	if (st.st_uid == geteuid())
		return 0;
	fprintf(stderr, "partnerctl: %s belongs to uid %u, and this runs as uid %u: "
	    "files written now would be ones the service cannot change. Run it as "
	    "the directory's owner, e.g.\n    runuser -u partnerd -- partnerctl ...\n",
	    c->media_dir, (unsigned)st.st_uid, (unsigned)geteuid());
	return -1;
}

/*
 * One line of standard input into out, not echoed on a terminal; the line
 * end is dropped. On a terminal the prompt is written once echo is off, as
 * getpass(3) does: an answer typed (or pasted) the moment the prompt shows
 * is neither echoed nor flushed away. 0, or -1 at the end of input or for
 * an empty line.
 */
static int
read_secret(const char *prompt, char *out, size_t outsz)
{
	struct termios	 old, noecho;
	int		 tty = isatty(STDIN_FILENO), ok = 0;

	if (tty) {
		tcgetattr(STDIN_FILENO, &old);
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
		fprintf(stderr, "%s: ", prompt);
	}
	if (fgets(out, (int)outsz, stdin) != NULL) {
		out[strcspn(out, "\r\n")] = '\0';
		ok = out[0] != '\0';
	}
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSADRAIN, &old);
		fprintf(stderr, "\n");
	}
	return ok ? 0 : -1;
}

/* Read a password: prompt twice on a terminal, else one line of stdin. */
static int
read_password(const char *prompt, char *out, size_t outsz)
{
	char		 again[1024];
	int		 tty = isatty(STDIN_FILENO), ok;
	size_t		 n;

	ok = read_secret(prompt, out, outsz) == 0;
	if (tty && ok) {
		ok = read_secret("again", again, sizeof(again)) == 0;
		if (ok && strcmp(out, again) != 0) {
			fprintf(stderr, "partnerctl: the passwords differ\n");
			ok = 0;
		}
		sodium_memzero(again, sizeof(again));
	}
	n = strlen(out);
	if (ok && n < USER_PASSWORD_MIN) {
		/* The API's rule for a new password (change-password). */
		fprintf(stderr, "partnerctl: the password must be at least %d "
		    "characters\n", USER_PASSWORD_MIN);
		ok = 0;
	}
	return ok ? 0 : -1;
}

/* Print a failure of the users service the way the API would word it. */
static int
fail(enum perr e, const char *msg)
{
	fprintf(stderr, "partnerctl: %s\n", msg ? msg :
	    e == PERR_UNAVAILABLE ? "the database is unreachable" : perr_message(e));
	return 1;
}

/* What a command works with; the database is opened once its arguments
 * are known to be right. */
struct ctl {
	const struct conf	*conf;
	struct db		*db;
};

static struct db *
ctl_db(struct ctl *t)
{
	if (t->db != NULL)
		return t->db;
	t->db = db_open(t->conf, migrations_latest());
	if (t->db == NULL || !db_ready(t->db)) {
		fprintf(stderr, "partnerctl: cannot use the database (see the "
		    "log line above; run 'partnerctl migrate' first?)\n");
		db_close(t->db);
		t->db = NULL;
	}
	return t->db;
}

/* The id of the user with this email (deleted ones too), or -1. */
static int
find_user(struct db *db, const char *email_in, char id[37])
{
	char		 email[256], buf[64];
	struct dbv	 a[2];

	snprintf(email, sizeof(email), "%s", email_in);
	email_normalise(email);
	a[0] = DBV_STR(email);
	a[1] = DBV_NULL;
	if (db_query_str(db, STMT_USER_EMAIL_TAKEN, a, 2, buf, sizeof(buf)) != DB_OK) {
		fprintf(stderr, "partnerctl: no user %s\n", email);
		return -1;
	}
	snprintf(id, 37, "%.36s", buf);
	return 0;
}

static int
cmd_user_add(struct ctl *t, int argc, char *argv[])
{
	struct db		*db;
	static const struct option opts[] = {
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "admin", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct user_input	 in = USER_INPUT_INIT;
	char			 pw[1024], id[37];
	const char		*msg;
	enum perr		 e;
	int			 ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'e': in.email = optarg; break;
		case 'n': in.name = optarg; break;
		case 'a': in.is_admin = 1; break;
		default: usage(stderr); return 2;
		}
	}
	if (no_more(argc, argv) != 0)
		return 2;
	if (in.email == NULL || !valid_email(in.email)) {
		fprintf(stderr, "partnerctl: user add needs --email with a valid address\n");
		return 2;
	}
	if ((db = ctl_db(t)) == NULL)
		return 1;
	if (read_password("password", pw, sizeof(pw)) != 0)
		return 1;
	in.password = pw;
	e = user_create(db, &in, id, &msg);
	sodium_memzero(pw, sizeof(pw));
	if (e != PERR_NONE)
		return fail(e, msg);
	printf("%s\n", id);
	return 0;
}

static int
list_row(void *arg, const struct db_row *row)
{
	const char *const	*v = row->val;

	(void)arg;
	printf("%-36s  %-32s  %-20s  %-5s  %-7s  %s\n", v[UC_ID], v[UC_EMAIL],
	    v[UC_NAME], v[UC_IS_ADMIN][0] == '1' ? "admin" : "-", v[UC_STATUS],
	    v[UC_CREATED]);
	return 0;
}

static int
cmd_user_list(struct ctl *t, int argc, char *argv[])
{
	struct db		*db;
	static const struct option opts[] = {
		{ "deleted", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct dbv	 a[1];
	int		 rc, ch, deleted = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'd') {
			usage(stderr);
			return 2;
		}
		deleted = 1;
	}
	if (no_more(argc, argv) != 0)
		return 2;
	if ((db = ctl_db(t)) == NULL)
		return 1;
	printf("%-36s  %-32s  %-20s  %-5s  %-7s  %s\n", "ID", "EMAIL", "NAME",
	    "ROLE", "STATUS", "CREATED");
	a[0] = DBV_INT(deleted);
	rc = db_query(db, STMT_USER_LIST_ADMIN, a, 1, list_row, NULL);
	return !db_failed(rc) ? 0 : fail(perr_from_db(rc), NULL);
}

static int
cmd_user_passwd(struct ctl *t, int argc, char *argv[])
{
	struct db		*db;
	struct user_input	 in = USER_INPUT_INIT;
	char			 pw[1024], id[37];
	const char		*msg;
	enum perr		 e;

	if (argc != 2) {
		usage(stderr);
		return 2;
	}
	if ((db = ctl_db(t)) == NULL)
		return 1;
	if (find_user(db, argv[1], id) != 0 ||
	    read_password("new password", pw, sizeof(pw)) != 0)
		return 1;
	in.password = pw;
	e = user_update(db, id, &in, &msg);
	sodium_memzero(pw, sizeof(pw));
	if (e != PERR_NONE)
		return fail(e, msg);
	printf("password changed\n");
	return 0;
}

static int
is_admin_cb(void *arg, const struct db_row *row)
{
	*(int *)arg = row->val[UC_IS_ADMIN][0] == '1';
	return 0;
}

static int
cmd_user_delete(struct ctl *t, int argc, char *argv[])
{
	struct db		*db;
	struct dbv	 a[1];
	const char	*msg;
	char		 id[37];
	enum perr	 e;
	int		 admin = 0;

	if (argc != 2) {
		usage(stderr);
		return 2;
	}
	if ((db = ctl_db(t)) == NULL)
		return 1;
	if (find_user(db, argv[1], id) != 0)
		return 1;
	a[0] = DBV_STR(id);
	(void)db_query(db, STMT_USER_GET, a, 1, is_admin_cb, &admin);
	if (admin)
		return fail(PERR_FORBIDDEN, "Cannot delete admin user");
	if ((e = user_soft_delete(db, id, &msg)) != PERR_NONE)
		return fail(e, msg);
	printf("deleted %s\n", argv[1]);
	return 0;
}

/* ---- import --------------------------------------------------------- */

struct import {
	struct db		*db;
	const struct conf	*conf;
	const char		*owner;
	int			 counting, tty;
	unsigned long		 total, done, added, dups, skipped, failed;
	struct timespec		 start;
};

static struct import		*import_state;
static volatile sig_atomic_t	 import_stop;

static void
on_interrupt(int sig)
{
	(void)sig;
	import_stop = 1;	/* finish the file in hand, then stop */
}

static void
progress(struct import *im, int last)
{
	struct timespec	 now;
	double		 secs, rate;
	unsigned long	 eta;
	int		 width = 30, fill;

	if (!im->tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - im->start.tv_sec) +
	    (double)(now.tv_nsec - im->start.tv_nsec) / 1e9;
	rate = secs > 0 ? im->done / secs : 0;
	eta = rate > 0 ? (unsigned long)((im->total - im->done) / rate) : 0;
	fill = im->total ? (int)(width * im->done / im->total) : width;
	fprintf(stderr, "\r[%.*s%*s] %lu/%lu  %.1f files/s  ETA %lu:%02lu ",
	    fill, "##############################", width - fill, "",
	    im->done, im->total, rate, eta / 60, eta % 60);
	if (last)
		fputc('\n', stderr);
}

/* One file through the same path as an upload: copy, hash, ingest. */
static void
import_file(struct import *im, const char *path, const struct stat *st)
{
	struct media_info	 mi;
	struct ingest		 in;
	struct sink		 sink;
	const char		*base = strrchr(path, '/'), *msg;
	char			 buf[65536], id[37];
	ssize_t			 n;
	int			 fd, dup;
	enum perr		 e;

	base = base ? base + 1 : path;
	if (media_type_of(base, &mi) != 0)
		return;		/* not a photo or video: not counted */
	if (im->counting) {
		im->total++;
		return;
	}
	im->done++;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "%spartnerctl: skipped %s: %s\n", im->tty ? "\n" : "",
		    path, strerror(errno));
		im->skipped++;
		return;
	}
	if (sink_open(&sink, im->conf->media_dir, im->conf->max_upload) != 0) {
		fprintf(stderr, "partnerctl: cannot write to %s/tmp\n", im->conf->media_dir);
		close(fd);
		im->failed++;
		import_stop = 1;
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (sink_write(&sink, buf, (size_t)n) != 0)
			break;
	close(fd);
	memset(&in, 0, sizeof(in));
	if (n != 0 || sink_close(&sink, in.sha1) != 0) {
		fprintf(stderr, "%spartnerctl: skipped %s: cannot read or copy it\n",
		    im->tty ? "\n" : "", path);
		sink_abort(&sink);
		im->skipped++;
		return;
	}
	in.owner_id = im->owner;
	snprintf(in.tmp_path, sizeof(in.tmp_path), "%s", sink.path);
	in.size = sink.size;
	snprintf(in.file_name, sizeof(in.file_name), "%s", base);
	/* No EXIF capture time: the file's modification time stands in. */
	in.created_ms = (long long)st->st_mtim.tv_sec * 1000 + st->st_mtim.tv_nsec / 1000000;
	in.modified_ms = in.created_ms;
	in.duration_ms = -1;
	e = asset_ingest(im->db, im->conf, &in, id, &dup, &msg);
	if (e == PERR_NONE && dup)
		im->dups++;
	else if (e == PERR_NONE)
		im->added++;
	else if (e == PERR_BAD_REQUEST) {
		fprintf(stderr, "%spartnerctl: skipped %s: %s\n", im->tty ? "\n" : "",
		    path, msg ? msg : "unreadable");
		im->skipped++;
	} else {
		fprintf(stderr, "%spartnerctl: failed %s: %s\n", im->tty ? "\n" : "",
		    path, e == PERR_UNAVAILABLE ? "the database is unreachable" :
		    "internal error (see the log line above)");
		im->failed++;
		if (e == PERR_UNAVAILABLE)
			import_stop = 1;
	}
	progress(im, 0);
}

static int
walk_cb(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (import_stop)
		return 1;
	if (type == FTW_F && S_ISREG(st->st_mode))
		import_file(import_state, path, st);
	else if (type == FTW_DNR || type == FTW_NS) {
		if (!import_state->counting) {
			fprintf(stderr, "partnerctl: skipped %s: cannot read it\n", path);
			import_state->skipped++;
		}
	}
	return 0;
}

/* Import dirs for owner_id; prints a summary. Returns 0 when nothing failed. */
static int
import_dirs(struct db *db, const struct conf *c, const char *owner_id,
    char *const *dirs, int ndirs, int quiet)
{
	struct import		 im;
	struct sigaction	 sa, old;
	int			 i;

	memset(&im, 0, sizeof(im));
	im.db = db;
	im.conf = c;
	im.owner = owner_id;
	im.tty = !quiet && isatty(STDERR_FILENO);
	import_state = &im;
	import_stop = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sigaction(SIGINT, &sa, &old);
	im.counting = 1;
	for (i = 0; i < ndirs; i++)
		nftw(dirs[i], walk_cb, 32, FTW_PHYS);
	im.counting = 0;
	clock_gettime(CLOCK_MONOTONIC, &im.start);
	for (i = 0; i < ndirs && !import_stop; i++)
		if (nftw(dirs[i], walk_cb, 32, FTW_PHYS) == -1) {
			fprintf(stderr, "partnerctl: cannot read %s: %s\n", dirs[i],
			    strerror(errno));
			im.failed++;
		}
	progress(&im, 1);
	sigaction(SIGINT, &old, NULL);
	if (!quiet || im.failed || im.skipped)
		printf("imported %lu, already there %lu, skipped %lu, failed %lu%s\n",
		    im.added, im.dups, im.skipped, im.failed,
		    import_stop ? " (interrupted: run it again to go on)" : "");
	return im.failed == 0 && !import_stop ? 0 : 1;
}

/* The id of a live (not deleted) user by email, or -1 with a message. */
static int
live_user(struct db *db, const char *email, char id[37])
{
	struct dbv	 a[1];

	if (find_user(db, email, id) != 0)
		return -1;
	a[0] = DBV_STR(id);
	if (db_query(db, STMT_USER_GET, a, 1, NULL, NULL) != DB_OK) {
		fprintf(stderr, "partnerctl: %s is deleted\n", email);
		return -1;
	}
	return 0;
}

static int
cmd_import(struct ctl *t, int argc, char *argv[])
{
	const struct conf	*c = t->conf;
	struct db		*db;
	static const struct option opts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*owner = NULL;
	char		 id[37];
	int		 ch, quiet = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': owner = optarg; break;
		case 'q': quiet = 1; break;
		default: usage(stderr); return 2;
		}
	}
	if (owner == NULL || optind >= argc || argv[optind][0] == '-') {
		fprintf(stderr, "partnerctl: import needs --owner EMAIL and a directory\n");
		return 2;
	}
	if ((db = ctl_db(t)) == NULL)
		return 1;
	if (live_user(db, owner, id) != 0 || media_writer_ok(c) != 0)
		return 1;
	return import_dirs(db, c, id, argv + optind, argc - optind, quiet);
}

/*
 * geodata lookup LAT LON, or pairs read from standard input (one a line):
 * the place each point gets, "city<TAB>state<TAB>country<TAB>km", or "-"
 * for none. 0, or 1 on a line that is not a position or a database error.
 */
static int
geo_lookup_lines(struct db *db, char *const pair[2])
{
	struct geo_place	 g;
	char			 line[256], *mid, *end;
	double			 la, lo;
	enum db_res		 rc;

	for (;;) {
		if (pair != NULL)
			snprintf(line, sizeof(line), "%s %s", pair[0], pair[1]);
		else if (fgets(line, sizeof(line), stdin) == NULL)
			return 0;
		la = strtod(line, &mid);
		lo = strtod(mid, &end);
		if (mid == line || end == mid || strspn(end, " \t\r\n") != strlen(end) ||
		    !(la >= -90 && la <= 90 && lo >= -180 && lo <= 180)) {
			fprintf(stderr, "partnerctl: not a position (LAT LON in degrees): %s\n", line);
			return 1;
		}
		rc = geo_nearest(db, la, lo, &g);
		if (rc == DB_OK)
			printf("%s\t%s\t%s\t%.1f\n", g.city, g.state, g.country, g.km);
		else if (rc == DB_NOTFOUND)
			printf("-\n");
		else
			return fail(perr_from_db(rc), NULL);
		if (pair != NULL)
			return 0;
	}
}

/*
 * geodata load [--force] [--countries FILE] [FILE]: the place names into
 * the database (idempotent); geodata backfill: every asset with a position
 * gets its place, with progress.
 */
static int
cmd_geodata(struct ctl *t, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "countries", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*countries = GEO_COUNTRIES_DEFAULT, *cities = PARTNERD_GEODATA;
	struct db	*db;
	long		 a, b;
	int		 ch, force = 0, other = 0;

	if (argc < 2 || (strcmp(argv[1], "load") != 0 && strcmp(argv[1], "backfill") != 0 &&
	    strcmp(argv[1], "lookup") != 0)) {
		usage(stderr);
		return 2;
	}
	argc--;
	argv++;
	if (strcmp(argv[0], "lookup") == 0) {
		/* No options: "-33.87 151.21" is a position. */
		if (argc > 1 && strcmp(argv[1], "--") == 0) {
			argc--;
			argv++;
		}
		if (argc != 1 && argc != 3) {
			usage(stderr);
			return 2;
		}
		if ((db = ctl_db(t)) == NULL)
			return 1;
		return geo_lookup_lines(db, argc == 1 ? NULL : argv + 1);
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': force = 1; break;
		case 'C': countries = optarg; other = 1; break;
		default: usage(stderr); return 2;
		}
	}
	if (strcmp(argv[0], "backfill") == 0) {
		if (force || other) {
			usage(stderr);
			return 2;
		}
		if (no_more(argc, argv) != 0)
			return 2;
		if ((db = ctl_db(t)) == NULL)
			return 1;
		return geo_backfill(db, stdout, isatty(STDOUT_FILENO), &a, &b) == 0 ? 0 : 1;
	}
	if (optind < argc)
		cities = argv[optind++];
	if (no_more(argc, argv) != 0)
		return 2;
	if ((db = ctl_db(t)) == NULL)
		return 1;
	return geo_load(db, cities, countries, force, stdout, &a) == 0 ? 0 : 1;
}

/* An identifier partnerctl may put into account statements. */
static int
safe_ident(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n > 32 || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/*
 * Create (or replace) the run-time account NAME@localhost with only the
 * row privileges partnerd needs, and a random password, printed once.
 * Runs on the configured connection, which must be allowed to grant.
 */
static int
cmd_db_user(const struct conf *c, int argc, char *argv[])
{
	char	 pw[TOKEN_MAX], sql[512], err[256];
	MYSQL	*my;
	int	 rc = 1;

	if (argc != 2 || !safe_ident(argv[1]) || !safe_ident(c->db_name)) {
		fprintf(stderr, "partnerctl: db-user NAME: a name of [a-z_][a-z0-9_], at "
		    "most 32 characters (and a db_name of the same kind)\n");
		return 2;
	}
	token_new(pw);	/* [A-Za-z0-9] only: nothing to escape */
	if ((my = db_connect_conf(c, 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "partnerctl: cannot connect: %s\n", err);
		return 1;
	}
	/* The formats are the statement table's; their arguments were checked. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(sql, sizeof(sql), gstmt_fmt[GSTMT_CREATE_USER], argv[1], pw);
	if (mysql_real_query(my, sql, strlen(sql)) != 0) {
		fprintf(stderr, "partnerctl: cannot create %s: %s\n", argv[1], mysql_error(my));
		goto out;
	}
	snprintf(sql, sizeof(sql), gstmt_fmt[GSTMT_GRANT], c->db_name, argv[1]);
#pragma GCC diagnostic pop
	if (mysql_real_query(my, sql, strlen(sql)) != 0) {
		fprintf(stderr, "partnerctl: cannot grant to %s: %s\n", argv[1], mysql_error(my));
		goto out;
	}
	printf("db_user = %s\ndb_password = %s\n", argv[1], pw);
	rc = 0;
out:
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(sql, sizeof(sql));
	mysql_close(my);
	return rc;
}

/* ---- partner: the same service and errors as /api/partners ------------ */

static int
partner_row_print(void *arg, const struct db_row *row)
{
	const char	*who = arg;
	const char	*from = row->val[4] != NULL ? row->val[4] : "all";

	if (strcasecmp(row->val[0], who) == 0)
		printf("shares with    %-32s  in their timeline: %-3s  since %s  photos from %s\n",
		    row->val[1], row->val[2][0] == '1' ? "yes" : "no", row->val[3], from);
	else
		printf("shared with by %-32s  in my timeline: %-3s     since %s  photos from %s\n",
		    row->val[0], row->val[2][0] == '1' ? "yes" : "no", row->val[3], from);
	return 0;
}

/* A share's first day as partnerctl takes it: "YYYY-MM-DD" as the API's
 * startDate, or "all" (*day NULL) for the whole library. */
static int
share_day(const char *arg, const char **day)
{
	*day = strcmp(arg, "all") == 0 ? NULL : arg;
	if (*day == NULL || valid_date(arg))
		return 0;
	fprintf(stderr, "partnerctl: %s: not a day (YYYY-MM-DD) or \"all\"\n", arg);
	return -1;
}

static int
cmd_partner(struct ctl *t, int argc, char *argv[])
{
	struct db		*db;
	const char	*msg = NULL, *day = NULL;
	char		 a[37], b[37], email[256];
	enum perr	 e;
	int		 rc, on;
	int		 add = argc >= 2 && strcmp(argv[1], "add") == 0;

	if (!(argc == 3 && strcmp(argv[1], "list") == 0) &&
	    !(argc == 4 && (add || strcmp(argv[1], "remove") == 0)) &&
	    !(argc == 6 && add && strcmp(argv[4], "--from") == 0) &&
	    !(argc == 5 && strcmp(argv[1], "from") == 0) &&
	    !(argc == 5 && strcmp(argv[1], "timeline") == 0 &&
	    (strcmp(argv[4], "on") == 0 || strcmp(argv[4], "off") == 0))) {
		usage(stderr);
		return 2;
	}
	if ((add && argc == 6 && share_day(argv[5], &day) != 0) ||
	    (strcmp(argv[1], "from") == 0 && share_day(argv[4], &day) != 0))
		return 2;
	if ((db = ctl_db(t)) == NULL)
		return 1;
	if (argc == 3 && strcmp(argv[1], "list") == 0) {
		struct dbv	 q[2];

		if (live_user(db, argv[2], a) != 0)
			return 1;
		snprintf(email, sizeof(email), "%s", argv[2]);
		email_normalise(email);
		q[0] = DBV_STR(a);
		q[1] = DBV_STR(a);
		rc = db_query(db, STMT_PARTNER_LIST_OF, q, 2, partner_row_print, email);
		if (rc == DB_NOTFOUND)
			printf("%s shares with no one, and no one with them\n", email);
		return !db_failed(rc) ? 0 : fail(perr_from_db(rc), NULL);
	}
	if (live_user(db, argv[2], a) != 0 || live_user(db, argv[3], b) != 0)
		return 1;
	if (add || strcmp(argv[1], "remove") == 0) {
		e = add ? partner_share(db, a, b, day, &msg) : partner_remove(db, a, b, &msg);
		if (e != PERR_NONE)
			return fail(e, msg);
		printf("%s %s sharing with %s%s%s\n", argv[2], add ? "is now" : "stopped",
		    argv[3], day != NULL ? " the photos taken from " : "", day != NULL ? day : "");
		return 0;
	}
	if (strcmp(argv[1], "from") == 0) {
		/* SHARER RECIPIENT DAY|all: the sharer decides, as PATCH /partners/:id. */
		if ((e = partner_set_start(db, a, b, day, &msg)) != PERR_NONE)
			return fail(e, msg);
		printf("%s shares with %s %s%s\n", argv[2], argv[3],
		    day != NULL ? "the photos taken from " : "the whole library", day != NULL ? day : "");
		return 0;
	}
	/* timeline RECIPIENT SHARER on|off: the recipient decides, as PUT /partners/:id. */
	on = strcmp(argv[4], "on") == 0;
	if ((e = partner_set_timeline(db, b, a, on, &msg)) != PERR_NONE)
		return fail(e, msg);
	printf("%s's timeline %s %s's library\n", argv[2],
	    on ? "shows" : "no longer shows", argv[3]);
	return 0;
}

/* The demo accounts; the demo library grows with the features. */
static int
cmd_demo(struct ctl *t, int argc, char *argv[])
{
	const struct conf	*c = t->conf;
	struct db		*db;
	static const struct {
		const char	*email, *name;
		int		 admin;
	} people[] = {
		{ "admin@example.com", "Admin", 1 },
		{ "alice@example.com", "Alice", 0 },
		{ "bob@example.com", "Bob", 0 },
		{ "carol@example.com", "Carol", 0 },
	};
	struct user_input	 in;
	const char		*msg;
	char			 id[37];
	size_t			 i;
	enum perr		 e;
	int			 made = 0;

	if (!(argc == 1 || (argc == 3 && strcmp(argv[1], "--photos") == 0))) {
		usage(stderr);
		return 2;
	}
	if (argc == 3 && media_writer_ok(c) != 0)
		return 1;
	if ((db = ctl_db(t)) == NULL)
		return 1;
	for (i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		struct dbv	 a[2] = { DBV_STR(people[i].email), DBV_NULL };
		char		 have[64];

		if (db_query_str(db, STMT_USER_EMAIL_TAKEN, a, 2, have,
		    sizeof(have)) == DB_OK)
			continue;	/* kept from an earlier run */
		memset(&in, 0, sizeof(in));
		in.email = people[i].email;
		in.name = people[i].name;
		in.password = DEMO_PASSWORD;
		in.is_admin = people[i].admin;
		in.should_change_password = 0;
		in.storage_label_set = people[i].admin;
		in.storage_label = people[i].admin ? "admin" : NULL;
		if ((e = user_create(db, &in, id, &msg)) != PERR_NONE)
			return fail(e, msg);
		made++;
	}
	printf("demo library: %d account%s added, %zu in all\n", made,
	    made == 1 ? "" : "s", sizeof(people) / sizeof(people[0]));
	/* alice -> bob (bob shows her in his timeline), bob -> alice (not in
	 * hers), carol -> alice. Existing shares are kept as they are. */
	{
		static const char *const shares[][3] = {
			{ "alice@example.com", "bob@example.com", "1" },
			{ "bob@example.com", "alice@example.com", "0" },
			{ "carol@example.com", "alice@example.com", "0" },
		};
		char	 by[37], with[37];

		for (i = 0; i < sizeof(shares) / sizeof(shares[0]); i++) {
			if (live_user(db, shares[i][0], by) != 0 ||
			    live_user(db, shares[i][1], with) != 0)
				return 1;
			e = partner_share(db, by, with, NULL, &msg);
			if (e == PERR_NONE && shares[i][2][0] == '1')
				e = partner_set_timeline(db, by, with, 1, &msg);
			else if (e == PERR_BAD_REQUEST)
				e = PERR_NONE;	/* already shared */
			if (e != PERR_NONE)
				return fail(e, msg);
		}
		printf("demo library: alice shares with bob, bob and carol with alice\n");
	}
	/* --photos DIR: DIR/alice, DIR/bob, DIR/carol go to those users. */
	if (argc == 3) {
		for (i = 1; i < sizeof(people) / sizeof(people[0]); i++) {
			char	 dir[4096], uid[37], *dirs[1];
			size_t	 n = strcspn(people[i].email, "@");

			snprintf(dir, sizeof(dir), "%s/%.*s", argv[2], (int)n, people[i].email);
			if (live_user(db, people[i].email, uid) != 0)
				return 1;
			dirs[0] = dir;
			printf("demo library: %s's photos\n", people[i].name);
			if (import_dirs(db, c, uid, dirs, 1, 0) != 0)
				return 1;
		}
	}
	return 0;
}

/* ---- setup: the first install over SSH, in one command ----------------- */

/* What setup asks for, in the order it asks. */
enum setup_key { SK_DB_HOST, SK_DB_PORT, SK_DB_SOCKET, SK_DB_NAME, SK_DB_USER,
	SK_MEDIA_DIR, SK_ADMIN_EMAIL, SK_ADMIN_NAME, SK__MAX };
static const char *const setup_names[SK__MAX] = { "db_host", "db_port",
	"db_socket", "db_name", "db_user", "media_dir", "admin email", "admin name" };

/*
 * One line from standard input with a prompt (on a terminal) naming the
 * value kept when the answer is empty. 0, or -1 at the end of input.
 */
static int
ask_line(const char *what, const char *now, char *out, size_t outsz)
{
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "%s [%s]: ", what, now ? now : "");
	if (fgets(out, (int)outsz, stdin) == NULL)
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	if (out[0] == '\0')
		snprintf(out, outsz, "%s", now ? now : "");
	return 0;
}

/*
 * Is path inside a web root? A directory on the way up holding .htaccess
 * or index.html, or named public_html, htdocs or httpdocs (cPanel's, the
 * usual and Plesk's; not www: /var/www holds Plesk's homes), counts as one: the
 * configuration holds the database password and must not be served.
 */
static int
in_web_root(const char *path)
{
	char	 dir[4096], d[4096], f[4200], *slash, *base;

	/* The file may not exist yet: its directory must. */
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (realpath(dir, d) == NULL)
		return 0;
	/* d, then each directory above it. */
	while (strcmp(d, "/") != 0) {
		base = strrchr(d, '/') + 1;
		if (strcmp(base, "public_html") == 0 || strcmp(base, "htdocs") == 0 ||
		    strcmp(base, "httpdocs") == 0)
			return 1;
		snprintf(f, sizeof(f), "%s/.htaccess", d);
		if (access(f, F_OK) == 0)
			return 1;
		snprintf(f, sizeof(f), "%s/index.html", d);
		if (access(f, F_OK) == 0)
			return 1;
		slash = strrchr(d, '/');
		slash[slash == d] = '\0';
	}
	return 0;
}

/*
 * Write the configuration: the file there is kept line by line but for the
 * keys setup sets (a new file has only those), as path.new with mode 0640,
 * renamed over path. 0 or -1 (said on stderr).
 */
static int
setup_write_conf(const char *path, const char *const keys[], const char *const vals[],
    size_t n)
{
	char	 tmp[4200], line[4096], k[64];
	FILE	*in, *out;
	int	 fd, done[16] = { 0 };
	size_t	 i;

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640)) == -1 ||
	    fchmod(fd, 0640) != 0 || (out = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "partnerctl: %s: %s\n", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if ((in = fopen(path, "r")) == NULL)
		fprintf(out, "# partnerd.conf, written by partnerctl setup; every key is in "
		    "partnerd.conf(5).\n");
	while (in != NULL && fgets(line, sizeof(line), in) != NULL) {
		i = n;
		if (sscanf(line, " %63[a-z_0-9] =", k) == 1)
			for (i = 0; i < n; i++)
				if (strcmp(k, keys[i]) == 0)
					break;
		if (i == n) {
			fputs(line, out);
			continue;
		}
		if (!done[i])
			fprintf(out, "%s = %s\n", keys[i], vals[i]);
		done[i] = 1;
	}
	if (in != NULL)
		fclose(in);
	for (i = 0; i < n; i++)
		if (!done[i])
			fprintf(out, "%s = %s\n", keys[i], vals[i]);
	sodium_memzero(line, sizeof(line));
	if (fflush(out) != 0 || fsync(fileno(out)) != 0 || fclose(out) != 0 ||
	    rename(tmp, path) != 0) {
		fprintf(stderr, "partnerctl: writing %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * partnerctl setup: the database and the first admin, for a host reached
 * over SSH. Values come from the flags, else (on a terminal) from prompts
 * offering what the configuration file holds; passwords are prompted for,
 * or read from standard input: the database's first, then the admin's.
 * Writes the configuration (0640), applies the schema (migrate: it refuses
 * a too-old MariaDB and names log_bin_trust_function_creators when binary
 * logging refuses the triggers), then creates the admin unless the server
 * has one. Safe to run again.
 */
static int
cmd_setup(const char *cfile, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db-host", required_argument, NULL, SK_DB_HOST },
		{ "db-port", required_argument, NULL, SK_DB_PORT },
		{ "db-socket", required_argument, NULL, SK_DB_SOCKET },
		{ "db-name", required_argument, NULL, SK_DB_NAME },
		{ "db-user", required_argument, NULL, SK_DB_USER },
		{ "media-dir", required_argument, NULL, SK_MEDIA_DIR },
		{ "admin-email", required_argument, NULL, SK_ADMIN_EMAIL },
		{ "admin-name", required_argument, NULL, SK_ADMIN_NAME },
		{ NULL, 0, NULL, 0 },
	};
	const char		*keys[SK_ADMIN_EMAIL + 1], *vals[SK_ADMIN_EMAIL + 1];
	char			 val[SK__MAX][1024], dbpw[1024], pw[1024], id[64], err[512];
	char			*flag[SK__MAX] = { NULL };
	const char		*path, *now, *msg;
	struct conf		 conf;
	struct user_input	 in = USER_INPUT_INIT;
	struct ctl		 t = { &conf, NULL };
	struct stat		 st;
	int			 ch, k, rc = 1, tty = isatty(STDIN_FILENO), have_file;
	enum perr		 e;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch < 0 || ch >= SK__MAX) {
			usage(stderr);
			return 2;
		}
		flag[ch] = optarg;
	}
	if (no_more(argc, argv) != 0)
		return 2;
	path = cfile ? cfile : getenv("PARTNERD_CONF") ? getenv("PARTNERD_CONF") :
	    PARTNERD_CONF_DEFAULT;
	if (in_web_root(path)) {
		fprintf(stderr, "partnerctl: %s is inside a web root; the configuration "
		    "holds the database password: give -c FILE outside it (e.g. "
		    "~/partnerd-data/partnerd.conf)\n", path);
		return 2;
	}
	/* The file there (install.sh's, or an earlier setup's) is the default. */
	have_file = stat(path, &st) == 0;
	if (conf_defaults(&conf) != 0 ||
	    (have_file && conf_load(&conf, path, err, sizeof(err)) != 0)) {
		fprintf(stderr, "partnerctl: %s\n", have_file ? err : "out of memory");
		conf_free(&conf);
		return 1;
	}
	for (k = 0; k < SK__MAX; k++) {
		now = k == SK_DB_HOST ? conf.db_host : k == SK_DB_SOCKET ? conf.db_socket :
		    k == SK_DB_NAME ? conf.db_name : k == SK_DB_USER ? conf.db_user :
		    k == SK_MEDIA_DIR ? conf.media_dir : k == SK_ADMIN_NAME ? "Admin" : NULL;
		if (k == SK_DB_PORT) {
			snprintf(id, sizeof(id), "%u", conf.db_port);
			now = id;
		}
		if (now != NULL && strcmp(now, "CHANGE-ME") == 0)
			now = NULL;
		if (flag[k] != NULL)
			snprintf(val[k], sizeof(val[k]), "%s", flag[k]);
		else if (!tty)
			snprintf(val[k], sizeof(val[k]), "%s", now ? now : "");
		else if (ask_line(setup_names[k], now, val[k], sizeof(val[k])) != 0)
			goto out;
		/* The admin's email may stay empty while the server has one. */
		if (strpbrk(val[k], "\r\n") != NULL || (val[k][0] == '\0' &&
		    k != SK_DB_SOCKET && k != SK_ADMIN_EMAIL)) {
			fprintf(stderr, "partnerctl: setup needs %s (--%s)\n", setup_names[k],
			    opts[k].name);
			goto out;
		}
		/* The file's own rules (port range, an absolute media_dir). */
		if (k <= SK_MEDIA_DIR && conf_set(&conf, setup_names[k], val[k], err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "partnerctl: %s\n", err);
			goto out;
		}
	}
	if (val[SK_ADMIN_EMAIL][0] != '\0' && !valid_email(val[SK_ADMIN_EMAIL])) {
		fprintf(stderr, "partnerctl: \"%s\" is not an email address\n", val[SK_ADMIN_EMAIL]);
		goto out;
	}
	if (read_secret("database password", dbpw, sizeof(dbpw)) != 0 ||
	    conf_set(&conf, "db_password", dbpw, err, sizeof(err)) != 0) {
		fprintf(stderr, "partnerctl: setup needs the database password (a line of "
		    "standard input, without leading or trailing spaces)\n");
		goto out;
	}
	for (k = 0; k <= SK_MEDIA_DIR; k++) {
		keys[k] = setup_names[k];
		vals[k] = val[k];
	}
	keys[k] = "db_password";
	vals[k] = dbpw;
	if (mkdir(conf.media_dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "partnerctl: media_dir %s: %s\n", conf.media_dir, strerror(errno));
		goto out;
	}
	if (setup_write_conf(path, keys, vals, (size_t)k + 1) != 0)
		goto out;
	printf("setup: wrote %s (mode 0640)\n", path);
	fflush(stdout);	/* before migrate's lines on stderr */

	/* The schema: migrate says what to ask the host when it cannot. */
	log_set_level(LOG_LVL_INFO);
	if (migrate_run(&conf) != 0) {
		fprintf(stderr, "partnerctl: the schema was not applied (the line above says "
		    "why); fix that and run 'partnerctl -c %s setup' again\n", path);
		goto out;
	}
	log_set_level(LOG_LVL_WARN);
	printf("setup: the schema is at version %u\n", migrations_latest());
	if (ctl_db(&t) == NULL)
		goto out;
	if ((ch = db_query_str(t.db, STMT_USER_ADMIN_EXISTS, NULL, 0, id, sizeof(id))) == DB_OK) {
		printf("setup: the server has an admin already; none created\n");
		rc = 0;
		goto out;
	}
	if (ch != DB_NOTFOUND) {
		fail(perr_from_db(ch), NULL);
		goto out;
	}
	if (val[SK_ADMIN_EMAIL][0] == '\0') {
		fprintf(stderr, "partnerctl: the server has no admin yet: setup needs "
		    "--admin-email (and the admin's password) to create one\n");
		goto out;
	}
	if (read_password("admin password", pw, sizeof(pw)) != 0)
		goto out;
	in.email = val[SK_ADMIN_EMAIL];
	in.name = val[SK_ADMIN_NAME];
	in.password = pw;
	in.is_admin = 1;
	e = user_create(t.db, &in, id, &msg);
	sodium_memzero(pw, sizeof(pw));
	if (e != PERR_NONE) {
		fail(e, msg);
		goto out;
	}
	printf("setup: admin %s created; sign in on your site\n", val[SK_ADMIN_EMAIL]);
	rc = 0;
out:
	sodium_memzero(dbpw, sizeof(dbpw));
	db_close(t.db);
	conf_free(&conf);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct conf	 conf;
	struct ctl	 t = { &conf, NULL };
	const char	*cfile = NULL, *used;
	char		 err[512];
	int		 ch, rc = 2;

	while ((ch = getopt_long(argc, argv, "+c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': cfile = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[0], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[0], "setup") == 0) {
		/* Before the configuration is read: setup writes it. */
		log_set_level(LOG_LVL_WARN);
		if (crypto_init() != 0 || mysql_library_init(0, NULL, NULL) != 0) {
			fprintf(stderr, "partnerctl: cannot initialise libraries\n");
			return 1;
		}
		rc = cmd_setup(cfile, argc, argv);
		mysql_library_end();
		return rc;
	}
	if (strcmp(argv[0], "migrate") != 0 && strcmp(argv[0], "db-user") != 0 &&
	    strcmp(argv[0], "demo") != 0 && strcmp(argv[0], "import") != 0 &&
	    strcmp(argv[0], "user") != 0 && strcmp(argv[0], "partner") != 0 &&
	    strcmp(argv[0], "geodata") != 0) {
		fprintf(stderr, "partnerctl: unknown command \"%s\"\n", argv[0]);
		usage(stderr);
		return 2;
	}
	if (conf_init(&conf, cfile, &used, err, sizeof(err)) == -1) {
		fprintf(stderr, "partnerctl: %s\n", err);
		conf_free(&conf);
		return 1;
	}
	log_set_level(LOG_LVL_WARN);
	if (crypto_init() != 0 || media_init("partnerctl") != 0 ||
	    mysql_library_init(0, NULL, NULL) != 0) {
		fprintf(stderr, "partnerctl: cannot initialise libraries\n");
		conf_free(&conf);
		return 1;
	}
	if (strcmp(argv[0], "migrate") == 0) {
		log_set_level(LOG_LVL_INFO);
		rc = argc != 1 ? (usage(stderr), 2) : migrate_run(&conf) == 0 ? 0 : 1;
	} else if (strcmp(argv[0], "db-user") == 0)
		rc = cmd_db_user(&conf, argc, argv);
	else if (strcmp(argv[0], "demo") == 0)
		rc = cmd_demo(&t, argc, argv);
	else if (strcmp(argv[0], "import") == 0)
		rc = cmd_import(&t, argc, argv);
	else if (strcmp(argv[0], "partner") == 0)
		rc = cmd_partner(&t, argc, argv);
	else if (strcmp(argv[0], "geodata") == 0)
		rc = cmd_geodata(&t, argc, argv);
	else if (argc >= 2 && strcmp(argv[1], "add") == 0)
		rc = cmd_user_add(&t, argc - 1, argv + 1);
	else if (argc >= 2 && strcmp(argv[1], "list") == 0)
		rc = cmd_user_list(&t, argc - 1, argv + 1);
	else if (argc >= 2 && strcmp(argv[1], "passwd") == 0)
		rc = cmd_user_passwd(&t, argc - 1, argv + 1);
	else if (argc >= 2 && strcmp(argv[1], "delete") == 0)
		rc = cmd_user_delete(&t, argc - 1, argv + 1);
	else
		usage(stderr);
	db_close(t.db);
	mysql_library_end();
	conf_free(&conf);
	return rc;
}

/*
 * fcgi.c: partnerd's main() and its FastCGI transport, the only file that
 * knows libfcgi. N threads, each with its own database connection, accept
 * on one listening socket, which is
 *   (a) fd 0, as mod_fcgid and spawn-fcgi hand it over,
 *   (b) --listen unix:PATH or HOST:PORT, opened here, or
 *   (c) fd 3 from systemd socket activation (LISTEN_PID/LISTEN_FDS).
 * SIGTERM: the main thread (the only one that takes signals) shuts the
 * listening socket down; every thread finishes the request it holds, then
 * returns from FCGX_Accept_r and exits.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <mysql.h>

#include "partnerd.h"
#include "cache.h"
#include "crypto.h"
#include "db.h"
#include "slots.h"
#include "media.h"
#include "sendfile.h"
#include "migrations.h"

#define SD_LISTEN_FDS_START	3

struct worker {
	pthread_t		 thread;
	const struct app	*app;
	int			 listen_fd;
};

static atomic_int	 stopping;

static const char *
fcgi_param(void *io, const char *name)
{
	FCGX_Request	*r = io;

	return FCGX_GetParam(name, r->envp);
}

/*
 * Like read(2): what the stream holds, else wait for the next record, never
 * for all n bytes (FCGX_GetStr waits for all of them). A body's parts are
 * then judged as they arrive, not 64 KiB later.
 */
static ssize_t
fcgi_read(void *io, char *buf, size_t n)
{
	FCGX_Request	*r = io;
	FCGX_Stream	*s = r->in;
	ssize_t		 avail;
	int		 got;

	if (n == 0)
		return 0;
	if (n > INT32_MAX)
		n = INT32_MAX;
	avail = s->stop - s->rdNext;
	if (avail <= 0) {
		got = FCGX_GetStr(buf, 1, s);	/* waits for a record */
		if (got <= 0)
			return FCGX_GetError(s) != 0 ? -1 : 0;
		avail = s->stop - s->rdNext;
		if (avail > (ssize_t)n - 1)
			avail = (ssize_t)n - 1;
		return 1 + (avail > 0 ? FCGX_GetStr(buf + 1, (int)avail, s) : 0);
	}
	if (avail > (ssize_t)n)
		avail = (ssize_t)n;
	return FCGX_GetStr(buf, (int)avail, s);
}

/* The web server closed the connection: its client went away. */
static int
fcgi_gone(void *io)
{
	FCGX_Request	*r = io;
	struct pollfd	 p = { r->ipcFd, POLLRDHUP, 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

/*
 * A read that waits longer than upload_idle_timeout for body bytes fails
 * (EAGAIN): a client that stops sending frees its thread.
 */
static void
fcgi_read_timeout(FCGX_Request *r, unsigned seconds)
{
	struct timeval	 tv = { (time_t)seconds, 0 };

	(void)setsockopt(r->ipcFd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/*
 * Body bytes written as they are made (sendfile_copy's and a streamed
 * answer's writer): 0, or -1 once the web server's connection failed.
 */
static int
fcgi_put(void *io, const char *buf, size_t n)
{
	FCGX_Request	*r = io;
	int		 chunk;

	while (n > 0) {
		chunk = n > 65536 ? 65536 : (int)n;
		if (FCGX_PutStr(buf, chunk, r->out) != chunk)
			return -1;
		buf += chunk;
		n -= (size_t)chunk;
	}
	return FCGX_GetError(r->out) != 0 ? -1 : 0;
}

/*
 * Write the response. libfcgi's own printf drops %zu and %lld, so headers
 * are formatted with snprintf and written with FCGX_PutStr.
 */
static int
fcgi_head(FCGX_Request *r, const struct resp *resp)
{
	char	 head[256];
	int	 n;

	n = snprintf(head, sizeof(head), "Status: %d %s\r\n", resp->status,
	    http_reason(resp->status));
	FCGX_PutStr(head, n, r->out);
	if (resp->content_type != NULL) {
		n = snprintf(head, sizeof(head), "Content-Type: %s\r\n",
		    resp->content_type);
		FCGX_PutStr(head, n, r->out);
	}
	if (resp->status != 204 && resp->status != 304 && !resp->no_length) {
		n = snprintf(head, sizeof(head), "Content-Length: %zu\r\n",
		    resp->body.len);
		FCGX_PutStr(head, n, r->out);
	}
	if (resp->headers.len > 0)
		FCGX_PutStr(resp->headers.data, (int)resp->headers.len, r->out);
	return FCGX_PutStr("\r\n", 2, r->out) < 0 ? -1 : 0;
}

static void
fcgi_write(FCGX_Request *r, struct resp *resp)
{
	if (resp->streamed)
		return;	/* sent as it was made */
	fcgi_head(r, resp);
	if (resp->body.len > 0)
		FCGX_PutStr(resp->body.data, (int)resp->body.len, r->out);
	if (resp->file.open)	/* media_sendfile = worker */
		sendfile_copy(resp, fcgi_put, fcgi_gone, r);
}

/* A streamed answer's head, sent at once. */
static int
fcgi_stream_head(void *io, const struct resp *resp)
{
	FCGX_Request	*r = io;

	if (fcgi_head(r, resp) != 0 || FCGX_FFlush(r->out) != 0)
		return -1;
	return 0;
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;
	FCGX_Request	 fr;
	struct resp	 resp;
	struct req	 req;
	struct db	*db;

	mysql_thread_init();
	memset(&resp, 0, sizeof(resp));
	db = db_open(w->app->conf, migrations_latest());
	if (db == NULL) {
		log_err("out of memory");
		mysql_thread_end();
		return NULL;
	}
	FCGX_InitRequest(&fr, w->listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	req.param = fcgi_param;
	req.read = fcgi_read;
	req.gone = fcgi_gone;
	req.stream_head = fcgi_stream_head;
	req.stream_body = fcgi_put;
	req.io = &fr;
	while (!atomic_load(&stopping)) {
		if (FCGX_Accept_r(&fr) < 0)
			break;
		fcgi_read_timeout(&fr, w->app->conf->upload_idle_timeout);
		gate_handle(w->app, db, &req, &resp);
		fcgi_write(&fr, &resp);
		FCGX_Finish_r(&fr);
	}
	FCGX_Free(&fr, 0);
	resp_free(&resp);
	db_close(db);
	mysql_thread_end();
	return NULL;
}

/* Find or open the listening socket; -1 with a log line on failure. */
static int
open_listener(const struct conf *c)
{
	const char	*pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	const char	*addr = c->listen;
	int		 fd;

	if (addr[0] != '\0') {
		if (strncmp(addr, "unix:", 5) == 0) {
			addr += 5;
			if (addr[0] != '/') {
				log_err("listen: unix: needs an absolute path");
				return -1;
			}
			unlink(addr);	/* a stale socket from a crash */
		} else if (strchr(addr, ':') == NULL) {
			log_err("listen: expected unix:PATH or HOST:PORT, got %s", addr);
			return -1;
		}
		if ((fd = FCGX_OpenSocket(addr, 128)) < 0) {
			log_err("listen: cannot listen on %s", c->listen);
			return -1;
		}
		/* The web server's group reaches the socket; others do not. */
		if (strncmp(c->listen, "unix:", 5) == 0)
			chmod(addr, 0660);
		log_info("listening on %s", c->listen);
		return fd;
	}
	/*
	 * systemd's protocol is three documented environment variables; it is
	 * read here rather than through libsystemd so that partnerd also runs
	 * on hosts without systemd (shared hosting).
	 */
	if (pid != NULL && fds != NULL && strtol(pid, NULL, 10) == getpid() &&
	    strtol(fds, NULL, 10) >= 1) {
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_FDNAMES");
		log_info("listening on the socket systemd passed");
		return SD_LISTEN_FDS_START;
	}
	if (FCGX_IsCGI()) {
		log_err("standard input is not a FastCGI socket: run partnerd "
		    "under mod_fcgid, spawn-fcgi or systemd, or give --listen");
		return -1;
	}
	return 0;	/* FCGI_LISTENSOCK_FILENO */
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: partnerd [-c FILE] [--listen ADDR] [--threads N] [--migrate]\n"
	    "       partnerd --check-config [-c FILE] | --print-schema | --version\n"
	    "  -c FILE          configuration file (or PARTNERD_CONF; default\n"
	    "                   " PARTNERD_CONF_DEFAULT ")\n"
	    "  --listen ADDR    unix:/path or host:port (default: fd 0 or systemd)\n"
	    "  --threads N      worker threads, each with a database connection\n"
	    "  --migrate        apply pending database migrations and exit\n"
	    "  --check-config   read the configuration, report errors, exit\n"
	    "  --print-schema   the database schema as one SQL file for the mariadb\n"
	    "                   client or a control panel's import\n");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "migrate", no_argument, NULL, 'm' },
		{ "check-config", no_argument, NULL, 'k' },
		{ "print-schema", no_argument, NULL, 'p' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct conf	 conf;
	struct app	 app = { NULL, NULL, NULL, NULL };
	struct worker	*workers;
	const char	*cfile = NULL, *listen_arg = NULL, *used;
	const char	*threads_arg = NULL;
	char		 err[512];
	sigset_t	 sigs;
	unsigned	 i;
	int		 ch, do_migrate = 0, check_only = 0, fd, sig, rc = 1;

	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': cfile = optarg; break;
		case 'l': listen_arg = optarg; break;
		case 't': threads_arg = optarg; break;
		case 'm': do_migrate = 1; break;
		case 'k': check_only = 1; break;
		case 'V': printf("partnerd %s\n", PACKAGE_VERSION); return 0;
		case 'p': migrate_print_schema(stdout); return fflush(stdout) == 0 ? 0 : 1;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (conf_init(&conf, cfile, &used, err, sizeof(err)) == -1 ||
	    (listen_arg != NULL &&
	    conf_set(&conf, "listen", listen_arg, err, sizeof(err)) == -1) ||
	    (threads_arg != NULL &&
	    conf_set(&conf, "threads", threads_arg, err, sizeof(err)) == -1)) {
		fprintf(stderr, "partnerd: %s\n", err);
		conf_free(&conf);
		return 1;
	}
	log_set_level(conf.log_level);
	if (check_only) {
		if (used != NULL)
			printf("partnerd: %s: configuration OK\n", used);
		else
			printf("partnerd: no configuration file (%s or -c FILE): "
			    "the defaults are OK\n", PARTNERD_CONF_DEFAULT);
		conf_free(&conf);
		return 0;
	}
	if (crypto_init() != 0 || media_init(argv[0]) != 0) {
		log_err("cannot initialise libsodium or libvips");
		conf_free(&conf);
		return 1;
	}
	if (mysql_library_init(0, NULL, NULL) != 0) {
		log_err("cannot initialise the MariaDB client library");
		conf_free(&conf);
		return 1;
	}
	if (do_migrate) {
		rc = migrate_run(&conf) == 0 ? 0 : 1;
		goto out;
	}

	app.conf = &conf;
	app.version = PACKAGE_VERSION;
	app.cache = cache_new(conf.answer_cache);
	if ((app.limits = limits_new(&conf)) == NULL)
		goto out;
	/*
	 * Refuse to serve a schema other than the one this binary was built
	 * for. An unreachable server is different: the worker starts and
	 * answers 503 until the database is back.
	 */
	{
		struct db *probe = db_open(&conf, migrations_latest());
		int bad = probe == NULL || db_schema_mismatch(probe);

		db_close(probe);
		if (bad) {
			log_err("refusing to serve: the database schema does not "
			    "match this partnerd (see the line above)");
			goto out;
		}
	}
	if (FCGX_Init() != 0 || (fd = open_listener(&conf)) < 0)
		goto out;

	/* Only this thread takes signals; workers inherit the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((workers = calloc(conf.threads, sizeof(*workers))) == NULL)
		goto out;
	for (i = 0; i < conf.threads; i++) {
		workers[i].app = &app;
		workers[i].listen_fd = fd;
		if (pthread_create(&workers[i].thread, NULL, worker_main,
		    &workers[i]) != 0) {
			log_err("cannot start thread %u", i);
			conf.threads = i;
			break;
		}
	}
	log_info("partnerd %s serving with %u threads, schema version %u",
	    PACKAGE_VERSION, conf.threads, migrations_latest());
	sigwait(&sigs, &sig);
	log_info("signal %d: finishing requests in flight", sig);
	atomic_store(&stopping, 1);
	/* Wakes every thread blocked in accept(); requests in flight go on. */
	shutdown(fd, SHUT_RDWR);
	for (i = 0; i < conf.threads; i++)
		pthread_join(workers[i].thread, NULL);
	free(workers);
	close(fd);
	if (conf.listen[0] != '\0' && strncmp(conf.listen, "unix:", 5) == 0)
		unlink(conf.listen + 5);
	log_info("stopped");
	rc = 0;
out:
	cache_free(app.cache);
	limits_free(app.limits);
	mysql_library_end();
	conf_free(&conf);
	return rc;
}

/*
 * test_modes.c: the worker's three ways to get its socket, spoken to with
 * libfcgi's own cgi-fcgi client (no web server), and a clean SIGTERM.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "harness.h"

/* A copy of the stack's configuration without "listen": fd 0 or systemd. */
static const char *
alt_conf(void)
{
	static char	 path[1024];
	char		 cmd[2048];
	const char	*st = test_env("PARTNERD_TEST_STATE");

	snprintf(path, sizeof(path), "%s/partnerd-nolisten.conf", st);
	snprintf(cmd, sizeof(cmd), "grep -v '^listen' '%s/partnerd.conf' > '%s'", st, path);
	return system(cmd) == 0 ? path : NULL;
}

/* One request through cgi-fcgi; 1 when the answer is 200 and pong. */
static int
fcgi_ping(const char *sock)
{
	char	 cmd[2048], out[4096];
	size_t	 n;
	FILE	*p;

	snprintf(cmd, sizeof(cmd), "env -i REQUEST_METHOD=GET "
	    "REQUEST_URI=/api/server/ping timeout 20 cgi-fcgi -bind -connect '%s' 2>&1",
	    sock);
	if ((p = popen(cmd, "r")) == NULL)
		return 0;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	pclose(p);
	return strstr(out, "Status: 200") != NULL &&
	    strstr(out, "{\"res\":\"pong\"}") != NULL;
}

static void
test_worker_runs_under_spawn_fcgi_on_fd0(void)
{
	const char	*st = test_env("PARTNERD_TEST_STATE");
	const char	*conf = alt_conf();
	char		 sock[1024], pid[1024], cmd[4096];

	CU_ASSERT_PTR_NOT_NULL_FATAL(conf);
	snprintf(sock, sizeof(sock), "%s/run/spawn.sock", st);
	snprintf(pid, sizeof(pid), "%s/run/spawn.pid", st);
	snprintf(cmd, sizeof(cmd), "spawn-fcgi -s '%s' -P '%s' -- '%s/partnerd' -c '%s' "
	    ">> '%s/log/partnerd.log' 2>&1", sock, pid, test_env("PARTNERD_TEST_BUILDDIR"),
	    conf, st);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_TRUE(fcgi_ping(sock));
	CU_ASSERT_TRUE(fcgi_ping(sock));
	snprintf(cmd, sizeof(cmd), "kill $(cat '%s') && rm -f '%s' '%s'", pid, pid, sock);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static void
test_worker_runs_under_systemd_socket_activation(void)
{
	const char	*st = test_env("PARTNERD_TEST_STATE");
	const char	*conf = alt_conf();
	char		 sock[1024], cmd[4096];
	pid_t		 pid;
	int		 i, up = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(conf);
	snprintf(sock, sizeof(sock), "%s/run/activate.sock", st);
	snprintf(cmd, sizeof(cmd), "%s/partnerd", test_env("PARTNERD_TEST_BUILDDIR"));
	if ((pid = fork()) == 0) {
		/* systemd's own tool: it listens, then starts the worker with
		 * LISTEN_PID and LISTEN_FDS set and the socket as fd 3. */
		execlp("systemd-socket-activate", "systemd-socket-activate",
		    "-l", sock, cmd, "-c", conf, (char *)NULL);
		_exit(127);
	}
	CU_ASSERT_FATAL(pid > 0);
	for (i = 0; i < 100 && !up; i++) {
		usleep(50000);
		up = access(sock, F_OK) == 0;
	}
	CU_ASSERT_TRUE(up);
	CU_ASSERT_TRUE(fcgi_ping(sock));
	CU_ASSERT_TRUE(fcgi_ping(sock));
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	unlink(sock);
}

static void
test_worker_refuses_stdin_that_is_not_a_socket(void)
{
	char	 cmd[2048];
	int	 st;

	snprintf(cmd, sizeof(cmd), "'%s/partnerd' -c '%s' < /dev/null > /dev/null 2>&1",
	    test_env("PARTNERD_TEST_BUILDDIR"), alt_conf());
	st = system(cmd);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) != 0);
}

static void *
slow_login(void *arg)
{
	struct http	*h = arg;

	/* An Argon2id verification: tens of milliseconds in the worker. */
	http_do(h, "POST", "/api/auth/login",
	    "{\"email\":\"" ADMIN_EMAIL "\",\"password\":\"" ADMIN_PASSWORD "\"}", NULL);
	return NULL;
}

static void
test_sigterm_finishes_requests_in_flight(void)
{
	struct http	 h[4];
	pthread_t	 t[4];
	int		 i, ok = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(admin_token());
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, slow_login, &h[i]);
	usleep(15000);
	/* TERM, then wait for the worker to exit. */
	CU_ASSERT_EQUAL(stack_ctl("worker-stop"), 0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		/* Either answered before the signal, or finished after it; a
		 * request cut off would be nginx's 502. */
		ok += h[i].status == 201;
		if (h[i].json != NULL)
			secret_note(json_object_get_string(
			    json_object_object_get(h[i].json, "accessToken")));
		http_free(&h[i]);
	}
	CU_ASSERT_EQUAL(ok, 4);
	CU_ASSERT_EQUAL_FATAL(stack_ctl("worker-start"), 0);
}

void
suite_modes(void)
{
	CU_pSuite s = CU_add_suite("e2e: worker modes and shutdown", NULL, NULL);

	ADD_TEST(s, test_worker_runs_under_spawn_fcgi_on_fd0);
	ADD_TEST(s, test_worker_runs_under_systemd_socket_activation);
	ADD_TEST(s, test_worker_refuses_stdin_that_is_not_a_socket);
	ADD_TEST(s, test_sigterm_finishes_requests_in_flight);
}

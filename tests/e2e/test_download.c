/*
 * test_download.c: zips of several assets (POST /api/download/archive)
 * through nginx to the worker: names de-duplicated as Immich does, read
 * back with libarchive; and a client that goes away stops the work.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>

#include "harness.h"

#define PW	"download-pw-15"

static char	*owner;
static char	 owner_id[37];

static int
download_init(void)
{
	char	 email[128];

	return (owner = new_user_token("zip-owner", PW, email, sizeof(email),
	    owner_id)) == NULL ? -1 : 0;
}

static int
download_clean(void)
{
	free(owner);
	return 0;
}

/* An original of size bytes at media_dir/originals/<name>. 0 on success. */
static int
write_original(const char *name, size_t size)
{
	char	 path[1024];
	FILE	*f;
	size_t	 i;

	snprintf(path, sizeof(path), "%s/media/originals", test_env("PARTNERD_TEST_STATE"));
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/media/originals/%s", test_env("PARTNERD_TEST_STATE"), name);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	for (i = 0; i < size; i++)
		fputc((int)(i * 7919 % 251), f);
	fclose(f);
	return chmod(path, 0644);
}

/* n asset rows of the owner, ids 00000000-0000-4000-9<tag>..-<seq>, one file. */
static int
insert_assets(int tag, int n, const char *file, const char *name)
{
	char	 sql[1536];

	snprintf(sql, sizeof(sql),
	    "INSERT INTO partnerd.assets (id, owner_id, type, original_path,"
	    " original_file_name, mime_type, checksum, file_created_at, file_modified_at,"
	    " local_date_time, width, height) SELECT CONCAT('00000000-0000-4000-9%03d-',"
	    " LPAD(HEX(s.seq), 12, '0')), '%s', 'IMAGE', 'originals/%s', '%s',"
	    " 'image/jpeg', UNHEX(SHA1(CONCAT('zip%d-', s.seq))), '2020-01-01', '2020-01-01',"
	    " '2020-01-01', 10, 10 FROM partnerd.seq_1_to_%d s", tag, owner_id, file, name, tag, n);
	return db_root_sql(sql);
}

/* {"assetIds":[...]} of those rows; caller frees. */
static char *
ids_body(int tag, int n)
{
	char	*b = malloc((size_t)n * 40 + 32);
	size_t	 len;
	int	 i;

	len = (size_t)sprintf(b, "{\"assetIds\":[");
	for (i = 1; i <= n; i++)
		len += (size_t)sprintf(b + len, "%s\"00000000-0000-4000-9%03d-%012X\"",
		    i > 1 ? "," : "", tag, i);
	sprintf(b + len, "]}");
	return b;
}

struct mem {
	char	*p;
	size_t	 n;
};

static size_t
mem_write(char *d, size_t sz, size_t nm, void *arg)
{
	struct mem	*m = arg;
	char		*np = realloc(m->p, m->n + sz * nm);

	if (np == NULL)
		return 0;
	memcpy(np + m->n, d, sz * nm);
	m->p = np;
	m->n += sz * nm;
	return sz * nm;
}

static void
test_download_zip_names_are_deduplicated_as_immich_does(void)
{
	char			 url[512], auth[512];
	char			*body;
	const char		*names[3];
	struct mem		 m = { NULL, 0 };
	struct curl_slist	*hd = NULL;
	struct archive		*a;
	struct archive_entry	*e;
	CURL			*c;
	long			 status = 0;
	int			 n = 0;

	CU_ASSERT_EQUAL_FATAL(write_original("zip-same.jpg", 5000), 0);
	CU_ASSERT_EQUAL_FATAL(insert_assets(1, 3, "zip-same.jpg", "IMG_0001.JPG"), 0);
	body = ids_body(1, 3);
	snprintf(url, sizeof(url), "%s/api/download/archive", test_env("PARTNERD_TEST_URL"));
	hd = curl_slist_append(hd, bearer(auth, sizeof(auth), owner));
	hd = curl_slist_append(hd, "Content-Type: application/json");
	c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, mem_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &m);
	CU_ASSERT_EQUAL(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	curl_slist_free_all(hd);
	free(body);
	CU_ASSERT_EQUAL(status, 200);
	a = archive_read_new();
	archive_read_support_format_zip(a);
	CU_ASSERT_EQUAL_FATAL(archive_read_open_memory(a, m.p, m.n), ARCHIVE_OK);
	while (n < 3 && archive_read_next_header(a, &e) == ARCHIVE_OK) {
		names[n++] = strdup(archive_entry_pathname(e));
		CU_ASSERT_EQUAL(archive_entry_size(e), 5000);
	}
	CU_ASSERT_EQUAL(n, 3);
	if (n == 3) {
		CU_ASSERT_STRING_EQUAL(names[0], "IMG_0001.JPG");
		CU_ASSERT_STRING_EQUAL(names[1], "IMG_0001+1.JPG");
		CU_ASSERT_STRING_EQUAL(names[2], "IMG_0001+2.JPG");
	}
	while (n > 0)
		free((char *)names[--n]);
	archive_read_free(a);
	free(m.p);
}

static void
test_download_zip_stops_when_the_client_is_gone(void)
{
	struct sockaddr_in	 sa;
	const char		*base = test_env("PARTNERD_TEST_URL");
	char			 req[1024], auth[512], buf[65536];
	char			*body;
	size_t			 got = 0;
	ssize_t			 r;
	int			 fd, i, n;

	/* 1,000 files of 1 MB: far more than nginx and the sockets hold. */
	CU_ASSERT_EQUAL_FATAL(write_original("zip-big.bin", 1 << 20), 0);
	CU_ASSERT_EQUAL_FATAL(insert_assets(2, 1000, "zip-big.bin", "big.jpg"), 0);
	body = ids_body(2, 1000);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(strrchr(base, ':') + 1));
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CU_ASSERT_FATAL(fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	n = snprintf(req, sizeof(req), "POST /api/download/archive HTTP/1.1\r\nHost: %s\r\n"
	    "%s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", strrchr(base, '/') + 1,
	    bearer(auth, sizeof(auth), owner), strlen(body));
	CU_ASSERT(send(fd, req, (size_t)n, MSG_NOSIGNAL) == n);
	CU_ASSERT(send(fd, body, strlen(body), MSG_NOSIGNAL) == (ssize_t)strlen(body));
	free(body);
	/* The first bytes of the zip arrive: it is streamed, not made first. */
	while (got < 256 * 1024 && (r = recv(fd, buf, sizeof(buf), 0)) > 0)
		got += (size_t)r;
	CU_ASSERT(got >= 256 * 1024);
	close(fd);	/* the client gives up */
	for (i = 0; i < 100 && !worker_logged("download stopped after"); i++)
		usleep(100000);
	CU_ASSERT(worker_logged("download stopped after"));
	CU_ASSERT(worker_logged("the client went away"));
	CU_ASSERT_EQUAL(api_status(owner, "GET", "/api/server/ping", NULL), 200);
}

void
suite_download(void)
{
	CU_pSuite	 s = CU_add_suite("e2e: zip downloads through nginx",
			    download_init, download_clean);

	ADD_TEST(s, test_download_zip_names_are_deduplicated_as_immich_does);
	ADD_TEST(s, test_download_zip_stops_when_the_client_is_gone);
}

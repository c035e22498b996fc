/*
 * fuzz_conf.c: libFuzzer target for the configuration parser: the bytes
 * are a partnerd.conf, read by the real conf_load() from a memory file.
 * Every error must come with a message; every accepted value within its
 * declared bounds is the parser's business, not checked here twice.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "partnerd.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	 c;
	char		 path[64], err[512];
	int		 fd;

	if ((fd = memfd_create("partnerd.conf", 0)) < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (conf_defaults(&c) == 0) {
		err[0] = '\0';
		if (conf_load(&c, path, err, sizeof(err)) != 0 && err[0] == '\0')
			abort();	/* an error without a message */
		if (c.threads < 1 || c.max_password_hashes < 1)
			abort();	/* a bound the table declares */
	}
	conf_free(&c);
	close(fd);
	return 0;
}

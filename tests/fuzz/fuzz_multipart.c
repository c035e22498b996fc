/*
 * fuzz_multipart.c: libFuzzer target for the streaming multipart parser.
 * The input is cut into chunks at sizes taken from its first byte, so the
 * boundary search across chunk edges is exercised too.
 *   make fuzz    (clang with -fsanitize=fuzzer,address,undefined)
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "multipart.h"

static int
on_begin(void *arg, const char *name, const char *filename, const char *ct)
{
	size_t	*n = arg;

	*n += strlen(name) + (filename ? strlen(filename) : 0) + (ct ? strlen(ct) : 0);
	return 0;
}

static int
on_data(void *arg, const char *p, size_t len)
{
	size_t	*n = arg;

	if (len > 0)
		*n += (unsigned char)p[0] + (unsigned char)p[len - 1];
	return 0;
}

static int
on_end(void *arg)
{
	(void)arg;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct mp_callbacks cb = { on_begin, on_data, on_end };
	struct mp_parser	*mp;
	size_t			 seen = 0, off = 1, step;

	if (size < 1)
		return 0;
	step = 1 + data[0] % 64;
	if ((mp = mp_new("XyZzY", &cb, &seen)) == NULL)
		return 0;
	while (off < size) {
		size_t n = size - off < step ? size - off : step;

		if (mp_feed(mp, (const char *)data + off, n) != 0)
			break;
		off += n;
	}
	(void)mp_done(mp);
	mp_free(mp);
	return 0;
}

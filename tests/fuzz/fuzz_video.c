/*
 * fuzz_video.c: libFuzzer target for the video probe and poster decoder
 * (src/video.c), with the same limits as uploads: the input is written to a
 * file (the probe takes the file protocol only), probed, and when the probe
 * accepts it, its poster frame is decoded. make fuzz seeds the corpus with
 * small MP4, MOV and WebM files made by ffmpeg.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "media.h"
#include "video.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char		 path[64];
	struct media_info	 mi;
	unsigned char		*rgb;
	FILE			*f;
	int			 w, h;

	if (path[0] == '\0') {
		video_init();
		snprintf(path, sizeof(path), "/dev/shm/partnerd-fuzz-%ld.mp4", (long)getpid());
	}
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	memset(&mi, 0, sizeof(mi));
	if (video_probe(path, &mi) == 0 && video_poster(path, 64, &rgb, &w, &h) == 0)
		free(rgb);
	unlink(path);
	return 0;
}

/*
 * video.h: videos, read with FFmpeg's libraries under limits (video.c says
 * which): the container's facts and a representative frame.
 */
#ifndef VIDEO_H
#define VIDEO_H

struct media_info;

/* Once per process: keep FFmpeg's own messages out of the log. */
void	 video_init(void);

/*
 * Fill mi from the container: displayed width and height (after the
 * rotation the file asks for), rotation, duration_ms, codec, the capture
 * time (Apple's local creation date with its offset, else creation_time in
 * UTC), GPS (ISO 6709 location), make and model where present. 0, or -1
 * when the file is not a video partnerd can read (then mi is partly set).
 */
int	 video_probe(const char *path, struct media_info *mi);

/*
 * A representative frame: the first one that is not flat (a black fade-in
 * is skipped), else the least flat of the first seconds, as 8-bit RGB with
 * its longer side at most max_side, unrotated. *rgb is malloc'ed (the
 * caller frees it). 0 or -1.
 */
int	 video_poster(const char *path, int max_side, unsigned char **rgb,
	    int *w, int *h);

#endif

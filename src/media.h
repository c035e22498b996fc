/*
 * media.h: what is in a photo or video file, and the derived images.
 * libvips (the engine Immich uses) decodes, measures and resizes; libexif
 * reads the EXIF block libvips extracts, for every format libvips reads.
 */
#ifndef MEDIA_H
#define MEDIA_H

#include <stddef.h>
#include <time.h>

enum media_type { MEDIA_IMAGE = 0, MEDIA_VIDEO, MEDIA__MAX };

struct media_info {
	enum media_type	 type;
	const char	*mime;		/* static */
	const char	*type_name;	/* "IMAGE" or "VIDEO" */
	int		 width, height;	/* 0 when unknown */
	char		 make[128], model[128], lens[128], exposure[32];
	char		 description[512], orientation[8], projection[32];
	double		 f_number, focal_length;	/* 0 when unknown */
	int		 iso;
	int		 has_taken;	/* EXIF DateTimeOriginal */
	struct tm	 taken;		/* its wall-clock time */
	int		 has_offset;	/* OffsetTimeOriginal */
	int		 offset_min;
	int		 has_gps;
	double		 latitude, longitude;
	/* Videos (video.h). */
	long long	 duration_ms;	/* 0 when unknown or a photo */
	int		 rotation;	/* clockwise degrees for display */
	char		 codec[32];	/* e.g. "h264" */
};

/* Initialise libvips once per process; 0 or -1. */
int	 media_init(const char *argv0);

/*
 * The media type and MIME type from a file name's extension, as Immich
 * decides it; -1 for a file type partnerd does not take.
 */
int	 media_type_of(const char *filename, struct media_info *);

/* Fill dimensions and EXIF for an image, the container's facts for a
 * video (video_probe). 0 or -1 when the file cannot be read as the image or
 * video it claims to be. */
int	 media_probe(const char *path, struct media_info *);

/*
 * Write the 250 px WebP thumbnail and the 1440 px JPEG preview of an image
 * or of a video's poster frame (video_poster, turned as the file asks), and
 * its ThumbHash (at most 32 bytes) into th/thlen. 0 or -1.
 */
int	 media_derive(const char *path, const struct media_info *,
	    const char *thumb_path, const char *preview_path,
	    unsigned char th[32], size_t *thlen);

/* ThumbHash of w x h RGBA pixels (w, h <= 100); returns its length. */
size_t	 thumbhash_encode(int w, int h, const unsigned char *rgba,
	    unsigned char out[32]);

#endif

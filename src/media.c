/* media.c: see media.h. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libexif/exif-data.h>
#include <vips/vips.h>

#include "partnerd.h"
#include "media.h"
#include "video.h"

/* File types by extension, as Immich's mime-types table decides them. */
static const struct {
	const char	*ext;
	enum media_type	 type;
	const char	*mime;
} types[] = {
	{ "jpg", MEDIA_IMAGE, "image/jpeg" }, { "jpeg", MEDIA_IMAGE, "image/jpeg" },
	{ "jpe", MEDIA_IMAGE, "image/jpeg" }, { "png", MEDIA_IMAGE, "image/png" },
	{ "webp", MEDIA_IMAGE, "image/webp" }, { "gif", MEDIA_IMAGE, "image/gif" },
	{ "heic", MEDIA_IMAGE, "image/heic" }, { "heif", MEDIA_IMAGE, "image/heif" },
	{ "avif", MEDIA_IMAGE, "image/avif" }, { "tif", MEDIA_IMAGE, "image/tiff" },
	{ "tiff", MEDIA_IMAGE, "image/tiff" },
	{ "jxl", MEDIA_IMAGE, "image/jxl" }, { "dng", MEDIA_IMAGE, "image/x-adobe-dng" },
	{ "mp4", MEDIA_VIDEO, "video/mp4" }, { "m4v", MEDIA_VIDEO, "video/x-m4v" },
	{ "mov", MEDIA_VIDEO, "video/quicktime" }, { "3gp", MEDIA_VIDEO, "video/3gpp" },
	{ "webm", MEDIA_VIDEO, "video/webm" }, { "mkv", MEDIA_VIDEO, "video/x-matroska" },
	{ "avi", MEDIA_VIDEO, "video/x-msvideo" }, { "mts", MEDIA_VIDEO, "video/mp2t" },
	{ "m2ts", MEDIA_VIDEO, "video/mp2t" }, { "mpg", MEDIA_VIDEO, "video/mpeg" },
};

int
media_init(const char *argv0)
{
	if (VIPS_INIT(argv0) != 0)
		return -1;
	/*
	 * Uploads are untrusted: refuse the loaders libvips itself marks as not
	 * safe for them (ImageMagick, MATLAB, ...). JPEG, PNG, WebP, HEIC,
	 * TIFF and GIF go through their own well-fuzzed libraries.
	 */
#if VIPS_MAJOR_VERSION > 8 || VIPS_MINOR_VERSION >= 13
	vips_block_untrusted_set(TRUE);
	vips_operation_block_set("VipsForeignLoadMagick", TRUE);
#else
	/* libvips before 8.13 (make portable's Debian 11 has 8.10) cannot
	 * block loaders: magic_ok's signature check is then the only gate. */
#endif
	/* Requests run on several threads already; keep each one to one core. */
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	video_init();
	return 0;
}

int
media_type_of(const char *name, struct media_info *mi)
{
	const char	*dot = strrchr(name, '.');
	size_t		 i;

	memset(mi, 0, sizeof(*mi));
	if (dot == NULL)
		return -1;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot + 1, types[i].ext) == 0) {
			mi->type = types[i].type;
			mi->mime = types[i].mime;
			mi->type_name = mi->type == MEDIA_IMAGE ? "IMAGE" : "VIDEO";
			return 0;
		}
	return -1;
}

static void
exif_str(ExifData *ed, ExifIfd ifd, ExifTag tag, char *out, size_t outsz)
{
	ExifEntry	*e = exif_content_get_entry(ed->ifd[ifd], tag);
	char		*p;

	out[0] = '\0';
	if (e == NULL)
		return;
	exif_entry_get_value(e, out, (unsigned)outsz);
	/* Trim padding; keep only printable text. */
	for (p = out; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	while (p > out && p[-1] == ' ')
		*--p = '\0';
}

static double
exif_rational(ExifData *ed, ExifEntry *e, unsigned idx)
{
	ExifRational	 r;

	if (e == NULL || e->format != EXIF_FORMAT_RATIONAL || idx >= e->components)
		return NAN;
	r = exif_get_rational(e->data + 8 * idx, exif_data_get_byte_order(ed));
	return r.denominator ? (double)r.numerator / r.denominator : NAN;
}

static double
gps_coord(ExifData *ed, ExifTag tag, ExifTag ref_tag)
{
	ExifEntry	*e = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], tag);
	char		 ref[8];
	double		 d, m, s;

	d = exif_rational(ed, e, 0);
	m = exif_rational(ed, e, 1);
	s = exif_rational(ed, e, 2);
	if (isnan(d) || isnan(m) || isnan(s))
		return NAN;
	exif_str(ed, EXIF_IFD_GPS, ref_tag, ref, sizeof(ref));
	d += m / 60 + s / 3600;
	return ref[0] == 'S' || ref[0] == 'W' ? -d : d;
}

/* Read the fields partnerd keeps from an EXIF block. */
static void
parse_exif(const unsigned char *blob, size_t len, struct media_info *mi)
{
	ExifData	*ed = exif_data_new_from_data(blob, (unsigned)len);
	ExifEntry	*e;
	char		 v[128];
	double		 x;
	int		 sign, hh, mm;

	if (ed == NULL)
		return;
	exif_str(ed, EXIF_IFD_0, EXIF_TAG_MAKE, mi->make, sizeof(mi->make));
	exif_str(ed, EXIF_IFD_0, EXIF_TAG_MODEL, mi->model, sizeof(mi->model));
	exif_str(ed, EXIF_IFD_0, EXIF_TAG_IMAGE_DESCRIPTION, mi->description,
	    sizeof(mi->description));
	exif_str(ed, EXIF_IFD_EXIF, (ExifTag)0xa434, mi->lens, sizeof(mi->lens));
	if ((e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION)) != NULL &&
	    e->format == EXIF_FORMAT_SHORT)
		snprintf(mi->orientation, sizeof(mi->orientation), "%u",
		    exif_get_short(e->data, exif_data_get_byte_order(ed)));
	e = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_EXPOSURE_TIME);
	if (!isnan(x = exif_rational(ed, e, 0)) && x > 0)
		snprintf(mi->exposure, sizeof(mi->exposure), x < 1 ? "1/%.0f" : "%g",
		    x < 1 ? 1 / x : x);
	e = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_FNUMBER);
	if (!isnan(x = exif_rational(ed, e, 0)))
		mi->f_number = x;
	e = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_FOCAL_LENGTH);
	if (!isnan(x = exif_rational(ed, e, 0)))
		mi->focal_length = x;
	e = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_ISO_SPEED_RATINGS);
	if (e != NULL && e->format == EXIF_FORMAT_SHORT)
		mi->iso = exif_get_short(e->data, exif_data_get_byte_order(ed));

	/* "YYYY:MM:DD HH:MM:SS", the wall clock where it was taken. */
	exif_str(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, v, sizeof(v));
	memset(&mi->taken, 0, sizeof(mi->taken));
	if (sscanf(v, "%4d:%2d:%2d %2d:%2d:%2d", &mi->taken.tm_year,
	    &mi->taken.tm_mon, &mi->taken.tm_mday, &mi->taken.tm_hour,
	    &mi->taken.tm_min, &mi->taken.tm_sec) == 6 && mi->taken.tm_year > 1800 &&
	    mi->taken.tm_mon >= 1 && mi->taken.tm_mon <= 12 && mi->taken.tm_mday >= 1) {
		mi->taken.tm_year -= 1900;
		mi->taken.tm_mon -= 1;
		mi->has_taken = 1;
	}
	/* OffsetTimeOriginal (0x9011), "+02:00". */
	exif_str(ed, EXIF_IFD_EXIF, (ExifTag)0x9011, v, sizeof(v));
	if ((v[0] == '+' || v[0] == '-') && sscanf(v + 1, "%2d:%2d", &hh, &mm) == 2 &&
	    hh <= 14 && mm < 60) {
		sign = v[0] == '-' ? -1 : 1;
		mi->offset_min = sign * (hh * 60 + mm);
		mi->has_offset = 1;
	}
	mi->latitude = gps_coord(ed, EXIF_TAG_GPS_LATITUDE, EXIF_TAG_GPS_LATITUDE_REF);
	mi->longitude = gps_coord(ed, EXIF_TAG_GPS_LONGITUDE, EXIF_TAG_GPS_LONGITUDE_REF);
	mi->has_gps = !isnan(mi->latitude) && !isnan(mi->longitude) &&
	    fabs(mi->latitude) <= 90 && fabs(mi->longitude) <= 180;
	exif_data_unref(ed);
}

/*
 * Is the file one of the image formats partnerd takes, by its first bytes?
 * Only those reach libvips, so nothing else is ever handed to a generic
 * loader (ImageMagick would sniff any file that no other loader claims).
 */
static int
magic_ok(const char *path)
{
	unsigned char	 b[32];
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	n = fread(b, 1, sizeof(b), f);
	fclose(f);
	if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return 1;	/* JPEG */
	if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
		return 1;	/* PNG */
	if (n >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
		return 1;	/* GIF */
	if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
		return 1;	/* WebP */
	if (n >= 4 && (memcmp(b, "II*\0", 4) == 0 || memcmp(b, "MM\0*", 4) == 0))
		return 1;	/* TIFF, DNG */
	if (n >= 12 && memcmp(b + 4, "ftyp", 4) == 0 &&
	    (memcmp(b + 8, "heic", 4) == 0 || memcmp(b + 8, "heix", 4) == 0 ||
	    memcmp(b + 8, "mif1", 4) == 0 || memcmp(b + 8, "msf1", 4) == 0 ||
	    memcmp(b + 8, "avif", 4) == 0 || memcmp(b + 8, "hevc", 4) == 0))
		return 1;	/* HEIF, AVIF */
	if ((n >= 2 && b[0] == 0xff && b[1] == 0x0a) ||
	    (n >= 12 && memcmp(b, "\0\0\0\x0cJXL \r\n\x87\n", 12) == 0))
		return 1;	/* JPEG XL */
	return 0;
}

int
media_probe(const char *path, struct media_info *mi)
{
	VipsImage	*img;
	const void	*blob;
	size_t		 len;
	int		 orient = 1;

	if (mi->type == MEDIA_VIDEO)
		return video_probe(path, mi);
	if (!magic_ok(path))
		return -1;
	img = vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	if (img == NULL) {
		log_warn("media: cannot read an image: %s", vips_error_buffer());
		vips_error_clear();
		return -1;
	}
	mi->width = vips_image_get_width(img);
	mi->height = vips_image_get_height(img);
	if (vips_image_get_typeof(img, VIPS_META_ORIENTATION) &&
	    vips_image_get_int(img, VIPS_META_ORIENTATION, &orient) == 0 &&
	    orient >= 5 && orient <= 8) {
		/* Rotated a quarter turn: clients want displayed dimensions. */
		int t = mi->width;

		mi->width = mi->height;
		mi->height = t;
	}
	if (vips_image_get_typeof(img, VIPS_META_EXIF_NAME) &&
	    vips_image_get_blob(img, VIPS_META_EXIF_NAME, &blob, &len) == 0)
		parse_exif(blob, len, mi);
	g_object_unref(img);
	return 0;
}

/* An sRGB, 8-bit, four-band copy of in, for ThumbHash. */
static int
thumbhash_of(VipsImage *in, unsigned char th[32], size_t *thlen)
{
	VipsImage	*small = NULL, *srgb = NULL, *rgba = NULL, *u8 = NULL;
	void		*mem = NULL;
	size_t		 size;
	int		 rc = -1;

	*thlen = 0;
	if (vips_thumbnail_image(in, &small, 100, "height", 100, NULL) != 0 ||
	    vips_colourspace(small, &srgb, VIPS_INTERPRETATION_sRGB, NULL) != 0)
		goto out;
	if (vips_image_get_bands(srgb) == 3) {
		if (vips_bandjoin_const1(srgb, &rgba, 255.0, NULL) != 0)
			goto out;
	} else if (vips_copy(srgb, &rgba, NULL) != 0)
		goto out;
	if (vips_image_get_bands(rgba) != 4 ||
	    vips_cast_uchar(rgba, &u8, NULL) != 0 ||
	    (mem = vips_image_write_to_memory(u8, &size)) == NULL)
		goto out;
	*thlen = thumbhash_encode(vips_image_get_width(u8),
	    vips_image_get_height(u8), mem, th);
	rc = *thlen > 0 ? 0 : -1;
out:
	g_free(mem);
	if (u8) g_object_unref(u8);
	if (rgba) g_object_unref(rgba);
	if (srgb) g_object_unref(srgb);
	if (small) g_object_unref(small);
	vips_error_clear();
	return rc;
}

/* A video's poster frame, turned as the file asks, as a libvips image. */
static VipsImage *
poster_image(const char *path, const struct media_info *mi)
{
	static const VipsAngle	 angle[4] = { VIPS_ANGLE_D0, VIPS_ANGLE_D90,
				    VIPS_ANGLE_D180, VIPS_ANGLE_D270 };
	VipsImage		*raw = NULL, *turned = NULL;
	unsigned char		*rgb;
	int			 w, h;

	if (video_poster(path, 1440, &rgb, &w, &h) != 0)
		return NULL;
	raw = vips_image_new_from_memory_copy(rgb, (size_t)w * h * 3, w, h, 3,
	    VIPS_FORMAT_UCHAR);
	free(rgb);
	if (raw == NULL)
		return NULL;
	if (vips_rot(raw, &turned, angle[(mi->rotation / 90) % 4], NULL) != 0)
		turned = NULL;
	g_object_unref(raw);
	return turned;
}

int
media_derive(const char *path, const struct media_info *mi, const char *thumb,
    const char *preview, unsigned char th[32], size_t *thlen)
{
	VipsImage	*lazy = NULL, *big = NULL, *small = NULL;
	int		 rc = -1;

	/*
	 * vips_thumbnail shrinks on load and applies EXIF orientation. Its
	 * result is read twice (preview, then thumbnail), so it is made once
	 * in memory: at most 1440 x 1440 pixels. A video's poster frame is
	 * made at that size already.
	 */
	if (mi->type == MEDIA_VIDEO)
		lazy = poster_image(path, mi);
	else if (vips_thumbnail(path, &lazy, 1440, "height", 1440, "size",
	    VIPS_SIZE_DOWN, NULL) != 0)
		lazy = NULL;
	if (lazy == NULL ||
	    (big = vips_image_copy_memory(lazy)) == NULL ||
	    vips_jpegsave(big, preview, "Q", 80, "strip", TRUE, NULL) != 0 ||
	    vips_thumbnail_image(big, &small, 250, "height", 250, "size",
	    VIPS_SIZE_DOWN, NULL) != 0 ||
	    vips_webpsave(small, thumb, "Q", 80, "strip", TRUE, NULL) != 0)
		goto out;
	rc = thumbhash_of(small, th, thlen);
out:
	if (small) g_object_unref(small);
	if (big) g_object_unref(big);
	if (lazy) g_object_unref(lazy);
	if (rc != 0)
		log_warn("media: cannot derive images: %s", vips_error_buffer());
	vips_error_clear();
	return rc;
}

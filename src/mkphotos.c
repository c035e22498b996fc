/*
 * mkphotos.c: makes real JPEG photos for the demo library and the tests,
 * with EXIF written by libexif: capture time with its offset, a GPS
 * position, camera make and model. Deterministic for a given seed.
 *
 *   partnerd-mkphotos DIR COUNT SEED [LABEL]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libexif/exif-data.h>
#include <vips/vips.h>

static unsigned long long	 rng;

static unsigned
rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

/* A new entry of len bytes in ifd (libexif's documented way to add tags). */
static ExifEntry *
add_entry(ExifData *ed, ExifIfd ifd, ExifTag tag, ExifFormat fmt,
    unsigned long components)
{
	ExifMem		*mem = exif_mem_new_default();
	ExifEntry	*e = exif_entry_new_mem(mem);
	size_t		 size = exif_format_get_size(fmt) * components;

	e->data = exif_mem_alloc(mem, (ExifLong)size);
	e->size = (unsigned)size;
	e->tag = tag;
	e->format = fmt;
	e->components = components;
	exif_content_add_entry(ed->ifd[ifd], e);
	exif_mem_unref(mem);
	exif_entry_unref(e);
	return e;
}

static void
add_ascii(ExifData *ed, ExifIfd ifd, ExifTag tag, const char *s)
{
	ExifEntry	*e = add_entry(ed, ifd, tag, EXIF_FORMAT_ASCII, strlen(s) + 1);

	memcpy(e->data, s, strlen(s) + 1);
}

static void
add_gps(ExifData *ed, ExifTag tag, ExifTag ref_tag, double v, const char *pos,
    const char *neg)
{
	ExifEntry	*e = add_entry(ed, EXIF_IFD_GPS, tag, EXIF_FORMAT_RATIONAL, 3);
	ExifByteOrder	 o = exif_data_get_byte_order(ed);
	double		 a = v < 0 ? -v : v;
	ExifRational	 r;

	r.numerator = (ExifLong)a;
	r.denominator = 1;
	exif_set_rational(e->data, o, r);
	r.numerator = (ExifLong)((a - (int)a) * 60);
	exif_set_rational(e->data + 8, o, r);
	r.numerator = (ExifLong)(((a - (int)a) * 60 - (int)((a - (int)a) * 60)) * 60 * 1000);
	r.denominator = 1000;
	exif_set_rational(e->data + 16, o, r);
	add_ascii(ed, EXIF_IFD_GPS, ref_tag, v < 0 ? neg : pos);
}

/* Some places people take photos. */
static const struct { double lat, lon; int offset; } places[] = {
	{ 48.8584, 2.2945, 120 }, { 51.5007, -0.1246, 60 }, { 40.6892, -74.0445, -240 },
	{ 35.6586, 139.7454, 540 }, { -33.8568, 151.2153, 600 }, { 52.5163, 13.3777, 120 },
	{ 41.8902, 12.4922, 120 }, { 37.8199, -122.4783, -420 }, { 59.3293, 18.0686, 120 },
	{ -22.9519, -43.2105, -180 },
};

static const char *const cameras[][2] = {
	{ "Canon", "Canon EOS R6" }, { "NIKON CORPORATION", "NIKON Z 6_2" },
	{ "Apple", "iPhone 14" }, { "FUJIFILM", "X-T4" }, { "Google", "Pixel 7" },
};

static int
make_photo(const char *path, unsigned i, const char *label)
{
	VipsImage	*xyz = NULL, *bands[3] = { NULL, NULL, NULL }, *rgb = NULL;
	VipsImage	*u8 = NULL, *x = NULL, *y = NULL;
	ExifData	*ed;
	unsigned char	*blob = NULL;
	unsigned int	 blen = 0;
	char		 dto[32], off[16];
	int		 w, h, rc = -1, p = (int)rnd(10), cam = (int)rnd(5);
	int		 year = 2019 + (int)rnd(6), mon = 1 + (int)rnd(12), day = 1 + (int)rnd(28);
	double		 k[3];

	(void)label;
	switch (rnd(3)) {
	case 0: w = 640; h = 480; break;
	case 1: w = 480; h = 640; break;
	default: w = 800; h = 450; break;
	}
	/* Smooth colour fields: every photo different, all cheap to make. */
	if (vips_xyz(&xyz, w, h, NULL) != 0 ||
	    vips_extract_band(xyz, &x, 0, NULL) != 0 ||
	    vips_extract_band(xyz, &y, 1, NULL) != 0)
		goto out;
	for (int b = 0; b < 3; b++) {
		VipsImage *t1 = NULL, *t2 = NULL, *t3 = NULL;

		k[b] = (rnd(200) + 20) / 100.0;
		if (vips_linear1(x, &t1, k[b] * 0.3, rnd(120), NULL) != 0 ||
		    vips_linear1(y, &t2, (2.2 - k[b]) * 0.3, rnd(80), NULL) != 0 ||
		    vips_add(t1, t2, &t3, NULL) != 0) {
			if (t1) g_object_unref(t1);
			if (t2) g_object_unref(t2);
			goto out;
		}
		g_object_unref(t1);
		g_object_unref(t2);
		bands[b] = t3;
	}
	if (vips_bandjoin(bands, &rgb, 3, NULL) != 0 || vips_cast_uchar(rgb, &u8, NULL) != 0)
		goto out;
	vips_image_set_int(u8, "interpretation", VIPS_INTERPRETATION_sRGB);

	ed = exif_data_new();
	exif_data_set_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_set_data_type(ed, EXIF_DATA_TYPE_COMPRESSED);
	exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
	exif_data_fix(ed);
	snprintf(dto, sizeof(dto), "%04d:%02d:%02d %02d:%02d:%02d", year, mon, day,
	    7 + (int)rnd(14), (int)rnd(60), (int)rnd(60));
	snprintf(off, sizeof(off), "%c%02d:%02d", places[p].offset < 0 ? '-' : '+',
	    abs(places[p].offset) / 60, abs(places[p].offset) % 60);
	add_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, dto);
	add_ascii(ed, EXIF_IFD_EXIF, (ExifTag)0x9011, off);
	add_ascii(ed, EXIF_IFD_0, EXIF_TAG_MAKE, cameras[cam][0]);
	add_ascii(ed, EXIF_IFD_0, EXIF_TAG_MODEL, cameras[cam][1]);
	add_gps(ed, EXIF_TAG_GPS_LATITUDE, EXIF_TAG_GPS_LATITUDE_REF,
	    places[p].lat + ((int)rnd(1000) - 500) / 100000.0, "N", "S");
	add_gps(ed, EXIF_TAG_GPS_LONGITUDE, EXIF_TAG_GPS_LONGITUDE_REF,
	    places[p].lon + ((int)rnd(1000) - 500) / 100000.0, "E", "W");
	exif_data_save_data(ed, &blob, &blen);
	exif_data_unref(ed);
	if (blob == NULL)
		goto out;
	vips_image_set_blob_copy(u8, VIPS_META_EXIF_NAME, blob, blen);
	free(blob);
	(void)i;
	rc = vips_jpegsave(u8, path, "Q", 82, NULL);
out:
	for (int b = 0; b < 3; b++)
		if (bands[b])
			g_object_unref(bands[b]);
	if (u8) g_object_unref(u8);
	if (rgb) g_object_unref(rgb);
	if (x) g_object_unref(x);
	if (y) g_object_unref(y);
	if (xyz) g_object_unref(xyz);
	if (rc != 0)
		fprintf(stderr, "mkphotos: %s: %s\n", path, vips_error_buffer());
	return rc;
}

int
main(int argc, char *argv[])
{
	char		 path[4096];
	unsigned	 n, i;

	if (argc < 4) {
		fprintf(stderr, "usage: partnerd-mkphotos DIR COUNT SEED [LABEL]\n");
		return 2;
	}
	if (VIPS_INIT(argv[0]) != 0)
		return 1;
	n = (unsigned)strtoul(argv[2], NULL, 10);
	rng = strtoull(argv[3], NULL, 10) * 2654435761ULL + 1;
	g_mkdir_with_parents(argv[1], 0755);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s%04u.jpg", argv[1],
		    argc > 4 ? argv[4] : "IMG_", i + 1);
		if (make_photo(path, i, argc > 4 ? argv[4] : "") != 0)
			return 1;
	}
	vips_shutdown();
	return 0;
}

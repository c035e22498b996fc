/*
 * thumbhash.c: the ThumbHash image placeholder (Evan Wallace's published
 * algorithm, as Immich stores it): the average colour plus a few DCT terms
 * of luminance and two chroma channels (and alpha), in at most 32 bytes.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "media.h"

#define TH_MAX_AC	64

struct channel {
	double	 dc, scale, ac[TH_MAX_AC];
	int	 nac;
};

/* JavaScript's Math.round: halves go up. */
static int
js_round(double x)
{
	return (int)floor(x + 0.5);
}

static void
encode_channel(const double *ch, int w, int h, int nx, int ny, struct channel *c)
{
	double	 fx[100], f, fy;
	int	 cx, cy, x, y, i;

	memset(c, 0, sizeof(*c));
	for (cy = 0; cy < ny; cy++) {
		for (cx = 0; cx * ny < nx * (ny - cy); cx++) {
			f = 0;
			for (x = 0; x < w; x++)
				fx[x] = cos(M_PI / w * cx * (x + 0.5));
			for (y = 0; y < h; y++) {
				fy = cos(M_PI / h * cy * (y + 0.5));
				for (x = 0; x < w; x++)
					f += ch[x + y * w] * fx[x] * fy;
			}
			f /= w * h;
			if (cx || cy) {
				if (c->nac < TH_MAX_AC)
					c->ac[c->nac++] = f;
				if (fabs(f) > c->scale)
					c->scale = fabs(f);
			} else
				c->dc = f;
		}
	}
	if (c->scale > 0)
		for (i = 0; i < c->nac; i++)
			c->ac[i] = 0.5 + 0.5 / c->scale * c->ac[i];
}

size_t
thumbhash_encode(int w, int h, const unsigned char *rgba, unsigned char out[32])
{
	double		*l, *p, *q, *a;
	double		 avg_r = 0, avg_g = 0, avg_b = 0, avg_a = 0, alpha, r, g, b;
	struct channel	 lc, pc, qc, ac;
	const struct channel *chans[4];
	int		 i, j, has_alpha, l_limit, lx, ly, landscape, nchan, k;
	int		 ac_start, ac_index = 0;
	unsigned	 header24, header16;
	size_t		 len;

	if (w < 1 || h < 1 || w > 100 || h > 100)
		return 0;
	/* One block for the four channels; called from every worker thread. */
	if ((l = calloc((size_t)(4 * w * h), sizeof(double))) == NULL)
		return 0;
	p = l + w * h;
	q = p + w * h;
	a = q + w * h;
	for (i = 0, j = 0; i < w * h; i++, j += 4) {
		alpha = rgba[j + 3] / 255.0;
		avg_r += alpha / 255.0 * rgba[j];
		avg_g += alpha / 255.0 * rgba[j + 1];
		avg_b += alpha / 255.0 * rgba[j + 2];
		avg_a += alpha;
	}
	if (avg_a > 0) {
		avg_r /= avg_a;
		avg_g /= avg_a;
		avg_b /= avg_a;
	}
	has_alpha = avg_a < w * h;
	l_limit = has_alpha ? 5 : 7;
	lx = js_round((double)l_limit * w / (w > h ? w : h));
	ly = js_round((double)l_limit * h / (w > h ? w : h));
	if (lx < 1)
		lx = 1;
	if (ly < 1)
		ly = 1;
	/* Composite over the average colour, then RGBA to LPQA. */
	for (i = 0, j = 0; i < w * h; i++, j += 4) {
		alpha = rgba[j + 3] / 255.0;
		r = avg_r * (1 - alpha) + alpha / 255.0 * rgba[j];
		g = avg_g * (1 - alpha) + alpha / 255.0 * rgba[j + 1];
		b = avg_b * (1 - alpha) + alpha / 255.0 * rgba[j + 2];
		l[i] = (r + g + b) / 3;
		p[i] = (r + g) / 2 - b;
		q[i] = r - g;
		a[i] = alpha;
	}
	encode_channel(l, w, h, lx > 3 ? lx : 3, ly > 3 ? ly : 3, &lc);
	encode_channel(p, w, h, 3, 3, &pc);
	encode_channel(q, w, h, 3, 3, &qc);
	if (has_alpha)
		encode_channel(a, w, h, 5, 5, &ac);
	free(l);

	landscape = w > h;
	header24 = (unsigned)js_round(63 * lc.dc) |
	    ((unsigned)js_round(31.5 + 31.5 * pc.dc) << 6) |
	    ((unsigned)js_round(31.5 + 31.5 * qc.dc) << 12) |
	    ((unsigned)js_round(31 * lc.scale) << 18) | ((unsigned)has_alpha << 23);
	header16 = (unsigned)(landscape ? ly : lx) |
	    ((unsigned)js_round(63 * pc.scale) << 3) |
	    ((unsigned)js_round(63 * qc.scale) << 9) | ((unsigned)landscape << 15);
	memset(out, 0, 32);
	out[0] = header24 & 255;
	out[1] = (header24 >> 8) & 255;
	out[2] = (header24 >> 16) & 255;
	out[3] = header16 & 255;
	out[4] = (header16 >> 8) & 255;
	ac_start = has_alpha ? 6 : 5;
	if (has_alpha)
		out[5] = (unsigned char)(js_round(15 * ac.dc) | (js_round(15 * ac.scale) << 4));
	chans[0] = &lc;
	chans[1] = &pc;
	chans[2] = &qc;
	chans[3] = &ac;
	nchan = has_alpha ? 4 : 3;
	for (k = 0; k < nchan; k++)
		for (i = 0; i < chans[k]->nac; i++, ac_index++) {
			if (ac_start + (ac_index >> 1) >= 32)
				return 32;
			out[ac_start + (ac_index >> 1)] |=
			    (unsigned char)(js_round(15 * chans[k]->ac[i]) << ((ac_index & 1) << 2));
		}
	len = (size_t)(ac_start + ((ac_index + 1) >> 1));
	return len > 32 ? 32 : len;
}

/*
 * video.c: what is in a video file, and its poster frame, with FFmpeg's
 * libraries (libavformat demuxes, libavcodec decodes, libswscale converts).
 *
 * Uploads are untrusted input, and FFmpeg's demuxers and decoders are a
 * large attack surface, so every file is opened with limits:
 *   - only the file protocol, and only the container demuxers of the video
 *     types partnerd takes (MP4/MOV/3GP, Matroska/WebM, AVI, MPEG-TS/PS);
 *   - only the common camera and phone video decoders;
 *   - a deadline for the whole probe or decode (an interrupt callback);
 *   - at most VIDEO_MAX_PIXELS a frame and VIDEO_POSTER_FRAMES decoded frames;
 *   - one decoding thread.
 * A file that breaks any of these is refused as unreadable.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include "partnerd.h"
#include "media.h"
#include "video.h"

#define VIDEO_SECONDS		20	/* probe or poster, wall clock */
#define VIDEO_MAX_PIXELS	(8192 * 4320)	/* 8K UHD */
#define VIDEO_POSTER_FRAMES	120	/* decoded frames looked at, at most */
#define VIDEO_POSTER_SECONDS	3	/* of the video looked at, at most */

static const char demuxers[] = "mov,matroska,avi,mpegts,mpeg";
static const char decoders[] = "h264,hevc,vp8,vp9,av1,libdav1d,mpeg4,mpeg2video,"
    "mpeg1video,mjpeg,prores,h263";

struct deadline {
	struct timespec	 end;
};

static int
past_deadline(void *arg)
{
	const struct deadline	*d = arg;
	struct timespec		 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > d->end.tv_sec ||
	    (now.tv_sec == d->end.tv_sec && now.tv_nsec > d->end.tv_nsec);
}

void
video_init(void)
{
	/* FFmpeg's messages are about untrusted files: not for the log. */
	av_log_set_level(AV_LOG_QUIET);
}

/* Open path with the limits above; the best video stream's index or -1. */
static int
open_limited(const char *path, struct deadline *d, AVFormatContext **fcp)
{
	AVFormatContext	*fc;
	AVDictionary	*opt = NULL;
	int		 idx;

	*fcp = NULL;
	clock_gettime(CLOCK_MONOTONIC, &d->end);
	d->end.tv_sec += VIDEO_SECONDS;
	if ((fc = avformat_alloc_context()) == NULL)
		return -1;
	fc->interrupt_callback.callback = past_deadline;
	fc->interrupt_callback.opaque = d;
	av_dict_set(&opt, "format_whitelist", demuxers, 0);
	av_dict_set(&opt, "protocol_whitelist", "file", 0);
	av_dict_set(&opt, "codec_whitelist", decoders, 0);
	if (avformat_open_input(&fc, path, NULL, &opt) != 0) {
		av_dict_free(&opt);
		return -1;	/* avformat_open_input frees fc on failure */
	}
	av_dict_free(&opt);
	*fcp = fc;
	if (avformat_find_stream_info(fc, NULL) < 0)
		return -1;
	idx = av_find_best_stream(fc, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
	if (idx < 0)
		return -1;
	if (fc->streams[idx]->codecpar->width <= 0 || fc->streams[idx]->codecpar->height <= 0 ||
	    (long long)fc->streams[idx]->codecpar->width *
	    fc->streams[idx]->codecpar->height > VIDEO_MAX_PIXELS)
		return -1;
	return idx;
}

/* Clockwise degrees the frames are to be turned for display: 0, 90, 180, 270. */
static int
rotation_of(const AVStream *st)
{
	const uint8_t	*m = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, NULL);
	double		 theta;

	if (m == NULL)
		return 0;
	theta = -av_display_rotation_get((const int32_t *)m);
	if (isnan(theta))
		return 0;
	theta -= 360 * floor(theta / 360 + 0.9 / 360);
	return ((int)lround(theta / 90) % 4) * 90;
}

/* "2021-06-01T12:00:00.000000Z" or "2021-06-01T14:00:00+0200": 0 or -1. */
static int
parse_time(const char *s, struct media_info *mi)
{
	int	 y, mo, d, h, mi_, se, n = 0, oh = 0, om = 0;
	char	 sign = 0;

	if (sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi_, &se, &n) != 6 ||
	    y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi_ > 59 || se > 60)
		return -1;
	s += n;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	memset(&mi->taken, 0, sizeof(mi->taken));
	mi->taken.tm_year = y - 1900;
	mi->taken.tm_mon = mo - 1;
	mi->taken.tm_mday = d;
	mi->taken.tm_hour = h;
	mi->taken.tm_min = mi_;
	mi->taken.tm_sec = se;
	mi->has_taken = 1;
	mi->has_offset = 1;
	mi->offset_min = 0;		/* creation_time is UTC */
	if ((*s == '+' || *s == '-') && sscanf(s, "%c%2d%*[:]%2d", &sign, &oh, &om) >= 2) {
		if (oh > 14 || om > 59)
			return -1;
		mi->offset_min = (sign == '-' ? -1 : 1) * (oh * 60 + om);
	}
	return 0;
}

/* ISO 6709, as QuickTime's ©xyz and Apple's location key: "+48.8584+002.2945/". */
static void
parse_location(const char *s, struct media_info *mi)
{
	double	 la, lo;

	if (sscanf(s, "%lf%lf", &la, &lo) == 2 && isfinite(la) && isfinite(lo) &&
	    la >= -90 && la <= 90 && lo >= -180 && lo <= 180 && !(la == 0 && lo == 0)) {
		mi->has_gps = 1;
		mi->latitude = la;
		mi->longitude = lo;
	}
}

static const char *
tag(const AVFormatContext *fc, const AVStream *st, const char *key)
{
	const AVDictionaryEntry	*e = av_dict_get(fc->metadata, key, NULL, 0);

	if (e == NULL && st != NULL)
		e = av_dict_get(st->metadata, key, NULL, 0);
	return e != NULL && e->value[0] != '\0' ? e->value : NULL;
}

int
video_probe(const char *path, struct media_info *mi)
{
	AVFormatContext		*fc = NULL;
	const AVStream		*st;
	struct deadline		 d;
	const char		*v;
	int			 idx, rc = -1;

	if ((idx = open_limited(path, &d, &fc)) < 0)
		goto out;
	st = fc->streams[idx];
	mi->rotation = rotation_of(st);
	mi->width = st->codecpar->width;
	mi->height = st->codecpar->height;
	if (mi->rotation == 90 || mi->rotation == 270) {
		mi->width = st->codecpar->height;
		mi->height = st->codecpar->width;
	}
	if (fc->duration > 0 && fc->duration != AV_NOPTS_VALUE)
		mi->duration_ms = fc->duration / 1000;
	else if (st->duration > 0 && st->duration != AV_NOPTS_VALUE)
		mi->duration_ms = (long long)(st->duration * av_q2d(st->time_base) * 1000);
	if (mi->duration_ms <= 0)
		goto out;	/* nothing to play */
	snprintf(mi->codec, sizeof(mi->codec), "%s", avcodec_get_name(st->codecpar->codec_id));
	/* Apple's local time with its offset first, then the UTC time. */
	if ((v = tag(fc, NULL, "com.apple.quicktime.creationdate")) == NULL ||
	    parse_time(v, mi) != 0) {
		mi->has_taken = 0;
		if ((v = tag(fc, st, "creation_time")) != NULL && parse_time(v, mi) != 0)
			mi->has_taken = 0;
	}
	if ((v = tag(fc, NULL, "com.apple.quicktime.location.ISO6709")) != NULL ||
	    (v = tag(fc, NULL, "location")) != NULL)
		parse_location(v, mi);
	if ((v = tag(fc, NULL, "com.apple.quicktime.make")) != NULL)
		snprintf(mi->make, sizeof(mi->make), "%s", v);
	if ((v = tag(fc, NULL, "com.apple.quicktime.model")) != NULL)
		snprintf(mi->model, sizeof(mi->model), "%s", v);
	rc = 0;
out:
	avformat_close_input(&fc);
	return rc;
}

/*
 * How much a frame is worth as a poster: its luma's spread, from a 32 x 32
 * sample (and its mean, in *mean). A black, white or flat frame (a lens
 * cap, the start of a fade-in) scores low.
 */
static double
poster_score(struct SwsContext **sc, const AVFrame *f, double *mean_out)
{
	uint8_t		 buf[32 * 32], *dst[4] = { buf, NULL, NULL, NULL };
	int		 stride[4] = { 32, 0, 0, 0 }, i;
	double		 sum = 0, sq = 0, mean;

	*sc = sws_getCachedContext(*sc, f->width, f->height, f->format, 32, 32,
	    AV_PIX_FMT_GRAY8, SWS_AREA, NULL, NULL, NULL);
	if (*sc == NULL || sws_scale(*sc, (const uint8_t *const *)f->data, f->linesize,
	    0, f->height, dst, stride) <= 0)
		return -1;
	for (i = 0; i < 32 * 32; i++) {
		sum += buf[i];
		sq += (double)buf[i] * buf[i];
	}
	mean = sum / (32 * 32);
	*mean_out = mean;
	return sqrt(sq / (32 * 32) - mean * mean);
}

int
video_poster(const char *path, int max_side, unsigned char **rgb, int *w, int *h)
{
	AVFormatContext		*fc = NULL;
	AVCodecContext		*cc = NULL;
	const AVCodec		*dec;
	AVDictionary		*opt = NULL;
	AVPacket		*pkt = av_packet_alloc();
	AVFrame			*f = av_frame_alloc(), *best = NULL;
	struct SwsContext	*score_sc = NULL, *sc = NULL;
	struct deadline		 d;
	double			 s, mean = 0, best_score = -1, limit_ts;
	int			 idx, frames = 0, rc = -1, done = 0, r;

	*rgb = NULL;
	if (pkt == NULL || f == NULL || (idx = open_limited(path, &d, &fc)) < 0)
		goto out;
	if ((dec = avcodec_find_decoder(fc->streams[idx]->codecpar->codec_id)) == NULL ||
	    (cc = avcodec_alloc_context3(dec)) == NULL ||
	    avcodec_parameters_to_context(cc, fc->streams[idx]->codecpar) < 0)
		goto out;
	cc->thread_count = 1;
	av_dict_set(&opt, "codec_whitelist", decoders, 0);
	r = avcodec_open2(cc, dec, &opt);
	av_dict_free(&opt);
	if (r < 0)
		goto out;
	limit_ts = VIDEO_POSTER_SECONDS / av_q2d(fc->streams[idx]->time_base);
	/* The first frame that is not flat; failing that, the least flat one. */
	while (!done && frames < VIDEO_POSTER_FRAMES && !past_deadline(&d)) {
		if ((r = av_read_frame(fc, pkt)) < 0)
			r = avcodec_send_packet(cc, NULL);	/* drain */
		else if (pkt->stream_index != idx) {
			av_packet_unref(pkt);
			continue;
		} else {
			r = avcodec_send_packet(cc, pkt);
			av_packet_unref(pkt);
		}
		if (r < 0 && r != AVERROR(EAGAIN) && r != AVERROR_EOF)
			break;
		while (avcodec_receive_frame(cc, f) == 0) {
			frames++;
			s = poster_score(&score_sc, f, &mean);
			if (s > best_score) {
				av_frame_free(&best);
				if ((best = av_frame_clone(f)) == NULL)
					goto out;
				best_score = s;
			}
			/* Detail, and out of the dark (a fade-in's early frames). */
			if ((s >= 12 && mean >= 40) ||
			    (f->pts != AV_NOPTS_VALUE && f->pts > limit_ts))
				done = 1;
			av_frame_unref(f);
			if (done)
				break;
		}
		if (r == AVERROR_EOF || (r < 0 && fc->pb != NULL && avio_feof(fc->pb)))
			break;
	}
	if (best == NULL || best->width <= 0 || best->height <= 0)
		goto out;
	/* Display size at most max_side on the longer side (pixels square). */
	*w = best->width;
	*h = best->height;
	if (best->sample_aspect_ratio.num > 0 && best->sample_aspect_ratio.den > 0)
		*w = (int)lround(*w * av_q2d(best->sample_aspect_ratio));
	if (*w > max_side || *h > max_side) {
		double k = (double)max_side / (*w > *h ? *w : *h);

		*w = (int)lround(*w * k);
		*h = (int)lround(*h * k);
	}
	if (*w < 1 || *h < 1 || (*rgb = malloc((size_t)*w * *h * 3)) == NULL)
		goto out;
	{
		uint8_t	*dst[4] = { *rgb, NULL, NULL, NULL };
		int	 stride[4] = { *w * 3, 0, 0, 0 };

		sc = sws_getContext(best->width, best->height, best->format, *w, *h,
		    AV_PIX_FMT_RGB24, SWS_BICUBIC, NULL, NULL, NULL);
		if (sc == NULL || sws_scale(sc, (const uint8_t *const *)best->data,
		    best->linesize, 0, best->height, dst, stride) != *h)
			goto out;
	}
	rc = 0;
out:
	if (rc != 0) {
		free(*rgb);
		*rgb = NULL;
	}
	sws_freeContext(sc);
	sws_freeContext(score_sc);
	av_frame_free(&best);
	av_frame_free(&f);
	av_packet_free(&pkt);
	avcodec_free_context(&cc);
	avformat_close_input(&fc);
	return rc;
}

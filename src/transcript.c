/*
 * transcript.c: writes session records. Every event is one JSON line
 * written with a single write(2) on an O_APPEND descriptor, so a record is
 * never left with half an event by a crash between events. The file is
 * opened before the session drops privileges; writing needs no access to
 * the state directory afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "transcript.h"

struct transcript {
	int		 fd;
	unsigned long	 seq;
	char		*path;
	struct buf	 line;
	int		 broken;	/* a write failed: refuse everything */
};

/* Make dir (and parents below base) with mode 0700 if missing. */
static int
transcript_mkdirs(const char *path, char **err)
{
	char	*p, *s;

	p = xstrdup(path);
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			xasprintf(err, "cannot create %s: %s", p,
			    strerror(errno));
			free(p);
			return (-1);
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return (0);
}

/* Create a session's record file. */
struct transcript *
transcript_open(const char *state_dir, const char *id, time_t when,
    char **err)
{
	struct transcript	*t;
	struct tm		 tm;
	char			*dir, *path;
	int			 fd;

	gmtime_r(&when, &tm);
	xasprintf(&dir, "%s/sessions/%04d/%02d/%02d", state_dir,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	if (transcript_mkdirs(dir, err) != 0) {
		free(dir);
		return (NULL);
	}
	xasprintf(&path, "%s/%s.dgr", dir, id);
	free(dir);
	fd = open(path, O_WRONLY|O_CREAT|O_EXCL|O_APPEND|O_NOFOLLOW|O_CLOEXEC,
	    0600);
	if (fd < 0) {
		xasprintf(err, "cannot create session record %s: %s", path,
		    strerror(errno));
		free(path);
		return (NULL);
	}
	t = xcalloc(1, sizeof *t);
	t->fd = fd;
	t->path = path;
	buf_init(&t->line);
	return (t);
}

/* The record's file name. */
const char *
transcript_path(const struct transcript *t)
{
	return (t->path);
}

/* Write the line in t->line with one write(2). */
static int
transcript_write_line(struct transcript *t, char **err)
{
	size_t	 off;
	ssize_t	 w;

	for (off = 0; off < t->line.len; off += (size_t)w) {
		w = write(t->fd, t->line.data + off, t->line.len - off);
		if (w < 0 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0) {
			t->broken = 1;
			xasprintf(err, "cannot write session record %s: %s",
			    t->path, w < 0 ? strerror(errno) : "short write");
			return (-1);
		}
	}
	return (0);
}

/*
 * Encode ev with its seq, time and type into t->line, without the closing
 * brace when open is set (the caller appends more members).
 */
static int
transcript_encode(struct transcript *t, const char *type, json_t *ev,
    int open, char **err)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 when[64];
	size_t		 need;

	if (t->broken) {
		json_decref(ev);
		xasprintf(err, "session record %s is not writable", t->path);
		return (-1);
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000);
	json_object_set_new(ev, "seq", json_integer((json_int_t)++t->seq));
	json_object_set_new(ev, "time", json_string(when));
	json_object_set_new(ev, "type", json_string(type));

	need = json_dumpb(ev, NULL, 0, JSON_COMPACT|JSON_PRESERVE_ORDER);
	if (need == 0) {
		json_decref(ev);
		xasprintf(err, "cannot encode a %s event for the session "
		    "record", type);
		return (-1);
	}
	buf_reset(&t->line);
	buf_reserve(&t->line, need + 1);
	json_dumpb(ev, t->line.data, need, JSON_COMPACT|JSON_PRESERVE_ORDER);
	json_decref(ev);
	t->line.len = open ? need - 1 : need;	/* drop the final '}' */
	return (0);
}

/* Append one event line. */
int
transcript_event(struct transcript *t, const char *type, json_t *ev,
    char **err)
{
	if (transcript_encode(t, type, ev, 0, err) != 0)
		return (-1);
	buf_addc(&t->line, '\n');
	return (transcript_write_line(t, err));
}

/*
 * Standard base64 (RFC 4648) of len bytes into dst, which has room for
 * 4 * ((len + 2) / 3) characters. libsodium's encoder is constant-time,
 * which secrets need and result data does not, and at a few hundred MB/s
 * it cost more than the rest of a session's streaming path together.
 */
static void
transcript_base64(char *dst, const unsigned char *src, size_t len)
{
	static const char	 tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 i;
	unsigned int		 v;

	for (i = 0; i + 3 <= len; i += 3) {
		v = (unsigned int)src[i] << 16 | (unsigned int)src[i + 1] << 8 |
		    src[i + 2];
		*dst++ = tab[v >> 18];
		*dst++ = tab[(v >> 12) & 63];
		*dst++ = tab[(v >> 6) & 63];
		*dst++ = tab[v & 63];
	}
	if (len - i == 1) {
		v = (unsigned int)src[i] << 16;
		*dst++ = tab[v >> 18];
		*dst++ = tab[(v >> 12) & 63];
		*dst++ = '=';
		*dst++ = '=';
	} else if (len - i == 2) {
		v = (unsigned int)src[i] << 16 | (unsigned int)src[i + 1] << 8;
		*dst++ = tab[v >> 18];
		*dst++ = tab[(v >> 12) & 63];
		*dst++ = tab[(v >> 6) & 63];
		*dst++ = '=';
	}
}

/*
 * Record output sent to the client. The bytes go in base64 (exactly what
 * was sent, whatever it holds), appended after the event's other members:
 * base64's alphabet needs no JSON escaping, and this path carries every
 * byte of every result, where a general JSON string encoder would cost
 * more than the database.
 */
int
transcript_output(struct transcript *t, int stream, const char *data,
    size_t len, char **err)
{
	json_t	*ev;
	size_t	 b64 = 4 * ((len + 2) / 3);

	ev = json_object();
	json_object_set_new(ev, "stream", json_string(stream == 2 ?
	    "stderr" : "stdout"));
	json_object_set_new(ev, "len", json_integer((json_int_t)len));
	if (transcript_encode(t, "output", ev, 1, err) != 0)
		return (-1);
	buf_adds(&t->line, ",\"data_b64\":\"");
	buf_reserve(&t->line, b64 + 3);
	transcript_base64(t->line.data + t->line.len,
	    (const unsigned char *)data, len);
	t->line.len += b64;
	buf_add(&t->line, "\"}\n", 3);
	return (transcript_write_line(t, err));
}

/* Sync and close. */
void
transcript_close(struct transcript *t)
{
	if (t == NULL)
		return;
	(void)fsync(t->fd);
	close(t->fd);
	buf_free(&t->line);
	free(t->path);
	free(t);
}

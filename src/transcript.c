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

/* Append one event line. */
int
transcript_event(struct transcript *t, const char *type, json_t *ev,
    char **err)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 when[64];
	size_t		 need, off;
	ssize_t		 w;

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
	t->line.len = need;
	buf_addc(&t->line, '\n');

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

/* Record output sent to the client. */
int
transcript_output(struct transcript *t, int stream, const char *data,
    size_t len, char **err)
{
	json_t	*ev, *s;

	if ((s = json_stringn(data, len)) == NULL) {
		xasprintf(err, "output is not valid UTF-8 and cannot be "
		    "recorded");
		return (-1);
	}
	ev = json_object();
	json_object_set_new(ev, "stream", json_string(stream == 2 ?
	    "stderr" : "stdout"));
	json_object_set_new(ev, "data", s);
	return (transcript_event(t, "output", ev, err));
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

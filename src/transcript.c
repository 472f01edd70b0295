/*
 * transcript.c: writes session records. Every event is one JSON line
 * written with a single write(2) on an O_APPEND descriptor, so a record is
 * never left with half an event by a crash between events. The file is
 * opened before the session drops privileges; writing needs no access to
 * the state directory afterwards.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "transcript.h"

/*
 * Output is recorded by a writer thread so that copying it into the page
 * cache overlaps with producing the next chunk: the session hands over a
 * chunk (transcript_output_start), goes on rendering, and sends the chunk
 * to its client only once transcript_output_finish says it is written.
 * At most one chunk is in flight; every other event is written by the
 * session's own thread while no chunk is.
 */
struct transcript_job {
	struct buf	 data;		/* the bytes, kept for sending */
	struct buf	 line;		/* the encoded event */
	int		 stream;
	int		 busy;		/* handed to the writer, not done */
	char		*err;		/* the writer's failure */
};

struct transcript {
	int			 fd;
	unsigned long		 seq;
	char			*path;
	struct buf		 line;
	int			 broken;	/* a write failed */
	struct transcript_job	 job;
	int			 started;	/* the writer thread runs */
	int			 stop;
	int			 in_flight;	/* a job was started */
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
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
	buf_init(&t->job.data);
	buf_init(&t->job.line);
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	return (t);
}

/* The record's file name. */
const char *
transcript_path(const struct transcript *t)
{
	return (t->path);
}

/* Write a whole line with one write(2) (more only if it is short). */
static int
transcript_write_line(struct transcript *t, struct buf *line, char **err)
{
	size_t	 off;
	ssize_t	 w;

	for (off = 0; off < line->len; off += (size_t)w) {
		w = write(t->fd, line->data + off, line->len - off);
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
transcript_encode(struct transcript *t, struct buf *line, const char *type,
    json_t *ev, int open, char **err)
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
	buf_reset(line);
	buf_reserve(line, need + 1);
	json_dumpb(ev, line->data, need, JSON_COMPACT|JSON_PRESERVE_ORDER);
	json_decref(ev);
	line->len = open ? need - 1 : need;	/* drop the final '}' */
	return (0);
}

/* Append one event line. */
int
transcript_event(struct transcript *t, const char *type, json_t *ev,
    char **err)
{
	if (t->in_flight) {
		/* The caller must finish output first; never interleave. */
		json_decref(ev);
		*err = xstrdup("internal error: event during output");
		return (-1);
	}
	if (transcript_encode(t, &t->line, type, ev, 0, err) != 0)
		return (-1);
	buf_addc(&t->line, '\n');
	return (transcript_write_line(t, &t->line, err));
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

/* Encode and write one output job (in the writer thread). */
static void
transcript_job_write(struct transcript *t, struct transcript_job *j)
{
	json_t	*ev;
	size_t	 len = j->data.len, b64 = 4 * ((len + 2) / 3);

	ev = json_object();
	json_object_set_new(ev, "stream", json_string(j->stream == 2 ?
	    "stderr" : "stdout"));
	json_object_set_new(ev, "len", json_integer((json_int_t)len));
	if (transcript_encode(t, &j->line, "output", ev, 1, &j->err) != 0)
		return;
	/*
	 * The bytes go in base64 (exactly what was sent, whatever it
	 * holds), appended after the event's other members: base64's
	 * alphabet needs no JSON escaping, and this path carries every byte
	 * of every result, where a general JSON string encoder would cost
	 * more than the database.
	 */
	buf_adds(&j->line, ",\"data_b64\":\"");
	buf_reserve(&j->line, b64 + 3);
	transcript_base64(j->line.data + j->line.len,
	    (const unsigned char *)j->data.data, len);
	j->line.len += b64;
	buf_add(&j->line, "\"}\n", 3);
	(void)transcript_write_line(t, &j->line, &j->err);
}

/* The writer thread: write each job handed over, until told to stop. */
static void *
transcript_writer(void *arg)
{
	struct transcript	*t = arg;

	pthread_mutex_lock(&t->lock);
	for (;;) {
		while (!t->job.busy && !t->stop)
			pthread_cond_wait(&t->cond, &t->lock);
		if (!t->job.busy)
			break;
		pthread_mutex_unlock(&t->lock);
		transcript_job_write(t, &t->job);
		pthread_mutex_lock(&t->lock);
		t->job.busy = 0;
		pthread_cond_broadcast(&t->cond);
	}
	pthread_mutex_unlock(&t->lock);
	return (NULL);
}

/* Hand a chunk of output to the writer thread. */
int
transcript_output_start(struct transcript *t, int stream, const char *data,
    size_t len, char **err)
{
	sigset_t	 all, old;
	int		 rc;

	if (t->broken || t->in_flight) {
		xasprintf(err, "session record %s is not writable", t->path);
		return (-1);
	}
	if (!t->started) {
		/* Signals stay with the session's own thread. */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = pthread_create(&t->thread, NULL, transcript_writer, t);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (rc != 0) {
			xasprintf(err, "cannot start the record writer: %s",
			    strerror(rc));
			return (-1);
		}
		t->started = 1;
	}
	buf_reset(&t->job.data);
	buf_add(&t->job.data, data, len);
	t->job.stream = stream;
	free(t->job.err);
	t->job.err = NULL;
	pthread_mutex_lock(&t->lock);
	t->job.busy = 1;
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
	t->in_flight = 1;
	return (0);
}

/* Wait for the chunk in flight to be written; its bytes stay readable. */
int
transcript_output_finish(struct transcript *t, const char **data,
    size_t *len, char **err)
{
	if (!t->in_flight) {
		*err = xstrdup("internal error: no output in flight");
		return (-1);
	}
	pthread_mutex_lock(&t->lock);
	while (t->job.busy)
		pthread_cond_wait(&t->cond, &t->lock);
	pthread_mutex_unlock(&t->lock);
	t->in_flight = 0;
	if (t->job.err != NULL) {
		*err = t->job.err;
		t->job.err = NULL;
		return (-1);
	}
	*data = t->job.data.data;
	*len = t->job.data.len;
	return (0);
}

/* Record output sent to the client, in this thread. */
int
transcript_output(struct transcript *t, int stream, const char *data,
    size_t len, char **err)
{
	const char	*p;
	size_t		 n;

	if (t->in_flight) {
		*err = xstrdup("internal error: output during output");
		return (-1);
	}
	buf_reset(&t->job.data);
	buf_add(&t->job.data, data, len);
	t->job.stream = stream;
	t->in_flight = 1;
	transcript_job_write(t, &t->job);
	return (transcript_output_finish(t, &p, &n, err));
}

/* Sync and close. */
void
transcript_close(struct transcript *t)
{
	if (t == NULL)
		return;
	if (t->started) {
		pthread_mutex_lock(&t->lock);
		t->stop = 1;
		pthread_cond_broadcast(&t->cond);
		pthread_mutex_unlock(&t->lock);
		pthread_join(t->thread, NULL);
	}
	(void)fsync(t->fd);
	close(t->fd);
	buf_free(&t->line);
	buf_free(&t->job.data);
	buf_free(&t->job.line);
	free(t->job.err);
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->cond);
	free(t->path);
	free(t);
}

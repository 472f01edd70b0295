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
 * Output goes through a writer thread: the session queues each chunk and
 * goes on producing the next, while the writer records the chunk and only
 * then delivers it to the client, in order. Copying into the page cache
 * and sending thus overlap with rendering. Every other event is written by
 * the session's own thread while the queue is empty.
 */
#define TRANSCRIPT_JOBS	3

struct transcript_job {
	struct buf	 data;		/* the bytes */
	struct buf	 line;		/* the encoded event */
	int		 stream;
};

struct transcript {
	int			 fd;
	int			 out_fd;	/* ID.out: output bytes */
	unsigned long long	 out_off;	/* bytes in it so far */
	unsigned long		 seq;
	char			*path;
	char			*out_path;
	struct buf		 line;
	int			 broken;	/* a write failed */

	/* The output queue; all below under lock. */
	struct transcript_job	 jobs[TRANSCRIPT_JOBS];
	size_t			 head;		/* next slot to fill */
	size_t			 count;		/* queued or being written */
	int			 failed;	/* TRANSCRIPT_F_* */
	char			*err;		/* the first failure */
	transcript_deliver_fn	 deliver;
	void			*arg;
	int			 started;	/* the writer thread runs */
	int			 stop;
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
	char			*dir, *path, *out_path;
	size_t			 i;
	int			 fd, out_fd = -1;

	gmtime_r(&when, &tm);
	xasprintf(&dir, "%s/sessions/%04d/%02d/%02d", state_dir,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	if (transcript_mkdirs(dir, err) != 0) {
		free(dir);
		return (NULL);
	}
	xasprintf(&path, "%s/%s.dgr", dir, id);
	xasprintf(&out_path, "%s/%s.out", dir, id);
	free(dir);
	fd = open(path, O_WRONLY|O_CREAT|O_EXCL|O_APPEND|O_NOFOLLOW|O_CLOEXEC,
	    0600);
	if (fd >= 0 && (out_fd = open(out_path, O_WRONLY|O_CREAT|O_EXCL|
	    O_APPEND|O_NOFOLLOW|O_CLOEXEC, 0600)) < 0) {
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		xasprintf(err, "cannot create session record %s: %s", path,
		    strerror(errno));
		free(path);
		free(out_path);
		return (NULL);
	}
	t = xcalloc(1, sizeof *t);
	t->fd = fd;
	t->out_fd = out_fd;
	t->path = path;
	t->out_path = out_path;
	buf_init(&t->line);
	for (i = 0; i < TRANSCRIPT_JOBS; i++) {
		buf_init(&t->jobs[i].data);
		buf_init(&t->jobs[i].line);
	}
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	return (t);
}

/* Write all of p to fd, normally with one write(2). */
static int
transcript_write_all(struct transcript *t, int fd, const char *p,
    size_t len, char **err)
{
	size_t	 off;
	ssize_t	 w;

	for (off = 0; off < len; off += (size_t)w) {
		w = write(fd, p + off, len - off);
		if (w < 0 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0) {
			t->broken = 1;
			xasprintf(err, "cannot write session record %s: %s",
			    fd == t->fd ? t->path : t->out_path,
			    w < 0 ? strerror(errno) : "short write");
			return (-1);
		}
	}
	return (0);
}

/* Write a whole event line. */
static int
transcript_write_line(struct transcript *t, struct buf *line, char **err)
{
	return (transcript_write_all(t, t->fd, line->data, line->len, err));
}

/* Encode ev, with its seq, time and type, into line (one JSON object). */
static int
transcript_encode(struct transcript *t, struct buf *line, const char *type,
    json_t *ev, char **err)
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
	line->len = need;
	return (0);
}

/* Append one event line. */
int
transcript_event(struct transcript *t, const char *type, json_t *ev,
    char **err)
{
	if (t->count != 0) {
		/* The caller must wait for output first; never interleave. */
		json_decref(ev);
		*err = xstrdup("internal error: event during output");
		return (-1);
	}
	if (transcript_encode(t, &t->line, type, ev, err) != 0)
		return (-1);
	buf_addc(&t->line, '\n');
	return (transcript_write_line(t, &t->line, err));
}

/*
 * Write one output chunk: its bytes go, exactly as sent, to ID.out, and
 * an event in the record says where (offset, len). Keeping the bytes out
 * of the JSON lines spares every byte of every result an encoding pass,
 * and keeps the output greppable as it was shown. 0, or -1 and *err.
 */
static int
transcript_job_write(struct transcript *t, struct transcript_job *j,
    char **err)
{
	json_t	*ev;

	if (t->broken) {
		xasprintf(err, "session record %s is not writable", t->path);
		return (-1);
	}
	ev = json_object();
	json_object_set_new(ev, "stream", json_string(j->stream == 2 ?
	    "stderr" : "stdout"));
	json_object_set_new(ev, "offset", json_integer((json_int_t)t->out_off));
	json_object_set_new(ev, "len", json_integer((json_int_t)j->data.len));
	if (transcript_encode(t, &j->line, "output", ev, err) != 0)
		return (-1);
	buf_addc(&j->line, '\n');
	if (transcript_write_all(t, t->out_fd, j->data.data, j->data.len,
	    err) != 0)
		return (-1);
	t->out_off += j->data.len;
	return (transcript_write_line(t, &j->line, err));
}

/*
 * The writer thread: record each queued chunk, then deliver it; after a
 * failure, drop the rest (nothing unrecorded is ever delivered).
 */
static void *
transcript_writer(void *arg)
{
	struct transcript	*t = arg;
	struct transcript_job	*j;
	char			*err = NULL;
	int			 failed;

	pthread_mutex_lock(&t->lock);
	for (;;) {
		while (t->count == 0 && !t->stop)
			pthread_cond_wait(&t->cond, &t->lock);
		if (t->count == 0)
			break;
		j = &t->jobs[(t->head + TRANSCRIPT_JOBS - t->count) %
		    TRANSCRIPT_JOBS];
		failed = t->failed;
		pthread_mutex_unlock(&t->lock);
		if (!failed) {
			if (transcript_job_write(t, j, &err) != 0)
				failed = TRANSCRIPT_F_RECORD;
			else if (t->deliver(t->arg, j->data.data,
			    j->data.len) != 0) {
				failed = TRANSCRIPT_F_DELIVER;
				err = xstrdup("the client went away");
			}
		}
		pthread_mutex_lock(&t->lock);
		if (failed && !t->failed) {
			t->failed = failed;
			t->err = err;
			err = NULL;
		}
		free(err);
		err = NULL;
		t->count--;
		pthread_cond_broadcast(&t->cond);
	}
	pthread_mutex_unlock(&t->lock);
	return (NULL);
}

/* Queue a chunk of output: recorded, then delivered, by the writer. */
int
transcript_output_queue(struct transcript *t, int stream, const char *data,
    size_t len, transcript_deliver_fn deliver, void *arg, char **err)
{
	struct transcript_job	*j;
	sigset_t		 all, old;
	int			 rc;

	if (!t->started) {
		/* Set once, before the writer reads them. */
		t->deliver = deliver;
		t->arg = arg;
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
	pthread_mutex_lock(&t->lock);
	while (t->count == TRANSCRIPT_JOBS && !t->failed)
		pthread_cond_wait(&t->cond, &t->lock);
	if (t->failed) {
		pthread_mutex_unlock(&t->lock);
		return (transcript_output_wait(t, NULL, err));
	}
	j = &t->jobs[t->head];
	pthread_mutex_unlock(&t->lock);
	/* This slot is not the writer's until count says so. */
	buf_reset(&j->data);
	buf_add(&j->data, data, len);
	j->stream = stream;
	pthread_mutex_lock(&t->lock);
	t->head = (t->head + 1) % TRANSCRIPT_JOBS;
	t->count++;
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
	return (0);
}

/* Wait until the queue is empty; report the first failure. */
int
transcript_output_wait(struct transcript *t, int *kind, char **err)
{
	int	 failed;

	pthread_mutex_lock(&t->lock);
	while (t->count != 0)
		pthread_cond_wait(&t->cond, &t->lock);
	failed = t->failed;
	pthread_mutex_unlock(&t->lock);
	if (kind != NULL)
		*kind = failed;
	if (failed) {
		*err = xstrdup(t->err != NULL ? t->err : "output failed");
		return (-1);
	}
	return (0);
}

/* Record output sent to the client, in this thread. */
int
transcript_output(struct transcript *t, int stream, const char *data,
    size_t len, char **err)
{
	struct transcript_job	*j = &t->jobs[t->head];

	if (t->count != 0 || t->failed) {
		*err = xstrdup(t->err != NULL ? t->err :
		    "internal error: output during output");
		return (-1);
	}
	buf_reset(&j->data);
	buf_add(&j->data, data, len);
	j->stream = stream;
	return (transcript_job_write(t, j, err));
}

/* Sync and close. */
void
transcript_close(struct transcript *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	if (t->started) {
		pthread_mutex_lock(&t->lock);
		t->stop = 1;
		pthread_cond_broadcast(&t->cond);
		pthread_mutex_unlock(&t->lock);
		pthread_join(t->thread, NULL);
	}
	(void)fsync(t->out_fd);
	(void)fsync(t->fd);
	close(t->out_fd);
	close(t->fd);
	free(t->out_path);
	buf_free(&t->line);
	for (i = 0; i < TRANSCRIPT_JOBS; i++) {
		buf_free(&t->jobs[i].data);
		buf_free(&t->jobs[i].line);
	}
	free(t->err);
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->cond);
	free(t->path);
	free(t);
}

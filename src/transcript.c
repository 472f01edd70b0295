/*
 * transcript.c: writes session records. Events are whole JSON lines
 * appended with write(2) on an O_APPEND descriptor, never split across
 * two writes, so a record is never left with half an event by a crash
 * between writes. The file is opened before the session drops privileges;
 * writing needs no access to the state directory afterwards.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonout.h"
#include "transcript.h"

/*
 * Queued events and output go through a writer thread, started by the
 * first of them. The session thread appends them to the pending batch and
 * goes on; the writer takes the whole batch, numbers its events in order
 * (it alone numbers them while it runs), writes the batch's output bytes
 * to ID.out and its lines to the record with one write(2) each, and only
 * then delivers the output to the client. The writer is woken when it
 * sleeps with nothing pending, when someone waits for it, or when the
 * batch grows large; otherwise it collects for at most
 * TRANSCRIPT_LINGER_MS after its last write, so a burst of small
 * statements costs a few writes and wake-ups, not several per statement.
 * Synchronous events and messages are written by the session's own
 * thread once the queue is empty.
 */
#define TRANSCRIPT_LINGER_MS	20
#define TRANSCRIPT_WAKE_BYTES	(64 * 1024)	/* pending: wake the writer */
#define TRANSCRIPT_WAKE_ITEMS	1024
#define TRANSCRIPT_MAX_BYTES	(1024 * 1024)	/* pending: the session waits */
#define TRANSCRIPT_MAX_ITEMS	8192
#define TRANSCRIPT_KEEP_MAX	(4 * 1024 * 1024) /* larger buffers freed */
#define TRANSCRIPT_DELIVER_MAX	TRANSCRIPT_MAX_BYTES /* most sent at once */

enum transcript_item_kind {
	TRANSCRIPT_I_EVENT,
	TRANSCRIPT_I_OUTPUT
};

/* One event or one run of output bytes, in the order queued. */
struct transcript_item {
	enum transcript_item_kind kind;
	const char		*type;		/* event: a string constant */
	struct timespec		 when;		/* event: queued at */
	int			 stream;	/* output: 1 or 2 */
	size_t			 off;		/* in the batch's data or text */
	size_t			 len;
};

/*
 * Events are encoded by the thread that queues them (their objects are
 * made and freed there: freeing another thread's allocations contends
 * for its malloc arena), up to their members: the writer adds "seq",
 * "time" and "type" and the closing brace.
 */
struct transcript_batch {
	struct transcript_item	*items;
	size_t			 n;
	size_t			 cap;
	struct buf		 data;		/* the output bytes */
	struct buf		 text;		/* the events, open objects */
};

struct transcript {
	int			 fd;
	int			 out_fd;	/* ID.out: output bytes */
	unsigned long long	 out_off;	/* bytes in it so far */
	unsigned long		 seq;
	char			*path;
	char			*out_path;
	struct buf		 line;		/* the session thread's */
	struct buf		 qline;		/* an event being queued */
	struct buf		 wlines;	/* the writer's */
	int			 broken;	/* a write failed */
	char			 stamp[64];	/* "time":"...SS. */
	time_t			 stamp_sec;	/* the second in stamp */

	/* The queue; all below under lock. */
	struct transcript_batch	 batch[2];
	struct transcript_batch	*pend;		/* being filled */
	int			 busy;		/* the writer has a batch */
	int			 sleeping;	/* 1 lingering, 2 idle */
	int			 waiters;	/* threads waiting on done */
	int			 failed;	/* TRANSCRIPT_F_* */
	char			*err;		/* the first failure */
	transcript_deliver_fn	 deliver;
	void			*arg;
	int			 started;	/* the writer thread runs */
	int			 stop;
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;		/* the writer waits here */
	pthread_cond_t		 done;		/* the session waits here */
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
	pthread_condattr_t	 ca;
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
	buf_init(&t->wlines);
	buf_init(&t->qline);
	for (i = 0; i < 2; i++) {
		buf_init(&t->batch[i].data);
		buf_init(&t->batch[i].text);
	}
	t->pend = &t->batch[0];
	pthread_mutex_init(&t->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&t->done, NULL);
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

/*
 * Append "time":"YYYY-MM-DDTHH:MM:SS.uuuuuuZ" (UTC); the part down to the
 * second is formatted once a second.
 */
static void
transcript_put_time(struct transcript *t, struct buf *line,
    const struct timespec *when)
{
	struct tm	 tm;
	char		 us[8];
	long		 u;
	int		 i;

	if (when->tv_sec != t->stamp_sec || t->stamp[0] == '\0') {
		gmtime_r(&when->tv_sec, &tm);
		snprintf(t->stamp, sizeof t->stamp,
		    "\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		t->stamp_sec = when->tv_sec;
	}
	buf_adds(line, t->stamp);
	u = when->tv_nsec / 1000;
	for (i = 5; i >= 0; i--) {
		us[i] = (char)('0' + u % 10);
		u /= 10;
	}
	us[6] = 'Z';
	us[7] = '"';
	buf_add(line, us, sizeof us);
}

/*
 * End the line started at at (an object's members so far, its closing
 * brace not yet written) with "seq", "time" (when) and "type".
 */
static void
transcript_encode_end(struct transcript *t, struct buf *line, size_t at,
    const char *type, const struct timespec *when)
{
	if (line->len > at + 1)
		buf_addc(line, ',');
	buf_adds(line, "\"seq\":");
	jsonout_integer(line, (long long)++t->seq);
	buf_addc(line, ',');
	transcript_put_time(t, line, when);
	buf_adds(line, ",\"type\":");
	jsonout_string(line, type, strlen(type));
	buf_add(line, "}\n", 2);
}

/*
 * Append ev, an object, without its closing brace (the record's members
 * follow). Releases ev.
 */
static int
transcript_encode_open(struct buf *line, const char *type, json_t *ev,
    char **err)
{
	size_t	 at = line->len;

	if (!json_is_object(ev) || json_object_get(ev, "seq") != NULL ||
	    json_object_get(ev, "time") != NULL ||
	    json_object_get(ev, "type") != NULL ||
	    jsonout_value(line, ev, 0) != 0) {
		/* Never made so; the three members are the record's. */
		json_decref(ev);
		line->len = at;
		xasprintf(err, "cannot encode a %s event for the session "
		    "record", type);
		return (-1);
	}
	json_decref(ev);
	line->len--;		/* the closing brace */
	return (0);
}

/*
 * Append ev, an object, with "seq", "time" (when) and "type" added at its
 * end, as one JSON line. Releases ev.
 */
static int
transcript_encode(struct transcript *t, struct buf *line, const char *type,
    json_t *ev, const struct timespec *when, char **err)
{
	size_t	 at = line->len;

	if (t->broken) {
		json_decref(ev);
		xasprintf(err, "session record %s is not writable", t->path);
		return (-1);
	}
	if (transcript_encode_open(line, type, ev, err) != 0)
		return (-1);
	transcript_encode_end(t, line, at, type, when);
	return (0);
}

/* Append the event saying where a run of output went in ID.out. */
static void
transcript_encode_output(struct transcript *t, struct buf *line, int stream,
    unsigned long long off, size_t len, const struct timespec *when)
{
	size_t	 at = line->len;

	buf_adds(line, stream == 2 ? "{\"stream\":\"stderr\",\"offset\":" :
	    "{\"stream\":\"stdout\",\"offset\":");
	jsonout_integer(line, (long long)off);
	buf_adds(line, ",\"len\":");
	jsonout_integer(line, (long long)len);
	transcript_encode_end(t, line, at, "output", when);
}

/*
 * Wait, under lock, until the writer has nothing left: nothing pending,
 * no batch in hand.
 */
static void
transcript_wait_empty(struct transcript *t)
{
	t->waiters++;
	while (t->pend->n != 0 || t->busy) {
		if (t->sleeping)
			pthread_cond_signal(&t->wake);
		pthread_cond_wait(&t->done, &t->lock);
	}
	t->waiters--;
}

/* Append one event line, in this thread. */
int
transcript_event(struct transcript *t, const char *type, json_t *ev,
    char **err)
{
	struct timespec	 now;

	if (t->started) {
		pthread_mutex_lock(&t->lock);
		transcript_wait_empty(t);
		pthread_mutex_unlock(&t->lock);
	}
	clock_gettime(CLOCK_REALTIME, &now);
	buf_reset(&t->line);
	if (transcript_encode(t, &t->line, type, ev, &now, err) != 0)
		return (-1);
	return (transcript_write_all(t, t->fd, t->line.data, t->line.len,
	    err));
}

/*
 * Write one batch: its events and output events, numbered in order, to
 * the record, its output bytes to ID.out. 0, or -1 and *err.
 */
static int
transcript_batch_write(struct transcript *t, struct transcript_batch *b,
    char **err)
{
	struct transcript_item	*it;
	struct timespec		 now;
	unsigned long long	 off = t->out_off;
	size_t			 i, at;

	if (t->broken) {
		xasprintf(err, "session record %s is not writable", t->path);
		return (-1);
	}
	clock_gettime(CLOCK_REALTIME, &now);
	buf_reset(&t->wlines);
	for (i = 0; i < b->n; i++) {
		it = &b->items[i];
		if (it->kind == TRANSCRIPT_I_EVENT) {
			at = t->wlines.len;
			buf_add(&t->wlines, b->text.data + it->off, it->len);
			transcript_encode_end(t, &t->wlines, at, it->type,
			    &it->when);
			continue;
		}
		transcript_encode_output(t, &t->wlines, it->stream, off,
		    it->len, &now);
		off += it->len;
	}
	/* The bytes first: an output event never points past ID.out. */
	if (b->data.len > 0 && transcript_write_all(t, t->out_fd,
	    b->data.data, b->data.len, err) != 0)
		return (-1);
	t->out_off = off;
	if (t->wlines.len > TRANSCRIPT_KEEP_MAX) {
		if (transcript_write_all(t, t->fd, t->wlines.data,
		    t->wlines.len, err) != 0)
			return (-1);
		buf_free(&t->wlines);
		return (0);
	}
	return (transcript_write_all(t, t->fd, t->wlines.data, t->wlines.len,
	    err));
}

/* Empty a batch the writer is done with. */
static void
transcript_batch_clear(struct transcript_batch *b)
{
	b->n = 0;
	if (b->data.cap > TRANSCRIPT_KEEP_MAX)
		buf_free(&b->data);
	else
		buf_reset(&b->data);
	if (b->text.cap > TRANSCRIPT_KEEP_MAX)
		buf_free(&b->text);
	else
		buf_reset(&b->text);
}

/* Whether the pending batch is large enough to write now. */
static int
transcript_pend_large(const struct transcript *t)
{
	return (t->pend->data.len + t->pend->text.len >=
	    TRANSCRIPT_WAKE_BYTES || t->pend->n >= TRANSCRIPT_WAKE_ITEMS);
}

/* Whether the monotonic time now is at or past when. */
static int
transcript_passed(const struct timespec *when)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec > when->tv_sec || (now.tv_sec == when->tv_sec &&
	    now.tv_nsec >= when->tv_nsec));
}

/*
 * The writer thread: take the pending batch, record it, then deliver its
 * output; after a failure, drop the rest (nothing unrecorded is ever
 * delivered).
 */
static void *
transcript_writer(void *arg)
{
	struct transcript	*t = arg;
	struct transcript_batch	*b;
	struct transcript_item	*it;
	struct timespec		 linger = { 0, 0 };
	transcript_deliver_fn	 deliver;
	void			*darg;
	char			*err = NULL;
	size_t			 i, off, len;
	int			 failed, stream = 0;

	pthread_mutex_lock(&t->lock);
	for (;;) {
		if (t->pend->n == 0) {
			if (t->stop)
				break;
			t->sleeping = 2;
			pthread_cond_wait(&t->wake, &t->lock);
			t->sleeping = 0;
			continue;
		}
		if (!t->stop && t->waiters == 0 && !transcript_pend_large(t) &&
		    !transcript_passed(&linger)) {
			t->sleeping = 1;
			pthread_cond_timedwait(&t->wake, &t->lock, &linger);
			t->sleeping = 0;
			continue;
		}
		b = t->pend;
		t->pend = b == &t->batch[0] ? &t->batch[1] : &t->batch[0];
		t->busy = 1;
		failed = t->failed;
		deliver = t->deliver;
		darg = t->arg;
		if (t->waiters)
			pthread_cond_broadcast(&t->done);
		pthread_mutex_unlock(&t->lock);

		if (!failed && transcript_batch_write(t, b, &err) != 0)
			failed = TRANSCRIPT_F_RECORD;
		/* All recorded: deliver runs of adjacent bytes at once. */
		off = len = 0;
		for (i = 0; !failed && i <= b->n; i++) {
			it = i < b->n ? &b->items[i] : NULL;
			if (it != NULL && it->kind != TRANSCRIPT_I_OUTPUT)
				continue;
			if (it != NULL && it->off == off + len &&
			    it->stream == stream &&
			    len + it->len <= TRANSCRIPT_DELIVER_MAX) {
				len += it->len;
				continue;
			}
			if (len > 0 && deliver(darg, b->data.data + off,
			    len) != 0) {
				failed = TRANSCRIPT_F_DELIVER;
				err = xstrdup("the client went away");
			}
			if (it != NULL) {
				off = it->off;
				len = it->len;
				stream = it->stream;
			}
		}
		transcript_batch_clear(b);
		clock_gettime(CLOCK_MONOTONIC, &linger);
		linger.tv_nsec += TRANSCRIPT_LINGER_MS * 1000000L;
		if (linger.tv_nsec >= 1000000000L) {
			linger.tv_sec++;
			linger.tv_nsec -= 1000000000L;
		}

		pthread_mutex_lock(&t->lock);
		if (failed && !t->failed) {
			t->failed = failed;
			t->err = err;
			err = NULL;
		}
		free(err);
		err = NULL;
		t->busy = 0;
		if (t->waiters)
			pthread_cond_broadcast(&t->done);
	}
	pthread_mutex_unlock(&t->lock);
	return (NULL);
}

/* Start the writer thread, once. */
static int
transcript_start(struct transcript *t, char **err)
{
	sigset_t	 all, old;
	int		 rc;

	if (t->started)
		return (0);
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
	return (0);
}

/*
 * Under lock: make room for an item of len bytes in the pending batch and
 * return it, or NULL if the queue has failed.
 */
static struct transcript_item *
transcript_item_new(struct transcript *t, size_t len)
{
	struct transcript_batch	*b;

	while (!t->failed && t->pend->n > 0 &&
	    (t->pend->data.len + t->pend->text.len + len >
	    TRANSCRIPT_MAX_BYTES || t->pend->n >= TRANSCRIPT_MAX_ITEMS)) {
		t->waiters++;
		if (t->sleeping)
			pthread_cond_signal(&t->wake);
		pthread_cond_wait(&t->done, &t->lock);
		t->waiters--;
	}
	if (t->failed)
		return (NULL);
	b = t->pend;
	if (b->n == b->cap) {
		b->cap = b->cap == 0 ? 64 : b->cap * 2;
		b->items = xreallocarray(b->items, b->cap, sizeof *b->items);
	}
	return (&b->items[b->n++]);
}

/* Under lock: wake the writer if it should see what was just queued. */
static void
transcript_nudge(struct transcript *t)
{
	if (t->sleeping == 2 || (t->sleeping == 1 && transcript_pend_large(t)))
		pthread_cond_signal(&t->wake);
}

/* Queue an event for the writer. */
int
transcript_event_queue(struct transcript *t, const char *type, json_t *ev,
    char **err)
{
	struct transcript_item	*it;
	struct timespec		 now;
	int			 gone;

	if (transcript_start(t, err) != 0) {
		json_decref(ev);
		return (-1);
	}
	/*
	 * The client went away: nothing is delivered any more, but what
	 * happened (the result of a committed write) is still recorded,
	 * here, once the writer is done.
	 */
	pthread_mutex_lock(&t->lock);
	gone = t->failed == TRANSCRIPT_F_DELIVER;
	pthread_mutex_unlock(&t->lock);
	if (gone)
		return (transcript_event(t, type, ev, err));
	clock_gettime(CLOCK_REALTIME, &now);
	buf_reset(&t->qline);
	if (transcript_encode_open(&t->qline, type, ev, err) != 0)
		return (-1);
	pthread_mutex_lock(&t->lock);
	if ((it = transcript_item_new(t, t->qline.len)) == NULL) {
		pthread_mutex_unlock(&t->lock);
		return (transcript_output_wait(t, NULL, err));
	}
	it->kind = TRANSCRIPT_I_EVENT;
	it->type = type;
	it->when = now;
	it->off = t->pend->text.len;
	it->len = t->qline.len;
	buf_add(&t->pend->text, t->qline.data, t->qline.len);
	transcript_nudge(t);
	pthread_mutex_unlock(&t->lock);
	if (t->qline.cap > TRANSCRIPT_KEEP_MAX)
		buf_free(&t->qline);
	return (0);
}

/* Queue a chunk of output: recorded, then delivered, by the writer. */
int
transcript_output_queue(struct transcript *t, int stream, const char *data,
    size_t len, transcript_deliver_fn deliver, void *arg, char **err)
{
	struct transcript_batch	*b;
	struct transcript_item	*it;

	if (transcript_start(t, err) != 0)
		return (-1);
	pthread_mutex_lock(&t->lock);
	/* The same every time; read by the writer under lock. */
	t->deliver = deliver;
	t->arg = arg;
	b = t->pend;
	if (!t->failed && b->n > 0 && b->items[b->n - 1].kind ==
	    TRANSCRIPT_I_OUTPUT && b->items[b->n - 1].stream == stream &&
	    b->data.len + len <= TRANSCRIPT_MAX_BYTES) {
		/* Runs on, one output event for both. */
		it = &b->items[b->n - 1];
		it->len += len;
	} else {
		if ((it = transcript_item_new(t, len)) == NULL) {
			pthread_mutex_unlock(&t->lock);
			return (transcript_output_wait(t, NULL, err));
		}
		b = t->pend;
		it->kind = TRANSCRIPT_I_OUTPUT;
		it->stream = stream;
		it->off = b->data.len;
		it->len = len;
	}
	buf_add(&b->data, data, len);
	transcript_nudge(t);
	pthread_mutex_unlock(&t->lock);
	return (0);
}

/* Wait until the queue is empty; report the first failure. */
int
transcript_output_wait(struct transcript *t, int *kind, char **err)
{
	int	 failed;

	pthread_mutex_lock(&t->lock);
	if (t->started)
		transcript_wait_empty(t);
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
	struct timespec	 now;

	if (transcript_output_wait(t, NULL, err) != 0)
		return (-1);
	if (t->broken) {
		xasprintf(err, "session record %s is not writable", t->path);
		return (-1);
	}
	clock_gettime(CLOCK_REALTIME, &now);
	buf_reset(&t->line);
	transcript_encode_output(t, &t->line, stream, t->out_off, len, &now);
	if (transcript_write_all(t, t->out_fd, data, len, err) != 0)
		return (-1);
	t->out_off += len;
	return (transcript_write_all(t, t->fd, t->line.data, t->line.len,
	    err));
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
		pthread_cond_signal(&t->wake);
		pthread_mutex_unlock(&t->lock);
		pthread_join(t->thread, NULL);
	}
	(void)fsync(t->out_fd);
	(void)fsync(t->fd);
	close(t->out_fd);
	close(t->fd);
	free(t->out_path);
	buf_free(&t->line);
	buf_free(&t->qline);
	buf_free(&t->wlines);
	for (i = 0; i < 2; i++) {
		free(t->batch[i].items);
		buf_free(&t->batch[i].data);
		buf_free(&t->batch[i].text);
	}
	free(t->err);
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->wake);
	pthread_cond_destroy(&t->done);
	free(t->path);
	free(t);
}

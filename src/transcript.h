/*
 * transcript.h: the session record under StateDir/sessions/YYYY/MM/DD/ID.dgr
 * (events) and ID.out (the output bytes the events point into).
 * Append-only, one JSON object per line, one line per event, numbered, so
 * that hash chaining and signing can be added without changing readers.
 */
#ifndef TRANSCRIPT_H
#define TRANSCRIPT_H

#include <jansson.h>
#include <time.h>

#include "dbgate.h"

#define TRANSCRIPT_FORMAT	"dbgate.transcript.v1"

struct transcript;

/*
 * Create the record for session id started at when (directories 0700,
 * file 0600, O_EXCL). Returns it, or NULL and *err (caller frees).
 */
struct transcript *transcript_open(const char *state_dir, const char *id,
	    time_t when, char **err);

/*
 * Append one event: the object gets "seq", "time" (ISO 8601, UTC, with
 * microseconds) and "type" members, is written as one line, and is
 * released (the call steals the reference). Waits until everything queued
 * before it is written, then writes it in the caller's thread. Returns 0,
 * or -1 and *err: the caller must then not show what the event described.
 */
int	 transcript_event(struct transcript *, const char *type, json_t *,
	    char **err);

/*
 * The same, queued: encoded now, numbered and written later by the
 * record's writer thread, in order with queued output. type must be a
 * string constant. Returns -1 and *err if the event cannot be encoded or
 * the queue has already failed (transcript_output_wait says why); a
 * failure to write this event is reported by a later call, at the latest
 * by transcript_output_wait.
 */
int	 transcript_event_queue(struct transcript *, const char *type,
	    json_t *, char **err);

/* Record bytes sent to the client on stream 1 (stdout) or 2 (stderr):
 * the bytes go to ID.out beside the record, and an "output" event says
 * where ("offset", "len"). In the caller's thread, once the queue is
 * empty. */
int	 transcript_output(struct transcript *, int stream, const char *,
	    size_t, char **err);

/*
 * The same, overlapped: queue the bytes (copied) for the record's writer
 * thread, which records them and only then hands them to deliver(arg,
 * data, len) (0 or -1; every call passes the same deliver and arg), in
 * order with queued events, while the caller goes on.
 * Output queued back to back may be recorded and delivered as one chunk;
 * the writer collects for up to a few tens of milliseconds before it
 * writes, unless it was idle. After a failure nothing more is recorded or
 * delivered, and queueing fails. transcript_output_wait waits until the
 * queue is empty (everything written and delivered); it returns 0, or -1
 * with *err and *kind set to TRANSCRIPT_F_RECORD or TRANSCRIPT_F_DELIVER.
 */
typedef int (*transcript_deliver_fn)(void *, const char *, size_t);
#define TRANSCRIPT_F_RECORD	1
#define TRANSCRIPT_F_DELIVER	2
int	 transcript_output_queue(struct transcript *, int stream,
	    const char *, size_t, transcript_deliver_fn, void *, char **err);
int	 transcript_output_wait(struct transcript *, int *kind, char **err);

/* Flush to disk (fsync) and close. NULL is a no-op. */
void	 transcript_close(struct transcript *);

#endif

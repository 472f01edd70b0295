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
 * microseconds) and "type" members, is written as one line with one
 * write(2), and is released (the call steals the reference). Returns 0, or
 * -1 and *err: the caller must then not show what the event described.
 */
int	 transcript_event(struct transcript *, const char *type, json_t *,
	    char **err);

/* Record bytes sent to the client on stream 1 (stdout) or 2 (stderr):
 * the bytes go to ID.out beside the record, and an "output" event says
 * where ("offset", "len"). */
int	 transcript_output(struct transcript *, int stream, const char *,
	    size_t, char **err);

/*
 * The same, overlapped: queue the bytes (copied) for the record's writer
 * thread, which records them and only then hands them to deliver(arg,
 * data, len) (0 or -1; the first call's deliver and arg serve for the
 * record's life), chunk after chunk in order, while the caller goes
 * on. After a failure nothing more is recorded or delivered, and queueing
 * fails. No other event may be written until transcript_output_wait has
 * emptied the queue; it returns 0, or -1 with *err and *kind set to
 * TRANSCRIPT_F_RECORD or TRANSCRIPT_F_DELIVER.
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

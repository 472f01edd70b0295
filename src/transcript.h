/*
 * transcript.h: the session record under StateDir/sessions/YYYY/MM/DD/ID.dgr.
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
const char	*transcript_path(const struct transcript *);

/*
 * Append one event: the object gets "seq", "time" (ISO 8601, UTC, with
 * microseconds) and "type" members, is written as one line with one
 * write(2), and is released (the call steals the reference). Returns 0, or
 * -1 and *err: the caller must then not show what the event described.
 */
int	 transcript_event(struct transcript *, const char *type, json_t *,
	    char **err);

/* Record bytes sent to the client on stream 1 (stdout) or 2 (stderr):
 * an "output" event whose data_b64 member holds them in base64. */
int	 transcript_output(struct transcript *, int stream, const char *,
	    size_t, char **err);

/*
 * The same, overlapped: hand the bytes (copied) to the record's writer
 * thread and return at once. Only one chunk may be in flight, and no other
 * event may be written until transcript_output_finish has said the chunk
 * is written and given back its bytes (valid until the next start), which
 * only then may be sent. 0, or -1 and *err.
 */
int	 transcript_output_start(struct transcript *, int stream,
	    const char *, size_t, char **err);
int	 transcript_output_finish(struct transcript *, const char **data,
	    size_t *len, char **err);

/* Flush to disk (fsync) and close. NULL is a no-op. */
void	 transcript_close(struct transcript *);

#endif

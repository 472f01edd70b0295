/*
 * bench/floor.c: the floor for bench/stream.  A minimal libpq client that
 * runs one query in single-row mode and writes the rows to stdout as CSV
 * (RFC 4180 quoting, NULL as an empty field, a header line) through one
 * large stdio buffer.  Nothing can stream a result to CSV much faster, so
 * the gateway's time is compared with this one.  Handles data from the
 * server it is pointed at; not part of dbgate.
 *
 * usage: floor CONNINFO QUERY
 * Built by bench/stream: cc -O2 floor.c $(pkg-config --cflags --libs libpq)
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define FLOOR_OUTBUF	(256 * 1024)

/* Write one CSV field, quoted only when it has to be. */
static void
floor_field(const char *v, size_t len, FILE *out)
{
	size_t	i, start;

	if (strcspn(v, ",\"\r\n") == len) {
		fwrite(v, 1, len, out);
		return;
	}
	putc_unlocked('"', out);
	start = 0;
	for (i = 0; i < len; i++) {
		if (v[i] == '"') {
			fwrite(v + start, 1, i + 1 - start, out);
			putc_unlocked('"', out);
			start = i + 1;
		}
	}
	fwrite(v + start, 1, len - start, out);
	putc_unlocked('"', out);
}

/* Write the column names of RES as the CSV header line. */
static void
floor_header(const PGresult *res, FILE *out)
{
	int		c, ncols;
	const char	*name;

	ncols = PQnfields(res);
	for (c = 0; c < ncols; c++) {
		if (c > 0)
			putc_unlocked(',', out);
		name = PQfname(res, c);
		floor_field(name, strlen(name), out);
	}
	putc_unlocked('\n', out);
}

/* Write the single row in RES as one CSV line. */
static void
floor_row(const PGresult *res, FILE *out)
{
	int	c, ncols;

	ncols = PQnfields(res);
	for (c = 0; c < ncols; c++) {
		if (c > 0)
			putc_unlocked(',', out);
		if (!PQgetisnull(res, 0, c))
			floor_field(PQgetvalue(res, 0, c),
			    (size_t)PQgetlength(res, 0, c), out);
	}
	putc_unlocked('\n', out);
}

int
main(int argc, char **argv)
{
	PGconn		*conn;
	PGresult	*res;
	static char	 outbuf[FLOOR_OUTBUF];
	int		 header = 0, rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: floor CONNINFO QUERY\n");
		return 2;
	}
	conn = PQconnectdb(argv[1]);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "floor: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return 1;
	}
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	if (!PQsendQuery(conn, argv[2]) || !PQsetSingleRowMode(conn)) {
		fprintf(stderr, "floor: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return 1;
	}
	while ((res = PQgetResult(conn)) != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_SINGLE_TUPLE:
			if (!header) {
				floor_header(res, stdout);
				header = 1;
			}
			floor_row(res, stdout);
			break;
		case PGRES_TUPLES_OK:
			if (!header) {
				floor_header(res, stdout);
				header = 1;
			}
			break;
		default:
			fprintf(stderr, "floor: %s", PQresultErrorMessage(res));
			rc = 1;
			break;
		}
		PQclear(res);
	}
	PQfinish(conn);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("floor: stdout");
		rc = 1;
	}
	return rc;
}

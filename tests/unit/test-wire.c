/*
 * test-wire.c: frames over a socketpair: round trips, limits, truncation,
 * and argv packing.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argsplit.h"
#include "tap.h"
#include "wire.h"

int
main(void)
{
	struct buf	 b, p;
	char		*argv_in[] = { "exec", "prod", "-c", "SELECT '$(id)'",
			    "", NULL };
	char		**argv, *err = NULL, big[70000];
	unsigned char	 hdr[5];
	int		 sp[2], type, argc, r;

	buf_init(&b);
	buf_init(&p);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) != 0)
		return (1);

	tap_ok(wire_write(sp[0], WIRE_STDOUT, "hello", 5) == 0, "write frame");
	r = wire_read(sp[1], &type, &p, 100);
	tap_ok(r == 1 && type == WIRE_STDOUT && p.len == 5 &&
	    memcmp(p.data, "hello", 5) == 0, "read it back whole");

	tap_ok(wire_write(sp[0], WIRE_STDIN_EOF, NULL, 0) == 0,
	    "empty frame");
	r = wire_read(sp[1], &type, &p, 100);
	tap_ok(r == 1 && type == WIRE_STDIN_EOF && p.len == 0,
	    "empty frame read");

	tap_ok(wire_write2(sp[0], WIRE_STDERR, "ab", 2, "cd", 2) == 0,
	    "two-part frame");
	r = wire_read(sp[1], &type, &p, 100);
	tap_ok(r == 1 && p.len == 4 && memcmp(p.data, "abcd", 4) == 0,
	    "two parts joined in order");

	memset(big, 'x', sizeof big);
	tap_ok(wire_write(sp[0], WIRE_STDIN, big, 200) == 0, "200-byte frame");
	errno = 0;
	r = wire_read(sp[1], &type, &p, 100);
	tap_ok(r == -1 && errno == EMSGSIZE, "frame over the caller's limit "
	    "refused before reading it");

	/* A header that promises more than arrives, then EOF. */
	close(sp[0]);
	close(sp[1]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	hdr[0] = WIRE_STDIN;
	hdr[1] = 0; hdr[2] = 0; hdr[3] = 0; hdr[4] = 10;
	(void)!write(sp[0], hdr, 5);
	(void)!write(sp[0], "abc", 3);
	close(sp[0]);
	r = wire_read(sp[1], &type, &p, 100);
	tap_ok(r == -1, "truncated frame is an error");
	close(sp[1]);

	/* A header cut short is an error; nothing at all is a clean EOF. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	(void)!write(sp[0], hdr, 3);
	close(sp[0]);
	tap_ok(wire_read(sp[1], &type, &p, 100) == -1, "short header refused");
	close(sp[1]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	close(sp[0]);
	tap_ok(wire_read(sp[1], &type, &p, 100) == 0, "clean end of file");
	close(sp[1]);

	/* Lengths over the protocol maximum are refused whatever max is. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	hdr[1] = 0x7f; hdr[2] = 0xff; hdr[3] = 0xff; hdr[4] = 0xff;
	(void)!write(sp[0], hdr, 5);
	errno = 0;
	tap_ok(wire_read(sp[1], &type, &p, (size_t)-1) == -1 &&
	    errno == EMSGSIZE, "2 GiB frame refused");
	close(sp[0]);
	close(sp[1]);

	wire_pack_argv(&b, 5, argv_in);
	tap_ok(wire_unpack_argv(b.data, b.len, &argv, &argc, &err) == 0 &&
	    argc == 5, "argv round trip count");
	tap_is(argv[3], "SELECT '$(id)'", "argument kept literally");
	tap_is(argv[4], "", "empty argument kept");
	tap_ok(argv[5] == NULL, "argv NULL-terminated");
	argsplit_free(argv);

	tap_ok(wire_unpack_argv("exec\0prod", 9, &argv, &argc, &err) == -1 &&
	    err != NULL, "argv without final NUL refused");
	free(err);
	err = NULL;
	tap_ok(wire_unpack_argv("", 0, &argv, &argc, &err) == -1,
	    "empty argv payload refused");
	free(err);

	buf_free(&b);
	buf_free(&p);
	return (tap_done());
}

/*
 * client-ssh.c: the client side of a remote gateway. With --gateway HOST,
 * DBGATE_GATEWAY or "Gateway HOST" in ~/.config/dbgate/config, a client
 * command runs through the user's own ssh (DBGATE_SSH overrides the
 * program and its options), so ~/.ssh/config, ProxyJump, certificates,
 * security keys and ControlMaster all keep working. The command line is
 * sent with each argument quoted for the gateway's no-expansion grammar
 * (argsplit.h); input goes on ssh's standard input.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "argsplit.h"
#include "cmd.h"
#include "dbgate.h"

/* The longest command line the gateway takes over SSH, with room. */
#define CLIENT_SSH_MAX_COMMAND	(120 * 1024)
#define CLIENT_CONFIG_MAX	(64 * 1024)

/* Append s quoted for the gateway: '...', with ' written as '\''. */
void
client_ssh_quote(struct buf *b, const char *s)
{
	buf_addc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addc(b, *s);
	}
	buf_addc(b, '\'');
}

/* The path of the user's client configuration (caller frees), or NULL. */
static char *
client_config_path(void)
{
	const char	*dir, *home;
	char		*path;

	if ((dir = getenv("XDG_CONFIG_HOME")) != NULL && *dir == '/')
		xasprintf(&path, "%s/dbgate/config", dir);
	else if ((home = getenv("HOME")) != NULL && *home == '/')
		xasprintf(&path, "%s/.config/dbgate/config", home);
	else
		return (NULL);
	return (path);
}

/*
 * Read "Gateway HOST" from the client configuration. 0 with *host (caller
 * frees; NULL when there is no file or no Gateway line), or -1 after a
 * message.
 */
static int
client_config_gateway(char **host)
{
	FILE	*f;
	char	*path, line[1024], *p, *kw, *val, *rest;
	size_t	 vlen;
	int	 n = 0, rc = 0;

	*host = NULL;
	if ((path = client_config_path()) == NULL)
		return (0);
	if ((f = fopen(path, "re")) == NULL) {
		if (errno != ENOENT) {
			fprintf(stderr, "dbgate: %s: %s\n", path,
			    strerror(errno));
			rc = -1;
		}
		free(path);
		return (rc);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		n++;
		line[strcspn(line, "\r\n")] = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		kw = p;
		p += strcspn(p, " \t");
		if (*p != '\0')
			*p++ = '\0';
		val = p + strspn(p, " \t");
		vlen = strcspn(val, " \t#");
		rest = val + vlen;
		rest += strspn(rest, " \t");
		if (strcasecmp(kw, "Gateway") != 0) {
			fprintf(stderr, "dbgate: %s:%d: unknown keyword "
			    "\"%s\" (this file takes Gateway HOST)\n", path, n,
			    kw);
			rc = -1;
			break;
		}
		if (vlen == 0 || (*rest != '\0' && *rest != '#')) {
			fprintf(stderr, "dbgate: %s:%d: Gateway takes one "
			    "host\n", path, n);
			rc = -1;
			break;
		}
		val[vlen] = '\0';
		free(*host);
		*host = xstrdup(val);
	}
	fclose(f);
	if (rc != 0) {
		free(*host);
		*host = NULL;
	}
	free(path);
	return (rc);
}

/* Where client commands go: the local socket (0) or a gateway (1). */
int
client_gateway(const struct cmd_ctx *ctx, char **host)
{
	*host = NULL;
	if (ctx->gateway != NULL) {
		/* Set but empty: the local socket, whatever the file says. */
		if (*ctx->gateway != '\0')
			*host = xstrdup(ctx->gateway);
	} else if (client_config_gateway(host) != 0)
		return (-1);
	if (*host == NULL)
		return (0);
	if (**host == '-') {
		fprintf(stderr, "dbgate: gateway \"%s\" must be a host, not an "
		    "option\n", *host);
		free(*host);
		*host = NULL;
		return (-1);
	}
	return (1);
}

/* Write all of p to fd; a reader that went away is not an error here. */
static void
client_ssh_feed(int fd, const char *p, size_t len)
{
	ssize_t	 w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		len -= (size_t)w;
	}
}

/* Set while client_ssh_interactive runs: ssh gets -t. */
static int	client_ssh_tty;

/* Run a client command on the gateway host through ssh. */
int
client_ssh_run(const char *host, int argc, char *const *argv,
    const char *input, size_t len, int read_stdin)
{
	struct sigaction	 ign, oint, oquit, opipe;
	struct buf		 remote;
	const char		*prog;
	char			**words = NULL, **args = NULL, *err = NULL;
	int			 nwords, nargs = 0, i, st, rc = EXIT_INTERNAL;
	int			 pfd[2] = { -1, -1 };
	pid_t			 pid;

	if ((prog = getenv("DBGATE_SSH")) == NULL || *prog == '\0')
		prog = "ssh";
	if (argsplit(prog, strlen(prog), &words, &nwords, &err) != 0 ||
	    nwords == 0) {
		fprintf(stderr, "dbgate: DBGATE_SSH: %s\n", err != NULL ? err :
		    "empty");
		free(err);
		argsplit_free(words);
		return (EXIT_USAGE);
	}
	buf_init(&remote);
	for (i = 0; i < argc; i++) {
		if (i > 0)
			buf_addc(&remote, ' ');
		client_ssh_quote(&remote, argv[i]);
	}
	if (remote.len > CLIENT_SSH_MAX_COMMAND) {
		fprintf(stderr, "dbgate: the command is too long for the "
		    "gateway (%zu bytes; at most %d): send the SQL with -f "
		    "FILE or on standard input\n", remote.len,
		    CLIENT_SSH_MAX_COMMAND);
		rc = EXIT_USAGE;
		goto out;
	}
	args = xcalloc((size_t)nwords + 5, sizeof *args);
	for (i = 0; i < nwords; i++)
		args[nargs++] = words[i];
	if (client_ssh_tty)
		args[nargs++] = (char *)"-t";	/* a terminal: connect */
	else if (input == NULL && !read_stdin)
		args[nargs++] = (char *)"-n";	/* leave our stdin alone */
	args[nargs++] = (char *)host;
	args[nargs++] = (char *)"--";
	args[nargs++] = buf_cstr(&remote);
	args[nargs] = NULL;

	if (input != NULL && pipe(pfd) != 0) {
		fprintf(stderr, "dbgate: pipe: %s\n", strerror(errno));
		goto out;
	}
	/* ssh decides what Ctrl-C means; we wait for it. */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	sigaction(SIGPIPE, &ign, &opipe);
	if ((pid = fork()) < 0) {
		fprintf(stderr, "dbgate: fork: %s\n", strerror(errno));
		goto restore;
	}
	if (pid == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		sigaction(SIGPIPE, &opipe, NULL);
		if (pfd[0] >= 0) {
			dup2(pfd[0], STDIN_FILENO);
			close(pfd[0]);
			close(pfd[1]);
		}
		execvp(args[0], args);
		fprintf(stderr, "dbgate: cannot run %s: %s\n", args[0],
		    strerror(errno));
		_exit(EXIT_INTERNAL);
	}
	if (pfd[0] >= 0) {
		close(pfd[0]);
		client_ssh_feed(pfd[1], input, len);
		close(pfd[1]);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			goto restore;
	if (WIFEXITED(st) && WEXITSTATUS(st) != 255)
		rc = WEXITSTATUS(st);
	else
		rc = EXIT_UNREACH;	/* ssh could not reach the gateway */
restore:
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	sigaction(SIGPIPE, &opipe, NULL);
out:
	free(args);
	argsplit_free(words);
	buf_free(&remote);
	return (rc);
}

/* dbgate connect through the user's ssh: ssh -t HOST -- connect TARGET. */
int
client_ssh_interactive(const char *host, int argc, char *const *argv)
{
	int	 rc;

	client_ssh_tty = 1;
	rc = client_ssh_run(host, argc, argv, NULL, 0, 1);
	client_ssh_tty = 0;
	return (rc);
}

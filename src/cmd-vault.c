/*
 * cmd-vault.c: dbgate vault set TARGET | delete TARGET | list. Passwords
 * are read without echo on a terminal, from stdin otherwise, held in
 * sodium_malloc memory and wiped.
 */
#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "vault.h"

#define VAULT_PASSWORD_MAX	4096

#ifndef DBGATE_THIN
static struct termios	cmd_vault_saved;

/* Ctrl-C at the prompt: give the terminal its echo back, then go. */
static void
cmd_vault_interrupt(int sig)
{
	(void)sig;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &cmd_vault_saved);
	(void)!write(STDERR_FILENO, "\n", 1);
	_exit(130);
}

/* Read a password into secure memory: no echo on a terminal. */
static char *
cmd_vault_read_password(const char *target, size_t *lenp)
{
	struct termios	 old, quiet;
	char		*pw;
	size_t		 len = 0;
	ssize_t		 r;
	int		 tty = isatty(STDIN_FILENO), restore = 0;

	if ((pw = sodium_malloc(VAULT_PASSWORD_MAX + 2)) == NULL)
		return (NULL);
	if (tty) {
		fprintf(stderr, "Password for target %s: ", target);
		fflush(stderr);
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			cmd_vault_saved = old;
			signal(SIGINT, cmd_vault_interrupt);
			signal(SIGTERM, cmd_vault_interrupt);
			quiet = old;
			quiet.c_lflag &= ~(ECHO | ECHONL);
			quiet.c_lflag |= ICANON;
			restore = tcsetattr(STDIN_FILENO, TCSAFLUSH,
			    &quiet) == 0;
		}
	}
	while (len < VAULT_PASSWORD_MAX + 1) {
		r = read(STDIN_FILENO, pw + len, tty ? 1 :
		    VAULT_PASSWORD_MAX + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (tty && pw[len - 1] == '\n')
			break;
	}
	if (restore) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		fputc('\n', stderr);
	}
	/* One trailing newline is the end of the line, not the password. */
	if (len > 0 && pw[len - 1] == '\n')
		len--;
	if (len > 0 && pw[len - 1] == '\r')
		len--;
	pw[len] = '\0';
	*lenp = len;
	return (pw);
}

/* Give a file to StateDir's owner, when root writes for another user. */
static void
cmd_vault_chown(const char *state_dir, const char *path)
{
	struct stat	 st;

	/* lchown: never follow a link someone swapped in. */
	if (geteuid() == 0 && stat(state_dir, &st) == 0 && st.st_uid != 0)
		(void)!lchown(path, st.st_uid, st.st_gid);
}

/* vault set | delete | list */
static int
cmd_vault_local(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct config		*cfg = NULL;
	struct config_diags	 d;
	struct vault_key	*key = NULL;
	char			*path = NULL, *err = NULL, *pw = NULL, **names;
	size_t			 i, n, len;
	int			 rc;

	if (argc < 2 || (strcmp(argv[1], "list") == 0 && argc != 2) ||
	    (strcmp(argv[1], "list") != 0 && argc != 3) ||
	    (strcmp(argv[1], "set") != 0 && strcmp(argv[1], "delete") != 0 &&
	    strcmp(argv[1], "list") != 0)) {
		cmd_usage(&cmd_vault_entry);
		return (EXIT_USAGE);
	}
	if ((rc = cmd_require_admin(ctx, "vault")) != 0)
		return (rc);
	if (sodium_init() < 0) {
		fprintf(stderr, "dbgate: libsodium failed to initialise\n");
		return (EXIT_INTERNAL);
	}
	memset(&d, 0, sizeof d);
	if (config_load(ctx->config_path, 0, &cfg, &d) != 0) {
		for (i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.msgs[i]);
		config_diags_free(&d);
		return (EXIT_USAGE);
	}
	config_diags_free(&d);
	xasprintf(&path, "%s/vault", cfg->state_dir);
	rc = EXIT_USAGE;

	if (strcmp(argv[1], "list") == 0) {
		if (vault_list(path, &names, &n, &err) != 0)
			goto fail;
		for (i = 0; i < n; i++) {
			printf("%s\n", names[i]);
			free(names[i]);
		}
		free(names);
		rc = EXIT_OK;
		goto out;
	}
	if (config_find_target(cfg, argv[2]) == NULL &&
	    strcmp(argv[1], "set") == 0) {
		fprintf(stderr, "dbgate: no Target \"%s\" in %s\n", argv[2],
		    ctx->config_path);
		goto out;
	}
	if (mkdir(cfg->state_dir, 0700) != 0 && errno != EEXIST) {
		xasprintf(&err, "cannot create %s: %s", cfg->state_dir,
		    strerror(errno));
		goto fail;
	}
	/* A new key is made only while there is no vault it could orphan. */
	if ((key = vault_key_load(cfg->vault_key, access(path, F_OK) != 0,
	    &err)) == NULL)
		goto fail;
	cmd_vault_chown(cfg->state_dir, cfg->vault_key);
	if (strcmp(argv[1], "delete") == 0) {
		if (vault_delete(path, key, argv[2], &err) != 0)
			goto fail;
		fprintf(stderr, "dbgate: removed the password of target %s\n",
		    argv[2]);
		rc = EXIT_OK;
		goto out;
	}
	if ((pw = cmd_vault_read_password(argv[2], &len)) == NULL) {
		err = xstrdup("cannot allocate secure memory");
		goto fail;
	}
	if (len == 0) {
		fprintf(stderr, "dbgate: empty password; nothing stored\n");
		goto out;
	}
	if (len > VAULT_PASSWORD_MAX) {
		fprintf(stderr, "dbgate: the password is longer than %d bytes; "
		    "nothing stored\n", VAULT_PASSWORD_MAX);
		goto out;
	}
	if (vault_set(path, key, argv[2], pw, len, &err) != 0)
		goto fail;
	cmd_vault_chown(cfg->state_dir, path);
	fprintf(stderr, "dbgate: stored the password of target %s; new "
	    "sessions use it\n", argv[2]);
	rc = EXIT_OK;
	goto out;
fail:
	fprintf(stderr, "dbgate: %s\n", err);
	free(err);
	if (rc == EXIT_USAGE)
		rc = EXIT_INTERNAL;
out:
	if (pw != NULL) {
		sodium_memzero(pw, VAULT_PASSWORD_MAX + 2);
		sodium_free(pw);
	}
	vault_key_free(key);
	free(path);
	config_free(cfg);
	return (rc);
}

#endif /* !DBGATE_THIN */

const struct cmd_entry cmd_vault_entry = {
	"vault", "set TARGET | delete TARGET | list",
	"store, remove or list database passwords", CMD_ADMIN,
	CMD_FN(cmd_vault_local), NULL
};

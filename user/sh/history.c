/*
 * user/sh/history.c - the command history: the last HIST_MAX command
 * lines in memory for Up/Down (lineedit.c) and `history`, and appended to
 * ~/.sh_history as they are entered, so a new shell starts with them.
 * HISTFILE names another file; set to the empty string it turns the file
 * off (as in bash), so nothing more is written.
 * A command of several lines is kept whole in memory but written to the
 * file as one line per line typed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

#define HIST_MAX 500

static char *hist[HIST_MAX];
static int nhist;

static void push(const char *line)
{
	if (nhist == HIST_MAX) {
		free(hist[0]);
		memmove(hist, hist + 1, (HIST_MAX - 1) * sizeof *hist);
		nhist--;
	}
	hist[nhist++] = xstrdup(line);
}

static int hist_path(char *buf, size_t n)
{
	const char *file = var_get("HISTFILE");
	const char *home = var_get("HOME");

	if (file) {
		if (!*file)
			return -1;
		snprintf(buf, n, "%s", file);
		return 0;
	}
	if (!home || !*home)
		return -1;
	snprintf(buf, n, "%s/.sh_history", home);
	return 0;
}

void hist_load(void)
{
	char path[4096], line[4096];
	FILE *f;

	if (hist_path(path, sizeof path) < 0 || !(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0])
			push(line);
	}
	fclose(f);
}

void hist_add(const char *line)
{
	char path[4096];

	if (nhist && !strcmp(hist[nhist - 1], line))
		return;
	push(line);
	if (hist_path(path, sizeof path) < 0)
		return;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	size_t n = strlen(line);
	if (write(fd, line, n) == (ssize_t)n)
		(void)!write(fd, "\n", 1);
	close(fd);
}

int hist_count(void)
{
	return nhist;
}

const char *hist_at(int i)
{
	return i >= 0 && i < nhist ? hist[i] : "";
}

int bi_history(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "-c")) {
		for (int i = 0; i < nhist; i++)
			free(hist[i]);
		nhist = 0;
		return 0;
	}
	for (int i = 0; i < nhist; i++)
		printf("%5d  %s\n", i + 1, hist[i]);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* Atomic export of the metrics into a textfile collector directory. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "prom.h"

/* Render all metrics into a malloc'ed buffer. */
static int render(const char *dir, bool real, char **buf, size_t *len,
		  struct ls_err *e)
{
	FILE *m = open_memstream(buf, len);
	int ret;

	if (!m) {
		ls_err_set(e, LS_ERR_OUTPUT, "export: %s", strerror(errno));
		return -1;
	}
	ret = ls_prom_print(m, dir, real, LS_PROM_ALL, e);
	if (fclose(m) && !ret) {
		ls_err_set(e, LS_ERR_OUTPUT, "export: %s", strerror(errno));
		ret = -1;
	}
	return ret;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* The directory entry of the rename, made durable; best effort. */
static void sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Write buf to textfile_dir/LS_EXPORT_FILE by a rename of a temporary. */
static int write_atomic(const char *textfile_dir, const char *buf, size_t len,
			struct ls_err *e)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	const char *what = tmp;
	int fd, err;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp.%ld", textfile_dir,
			     LS_EXPORT_FILE, (long)getpid()) >= sizeof(tmp) ||
	    (size_t)snprintf(dst, sizeof(dst), "%s/%s", textfile_dir,
			     LS_EXPORT_FILE) >= sizeof(dst)) {
		ls_err_set(e, LS_ERR_OUTPUT, "export: %s: path too long", textfile_dir);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = errno;
		ls_err_set(e, LS_ERR_OUTPUT, "export: cannot write in %s: %s",
			   textfile_dir, strerror(err));
		return -1;
	}
	err = 0;
	if (write_all(fd, buf, len) || fsync(fd))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, dst)) {
		err = errno;
		what = dst;
	}
	if (err) {
		unlink(tmp);
		ls_err_set(e, LS_ERR_OUTPUT, "export: %s: %s", what, strerror(err));
		return -1;
	}
	sync_dir(textfile_dir);
	return 0;
}

/*
 * The module's files could not be read (not loaded, debugfs not mounted,
 * lockdown, a format too new...): the file then says leakscope_up 0, so
 * that an alert fires instead of the last good metrics staying on as if
 * nothing had happened; the export still fails with the reason.  When even
 * that cannot be written, the write error is the one reported.
 */
static void export_down(const char *textfile_dir, struct ls_err *e)
{
	struct ls_err werr = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		ls_err_set(e, LS_ERR_OUTPUT, "export: %s", strerror(errno));
		return;
	}
	ls_prom_print_up(m, false);
	if (fclose(m))
		ls_err_set(e, LS_ERR_OUTPUT, "export: %s", strerror(errno));
	else if (write_atomic(textfile_dir, buf, len, &werr))
		*e = werr;
	free(buf);
}

int ls_export_textfile(const char *textfile_dir, const char *dir, bool real,
		       struct ls_err *e)
{
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (render(dir, real, &buf, &len, e)) {
		free(buf);
		if (e->kind != LS_ERR_OUTPUT)
			export_down(textfile_dir, e);
		return -1;
	}
	ret = write_atomic(textfile_dir, buf, len, e);
	free(buf);
	return ret;
}

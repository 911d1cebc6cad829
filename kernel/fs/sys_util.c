/*
 * kernel/fs/sys_util.c - copying path names in from user space and the
 * *at() lookup convention shared by the file-system system calls.
 */
#include "syscalls.h"
#include "mm.h"
#include "uaccess.h"

char *user_path(const char *upath, bool allow_empty)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	long n = strncpy_from_user(buf, upath, PATH_MAX);
	if (n < 0 || (n == 0 && !allow_empty)) {
		kfree(buf);
		return ERR_PTR(n < 0 ? n : -ENOENT);
	}
	return buf;
}

int user_lookup_at(int dirfd, const char *upath, int flags, unsigned lookup,
                   struct inode **res)
{
	*res = NULL;
	char *path = user_path(upath, flags & AT_EMPTY_PATH);
	if (IS_ERR(path))
		return (int)PTR_ERR(path);
	int err;
	if (!path[0]) {
		/* AT_EMPTY_PATH: the object dirfd refers to (any type) */
		if (dirfd == AT_FDCWD) {
			*res = fs_get_cwd();
			err = *res ? 0 : -ENOENT;
		} else {
			struct file *f = fd_get(dirfd);
			err = f ? 0 : -EBADF;
			if (f) {
				*res = inode_get(f->inode);
				file_put(f);
			}
		}
	} else {
		if (flags & AT_SYMLINK_NOFOLLOW)
			lookup &= ~LOOKUP_FOLLOW;
		err = path_lookup_at(dirfd, path, lookup, res);
	}
	kfree(path);
	return err;
}

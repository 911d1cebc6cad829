/*
 * kernel/fs/namei.c - path name resolution.
 *
 * A walk starts at the process root (absolute paths) or at the cwd / a
 * directory descriptor (relative ones) and takes one component at a time:
 *   - the current inode must be a directory we may search (ENOTDIR, EACCES);
 *   - "." stays; ".." stays at the process root, climbs out of a mounted
 *     root to the covered directory first, then asks the file system;
 *   - other names go to the lookup op, then down through mount points;
 *   - a symlink is followed (recursively, from the directory holding it)
 *     when it is not the last component, or when the caller asks for it,
 *     or when a trailing slash follows it; at most SYMLOOP_MAX (40) per
 *     walk, as Linux, else ELOOP.
 * Every inode held is a counted reference, released on every exit path.
 */
#include "vfs.h"
#include "mm.h"
#include "uaccess.h"
#include "path.h"

int vfs_lookup_child(struct inode *dir, const char *name, size_t len,
                     struct inode **res)
{
	if (!dir->iops || !dir->iops->lookup)
		return -ENOTDIR;
	mutex_lock(&vfs_ns_lock);
	int err = dir->iops->lookup(dir, name, len, res);
	mutex_unlock(&vfs_ns_lock);
	return err;
}

/* One step from directory cur (borrowed) by name; *res: new reference. */
static int step(struct inode *cur, const char *name, size_t len,
                struct inode *root, struct inode **res)
{
	if (path_is_dot(name, len)) {
		*res = inode_get(cur);
		return 0;
	}
	if (path_is_dotdot(name, len)) {
		struct inode *c;
		/* Mounts are permanent, so covered inodes need no reference. */
		while (cur != root && (c = mount_covered(cur)))
			cur = c;
		if (cur == root) {
			*res = inode_get(cur);
			return 0;
		}
		return vfs_lookup_child(cur, name, len, res);
	}
	struct inode *next;
	int err = vfs_lookup_child(cur, name, len, &next);
	if (err)
		return err;
	*res = cross_mounts(next);
	return 0;
}

static int walk(struct inode *start, const char *path, unsigned flags,
                int *links, struct walk_name *wn, struct inode **res);

/* Remember (dir, name) as the last component reached so far: the final
 * call wins, which after symlinks is the name the file really has. */
static void note_name(struct walk_name *wn, struct inode *dir,
                      const char *name, size_t len)
{
	if (!wn)
		return;
	inode_put(wn->dir);
	wn->dir = inode_get(dir);
	memcpy(wn->name, name, len);
	wn->name[len] = '\0';
}

void walk_name_release(struct walk_name *wn)
{
	inode_put(wn->dir);
	wn->dir = NULL;
}

/* Replace *ino (a symlink, reference consumed) by what it points to,
 * resolved from dir. */
static int follow_link(struct inode *dir, struct inode **ino, int *links,
                       struct walk_name *wn)
{
	struct inode *link = *ino;
	*ino = NULL;
	if (++*links > SYMLOOP_MAX) {
		inode_put(link);
		return -ELOOP;
	}
	char *target = kmalloc(PATH_MAX);
	if (!target) {
		inode_put(link);
		return -ENOMEM;
	}
	ssize_t n = -EINVAL;
	if (link->iops && link->iops->readlink) {
		mutex_lock(&vfs_ns_lock);
		n = link->iops->readlink(link, target, PATH_MAX - 1);
		mutex_unlock(&vfs_ns_lock);
	}
	inode_put(link);
	int err;
	if (n < 0)
		err = (int)n;
	else if (n == 0)
		err = -ENOENT;
	else if (n >= PATH_MAX)
		err = -ENAMETOOLONG;
	else {
		target[n] = '\0';
		err = walk(inode_get(dir), target, LOOKUP_FOLLOW, links, wn, ino);
	}
	kfree(target);
	return err;
}

/* Resolve one component inside dir (borrowed); *res: new reference.
 * wn (may be NULL) notes the name when this is the last component. */
static int walk_component(struct inode *dir, const char *name, size_t len,
                          bool follow, bool must_dir, struct inode *root,
                          int *links, struct walk_name *wn,
                          struct inode **res)
{
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	int err = inode_permission(dir, MAY_EXEC);
	if (err)
		return err;
	struct inode *next;
	err = step(dir, name, len, root, &next);
	if (err)
		return err;
	note_name(wn, dir, name, len);
	if (S_ISLNK(next->mode) && (follow || must_dir)) {
		err = follow_link(dir, &next, links, wn);
		if (err)
			return err;
	}
	if (must_dir && !S_ISDIR(next->mode)) {
		inode_put(next);
		return -ENOTDIR;
	}
	*res = next;
	return 0;
}

/* Walk path from start (reference consumed). */
static int walk(struct inode *start, const char *path, unsigned flags,
                int *links, struct walk_name *wn, struct inode **res)
{
	struct inode *root = fs_get_root();
	if (!root) {
		inode_put(start);
		return -ENOENT;
	}
	struct inode *cur = start;
	if (path[0] == '/') {
		inode_put(cur);
		cur = inode_get(root);
	}
	int err = 0;
	const char *p = path;
	for (;;) {
		const char *name;
		size_t len = path_component(&p, &name);
		if (len == 0)
			break;
		bool last = path_rest_empty(p);
		bool follow = !last || (flags & LOOKUP_FOLLOW);
		/* Middle components must be directories; so must a last one
		 * followed by '/' (which also makes symlinks be followed). */
		bool must_dir = !last || *p == '/' || (flags & LOOKUP_DIRECTORY);
		struct inode *next;
		err = walk_component(cur, name, len, follow, must_dir, root,
		                     links, last ? wn : NULL, &next);
		inode_put(cur);
		cur = NULL;
		if (err)
			break;
		cur = next;
	}
	if (!err && (flags & LOOKUP_DIRECTORY) && !S_ISDIR(cur->mode))
		err = -ENOTDIR;
	if (err) {
		inode_put(cur);
		cur = NULL;
	}
	inode_put(root);
	*res = cur;
	return err;
}

/* The directory a relative path starts from. */
static int start_dir(int dirfd, const char *path, struct inode **res)
{
	if (path[0] == '/' || dirfd == AT_FDCWD) {
		*res = path[0] == '/' ? fs_get_root() : fs_get_cwd();
		return *res ? 0 : -ENOENT;
	}
	struct file *f = fd_get(dirfd);
	if (!f)
		return -EBADF;
	int err = 0;
	if (!S_ISDIR(f->inode->mode))
		err = -ENOTDIR;
	else
		*res = inode_get(f->inode);
	file_put(f);
	return err;
}

static int check_path(const char *path)
{
	if (!path[0])
		return -ENOENT;
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

int path_lookup_name_at(int dirfd, const char *path, unsigned flags,
                        struct walk_name *wn, struct inode **res)
{
	*res = NULL;
	int err = check_path(path);
	if (err)
		return err;
	struct inode *start;
	err = start_dir(dirfd, path, &start);
	if (err)
		return err;
	int links = 0;
	err = walk(start, path, flags, &links, wn, res);
	if (err && wn)
		walk_name_release(wn);
	return err;
}

int path_lookup_at(int dirfd, const char *path, unsigned flags,
                   struct inode **res)
{
	return path_lookup_name_at(dirfd, path, flags, NULL, res);
}

int path_lookup(const char *path, unsigned flags, struct inode **res)
{
	return path_lookup_at(AT_FDCWD, path, flags, res);
}

int path_parent_at(int dirfd, const char *path, struct walk_last *wl)
{
	memset(wl, 0, sizeof(*wl));
	int err = check_path(path);
	if (err)
		return err;
	size_t dir_len;
	const char *last;
	size_t len = path_split_last(path, &dir_len, &last);
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	wl->name = last;
	wl->len = len;
	wl->trailing_slash = last[len] == '/';
	if (len == 0)
		wl->kind = '/';
	else if (path_is_dot(last, len))
		wl->kind = '.';
	else if (path_is_dotdot(last, len))
		wl->kind = 'd';

	struct inode *start;
	err = start_dir(dirfd, path, &start);
	if (err)
		return err;
	char *dir = kmalloc(dir_len + 1);
	if (!dir) {
		inode_put(start);
		return -ENOMEM;
	}
	memcpy(dir, path, dir_len);
	dir[dir_len] = '\0';
	err = walk(start, dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &wl->links,
	           NULL, &wl->dir);
	kfree(dir);
	return err;
}

int path_lookup_last_name(struct walk_last *wl, bool follow,
                          struct walk_name *wn, struct inode **res)
{
	*res = NULL;
	if (wl->kind == '/') {
		*res = inode_get(wl->dir);
		return 0;
	}
	struct inode *root = fs_get_root();
	if (!root)
		return -ENOENT;
	int err = walk_component(wl->dir, wl->name, wl->len, follow,
	                         wl->trailing_slash, root, &wl->links, wn, res);
	inode_put(root);
	if (err && wn)
		walk_name_release(wn);
	return err;
}

int path_lookup_last(struct walk_last *wl, bool follow, struct inode **res)
{
	return path_lookup_last_name(wl, follow, NULL, res);
}

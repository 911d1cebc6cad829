/*
 * kernel/proc/cred.c - user and group identities: get/set of the real,
 * effective, saved and file-system uid and gid (setuid, setreuid,
 * setresuid, setfsuid and the gid twins) and the supplementary groups.
 *
 * The rules are Linux's, with "privileged" meaning effective uid 0 (RayOS
 * has no capabilities): a privileged caller may set any id; otherwise each
 * new id must be one the process already holds (real, effective or saved).
 * Every change of the effective id moves the file-system id with it; only
 * setfsuid/setfsgid set it alone. File access checks (inode_permission)
 * use fsuid, fsgid and the supplementary groups.
 */
#include "kernel.h"
#include "task.h"
#include "uaccess.h"

#define NGROUPS_MAX 65536
#define NO_ID ((uint32_t)-1) /* "leave unchanged" */

static bool privileged(void)
{
	return current->cred.euid == 0;
}

/* May an unprivileged caller take id? (one of real, effective, saved) */
static bool held(uint32_t id, uint32_t r, uint32_t e, uint32_t s)
{
	return id == r || id == e || id == s;
}

long sys_getuid(void) { return current->cred.uid; }
long sys_geteuid(void) { return current->cred.euid; }
long sys_getgid(void) { return current->cred.gid; }
long sys_getegid(void) { return current->cred.egid; }

long sys_setuid(uint32_t uid)
{
	struct cred *c = &current->cred;
	if (uid == NO_ID)
		return -EINVAL;
	if (privileged())
		c->uid = c->suid = uid;
	else if (uid != c->uid && uid != c->suid)
		return -EPERM;
	c->euid = c->fsuid = uid;
	return 0;
}

long sys_setgid(uint32_t gid)
{
	struct cred *c = &current->cred;
	if (gid == NO_ID)
		return -EINVAL;
	if (privileged())
		c->gid = c->sgid = gid;
	else if (gid != c->gid && gid != c->sgid)
		return -EPERM;
	c->egid = c->fsgid = gid;
	return 0;
}

/* setreuid/setregid: the real id may become the effective one; the saved
 * id follows the new effective id when the real id is set or the
 * effective id set to something other than the old real id. */
static long set_re(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs, uint32_t nr, uint32_t ne)
{
	if (!privileged()) {
		if (nr != NO_ID && nr != *r && nr != *e)
			return -EPERM;
		if (ne != NO_ID && !held(ne, *r, *e, *s))
			return -EPERM;
	}
	uint32_t old_r = *r;
	if (nr != NO_ID)
		*r = nr;
	if (ne != NO_ID)
		*e = ne;
	if (nr != NO_ID || (ne != NO_ID && ne != old_r))
		*s = *e;
	*fs = *e;
	return 0;
}

static long set_res(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs, uint32_t nr, uint32_t ne,
                    uint32_t ns)
{
	if (!privileged()) {
		if ((nr != NO_ID && !held(nr, *r, *e, *s)) || (ne != NO_ID && !held(ne, *r, *e, *s)) ||
		    (ns != NO_ID && !held(ns, *r, *e, *s)))
			return -EPERM;
	}
	if (nr != NO_ID)
		*r = nr;
	if (ne != NO_ID)
		*e = ne;
	if (ns != NO_ID)
		*s = ns;
	*fs = *e;
	return 0;
}

long sys_setreuid(uint32_t ruid, uint32_t euid)
{
	struct cred *c = &current->cred;
	return set_re(&c->uid, &c->euid, &c->suid, &c->fsuid, ruid, euid);
}

long sys_setregid(uint32_t rgid, uint32_t egid)
{
	struct cred *c = &current->cred;
	return set_re(&c->gid, &c->egid, &c->sgid, &c->fsgid, rgid, egid);
}

long sys_setresuid(uint32_t ruid, uint32_t euid, uint32_t suid)
{
	struct cred *c = &current->cred;
	return set_res(&c->uid, &c->euid, &c->suid, &c->fsuid, ruid, euid, suid);
}

long sys_setresgid(uint32_t rgid, uint32_t egid, uint32_t sgid)
{
	struct cred *c = &current->cred;
	return set_res(&c->gid, &c->egid, &c->sgid, &c->fsgid, rgid, egid, sgid);
}

static long put_ids(uint32_t *ur, uint32_t *ue, uint32_t *us, uint32_t r, uint32_t e, uint32_t s)
{
	if (copy_to_user(ur, &r, sizeof(r)) || copy_to_user(ue, &e, sizeof(e)) ||
	    copy_to_user(us, &s, sizeof(s)))
		return -EFAULT;
	return 0;
}

long sys_getresuid(uint32_t *r, uint32_t *e, uint32_t *s)
{
	struct cred *c = &current->cred;
	return put_ids(r, e, s, c->uid, c->euid, c->suid);
}

long sys_getresgid(uint32_t *r, uint32_t *e, uint32_t *s)
{
	struct cred *c = &current->cred;
	return put_ids(r, e, s, c->gid, c->egid, c->sgid);
}

/* setfsuid/setfsgid answer the old id whether or not they changed it. */
long sys_setfsuid(uint32_t uid)
{
	struct cred *c = &current->cred;
	uint32_t old = c->fsuid;
	if (uid != NO_ID && (privileged() || held(uid, c->uid, c->euid, c->suid) || uid == c->fsuid))
		c->fsuid = uid;
	return old;
}

long sys_setfsgid(uint32_t gid)
{
	struct cred *c = &current->cred;
	uint32_t old = c->fsgid;
	if (gid != NO_ID && (privileged() || held(gid, c->gid, c->egid, c->sgid) || gid == c->fsgid))
		c->fsgid = gid;
	return old;
}

long sys_getgroups(int size, uint32_t *list)
{
	struct cred *c = &current->cred;
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(list, c->groups, sizeof(gid_t) * (size_t)c->ngroups))
		return -EFAULT;
	return c->ngroups;
}

long sys_setgroups(int size, const uint32_t *list)
{
	if (!privileged())
		return -EPERM;
	if ((unsigned)size > NGROUPS_MAX)
		return -EINVAL;
	if (size > CRED_NGROUPS)
		return -ENOMEM; /* more than RayOS keeps */
	gid_t g[CRED_NGROUPS];
	if (size && copy_from_user(g, list, sizeof(gid_t) * (size_t)size))
		return -EFAULT;
	/* Sorted, as Linux keeps (and getgroups shows) them. */
	for (int i = 1; i < size; i++)
		for (int j = i; j > 0 && g[j - 1] > g[j]; j--) {
			gid_t t = g[j];
			g[j] = g[j - 1];
			g[j - 1] = t;
		}
	struct cred *c = &current->cred;
	memcpy(c->groups, g, sizeof(gid_t) * (size_t)size);
	c->ngroups = size;
	return 0;
}

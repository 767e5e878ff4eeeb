/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A task's cgroup v2 id, and an id as its path: the one way every file
 * names a cgroup.  On a kernel without CONFIG_CGROUPS there is no
 * hierarchy, and every cgroup is "-".
 */
#ifndef LS_CGROUP_PATH_H
#define LS_CGROUP_PATH_H

#include <linux/sched.h>
#include <linux/types.h>

/* A path as a field: at most this long, truncated beyond. */
#define LS_CGROUP_FIELD_LEN	96

/*
 * @p's cgroup on the default (v2) hierarchy, 0 without cgroups.  Caller
 * holds rcu_read_lock() (the css_set it reads is RCU-protected).
 */
u64 ls_task_cgroup_id(struct task_struct *p);

/*
 * Cgroup @id's v2 path, relative to the root ("/system.slice/x.service"),
 * as one field; "cgid:N" for a cgroup that is gone or outside the
 * reader's namespace; "-" for id 0 or without cgroups.  Sleeps: no
 * spinlock held.
 */
void ls_cgroup_field(char *dst, size_t len, u64 id);

#endif /* LS_CGROUP_PATH_H */

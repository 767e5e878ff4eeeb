// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup ids and paths, through the public cgroup API only
 * (include/linux/cgroup.h): an id is captured where a task is seen, under
 * RCU, and made a path later, with no lock held, when a report is built.
 */
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "cgroup_path.h"
#include "suspects.h"

#ifdef CONFIG_CGROUPS
u64 ls_task_cgroup_id(struct task_struct *p)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "a cgroup id read without RCU");
	return cgroup_id(task_dfl_cgroup(p));
}

void ls_cgroup_field(char *dst, size_t len, u64 id)
{
	char buf[LS_CGROUP_FIELD_LEN];
	struct cgroup *cg;
	int ret = -ENOENT;

	if (!id) {
		strscpy(dst, "-", len);
		return;
	}
	cg = cgroup_get_from_id(id);
	if (!IS_ERR_OR_NULL(cg)) {
		ret = cgroup_path(cg, buf, sizeof(buf));
		cgroup_put(cg);
	}
	if (ret < 0 || ret >= (int)sizeof(buf))
		snprintf(buf, sizeof(buf), "cgid:%llu", id);
	ls_field_copy(dst, len, buf);
}
#else
u64 ls_task_cgroup_id(struct task_struct *p)
{
	return 0;
}

void ls_cgroup_field(char *dst, size_t len, u64 id)
{
	strscpy(dst, "-", len);
}
#endif

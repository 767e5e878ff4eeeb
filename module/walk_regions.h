/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LS_WALK_REGIONS_H
#define LS_WALK_REGIONS_H

#include <linux/types.h>

enum ls_region_kind {
	LS_RK_HEAP,
	LS_RK_STACK,
	LS_RK_THREAD_STACK,
	LS_RK_ORPHAN_STACK,
	LS_RK_GUARD,
	LS_RK_ANON,
	LS_RK_SHMEM,
	LS_RK_FILE,
	LS_RK_SPECIAL,		/* [vdso], [vvar] and other special mappings */
	LS_RK_NR
};

#define LS_REGION_NAME_LEN	96
#define LS_REGIONS_MAX		65536	/* vm.max_map_count's default is 65530 */

struct ls_region {
	unsigned long start, end;
	unsigned long flags;		/* vm_flags */
	enum ls_region_kind kind;
	bool new;			/* not in the baseline */
	char name[LS_REGION_NAME_LEN];	/* path tail, [heap], [vdso]... or "" */
};

struct ls_regions {
	s32 tgid;
	u64 start_ns;
	u32 nr;
	bool truncated;
	struct ls_region r[];
};

const char *ls_region_kind_name(enum ls_region_kind k);

/*
 * Snapshot process @pid (in the initial pid namespace, as procs lists
 * it) VMAs into a new kvmalloc()ed ls_regions (free with kvfree).  Waits
 * a bounded time for the mmap lock, and gives it up whenever a writer
 * waits: call from the context of the user who asked, never under a lock
 * the sampler takes.  -ESRCH: no such process (or no mm); -EBUSY: the
 * mmap lock was held for longer than the bound; -EINTR: killed while
 * waiting; -ENOMEM.
 */
int ls_regions_walk(pid_t pid, struct ls_regions **out);

#endif /* LS_WALK_REGIONS_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The regions walker: one process's VMAs, classified, as /proc/PID/maps
 * would list them plus what maps cannot say (which anonymous regions are
 * thread stacks, and which of those no live thread uses any more).
 */
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "self_mem.h"
#include "walk_procs.h"
#include "walk_regions.h"

#define LS_REGION_SPS_MAX	4096
/* How long a reader of regions waits for a busy mmap lock, and how often */
#define LS_REGIONS_LOCK_WAIT_MS	1000
#define LS_REGIONS_LOCK_POLL_MS	10

static const char * const ls_region_kinds[LS_RK_NR] = {
	[LS_RK_HEAP] = "heap",
	[LS_RK_STACK] = "stack",
	[LS_RK_THREAD_STACK] = "thread-stack",
	[LS_RK_ORPHAN_STACK] = "orphan-stack",
	[LS_RK_GUARD] = "guard",
	[LS_RK_ANON] = "anon",
	[LS_RK_SHMEM] = "shmem",
	[LS_RK_FILE] = "file",
	[LS_RK_SPECIAL] = "special",
};

const char *ls_region_kind_name(enum ls_region_kind k)
{
	return k < LS_RK_NR ? ls_region_kinds[k] : "unknown";
}

/* The tail of the path fits: the file name is the part that matters. */
static void ls_region_path(struct ls_region *r, struct file *file, char *buf)
{
	char *path = file_path(file, buf, PATH_MAX);
	size_t len;

	if (IS_ERR(path)) {
		strscpy(r->name, "?", sizeof(r->name));
		return;
	}
	len = strlen(path);
	if (len >= sizeof(r->name))
		path += len - (sizeof(r->name) - 1);
	strscpy(r->name, path, sizeof(r->name));
}

static void ls_region_classify(struct ls_region *r, struct vm_area_struct *vma,
			       struct vm_area_struct *prev,
			       const unsigned long *sps, u32 nr_sps,
			       bool sps_truncated, char *pathbuf)
{
	struct mm_struct *mm = vma->vm_mm;
	struct file *file = vma->vm_file;
	const char *name = NULL;

	r->start = vma->vm_start;
	r->end = vma->vm_end;
	r->flags = vma->vm_flags;
	r->name[0] = '\0';

	if (file) {
		r->kind = shmem_mapping(file->f_mapping) ? LS_RK_SHMEM
							 : LS_RK_FILE;
		ls_region_path(r, file, pathbuf);
		return;
	}
	/* Special mappings name themselves through their vm_ops, as in maps. */
	if (vma->vm_ops && vma->vm_ops->name) {
		name = vma->vm_ops->name(vma);
		r->kind = LS_RK_SPECIAL;
	} else if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk) {
		name = "[heap]";
		r->kind = LS_RK_HEAP;
	} else if (vma->vm_start <= mm->start_stack &&
		   vma->vm_end >= mm->start_stack) {
		name = "[stack]";
		r->kind = LS_RK_STACK;
	} else if (ls_vma_is_stack_shaped(prev, vma)) {
		r->kind = sps_truncated ||
			  ls_sp_within(sps, nr_sps, vma->vm_start, vma->vm_end) ?
			  LS_RK_THREAD_STACK : LS_RK_ORPHAN_STACK;
	} else if (ls_vma_is_guard(vma)) {
		r->kind = LS_RK_GUARD;
	} else {
		r->kind = LS_RK_ANON;
	}
	if (name)
		strscpy(r->name, name, sizeof(r->name));
}

/*
 * Take @mm's mmap lock for reading, waiting at most
 * LS_REGIONS_LOCK_WAIT_MS.  Whoever holds it may hold it for good (a
 * thread stuck in a fault on a hung NFS or FUSE mount), and our caller
 * may hold kernel_param_lock (a write to the pid parameter) or be a
 * reader that would rather hear "busy" than hang: so poll a trylock
 * rather than queue on the lock.  -EBUSY on timeout, -EINTR if killed.
 */
static int ls_regions_lock(struct mm_struct *mm)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(LS_REGIONS_LOCK_WAIT_MS);

	while (!mmap_read_trylock(mm)) {
		if (fatal_signal_pending(current))
			return -EINTR;
		if (time_after(jiffies, deadline))
			return -EBUSY;
		msleep(LS_REGIONS_LOCK_POLL_MS);
	}
	return 0;
}

/*
 * Fill @rs from @mm's VMAs, as /proc/PID/maps does: under the mmap lock,
 * dropped whenever a writer waits for it (the process must not stall for
 * us) and taken again to go on from the end of the last VMA seen.  The
 * VMA before that one, which says whether the next is stack-shaped, is
 * looked up again, as the address space may have changed meanwhile.
 */
static int ls_regions_fill(struct mm_struct *mm, struct ls_regions *rs,
			   u32 cap, const unsigned long *sps, u32 nr_sps,
			   bool sps_truncated, char *pathbuf)
{
	struct vm_area_struct *vma, *prev = NULL;
	unsigned long addr = 0;
	int ret;

	ret = ls_regions_lock(mm);
	if (ret)
		return ret;
	for (;;) {
		VMA_ITERATOR(vmi, mm, addr);

		for_each_vma(vmi, vma) {
			if (rs->nr >= cap) {
				rs->truncated = true;
				goto out;
			}
			ls_region_classify(&rs->r[rs->nr++], vma, prev, sps,
					   nr_sps, sps_truncated, pathbuf);
			prev = vma;
			addr = vma->vm_end;
			if (mmap_lock_is_contended(mm))
				break;
		}
		if (!vma)
			break;
		mmap_read_unlock(mm);
		cond_resched();
		ret = ls_regions_lock(mm);
		if (ret)
			return ret;
		prev = vma_lookup(mm, addr - 1);
	}
out:
	mmap_read_unlock(mm);
	return 0;
}

int ls_regions_walk(pid_t pid, struct ls_regions **out)
{
	struct ls_regions *rs = NULL;
	unsigned long *sps = NULL;
	struct task_struct *task;
	char *pathbuf = NULL;
	bool sps_truncated;
	struct mm_struct *mm;
	struct pid *spid;
	u64 start_ns;
	u32 nr_sps, cap;
	s32 tgid;
	int ret;

	*out = NULL;
	/* The pid procs lists: the initial namespace's, not the writer's. */
	rcu_read_lock();
	spid = get_pid(find_pid_ns(pid, &init_pid_ns));
	rcu_read_unlock();
	task = spid ? get_pid_task(spid, PIDTYPE_TGID) : NULL;
	put_pid(spid);
	if (!task)
		return -ESRCH;

	ret = -ENOMEM;
	sps = ls_mem_calloc(LS_REGION_SPS_MAX, sizeof(*sps), GFP_KERNEL);
	pathbuf = ls_mem_alloc(PATH_MAX, GFP_KERNEL);
	if (!sps || !pathbuf)
		goto out_task;
	tgid = task_tgid_nr(task);
	start_ns = task->start_time;
	rcu_read_lock();
	nr_sps = ls_thread_sps(task, sps, LS_REGION_SPS_MAX, &sps_truncated);
	rcu_read_unlock();
	mm = get_task_mm(task);
	ret = -ESRCH;
	if (!mm)
		goto out_task;

	/* Room for the VMAs now plus some that may appear before we lock. */
	cap = min_t(u32, READ_ONCE(mm->map_count) + 64, LS_REGIONS_MAX);
	ret = -ENOMEM;
	rs = ls_mem_zalloc(struct_size(rs, r, cap), GFP_KERNEL);
	if (!rs)
		goto out_mm;
	rs->tgid = tgid;
	rs->start_ns = start_ns;

	ret = ls_regions_fill(mm, rs, cap, sps, nr_sps, sps_truncated,
			      pathbuf);
	if (ret)
		goto out_mm;
	*out = rs;
	rs = NULL;
	ret = 0;
out_mm:
	mmput(mm);
out_task:
	put_task_struct(task);
	ls_mem_free(rs);
	ls_mem_free(sps);
	ls_mem_free(pathbuf);
	return ret;
}

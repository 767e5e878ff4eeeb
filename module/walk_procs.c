// SPDX-License-Identifier: GPL-2.0
/*
 * The procs walker: every process's mm, once, the way /proc does it.
 *
 * Phase 1, under rcu_read_lock(): visit thread-group leaders in pid order,
 * from where the last walk stopped, as many as the time budget allows (see
 * ls_procs_walk()); pin each mm with mmgrab() (the struct, not the address
 * space), note identity and thread count.
 * Phase 2, no lock held: sort by mm so an mm shared by several processes
 * (CLONE_VM without CLONE_THREAD) is walked once; for each mm take the
 * address space with mmget_not_zero() and the mmap lock with a trylock (the
 * sampler runs in a kworker, which can never be killed out of a lock wait),
 * note every live thread's saved user stack pointer (under RCU again),
 * walk its VMAs, drop everything, cond_resched().  A busy mm is skipped and
 * counted, never waited for.
 *
 * Only the kernel can tell a thread stack from any other anonymous mapping
 * with a guard page: it knows where every live thread's stack pointer is.
 * A stack-shaped region none of them points into is an orphaned stack.
 *
 * Zombies are seen in phase 1 too: a thread-group leader with no mm left
 * whose exit_state is EXIT_ZOMBIE and which has no other thread is a
 * process that exited and that its parent has not reaped.  It is counted
 * for its real_parent's process (read under RCU, as getppid() does).
 */
#include <linux/bsearch.h>
#include <linux/mm.h>
#include <linux/math64.h>
#include <linux/mmap_lock.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>

#include "cgroup_path.h"
#include "compat_mm.h"
#include "self_mem.h"
#include "walk_procs.h"

int ls_procs_walk_alloc(struct ls_procs_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->procs = ls_mem_calloc(LS_PROCS_MAX, sizeof(*w->procs), GFP_KERNEL);
	w->sorted = ls_mem_calloc(LS_PROCS_MAX, sizeof(*w->sorted), GFP_KERNEL);
	w->refs = ls_mem_calloc(LS_PROCS_MAX, sizeof(*w->refs), GFP_KERNEL);
	w->refs_by_mm = ls_mem_calloc(LS_PROCS_MAX, sizeof(*w->refs_by_mm),
				      GFP_KERNEL);
	w->keys = ls_mem_calloc(LS_PROCS_MAX, sizeof(*w->keys), GFP_KERNEL);
	w->keys_tmp = ls_mem_calloc(LS_PROCS_MAX, sizeof(*w->keys_tmp), GFP_KERNEL);
	w->sp_first = ls_mem_calloc(LS_PROCS_MAX, sizeof(*w->sp_first), GFP_KERNEL);
	w->sp_nr = ls_mem_calloc(LS_PROCS_MAX, sizeof(*w->sp_nr), GFP_KERNEL);
	w->keep = ls_mem_calloc(LS_PROCS_MAX, sizeof(*w->keep), GFP_KERNEL);
	w->sps = ls_mem_calloc(LS_SPS_MAX, sizeof(*w->sps), GFP_KERNEL);
	w->zseen = ls_mem_calloc(LS_ZOMBIES_MAX, sizeof(*w->zseen), GFP_KERNEL);
	w->zpar = ls_mem_calloc(LS_ZOMBIES_MAX, sizeof(*w->zpar), GFP_KERNEL);
	if (!w->procs || !w->sorted || !w->refs || !w->refs_by_mm ||
	    !w->keys || !w->keys_tmp || !w->sp_first || !w->sp_nr ||
	    !w->keep || !w->sps || !w->zseen || !w->zpar) {
		ls_procs_walk_free(w);
		return -ENOMEM;
	}
	return 0;
}

void ls_procs_walk_free(struct ls_procs_walk *w)
{
	ls_mem_free(w->procs);
	ls_mem_free(w->sorted);
	ls_mem_free(w->refs);
	ls_mem_free(w->refs_by_mm);
	ls_mem_free(w->keys);
	ls_mem_free(w->keys_tmp);
	ls_mem_free(w->sp_first);
	ls_mem_free(w->sp_nr);
	ls_mem_free(w->keep);
	ls_mem_free(w->sps);
	ls_mem_free(w->zseen);
	ls_mem_free(w->zpar);
	memset(w, 0, sizeof(*w));
}

static int ls_cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

u32 ls_thread_sps(struct task_struct *leader, unsigned long *sps, u32 cap,
		  bool *truncated)
{
	struct task_struct *t;
	u32 n = 0;

	*truncated = false;
	for_each_thread(leader, t) {
		unsigned long sp;

		if (n >= cap) {
			*truncated = true;
			break;
		}
		/* An exiting thread's stack is on its way to being an orphan. */
		if ((t->flags & (PF_EXITING | PF_KTHREAD)) || t->exit_state)
			continue;
		/*
		 * The user SP saved at the last kernel entry, at the top of
		 * its kernel stack.  RCU keeps the task_struct, not the stack:
		 * a thread that exits after the check above can have its stack
		 * freed while we read it.  free_thread_stack() then defers the
		 * vfree() through call_rcu, or keeps the stack in a per-CPU
		 * cache (cached_stacks), from which the next fork on that CPU
		 * takes it, zeroes it and gives it to a new task.  Pinning it
		 * would need put_task_stack(), which is not exported.  Hence
		 * the nofault copy (no oops if it is unmapped), and a value that
		 * may be 0 or another task's SP.  That costs at most one
		 * misjudged stack of this process in this sample: the exiting
		 * thread's stack counted as an orphan, or, if the stray SP
		 * falls in another stack-shaped region of this mm, an orphan
		 * missed.  A thread-stack leak is orphans that keep climbing
		 * over many samples, which one such sample neither makes nor
		 * hides.
		 */
		if (copy_from_kernel_nofault(&sp, &task_pt_regs(t)->sp,
					     sizeof(sp)))
			continue;
		sps[n++] = sp;
	}
	if (n > 1)
		sort(sps, n, sizeof(*sps), ls_cmp_ulong, NULL);
	return n;
}

bool ls_sp_within(const unsigned long *sps, u32 nr, unsigned long start,
		  unsigned long end)
{
	/* First SP >= start, then is it below end? */
	u32 lo = ls_lower_bound(nr, i, sps[i] < start);

	return lo < nr && sps[lo] < end;
}

bool ls_vma_is_guard(struct vm_area_struct *vma)
{
	return vma_is_anonymous(vma) &&
	       !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_MAYSHARE));
}

/*
 * glibc's allocate_stack() and the classic clone() recipe both map
 * [guard ---p][stack rw-p], the guard at the low end because stacks grow
 * down.  malloc arenas have the opposite shape (rw below the PROT_NONE
 * reserve), and the main stack is VM_GROWSDOWN with no guard VMA at all.
 */
bool ls_vma_is_stack_shaped(struct vm_area_struct *prev,
			    struct vm_area_struct *vma)
{
	unsigned long rw = VM_READ | VM_WRITE;

	return prev && prev->vm_end == vma->vm_start &&
	       ls_vma_is_guard(prev) && vma_is_anonymous(vma) &&
	       (vma->vm_flags & (rw | VM_MAYSHARE | VM_GROWSDOWN)) == rw;
}

static s64 ls_kb(unsigned long pages)
{
	return (s64)pages << (PAGE_SHIFT - 10);
}

/*
 * A process's name, without task_lock: the name is all it is used for,
 * and a copy torn by a concurrent prctl(PR_SET_NAME) or exec is still a
 * NUL-terminated name (newer kernels read comm this way too).  The lock
 * is most of get_task_comm()'s cost, paid for every process visited.
 */
static void ls_task_comm(char comm[TASK_COMM_LEN], struct task_struct *p)
{
	memcpy(comm, p->comm, TASK_COMM_LEN);
	comm[TASK_COMM_LEN - 1] = '\0';
}

/*
 * A leader without mm: if it is a zombie process (every thread gone,
 * not yet reaped), note it for its parent's process.  Under RCU.
 */
static void ls_zombie_seen(struct ls_procs_walk *w, struct task_struct *p)
{
	struct task_struct *parent;
	struct ls_zombie *z;

	if (READ_ONCE(p->exit_state) != EXIT_ZOMBIE || !thread_group_empty(p))
		return;
	if (w->nr_zseen >= LS_ZOMBIES_MAX) {
		w->zcapped_pass = true;
		return;
	}
	parent = rcu_dereference(p->real_parent);
	z = &w->zseen[w->nr_zseen++];
	z->tgid = task_tgid_nr(parent);
	z->start_ns = READ_ONCE(parent->group_leader)->start_time;
	z->count = 1;
}

/*
 * The pass is complete: the zombies it saw, counted by parent, become
 * the counts parents get (zpar, by tgid; a pid reused within the pass
 * can give one tgid two entries, told apart by start time).
 */
static void ls_zombies_pass_end(struct ls_procs_walk *w)
{
	u32 i, n = 0;

	BUILD_BUG_ON(LS_ZOMBIES_MAX > LS_PROCS_MAX);	/* w->keys holds them */
	for (i = 0; i < w->nr_zseen; i++) {
		w->keys[i].key = ls_key_s64(w->zseen[i].tgid);
		w->keys[i].idx = i;
	}
	ls_keysort(w->keys, w->keys_tmp, w->nr_zseen);
	for (i = 0; i < w->nr_zseen; i++) {
		const struct ls_zombie *z = &w->zseen[w->keys[i].idx];

		if (n && w->zpar[n - 1].tgid == z->tgid &&
		    w->zpar[n - 1].start_ns == z->start_ns)
			w->zpar[n - 1].count++;
		else
			w->zpar[n++] = *z;
	}
	w->nr_zpar = n;
	w->nr_zseen = 0;
	w->zcapped = w->zcapped_pass;
	w->zcapped_pass = false;
}

/* The zombies of process (@tgid, @start_ns) in the last complete pass. */
static u32 ls_zombies_of(const struct ls_procs_walk *w, pid_t tgid,
			 u64 start_ns)
{
	u32 lo = ls_lower_bound(w->nr_zpar, i, w->zpar[i].tgid < tgid);
	u32 n = 0;

	for (; lo < w->nr_zpar && w->zpar[lo].tgid == tgid; lo++)
		if (w->zpar[lo].start_ns == start_ns)
			n += w->zpar[lo].count;
	return n;
}

/*
 * Phase 1, under RCU: one record per thread group, in pid order from
 * w->cursor, at most @quota of them (the way /proc lists processes:
 * find_ge_pid(), then the pid's thread-group leader).  Sets the slice.
 *
 * A slice can be thousands of processes (every one, on the first walk),
 * each with its threads: the read-side section is left, and the CPU
 * offered, every LS_COLLECT_BATCH pids and threads visited.  Nothing is
 * held across that but pid numbers and the mms pinned with mmgrab(), and
 * the walk goes on from the next pid number, as a /proc readdir split
 * over several getdents() calls does.
 */
static void ls_collect(struct ls_procs_walk *w, u32 quota)
{
	bool at_end = false;
	u32 steps = 0, batch = 0;
	int nr;

	w->slice_lo = w->cursor;
	rcu_read_lock();
	for (nr = w->cursor;; nr++) {
		struct task_struct *p, *t;
		struct mm_struct *mm = NULL;
		struct ls_proc *pr;
		struct pid *pid;

		if (batch >= LS_COLLECT_BATCH) {
			rcu_read_unlock();
			cond_resched();
			batch = 0;
			rcu_read_lock();
		}
		pid = find_ge_pid(nr, &init_pid_ns);
		if (!pid) {
			at_end = true;
			break;
		}
		nr = pid_nr(pid);
		/* Threads and kernel threads have pids too: bound the steps. */
		if (w->nr >= quota || ++steps > 8 * quota)
			break;
		batch++;
		p = pid_task(pid, PIDTYPE_TGID);
		if (!p || (p->flags & PF_KTHREAD))
			continue;
		/* A zombie leader has no mm; its live threads still do. */
		for_each_thread(p, t) {
			batch++;
			task_lock(t);
			if (t->mm) {
				mm = t->mm;
				mmgrab(mm);
			}
			task_unlock(t);
			if (mm)
				break;
		}
		if (!mm) {
			ls_zombie_seen(w, p);
			continue;
		}

		pr = &w->procs[w->nr];
		memset(pr, 0, sizeof(*pr));
		pr->tgid = task_tgid_nr(p);
		pr->start_ns = p->start_time;
		ls_task_comm(pr->comm, p);
		pr->cgroup_id = ls_task_cgroup_id(p);
		pr->threads = get_nr_threads(p);
		pr->mm_users = atomic_read(&mm->mm_users);
		w->refs[w->nr].mm = mm;
		w->refs[w->nr].idx = w->nr;
		w->nr++;
	}
	rcu_read_unlock();

	w->slice_hi = at_end ? INT_MAX : nr;
	w->full = at_end && w->slice_lo == 0;
	w->cursor = at_end ? 0 : nr;
	w->walks_this_pass++;
	if (at_end) {
		w->pass_walks = w->walks_this_pass;
		w->walks_this_pass = 0;
		ls_zombies_pass_end(w);
	}
}

/* Is [start, end) free of every stack pointer of the processes sharing mm? */
static bool ls_orphan(const struct ls_procs_walk *w,
		      const struct ls_mm_ref *run, u32 nrun,
		      unsigned long start, unsigned long end)
{
	u32 i;

	for (i = 0; i < nrun; i++) {
		u32 k = run[i].idx;

		if (ls_sp_within(w->sps + w->sp_first[k], w->sp_nr[k],
				 start, end))
			return false;
	}
	return true;
}

/*
 * Walk one mm's VMAs into @pr.  The caller holds a reference on the
 * address space.  Returns false when the mmap lock was busy or a writer
 * came to wait for it: better one missed sample than a stalled process.
 */
static bool ls_walk_vmas(struct mm_struct *mm, struct ls_proc *pr,
			 const struct ls_procs_walk *w,
			 const struct ls_mm_ref *run, u32 nrun)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma, *prev = NULL;
	bool done = true;

	if (!mmap_read_trylock(mm))
		return false;
	for_each_vma(vmi, vma) {
		unsigned long size = vma->vm_end - vma->vm_start;

		if (vma_is_anonymous(vma) && !(vma->vm_flags & VM_MAYSHARE) &&
		    (vma->vm_flags & (VM_READ | VM_WRITE))) {
			pr->anon_regions++;
			pr->anon_max_kb = max_t(s64, pr->anon_max_kb,
						size >> 10);
		}
		if (ls_vma_is_stack_shaped(prev, vma)) {
			pr->stacks++;
			pr->stack_kb = max_t(s64, pr->stack_kb, size >> 10);
			if (!pr->sps_truncated &&
			    ls_orphan(w, run, nrun, vma->vm_start, vma->vm_end)) {
				pr->orphans++;
				pr->orphan_kb += size >> 10;
			}
		}
		prev = vma;
		if (mmap_lock_is_contended(mm)) {
			done = false;
			break;
		}
	}
	if (mm->brk > mm->start_brk)
		pr->heap_kb = (mm->brk - mm->start_brk) >> 10;
	mmap_read_unlock(mm);
	return done;
}

/*
 * refs_by_mm: the refs ordered by mm, sharers of one mm next to each other
 * in collection order (the sort is stable), so the first one names the mm.
 */
static void ls_group_by_mm(struct ls_procs_walk *w)
{
	u32 i;

	for (i = 0; i < w->nr; i++) {
		w->keys[i].key = (unsigned long)w->refs[i].mm;
		w->keys[i].idx = i;
	}
	ls_keysort(w->keys, w->keys_tmp, w->nr);
	for (i = 0; i < w->nr; i++)
		w->refs_by_mm[i] = w->refs[w->keys[i].idx];
}

/* The kept records, in pid order, become w->procs[0..kept). */
static void ls_keep_by_tgid(struct ls_procs_walk *w, u32 kept)
{
	struct ls_proc *t;
	u32 i;

	for (i = 0; i < kept; i++) {
		w->keys[i].key = ls_key_s64(w->procs[w->keep[i]].tgid);
		w->keys[i].idx = w->keep[i];
	}
	ls_keysort(w->keys, w->keys_tmp, kept);
	for (i = 0; i < kept; i++)
		w->sorted[i] = w->procs[w->keys[i].idx];
	t = w->procs;
	w->procs = w->sorted;
	w->sorted = t;
	w->nr = kept;
}

static bool ls_layout_unchanged(const struct ls_proc *old,
				const struct ls_proc *now)
{
	return old && old->walked && old->walk_age + 1 < LS_WALK_REFRESH &&
	       old->map_count == now->map_count &&
	       old->vsz_kb == now->vsz_kb && old->threads == now->threads;
}

/*
 * The saved stack pointers of every live thread of the processes sharing
 * this mm, gathered only when its VMAs are about to be walked (most
 * visits reuse the last walk's figures and need none): each process is
 * found again by pid, and must still be the one collected.
 */
static void ls_run_sps(struct ls_procs_walk *w, struct ls_proc *pr,
		       const struct ls_mm_ref *run, u32 nrun)
{
	u32 i;

	w->nr_sps = 0;
	pr->sps_truncated = false;
	rcu_read_lock();
	for (i = 0; i < nrun; i++) {
		const struct ls_proc *q = &w->procs[run[i].idx];
		struct task_struct *p;
		bool truncated = false;
		u32 k = run[i].idx;

		w->sp_first[k] = w->nr_sps;
		w->sp_nr[k] = 0;
		p = pid_task(find_pid_ns(q->tgid, &init_pid_ns), PIDTYPE_TGID);
		if (!p || p->start_time != q->start_ns)
			continue;	/* gone: it has no threads left */
		w->sp_nr[k] = ls_thread_sps(p, w->sps + w->nr_sps,
					    LS_SPS_MAX - w->nr_sps, &truncated);
		w->nr_sps += w->sp_nr[k];
		pr->sps_truncated |= truncated;
	}
	rcu_read_unlock();
	if (pr->sps_truncated)
		w->sps_capped = true;
}

/* The VMA figures of the last sample (zero for a process not seen yet). */
static void ls_layout_copy(struct ls_proc *pr, const struct ls_proc *old)
{
	static const struct ls_proc none;

	if (!old)
		old = &none;
	pr->sps_truncated = old->sps_truncated;
	pr->anon_regions = old->anon_regions;
	pr->anon_max_kb = old->anon_max_kb;
	pr->stacks = old->stacks;
	pr->orphans = old->orphans;
	pr->orphan_kb = old->orphan_kb;
	pr->stack_kb = old->stack_kb;
	pr->heap_kb = old->heap_kb;
}

/* Fill @pr's VMA figures, from a walk or from the previous sample. */
static void ls_proc_layout(struct mm_struct *mm, struct ls_proc *pr,
			   struct ls_procs_walk *w, const struct ls_mm_ref *run,
			   u32 nrun, const struct ls_proc *old)
{
	pr->map_count = READ_ONCE(mm->map_count);
	if (ls_layout_unchanged(old, pr)) {
		ls_layout_copy(pr, old);
		pr->walked = true;
		pr->walk_age = old->walk_age + 1;
		return;
	}
	ls_run_sps(w, pr, run, nrun);
	pr->walked = ls_walk_vmas(mm, pr, w, run, nrun);
	/*
	 * A process's first walk starts its count of visits at a phase of
	 * its pid.  Processes met together (a pass over a new host, workers
	 * started at once) are then not walked again all in one sample, and
	 * whatever number of samples a pass takes, about one visit in
	 * LS_WALK_REFRESH of every slice is a forced walk.
	 */
	if (!old)
		pr->walk_age = (u32)pr->tgid % LS_WALK_REFRESH;
	if (!pr->walked) {
		/*
		 * Busy (or contended half-way): what was counted is partial.
		 * The last known figures stand in, so that the rules never
		 * read a busy sample as "no stacks" (VSZ would then look like
		 * mappings of its own).  walked stays false: the row says busy.
		 */
		ls_layout_copy(pr, old);
		w->busy++;
	}
	/*
	 * More users than the threads seen: a process outside this slice
	 * shares the mm (CLONE_VM without CLONE_THREAD), and its threads'
	 * stacks would count as orphans.  Keep the last known count.
	 */
	if (!w->full && pr->mm_users > (int)pr->threads) {
		pr->orphans = old ? old->orphans : 0;
		pr->orphan_kb = old ? old->orphan_kb : 0;
	}
}

/* How many processes fit @budget_us, by the cost of the last walks. */
static u32 ls_slice_quota(const struct ls_procs_walk *w, u32 budget_us)
{
	u64 quota;

	if (!w->ns_per_proc)
		return LS_PROCS_MAX;	/* the first walk measures */
	quota = div64_u64((u64)budget_us * NSEC_PER_USEC, w->ns_per_proc);
	return clamp_t(u64, quota, LS_SLICE_MIN, LS_PROCS_MAX);
}

void ls_procs_walk(struct ls_procs_walk *w, u32 budget_us,
		   const struct ls_proc *(*prev)(void *ctx,
						 const struct ls_proc *p),
		   void *ctx)
{
	u32 i, j, kept = 0;

	w->nr = 0;
	w->nr_sps = 0;
	w->sps_capped = false;
	w->busy = 0;
	ls_collect(w, ls_slice_quota(w, budget_us));
	if (w->nr_zpar)
		for (i = 0; i < w->nr; i++)
			w->procs[i].zombies = ls_zombies_of(w, w->procs[i].tgid,
							    w->procs[i].start_ns);
	ls_group_by_mm(w);
	for (i = 0; i < w->nr; i = j) {
		const struct ls_mm_ref *run = &w->refs_by_mm[i];
		struct mm_struct *mm = run->mm;
		struct ls_proc *pr = &w->procs[run->idx];

		/*
		 * Processes sharing this mm: run[0..j-i).  Count all threads,
		 * and all their zombie children.
		 */
		for (j = i + 1; j < w->nr && w->refs_by_mm[j].mm == mm; j++) {
			pr->threads += w->procs[w->refs_by_mm[j].idx].threads;
			pr->zombies += w->procs[w->refs_by_mm[j].idx].zombies;
		}

		if (mmget_not_zero(mm)) {
			pr->vsz_kb = ls_kb(mm->total_vm);
			pr->locked_kb = ls_kb(mm->locked_vm);
			pr->anon_kb = ls_kb(ls_mm_counter(mm, MM_ANONPAGES));
			pr->shmem_kb = ls_kb(ls_mm_counter(mm, MM_SHMEMPAGES));
			ls_proc_layout(mm, pr, w, run, j - i,
				       prev ? prev(ctx, pr) : NULL);
			mmput(mm);
			w->keep[kept++] = run->idx;
		}
		for (; i < j; i++)
			mmdrop(w->refs_by_mm[i].mm);
		cond_resched();
	}

	ls_keep_by_tgid(w, kept);
}

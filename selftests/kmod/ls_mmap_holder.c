// SPDX-License-Identifier: GPL-2.0
/*
 * ls_mmap_holder: a test-only module that holds one process's mmap lock
 * for writing, for a while, for leakscope's VM tests.  Never load it
 * outside a test VM.
 *
 * This is what a process stuck on a hung NFS or FUSE mount can do to
 * everyone who reads its address space (a page fault that waits on I/O
 * usually drops the lock, so a test cannot count on one): a kthread takes
 * mmap_write_lock() of process pid (in the initial pid namespace) and
 * sleeps hold_ms with it held.  Loading returns once the lock is held;
 * unloading waits for the hold to end.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

#define LS_HOLDER_MAX_MS	60000

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "Process whose mmap lock is held (initial pid namespace)");

static unsigned int hold_ms = 5000;
module_param(hold_ms, uint, 0444);
MODULE_PARM_DESC(hold_ms, "Milliseconds the lock is held for (1..60000, default 5000)");

static struct task_struct *ls_holder_thread;
static DECLARE_COMPLETION(ls_holder_locked);

static int ls_holder_fn(void *data)
{
	struct mm_struct *mm = data;

	mmap_write_lock(mm);
	complete(&ls_holder_locked);
	/* Interruptible: not a hung task for khungtaskd, just a long hold */
	msleep_interruptible(hold_ms);
	mmap_write_unlock(mm);
	mmput(mm);
	pr_info("released the mmap lock of pid %d after %u ms\n", pid, hold_ms);
	/* Until module exit stops us: kthread_stop() needs a live thread. */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static int __init ls_holder_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;

	if (pid <= 0 || hold_ms < 1 || hold_ms > LS_HOLDER_MAX_MS) {
		pr_err("parameter out of range (see modinfo ls_mmap_holder)\n");
		return -EINVAL;
	}
	rcu_read_lock();
	task = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_TGID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return -ESRCH;

	ls_holder_thread = kthread_run(ls_holder_fn, mm, "ls_mmap_holder");
	if (IS_ERR(ls_holder_thread)) {
		mmput(mm);
		return PTR_ERR(ls_holder_thread);
	}
	wait_for_completion(&ls_holder_locked);
	pr_info("holding the mmap lock of pid %d for %u ms\n", pid, hold_ms);
	return 0;
}

static void __exit ls_holder_exit(void)
{
	kthread_stop(ls_holder_thread);
}

module_init(ls_holder_init);
module_exit(ls_holder_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leakscope test module: holds a process's mmap lock for writing");

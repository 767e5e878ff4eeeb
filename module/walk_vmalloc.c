// SPDX-License-Identifier: GPL-2.0
/*
 * The vmalloc walker: the busy vmap areas /proc/vmallocinfo lists, copied
 * under the same spinlocks it takes (KERNEL-NOTES.md A).
 *
 * Two regimes, chosen by which private data symbols the running kernel
 * has, never by its version (distributions backport such reworks):
 *  - list:  one address-sorted list, vmap_area_list, and one lock,
 *           vmap_area_lock (up to 6.8; Debian 6.1);
 *  - nodes: an array of nr_vmap_nodes private struct vmap_node, each with
 *           its own address-sorted busy list and lock (the 6.9 "vmap node"
 *           rework; Debian 6.12).  vmap_nodes is a static pointer to the
 *           array; its stride and the place of busy.{head,lock,root} in
 *           it come from the kernel's BTF, never from a copy of the
 *           private definition.
 * struct vmap_area and struct vm_struct are public and this file is
 * compiled against the running kernel's headers; their layout is still
 * checked against BTF, since a headers package and a kernel can disagree.
 *
 * 6.1's /proc/vmallocinfo also holds the vmap_purge_lock mutex around its
 * walk; that serialises with the purging of lazily freed areas, which are
 * no longer on the busy list and which this walker does not read (it is
 * the purge list /proc prints last), so only the spinlock is taken here.
 *
 * Holding one of these locks stalls every vmalloc() and vfree() in the
 * system (or on that node), so a hold is bounded: at most LS_VMALLOC_BATCH
 * areas are visited, then the lock is dropped, cond_resched(), and the walk
 * goes on after the last area visited.  The lists and the rb-trees beside
 * them are sorted by va_start, and the tree finds the place to go on in
 * O(log n), so each hold costs the same however long the list is.  Nothing
 * is allocated, printed or slept on under a lock: the buffer is grown
 * between holds.  The snapshot is therefore not atomic: an area allocated
 * below the resume point during the walk is missed, one freed is absent,
 * as with a /proc/vmallocinfo read split over several read() calls.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "compat_btf.h"
#include "self_mem.h"
#include "walk_vmalloc.h"

/* Upstream clamps the node count to 128 (vmap_init_nodes()); be generous. */
#define LS_VM_MAX_NODES		4096
/* struct vmap_node is 6272 bytes on 6.12; a stride past this is not it. */
#define LS_VM_MAX_STRIDE	SZ_1M

/* One busy list, its lock and the rb-tree that indexes it (may be NULL). */
struct ls_vm_list {
	spinlock_t *lock;		/* the kernel's, protects head and root */
	struct list_head *head;
	struct rb_root *root;
};

/* What ls_vmalloc_init() found; read-only afterwards. */
static struct {
	bool enabled;
	bool nodes;		/* nodes regime, else list regime */
	u32 nr_lists;
	struct ls_vm_list list;	/* list regime */
	u8 *vn;			/* nodes regime: the vmap_node array */
	u32 stride;
	u32 off_head, off_lock, off_root;
} ls_vm;

static void ls_vm_get_list(u32 i, struct ls_vm_list *l)
{
	u8 *vn;

	if (!ls_vm.nodes) {
		*l = ls_vm.list;
		return;
	}
	vn = ls_vm.vn + (size_t)i * ls_vm.stride;
	l->lock = (spinlock_t *)(vn + ls_vm.off_lock);
	l->head = (struct list_head *)(vn + ls_vm.off_head);
	l->root = (struct rb_root *)(vn + ls_vm.off_root);
}

/* A public member whose offset and size this file was compiled with. */
struct ls_vm_field {
	const char *type;
	const char *member;
	size_t off;
	size_t size;
};

static const struct ls_vm_field ls_vm_fields[] = {
	{ "vmap_area", "va_start", offsetof(struct vmap_area, va_start),
	  sizeof_field(struct vmap_area, va_start) },
	{ "vmap_area", "rb_node", offsetof(struct vmap_area, rb_node),
	  sizeof_field(struct vmap_area, rb_node) },
	{ "vmap_area", "list", offsetof(struct vmap_area, list),
	  sizeof_field(struct vmap_area, list) },
	{ "vmap_area", "vm", offsetof(struct vmap_area, vm),
	  sizeof_field(struct vmap_area, vm) },
	{ "vm_struct", "size", offsetof(struct vm_struct, size),
	  sizeof_field(struct vm_struct, size) },
	{ "vm_struct", "flags", offsetof(struct vm_struct, flags),
	  sizeof_field(struct vm_struct, flags) },
	{ "vm_struct", "nr_pages", offsetof(struct vm_struct, nr_pages),
	  sizeof_field(struct vm_struct, nr_pages) },
	{ "vm_struct", "caller", offsetof(struct vm_struct, caller),
	  sizeof_field(struct vm_struct, caller) },
};

/*
 * The headers this module was built with must describe the running
 * kernel's vmap_area and vm_struct: every member read must be where BTF
 * says, with the same size.  A mismatch is a header package that does not
 * belong to this kernel.
 */
static int ls_vm_check_public(const struct ls_btf *btf, const char **what)
{
	const struct ls_vm_field *f;
	u32 id, off, size;

	for (f = ls_vm_fields; f < ls_vm_fields + ARRAY_SIZE(ls_vm_fields); f++) {
		*what = f->member;
		id = ls_btf_find_struct(btf, f->type, NULL);
		if (!id)
			return -ENOENT;
		if (ls_btf_member_bytes(btf, id, f->member, &off, &size) ||
		    off != f->off || size != f->size)
			return -EINVAL;
	}
	return 0;
}

/*
 * Offset of @path in struct vmap_node, whose type must be @size bytes and,
 * given @type_name, the typedef of that name.
 */
static int ls_vm_node_member(const struct ls_btf *btf, u32 id,
			     const char *path, size_t size,
			     const char *type_name, u32 *off)
{
	u32 bit_off, bits, type;
	s64 sz;

	if (ls_btf_member(btf, id, path, &bit_off, &bits, &type) || bits ||
	    bit_off % 8)
		return -EINVAL;
	*off = bit_off / 8;
	sz = ls_btf_type_size(btf, type);
	if (sz != size || *off > ls_vm.stride || sz > ls_vm.stride - *off)
		return -EINVAL;
	if (type_name && !ls_btf_is_typedef(btf, type, type_name))
		return -EINVAL;
	return 0;
}

/*
 * The private struct vmap_node, from BTF only: its size is the array
 * stride, and busy.{head,lock,root} must have the public types' sizes
 * (and the lock the type spin_lock() takes).
 */
static int ls_vm_node_layout(const struct ls_btf *btf)
{
	static const char * const must_have[] = {
		"busy.head", "busy.lock", "busy.root", NULL
	};
	u32 id;
	s64 size;

	id = ls_btf_find_struct(btf, "vmap_node", must_have);
	if (!id)
		return -ENOENT;
	size = ls_btf_type_size(btf, id);
	if (size <= 0 || size > LS_VM_MAX_STRIDE)
		return -EINVAL;
	ls_vm.stride = size;
	/* spin_lock() takes it: a spinlock_t, on RT an rt_mutex inside. */
	if (ls_vm_node_member(btf, id, "busy.head", sizeof(struct list_head),
			      NULL, &ls_vm.off_head) ||
	    ls_vm_node_member(btf, id, "busy.lock", sizeof(spinlock_t),
			      "spinlock_t", &ls_vm.off_lock) ||
	    ls_vm_node_member(btf, id, "busy.root", sizeof(struct rb_root),
			      NULL, &ls_vm.off_root))
		return -EINVAL;
	return 0;
}

/*
 * A list found through symbols and offsets is taken for real only when it
 * behaves like one, under its lock: head->next->prev is the head, and the
 * first area of the rb-tree is the first area of the list (both are the
 * lowest address).  Before the lock is touched, the head is read with a
 * nofault copy, so that a wild address faults here instead of hanging in
 * spin_lock() or oopsing.
 */
static int ls_vm_check_list(const struct ls_vm_list *l)
{
	struct list_head *next, *prev;
	struct rb_node *first;
	bool ok;

	if (copy_from_kernel_nofault(&next, &l->head->next, sizeof(next)) ||
	    copy_from_kernel_nofault(&prev, &next->prev, sizeof(prev)))
		return -EFAULT;

	spin_lock(l->lock);
	ok = l->head->next->prev == l->head;
	if (ok && l->root) {
		first = rb_first(l->root);
		if (list_empty(l->head))
			ok = !first;
		else
			ok = first && &rb_entry(first, struct vmap_area,
						rb_node)->list == l->head->next;
	}
	spin_unlock(l->lock);
	return ok ? 0 : -EINVAL;
}

/*
 * The nodes regime needs BTF for the private struct vmap_node.  NULL when
 * usable, else what is wrong (and *@why, the short reason).
 */
static const char *ls_vm_init_nodes(void *nodes_sym, void *nr_sym,
				    const char **why)
{
	const struct ls_btf *btf = ls_kernel_btf();

	if (!btf) {
		*why = "btf";
		return "no kernel BTF for struct vmap_node";
	}
	if (ls_vm_node_layout(btf)) {
		*why = "layout";
		return "struct vmap_node in BTF lacks busy.{head,lock,root} as expected";
	}
	/* Both are written once, by vmap_init_nodes() at boot. */
	ls_vm.nr_lists = READ_ONCE(*(unsigned int *)nr_sym);
	ls_vm.vn = READ_ONCE(*(u8 **)nodes_sym);
	if (!ls_vm.nr_lists || ls_vm.nr_lists > LS_VM_MAX_NODES || !ls_vm.vn) {
		*why = "nodes";
		return "implausible vmap_nodes or nr_vmap_nodes";
	}
	ls_vm.nodes = true;
	return NULL;
}

static void ls_vm_init_list(void *list_sym, void *lock_sym)
{
	const char *why;

	ls_vm.nr_lists = 1;
	ls_vm.list.head = list_sym;
	ls_vm.list.lock = lock_sym;
	/*
	 * The busy rb-tree only speeds up resuming a walk; without it each
	 * batch skips the areas already copied, one by one.
	 */
	ls_vm.list.root = ls_resolve_data_symbol("vmap_area_root",
						 sizeof(struct rb_root), &why);
	if (!ls_vm.list.root)
		pr_info("vmap_area_root not resolved (%s): resuming by list\n",
			why);
}

/* One line in dmesg, and the reason in every file's header. */
static void ls_vm_disable(const char *why, const char *detail,
			  const char *what)
{
	pr_warn("vmalloc walker disabled: %s%s\n", detail, what ?: "");
	ls_compat_disable("vmalloc", why);
}

int ls_vmalloc_init(void)
{
	const struct ls_btf *btf = ls_kernel_btf();
	void *nodes_sym, *nr_sym, *list_sym, *lock_sym;
	const char *why, *detail, *what = NULL;
	struct ls_vm_list l;
	u32 i;

	nodes_sym = ls_resolve_data_symbol("vmap_nodes", sizeof(void *), &why);
	nr_sym = ls_resolve_data_symbol("nr_vmap_nodes",
					sizeof(unsigned int), &why);
	list_sym = ls_resolve_data_symbol("vmap_area_list",
					  sizeof(struct list_head), &why);
	lock_sym = ls_resolve_data_symbol("vmap_area_lock", sizeof(spinlock_t),
					  &why);

	if (nodes_sym && nr_sym && !list_sym && !lock_sym) {
		detail = ls_vm_init_nodes(nodes_sym, nr_sym, &why);
		if (detail) {
			ls_vm_disable(why, detail, NULL);
			return 0;
		}
	} else if (list_sym && lock_sym && !nodes_sym && !nr_sym) {
		ls_vm_init_list(list_sym, lock_sym);
	} else {
		/* Neither regime whole, or parts of both: a kernel not known. */
		ls_vm_disable("symbol", "no known set of vmap list symbols",
			      NULL);
		return 0;
	}

	/*
	 * Both regimes read the public structs.  Without BTF the list regime
	 * trusts the headers it was built with; the nodes regime has already
	 * required BTF.
	 */
	if (btf && ls_vm_check_public(btf, &what)) {
		ls_vm_disable("layout",
			      "headers and kernel BTF disagree on vmap_area/vm_struct member ",
			      what);
		return 0;
	}

	for (i = 0; i < ls_vm.nr_lists; i++) {
		ls_vm_get_list(i, &l);
		if (ls_vm_check_list(&l)) {
			ls_vm_disable("verify",
				      "a vmap busy list failed its sanity check",
				      NULL);
			return 0;
		}
	}
	ls_vm.enabled = true;
	pr_info("vmalloc walker: %s regime, %u busy list(s)%s\n",
		ls_vm.nodes ? "nodes" : "list", ls_vm.nr_lists,
		btf ? "" : ", layout not checked (no BTF)");
	return 0;
}

bool ls_vmalloc_enabled(void)
{
	return ls_vm.enabled;
}

/*
 * The first area of @l above @last, or @l->head when there is none.
 * Caller holds @l->lock.
 */
static struct list_head *ls_vm_seek(const struct ls_vm_list *l,
				    unsigned long last)
{
	struct vmap_area *va, *found = NULL;
	struct rb_node *n;
	struct list_head *p;

	if (l->root) {
		n = l->root->rb_node;
		while (n) {
			va = rb_entry(n, struct vmap_area, rb_node);
			if (va->va_start > last) {
				found = va;
				n = n->rb_left;
			} else {
				n = n->rb_right;
			}
		}
		return found ? &found->list : l->head;
	}
	for (p = l->head->next; p != l->head; p = p->next)
		if (list_entry(p, struct vmap_area, list)->va_start > last)
			break;
	return p;
}

/*
 * One lock hold: copy the areas of @l above *@last into @s, visiting at
 * most LS_VMALLOC_BATCH of them and copying no more than there is room
 * for.  Advances *@last.  True when the end of the list was reached.
 */
static bool ls_vm_copy_batch(const struct ls_vm_list *l,
			     struct ls_vmalloc_snap *s, unsigned long *last)
{
	u32 room = min_t(u32, LS_VMALLOC_BATCH, s->cap - s->nr);
	u32 visited = 0, copied = 0;
	struct ls_vm_area *out = s->a + s->nr;
	struct vmap_area *va;
	struct vm_struct *vm;
	struct list_head *p;
	unsigned long flags;
	bool done = true;
	ktime_t t0;
	s64 us;

	spin_lock(l->lock);
	t0 = ktime_get();
	for (p = ls_vm_seek(l, *last); p != l->head; p = p->next) {
		if (visited == LS_VMALLOC_BATCH || copied == room) {
			done = false;
			break;
		}
		visited++;
		va = list_entry(p, struct vmap_area, list);
		*last = va->va_start;
		/* vm_map_ram areas, or an area being torn down */
		vm = va->vm;
		if (!vm)
			continue;
		/* Still being populated, without the lock: skip, as /proc does. */
		flags = READ_ONCE(vm->flags);
		if (flags & VM_UNINITIALIZED)
			continue;
		/* Pairs with smp_wmb() in clear_vm_uninitialized_flag() */
		smp_rmb();
		out[copied].caller = (unsigned long)vm->caller;
		out[copied].size = vm->size;
		out[copied].flags = flags;
		out[copied].nr_pages = vm->nr_pages;
		copied++;
	}
	us = ktime_us_delta(ktime_get(), t0);
	spin_unlock(l->lock);

	s->nr += copied;
	if (us > s->longest_hold_us)
		s->longest_hold_us = min_t(s64, us, U32_MAX);
	return done;
}

/* Room for @want more records (fewer near the cap), grown outside locks. */
static int ls_vm_reserve(struct ls_vmalloc_snap *s, u32 want)
{
	u32 need = min_t(u32, s->nr + want, LS_VMALLOC_MAX);
	struct ls_vm_area *a;
	u32 cap;

	if (need <= s->cap)
		return 0;
	cap = clamp_t(u32, max(s->cap * 2, 4096U), need, LS_VMALLOC_MAX);
	a = ls_mem_array(cap, sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	if (s->nr)
		memcpy(a, s->a, s->nr * sizeof(*a));
	ls_mem_free(s->a);
	s->a = a;
	s->cap = cap;
	return 0;
}

int ls_vmalloc_walk(struct ls_vmalloc_snap *s)
{
	struct ls_vm_list l;
	unsigned long last;
	bool done;
	u32 i;
	int ret;

	s->nr = 0;
	s->truncated = false;
	s->longest_hold_us = 0;
	if (!ls_vm.enabled)
		return -ENODEV;

	for (i = 0; i < ls_vm.nr_lists; i++) {
		ls_vm_get_list(i, &l);
		/* No area starts at 0: the vmalloc range is far above it. */
		last = 0;
		do {
			ret = ls_vm_reserve(s, LS_VMALLOC_BATCH);
			if (ret)
				return ret;
			done = ls_vm_copy_batch(&l, s, &last);
			cond_resched();
			if (!done && s->nr >= LS_VMALLOC_MAX) {
				s->truncated = true;
				return 0;
			}
		} while (!done);
	}
	return 0;
}

void ls_vmalloc_snap_free(struct ls_vmalloc_snap *s)
{
	ls_mem_free(s->a);
	memset(s, 0, sizeof(*s));
}

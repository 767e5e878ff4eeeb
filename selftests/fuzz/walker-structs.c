// SPDX-License-Identifier: GPL-2.0
/*
 * The source of corpus/fuzz_btf/walker-structs.btf: small stand-ins for
 * the kernel structures the slab and vmalloc walkers look up, under their
 * names and with their member paths, so that fuzz_btf starts from a blob
 * its every lookup succeeds on (the Debian kernels' own 5 MB BTF are
 * seeds too, but far slower to mutate).  Made with:
 *
 *   gcc -g -c walker-structs.c && \
 *   pahole --btf_encode_detached=corpus/fuzz_btf/walker-structs.btf walker-structs.o
 */

typedef struct {
	int raw;
} raw_spinlock_t;

typedef struct spinlock {
	union {
		raw_spinlock_t rlock;
	};
} spinlock_t;

struct list_head {
	struct list_head *next, *prev;
};

typedef struct {
	long counter;
} atomic_long_t;

struct kmem_cache_order_objects {
	unsigned int x;
};

struct kmem_cache_node {
	spinlock_t list_lock;
	unsigned long nr_partial;
	struct list_head partial;
	atomic_long_t nr_slabs;
	atomic_long_t total_objects;
};

struct kmem_cache {
	void *cpu_slab;
	unsigned int flags;
	unsigned long min_partial;
	unsigned int size;
	unsigned int object_size;
	struct kmem_cache_order_objects oo;
	const char *name;
	struct list_head list;
	struct kmem_cache_node *node[1];
};

struct slab {
	unsigned long flags;
	union {
		struct list_head slab_list;
	};
	struct kmem_cache *slab_cache;
	union {
		unsigned long counters;
		struct {
			unsigned inuse:16;
			unsigned objects:15;
			unsigned frozen:1;
		};
	};
};

struct rb_root {
	void *rb_node;
};

struct rb_list {
	struct rb_root root;
	struct list_head head;
	spinlock_t lock;
};

struct vmap_node {
	char pool[64];
	struct rb_list busy;
	struct rb_list lazy;
};

enum _slab_flag_bits {
	_SLAB_CONSISTENCY_CHECKS,
	_SLAB_RECLAIM_ACCOUNT = 17,
};

struct kmem_cache kc;
struct slab sl;
struct vmap_node vn;
enum _slab_flag_bits fb;

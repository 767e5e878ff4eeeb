// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: module/btf.c, the parser the module runs on the
 * running kernel's .BTF section, on arbitrary bytes.  Seeded with the
 * Debian kernels' own BTF (build/unit/btf/, the host tests' extracts).
 *
 *  - ls_btf_blob_size() on the head: a size it gives is within the bound
 *    and at least a header;
 *  - ls_btf_init() on an exact-size heap copy (ASan sees any read past
 *    it): on success, every lookup the walkers make (the structs, members,
 *    sizes, typedef names and enumerators of walk_slab.c and
 *    walk_vmalloc.c) runs, and gives the same answer with the index as
 *    without it;
 *  - on failure the ls_btf is zeroed and every lookup on it fails.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ls_pure.h"
#include "btf.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_btf: %s:%d: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

/* What the walkers ask of the kernel's BTF */
static const struct {
	const char *name;
	const char *members[8];
} asks[] = {
	{ "kmem_cache", { "flags", "size", "object_size", "oo", "name", "list",
			  "node", NULL } },
	{ "kmem_cache_node", { "list_lock", "nr_partial", "partial",
			       "nr_slabs", "total_objects", NULL } },
	{ "slab", { "slab_list", "slab_cache", "counters", "inuse", "objects",
		    NULL } },
	{ "vmap_node", { "busy.head", "busy.lock", "busy.root", NULL } },
	{ "vmap_area", { "va_start", "va_end", "list", "vm", NULL } },
	{ "vm_struct", { "addr", "size", "flags", "nr_pages", "caller", NULL } },
};

/* Every answer of one pass of lookups, folded into one number */
static uint64_t lookups(const struct ls_btf *btf)
{
	uint64_t h = 1469598103934665603ULL;
	u32 off, bits, type, id, i, j;
	s64 v;
	int rc;

#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ULL)
	for (i = 0; i < ARRAY_SIZE(asks); i++) {
		id = ls_btf_find_struct(btf, asks[i].name, asks[i].members);
		MIX(id);
		MIX(ls_btf_find_struct(btf, asks[i].name, NULL));
		if (!id)
			continue;
		MIX(ls_btf_type_size(btf, id));
		for (j = 0; asks[i].members[j]; j++) {
			rc = ls_btf_member(btf, id, asks[i].members[j], &off,
					   &bits, &type);
			MIX(rc);
			if (rc)
				continue;
			MIX(off);
			MIX(bits);
			MIX(ls_btf_type_size(btf, type));
			MIX(ls_btf_is_typedef(btf, type, "spinlock_t"));
		}
	}
	rc = ls_btf_enum_value(btf, "_SLAB_RECLAIM_ACCOUNT", &v);
	MIX(rc);
	MIX(rc ? 0 : v);
	/*
	 * Sizes of the first types and of the last few, whatever they are.
	 * Without the index each size is a walk from type 1: 7 ms under ASan
	 * on a kernel's 112,000 types, so 64 of the last ones were half of
	 * a run's time on the Debian seeds, and the run counts of a check
	 * swung with how long the fuzzer stayed on them.
	 */
	for (i = 1; i <= btf->nr_types && i <= 64; i++)
		MIX(ls_btf_type_size(btf, i));
	for (i = btf->nr_types; i > 64 && i > btf->nr_types - 4; i--)
		MIX(ls_btf_type_size(btf, i));
#undef MIX
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_btf btf;
	uint64_t plain, indexed;
	u32 bs, *offs;
	u8 *p;

	if (size > U32_MAX)
		return 0;
	p = malloc(size ? size : 1);
	if (!p)
		return 0;
	memcpy(p, data, size);

	if (!ls_btf_blob_size(p, size < 64 ? (u32)size : 64, (u32)size, &bs))
		CHECK(bs >= 24 && bs <= size);

	if (ls_btf_init(&btf, p, (u32)size)) {
		CHECK(!btf.nr_types && !btf.data);
		CHECK(!ls_btf_find_struct(&btf, "slab", NULL));
		CHECK(ls_btf_type_size(&btf, 1) < 0);
		free(p);
		return 0;
	}
	plain = lookups(&btf);
	offs = calloc(btf.nr_types ? btf.nr_types : 1, sizeof(*offs));
	if (offs && !ls_btf_index(&btf, offs, btf.nr_types)) {
		indexed = lookups(&btf);
		CHECK(plain == indexed);
		ls_btf_unindex(&btf);
	}
	free(offs);
	free(p);
	return 0;
}

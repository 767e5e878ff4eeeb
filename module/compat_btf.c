// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel's BTF, read in place.
 *
 * vmlinux BTF is the allocated, read-only .BTF section, which starts at the
 * linker symbol __start_BTF ('R' in kallsyms on both Debian kernels; not
 * exported, so resolved like any other private data symbol,
 * compat_symbols.c).  Its end is taken from its own header, never from
 * __stop_BTF: a linker marker shares its address with whatever follows
 * .BTF, and kallsyms names that (btf_ksym_iter_id on several Debian
 * kernels).  __start_BTF shares its address with __stop_notes on both
 * Debian kernels too, so the magic check, not the name, is what makes it
 * safe.  The section is never written or freed after boot, so the parsed
 * view needs no copy and no lock.  An alternative source, kernel_read() of
 * /sys/kernel/btf/vmlinux, would cost a 5 MB buffer for the same bytes.
 *
 * BTF gives layouts, not semantics: callers still choose their code path
 * by which symbols exist, and use BTF to size and place what they read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>
#include <linux/slab.h>

#include "compat.h"
#include "compat_btf.h"
#include "self_mem.h"

/* vmlinux BTF is about 5 MB on Debian; anything this large is not BTF. */
#define LS_BTF_MAX_SIZE		SZ_64M
/* struct btf_header, and the most of a longer one from a newer kernel */
#define LS_BTF_HEAD		24
#define LS_BTF_MAX_HEAD		64

static struct ls_btf ls_btf_kernel;
static bool ls_btf_ok;
static u32 *ls_btf_offs;		/* its index, while the walkers set up */

static void ls_btf_unavailable(const char *why, const char *detail)
{
	pr_warn("kernel BTF unavailable (%s): walkers that need private layouts are disabled\n",
		detail);
	ls_compat_disable("btf", why);
}

int ls_kernel_btf_init(void)
{
	u8 head[LS_BTF_MAX_HEAD];
	const char *why = NULL;
	const u8 *start;
	u32 head_len = LS_BTF_HEAD, size;
	int ret;

	start = ls_resolve_marker("__start_BTF", LS_BTF_HEAD, &why);
	if (!start) {
		ls_btf_unavailable(why, "__start_BTF not resolved");
		return 0;
	}
	/*
	 * The size from the header, never from __stop_BTF (see the top of
	 * this file).  The header is copied without faulting, its extension
	 * too when it has one, and the whole blob must lie in the image's
	 * read-only data before it is parsed in place.
	 */
	if (copy_from_kernel_nofault(head, start, LS_BTF_HEAD)) {
		ls_btf_unavailable("range", "__start_BTF not readable");
		return 0;
	}
	memcpy(&head_len, head + 4, sizeof(head_len));
	head_len = clamp_t(u32, head_len, LS_BTF_HEAD, LS_BTF_MAX_HEAD);
	if ((head_len > LS_BTF_HEAD &&
	     (!ls_compat_in_image_data(start, head_len) ||
	      copy_from_kernel_nofault(head, start, head_len))) ||
	    ls_btf_blob_size(head, head_len, LS_BTF_MAX_SIZE, &size)) {
		ls_btf_unavailable("header", "no BTF header at __start_BTF");
		return 0;
	}
	if (!ls_compat_in_image_data(start, size)) {
		ls_btf_unavailable("range", "BTF section outside the kernel image's data");
		return 0;
	}
	ret = ls_btf_init(&ls_btf_kernel, start, size);
	if (ret) {
		ls_btf_unavailable("parse", "section does not parse");
		return 0;
	}
	ls_btf_ok = true;
	/* Without an index, lookups still work, by walking. */
	ls_btf_offs = ls_mem_array(ls_btf_kernel.nr_types,
				   sizeof(*ls_btf_offs), GFP_KERNEL);
	if (ls_btf_offs && ls_btf_index(&ls_btf_kernel, ls_btf_offs,
					ls_btf_kernel.nr_types)) {
		ls_mem_free(ls_btf_offs);
		ls_btf_offs = NULL;
	}
	pr_debug("kernel BTF: %u bytes, %u types\n", ls_btf_kernel.size,
		 ls_btf_kernel.nr_types);
	return 0;
}

void ls_kernel_btf_done(void)
{
	ls_btf_unindex(&ls_btf_kernel);
	ls_mem_free(ls_btf_offs);
	ls_btf_offs = NULL;
}

const struct ls_btf *ls_kernel_btf(void)
{
	return ls_btf_ok ? &ls_btf_kernel : NULL;
}

int ls_btf_member_bytes(const struct ls_btf *btf, u32 id, const char *path,
			u32 *off, u32 *size)
{
	u32 bit_off, bits, type;
	s64 sz;
	int ret;

	ret = ls_btf_member(btf, id, path, &bit_off, &bits, &type);
	if (ret)
		return ret;
	if (bits || bit_off % 8)
		return -EINVAL;
	*off = bit_off / 8;
	if (size) {
		sz = ls_btf_type_size(btf, type);
		if (sz <= 0 || sz > U32_MAX)
			return -EINVAL;
		*size = sz;
	}
	return 0;
}

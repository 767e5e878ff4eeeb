/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running kernel's own BTF, the layout oracle for private structures
 * (KERNEL-NOTES.md D.4): found at the linker marker __start_BTF by its
 * magic, sized by its own header, parsed in place by btf.c, never copied.
 */
#ifndef LS_COMPAT_BTF_H
#define LS_COMPAT_BTF_H

#include "btf.h"

/*
 * Find and validate the kernel's BTF.  Call once at module init, after
 * ls_compat_init() and before any user of ls_kernel_btf().  Returns 0 even
 * when BTF is unavailable: that only disables the layouts that need it
 * ("btf" in the disabled list, one line in dmesg).
 */
int ls_kernel_btf_init(void);

/*
 * The parsed kernel BTF, or NULL when it is unavailable.  The blob is the
 * kernel's read-only .BTF section, so the result stays valid for the life
 * of the module; read-only use needs no lock.
 */
const struct ls_btf *ls_kernel_btf(void);

/*
 * The walkers have read their layouts: free the index that made their
 * lookups fast (some 400 kB).  ls_kernel_btf() still works, walking.
 */
void ls_kernel_btf_done(void);

/*
 * Offset in bytes of member @path of struct @id, for members that are
 * neither bitfields nor at a bit offset; *@size (may be NULL) gets the size
 * of the member's type.  -ENOENT when BTF lacks it, -EINVAL when it is not
 * byte-addressable or its size is unknown.
 */
int ls_btf_member_bytes(const struct ls_btf *btf, u32 id, const char *path,
			u32 *off, u32 *size);

#endif /* LS_COMPAT_BTF_H */

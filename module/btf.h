/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout oracle: a read-only parser of a kernel's BTF blob (.BTF section,
 * /sys/kernel/btf/vmlinux), format include/uapi/linux/btf.h.
 *
 * Pure code: built into the module and into host unit tests.  No
 * allocation, no locks; the blob is the caller's and must stay unchanged
 * while a struct ls_btf refers to it.  There is no index, so each lookup of
 * a type by id walks the type section from the start: every call costs at
 * most a small constant number of linear walks (about 100k records on the
 * Debian kernels), never more.  Every read is bounds-checked against the
 * blob, so a corrupted blob gives an error, never an out-of-bounds read.
 */
#ifndef LS_BTF_H
#define LS_BTF_H

#include "ls_pure.h"

/* Bounds of the work one call may do (see btf.c) */
/* nested anonymous struct/union levels (Debian 6.12's slab.inuse: 6) */
#define LS_BTF_MAX_DEPTH	12
#define LS_BTF_MAX_CHAIN	32	/* typedef/const/volatile/array hops */
/* type-id lookups (linear walks) by one ls_btf_member() call */
#define LS_BTF_MAX_HOPS		256
#define LS_BTF_MAX_CANDIDATES	8	/* same-name structs checked for members */
#define LS_BTF_MAX_TYPES	0x000fffff	/* BTF_MAX_TYPE of the kernel */

struct ls_btf {			/* a parsed, validated blob; no allocation */
	const u8 *data;
	u32 size;
	const u8 *types;
	u32 types_len;
	const char *strs;
	u32 strs_len;
	u32 nr_types;		/* type ids are 1..nr_types */
	/*
	 * Optional: offset of each type's record, [id - 1].  Without it a
	 * lookup by id walks the type section from the start, and the
	 * layouts leakscope reads at load take some 25 such walks of the
	 * kernel's 100,000-odd types.
	 */
	const u32 *offs;
};

/*
 * Validates the header (magic 0xeB9F in native byte order, version 1, flags
 * 0, hdr_len at least 24 with any extra header bytes zero, both sections
 * inside the blob and not overlapping, the string section starting and
 * ending with NUL) and walks every type record once to count them.  An
 * unknown kind (0, or above BTF_KIND_ENUM64 = 19), reserved info bits set,
 * a record running past the end of the type section, or any name offset
 * (of a type, member, enumerator or parameter) outside the string section:
 * -EINVAL, and @btf is zeroed (every lookup on it then fails).
 */
int ls_btf_init(struct ls_btf *btf, const void *data, u32 size);

/*
 * Size in bytes of the BTF blob whose header is the @head_len bytes at
 * @head, from that header alone: the blob ends where its sections do.  For
 * the kernel's own .BTF section, whose end the linker marks with a symbol
 * that shares its address with whatever follows (__stop_BTF).  The header
 * is checked as ls_btf_init() does (magic, version, flags, hdr_len with any
 * extra header bytes, which must be within @head_len, zero) and, as the
 * kernel's btf_check_sec_info() requires, the type and string sections
 * must follow the header back to back, in either order, with no gap.
 * -EINVAL for anything else, or a size above @max.
 */
int ls_btf_blob_size(const void *head, u32 head_len, u32 max, u32 *size);

/*
 * Index @btf's records into @offs (room for @nr, at least btf->nr_types)
 * so that lookups by type id no longer walk.  @offs must outlive its use;
 * ls_btf_unindex() forgets it.  Returns 0, or -EINVAL (too small).
 */
int ls_btf_index(struct ls_btf *btf, u32 *offs, u32 nr);
void ls_btf_unindex(struct ls_btf *btf);

/*
 * Type id of the struct (kind STRUCT) named @name, or 0.  When several have
 * that name, the first that has all of the @must_have members (a
 * NULL-terminated list of member paths as for ls_btf_member(); @must_have
 * may be NULL) wins.  At most LS_BTF_MAX_CANDIDATES same-name structs are
 * checked against @must_have.
 */
u32 ls_btf_find_struct(const struct ls_btf *btf, const char *name,
		       const char * const *must_have);

/*
 * Is type @id a typedef named @name?  Layout checks name a member's type
 * (spinlock_t) as well as size it: a raw_spinlock_t or an rt_mutex-based
 * lock of the same size is not what the code that takes it expects.
 */
bool ls_btf_is_typedef(const struct ls_btf *btf, u32 id, const char *name);

/*
 * Size in bytes of type @id: through typedef/const/volatile/restrict/
 * type_tag/var chains and arrays (element size times element count, nested
 * arrays multiplied) of at most LS_BTF_MAX_CHAIN hops.  A pointer has the
 * size of this build's pointers.  -EINVAL for void, functions, forward
 * declarations, a broken chain or an overflow.
 */
s64 ls_btf_type_size(const struct ls_btf *btf, u32 id);

/*
 * Offset in bits of member @path inside struct/union @id (a typedef or
 * qualifier of one is followed).  @path is dot-separated ("busy.head",
 * "node"); each step also finds members of anonymous struct/union members,
 * to a nesting of LS_BTF_MAX_DEPTH, as C does.  Also returns the member's
 * bitfield size in bits (0 when not a bitfield) and its type id, as
 * recorded in the member (not resolved).  Any of the three outputs may be
 * NULL.  Both bitfield encodings are handled: kind_flag set (size in the
 * member's offset word) and kind_flag clear (size and extra offset in the
 * INT type).  -ENOENT: no such member, or a step other than the last is not
 * a struct/union.  -EINVAL: bad arguments (an empty step), @id not a
 * struct/union, or a broken or too long chain in the blob.
 */
int ls_btf_member(const struct ls_btf *btf, u32 id, const char *path,
		  u32 *bit_off, u32 *bitfield_size, u32 *member_type);

/*
 * Value of enumerator @name in any ENUM or ENUM64 (the first found), or
 * -ENOENT.  kind_flag says signed (set) or unsigned (clear), as since Linux
 * 6.0; an unsigned 64-bit value above S64_MAX comes back as its two's
 * complement.  -EINVAL for bad arguments or a broken record on the way.
 */
int ls_btf_enum_value(const struct ls_btf *btf, const char *name, s64 *value);

#endif /* LS_BTF_H */

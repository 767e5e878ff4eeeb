// SPDX-License-Identifier: GPL-2.0
/*
 * Layout oracle for leakscope: struct sizes, member offsets and enumerator
 * values from the running kernel's BTF, for the private structures that
 * change between kernels (vmap_node, kmem_cache, slab...).
 *
 * BTF (include/uapi/linux/btf.h) is a header, a type section of
 * variable-length records (type id N is the N-th record) and a string
 * section.  There is no index and no memory to build one, so finding a type
 * by id walks the records from the start; each public call does a bounded
 * number of such walks (LS_BTF_MAX_HOPS, LS_BTF_MAX_CHAIN).  Nested
 * anonymous members are searched with a fixed-size explicit stack
 * (LS_BTF_MAX_DEPTH), so a cycle in a corrupted blob ends in -EINVAL.
 *
 * Every read goes through ls_btf_rec_at() or checks its offset itself, even
 * after ls_btf_init() validated the blob, so no call can read outside it.
 * Multi-byte fields are read with memcpy(): the blob may be unaligned.
 *
 * This file is pure: no allocation, no locks, no printing.
 */

#include "ls_pure.h"
#include "btf.h"

#define LS_BTF_MAGIC		0xeB9F
#define LS_BTF_VERSION		1
#define LS_BTF_HDR_LEN		24	/* struct btf_header */
#define LS_BTF_TYPE_LEN		12	/* struct btf_type */
#define LS_BTF_MEMBER_LEN	12	/* struct btf_member */
#define LS_BTF_ENUM_LEN		8	/* struct btf_enum */
#define LS_BTF_ENUM64_LEN	12	/* struct btf_enum64 */
#define LS_BTF_PARAM_LEN	8	/* struct btf_param */
#define LS_BTF_SECINFO_LEN	12	/* struct btf_var_secinfo */
#define LS_BTF_ARRAY_LEN	12	/* struct btf_array */

/* btf_type.info: vlen in bits 0-15, kind in 24-28, kind_flag in 31 */
#define LS_BTF_INFO_MASK	0x9f00ffffU

enum {
	LS_BTF_KIND_INT = 1,
	LS_BTF_KIND_PTR,
	LS_BTF_KIND_ARRAY,
	LS_BTF_KIND_STRUCT,
	LS_BTF_KIND_UNION,
	LS_BTF_KIND_ENUM,
	LS_BTF_KIND_FWD,
	LS_BTF_KIND_TYPEDEF,
	LS_BTF_KIND_VOLATILE,
	LS_BTF_KIND_CONST,
	LS_BTF_KIND_RESTRICT,
	LS_BTF_KIND_FUNC,
	LS_BTF_KIND_FUNC_PROTO,
	LS_BTF_KIND_VAR,
	LS_BTF_KIND_DATASEC,
	LS_BTF_KIND_FLOAT,
	LS_BTF_KIND_DECL_TAG,
	LS_BTF_KIND_TYPE_TAG,
	LS_BTF_KIND_ENUM64,	/* 19: the last kind known here */
};

/* One type record, decoded */
struct ls_btf_rec {
	u32 off;		/* of the record in the type section */
	u32 len;		/* of the whole record, trailing data included */
	u32 name_off;
	u32 size_type;		/* size or type id, by kind */
	u16 vlen;
	u8 kind;
	bool kflag;
};

/*
 * State of one public call: a known record to resume walks from, and the
 * number of type-id lookups done so far.
 */
struct ls_btf_walk {
	u32 id;			/* 0: none known yet */
	u32 off;
	u32 hops;
};

/* A member found by ls_btf_find_member() */
struct ls_btf_found {
	u32 bit_off;		/* from the start of the outermost struct */
	u32 bitfield;		/* bits, or 0 */
	u32 type;
	bool kflag;		/* of the struct/union holding it */
};

static u32 ls_btf_rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static bool ls_btf_is_modifier(u8 kind)
{
	return kind == LS_BTF_KIND_TYPEDEF || kind == LS_BTF_KIND_VOLATILE ||
	       kind == LS_BTF_KIND_CONST || kind == LS_BTF_KIND_RESTRICT ||
	       kind == LS_BTF_KIND_TYPE_TAG;
}

static bool ls_btf_is_composite(u8 kind)
{
	return kind == LS_BTF_KIND_STRUCT || kind == LS_BTF_KIND_UNION;
}

/*
 * Decodes the record at @off of the type section.  -EINVAL if it does not
 * fit in the section, its kind is unknown or reserved info bits are set.
 */
static int ls_btf_rec_at(const struct ls_btf *btf, u32 off,
			 struct ls_btf_rec *r)
{
	const u8 *p;
	u32 info, extra;

	if (off > btf->types_len || btf->types_len - off < LS_BTF_TYPE_LEN)
		return -EINVAL;
	p = btf->types + off;
	info = ls_btf_rd32(p + 4);
	if (info & ~LS_BTF_INFO_MASK)
		return -EINVAL;
	r->off = off;
	r->name_off = ls_btf_rd32(p);
	r->size_type = ls_btf_rd32(p + 8);
	r->vlen = info & 0xffff;
	r->kind = (info >> 24) & 0x1f;
	r->kflag = info >> 31;

	switch (r->kind) {
	case LS_BTF_KIND_INT:
	case LS_BTF_KIND_VAR:
	case LS_BTF_KIND_DECL_TAG:
		extra = sizeof(u32);
		break;
	case LS_BTF_KIND_ARRAY:
		extra = LS_BTF_ARRAY_LEN;
		break;
	case LS_BTF_KIND_STRUCT:
	case LS_BTF_KIND_UNION:
		extra = r->vlen * LS_BTF_MEMBER_LEN;
		break;
	case LS_BTF_KIND_ENUM:
		extra = r->vlen * LS_BTF_ENUM_LEN;
		break;
	case LS_BTF_KIND_FUNC_PROTO:
		extra = r->vlen * LS_BTF_PARAM_LEN;
		break;
	case LS_BTF_KIND_DATASEC:
		extra = r->vlen * LS_BTF_SECINFO_LEN;
		break;
	case LS_BTF_KIND_ENUM64:
		extra = r->vlen * LS_BTF_ENUM64_LEN;
		break;
	case LS_BTF_KIND_PTR:
	case LS_BTF_KIND_FWD:
	case LS_BTF_KIND_TYPEDEF:
	case LS_BTF_KIND_VOLATILE:
	case LS_BTF_KIND_CONST:
	case LS_BTF_KIND_RESTRICT:
	case LS_BTF_KIND_FUNC:
	case LS_BTF_KIND_FLOAT:
	case LS_BTF_KIND_TYPE_TAG:
		extra = 0;
		break;
	default:		/* 0 (void is no record) or newer than us */
		return -EINVAL;
	}
	if (extra > btf->types_len - off - LS_BTF_TYPE_LEN)
		return -EINVAL;
	r->len = LS_BTF_TYPE_LEN + extra;
	return 0;
}

/* Start of the record's trailing data (members, enumerators...) */
static const u8 *ls_btf_tail(const struct ls_btf *btf,
			     const struct ls_btf_rec *r)
{
	return btf->types + r->off + LS_BTF_TYPE_LEN;
}

/* Is the string at @name_off exactly the @len chars at @s? */
static bool ls_btf_name_eq(const struct ls_btf *btf, u32 name_off,
			   const char *s, u32 len)
{
	if (name_off >= btf->strs_len || btf->strs_len - name_off <= len)
		return false;
	return !memcmp(btf->strs + name_off, s, len) &&
	       btf->strs[name_off + len] == '\0';
}

/* Name offsets of the record and of its members, enumerators, parameters */
static int ls_btf_check_names(const struct ls_btf *btf,
			      const struct ls_btf_rec *r)
{
	const u8 *p = ls_btf_tail(btf, r);
	u32 i, stride;

	if (r->name_off >= btf->strs_len)
		return -EINVAL;
	switch (r->kind) {
	case LS_BTF_KIND_STRUCT:
	case LS_BTF_KIND_UNION:
		stride = LS_BTF_MEMBER_LEN;
		break;
	case LS_BTF_KIND_ENUM:
		stride = LS_BTF_ENUM_LEN;
		break;
	case LS_BTF_KIND_ENUM64:
		stride = LS_BTF_ENUM64_LEN;
		break;
	case LS_BTF_KIND_FUNC_PROTO:
		stride = LS_BTF_PARAM_LEN;
		break;
	default:
		return 0;
	}
	/* name_off is the first field of each of these entries */
	for (i = 0; i < r->vlen; i++)
		if (ls_btf_rd32(p + i * stride) >= btf->strs_len)
			return -EINVAL;
	return 0;
}

/* The header fields both ls_btf_init() and ls_btf_blob_size() check */
struct ls_btf_hdr {
	u32 hdr_len, type_off, type_len, str_off, str_len;
};

/* Check the header in the first @avail bytes at @p and decode it. */
static int ls_btf_hdr_read(const u8 *p, u32 avail, struct ls_btf_hdr *h)
{
	u16 magic;
	u32 i;

	if (!p || avail < LS_BTF_HDR_LEN)
		return -EINVAL;
	memcpy(&magic, p, sizeof(magic));
	if (magic != LS_BTF_MAGIC || p[2] != LS_BTF_VERSION || p[3])
		return -EINVAL;
	h->hdr_len = ls_btf_rd32(p + 4);
	h->type_off = ls_btf_rd32(p + 8);
	h->type_len = ls_btf_rd32(p + 12);
	h->str_off = ls_btf_rd32(p + 16);
	h->str_len = ls_btf_rd32(p + 20);
	if (h->hdr_len < LS_BTF_HDR_LEN || h->hdr_len > avail)
		return -EINVAL;
	/* A longer header from a newer kernel: only if we lose nothing */
	for (i = LS_BTF_HDR_LEN; i < h->hdr_len; i++)
		if (p[i])
			return -EINVAL;
	return 0;
}

int ls_btf_blob_size(const void *head, u32 head_len, u32 max, u32 *size)
{
	struct ls_btf_hdr h;
	u64 total;

	if (!size || ls_btf_hdr_read(head, head_len, &h))
		return -EINVAL;
	/* Back to back from the end of the header, in either order */
	if (!((h.type_off == 0 && h.str_off == h.type_len) ||
	      (h.str_off == 0 && h.type_off == h.str_len)))
		return -EINVAL;
	total = (u64)h.hdr_len + h.type_len + h.str_len;
	if (!h.str_len || total > max)
		return -EINVAL;
	*size = total;
	return 0;
}

int ls_btf_init(struct ls_btf *btf, const void *data, u32 size)
{
	struct ls_btf b;
	struct ls_btf_rec r;
	struct ls_btf_hdr h;
	const u8 *p = data;
	u32 avail, off, n = 0;

	if (!btf)
		return -EINVAL;
	memset(btf, 0, sizeof(*btf));
	if (ls_btf_hdr_read(p, size, &h))
		return -EINVAL;

	/* Section offsets count from the end of the header */
	avail = size - h.hdr_len;
	if (h.type_off > avail || h.type_len > avail - h.type_off ||
	    h.str_off > avail || h.str_len > avail - h.str_off)
		return -EINVAL;
	if (h.type_len && h.type_off < h.str_off + h.str_len &&
	    h.str_off < h.type_off + h.type_len)
		return -EINVAL;
	/* Offset 0 is the empty name; the last string is terminated. */
	if (!h.str_len || p[h.hdr_len + h.str_off] ||
	    p[h.hdr_len + h.str_off + h.str_len - 1])
		return -EINVAL;

	memset(&b, 0, sizeof(b));
	b.data = p;
	b.size = size;
	b.types = p + h.hdr_len + h.type_off;
	b.types_len = h.type_len;
	b.strs = (const char *)p + h.hdr_len + h.str_off;
	b.strs_len = h.str_len;

	for (off = 0; off < h.type_len; off += r.len) {
		if (ls_btf_rec_at(&b, off, &r) || ls_btf_check_names(&b, &r))
			return -EINVAL;
		if (++n > LS_BTF_MAX_TYPES)
			return -EINVAL;
	}
	b.nr_types = n;
	*btf = b;
	return 0;
}

int ls_btf_index(struct ls_btf *btf, u32 *offs, u32 nr)
{
	struct ls_btf_rec r;
	u32 off, n = 0;

	if (!btf || !offs || nr < btf->nr_types)
		return -EINVAL;
	/* ls_btf_init() walked these records already: they parse. */
	for (off = 0; off < btf->types_len && n < btf->nr_types; off += r.len) {
		if (ls_btf_rec_at(btf, off, &r))
			return -EINVAL;
		offs[n++] = off;
	}
	if (n != btf->nr_types)
		return -EINVAL;
	btf->offs = offs;
	return 0;
}

void ls_btf_unindex(struct ls_btf *btf)
{
	if (btf)
		btf->offs = NULL;
}

/*
 * The record of type @id: through the index when there is one, else a
 * walk from the start of the type section, or from the record @w last
 * found when that is not past @id.
 */
static int ls_btf_rec_by_id(const struct ls_btf *btf, u32 id,
			    struct ls_btf_rec *r, struct ls_btf_walk *w)
{
	u32 i = 1, off = 0;

	if (!id || id > btf->nr_types)
		return -EINVAL;
	if (btf->offs) {
		off = btf->offs[id - 1];
		if (ls_btf_rec_at(btf, off, r))
			return -EINVAL;
		w->id = id;
		w->off = off;
		return 0;
	}
	if (w->id && w->id <= id) {
		i = w->id;
		off = w->off;
	}
	for (;; i++) {
		if (ls_btf_rec_at(btf, off, r))
			return -EINVAL;
		if (i == id)
			break;
		off += r->len;
	}
	w->id = id;
	w->off = off;
	return 0;
}

/*
 * The record of @id with typedefs and qualifiers stripped, counting each
 * lookup against the LS_BTF_MAX_HOPS budget of @w.
 */
static int ls_btf_resolve(const struct ls_btf *btf, u32 id,
			  struct ls_btf_rec *r, struct ls_btf_walk *w)
{
	u32 n;

	for (n = 0; n < LS_BTF_MAX_CHAIN; n++) {
		if (w->hops >= LS_BTF_MAX_HOPS)
			return -EINVAL;
		w->hops++;
		if (ls_btf_rec_by_id(btf, id, r, w))
			return -EINVAL;
		if (!ls_btf_is_modifier(r->kind))
			return 0;
		id = r->size_type;
	}
	return -EINVAL;
}

/* One level of the anonymous-member search */
struct ls_btf_frame {
	u32 rec_off;		/* of the struct/union record */
	u32 base;		/* its bit offset in the outermost struct */
	u32 next;		/* member to look at next */
};

/*
 * Finds member @name (@len chars, not NUL-terminated) of the struct/union
 * @top, which sits at bit @base, looking into anonymous struct/union
 * members depth-first in declaration order, as C name lookup does.
 */
static int ls_btf_find_member(const struct ls_btf *btf,
			      const struct ls_btf_rec *top, u32 base,
			      const char *name, u32 len,
			      struct ls_btf_found *out, struct ls_btf_walk *w)
{
	struct ls_btf_frame st[LS_BTF_MAX_DEPTH + 1];
	struct ls_btf_frame *f;
	struct ls_btf_rec r, t;
	u32 depth = 1, name_off, type, word, bit, bits;
	const u8 *p;
	int rc;

	st[0].rec_off = top->off;
	st[0].base = base;
	st[0].next = 0;
	while (depth) {
		f = &st[depth - 1];
		if (ls_btf_rec_at(btf, f->rec_off, &r) ||
		    !ls_btf_is_composite(r.kind))
			return -EINVAL;
		if (f->next >= r.vlen) {
			depth--;
			continue;
		}
		p = ls_btf_tail(btf, &r) + f->next * LS_BTF_MEMBER_LEN;
		f->next++;
		name_off = ls_btf_rd32(p);
		type = ls_btf_rd32(p + 4);
		word = ls_btf_rd32(p + 8);
		bit = r.kflag ? word & 0xffffff : word;
		bits = r.kflag ? word >> 24 : 0;
		if (bit > U32_MAX - f->base)
			return -EINVAL;
		bit += f->base;

		if (ls_btf_name_eq(btf, name_off, name, len)) {
			out->bit_off = bit;
			out->bitfield = bits;
			out->type = type;
			out->kflag = r.kflag;
			return 0;
		}
		/* Only anonymous members that are not bitfields hide more */
		if (!ls_btf_name_eq(btf, name_off, "", 0) || bits)
			continue;
		rc = ls_btf_resolve(btf, type, &t, w);
		if (rc)
			return rc;
		if (!ls_btf_is_composite(t.kind))
			continue;
		if (depth > LS_BTF_MAX_DEPTH)	/* frames = levels + 1 */
			return -EINVAL;
		st[depth].rec_off = t.off;
		st[depth].base = bit;
		st[depth].next = 0;
		depth++;
	}
	return -ENOENT;
}

/* A non-empty path without empty steps ("a", "a.b", not "a..b" or "a.") */
static bool ls_btf_path_ok(const char *path)
{
	const char *c;

	if (*path == '\0' || *path == '.')
		return false;
	for (c = path; *c; c++)
		if (c[0] == '.' && (c[1] == '.' || c[1] == '\0'))
			return false;
	return true;
}

/* ls_btf_member() from the (resolved) struct/union record @r */
static int ls_btf_member_rec(const struct ls_btf *btf, struct ls_btf_rec *r,
			     const char *path, struct ls_btf_found *m,
			     struct ls_btf_walk *w)
{
	const char *step = path, *dot;
	u32 base = 0, enc, int_off, int_bits;
	size_t len;
	int rc;

	if (!ls_btf_path_ok(path))
		return -EINVAL;
	for (;;) {
		dot = strchr(step, '.');
		len = dot ? (size_t)(dot - step) : strlen(step);
		if (!len || len >= U32_MAX)
			return -EINVAL;
		rc = ls_btf_find_member(btf, r, base, step, len, m, w);
		if (rc)
			return rc;
		if (!dot)
			break;
		if (m->bitfield)
			return -ENOENT;
		rc = ls_btf_resolve(btf, m->type, r, w);
		if (rc)
			return rc;
		if (!ls_btf_is_composite(r->kind))
			return -ENOENT;
		base = m->bit_off;
		step = dot + 1;
	}
	if (m->kflag)
		return 0;

	/*
	 * kind_flag clear: a bitfield is a member of an INT type whose bits
	 * are fewer than its size, or which starts at an extra bit offset.
	 */
	rc = ls_btf_resolve(btf, m->type, r, w);
	if (rc)
		return rc;
	if (r->kind != LS_BTF_KIND_INT)
		return 0;
	enc = ls_btf_rd32(ls_btf_tail(btf, r));
	int_off = (enc >> 16) & 0xff;
	int_bits = enc & 0xff;
	if (!int_off && (u64)int_bits == (u64)r->size_type * 8)
		return 0;
	if (!int_bits || m->bit_off > U32_MAX - int_off)
		return -EINVAL;
	m->bit_off += int_off;
	m->bitfield = int_bits;
	return 0;
}

int ls_btf_member(const struct ls_btf *btf, u32 id, const char *path,
		  u32 *bit_off, u32 *bitfield_size, u32 *member_type)
{
	struct ls_btf_walk w = { 0 };
	struct ls_btf_found m;
	struct ls_btf_rec r;
	int rc;

	if (!btf || !path)
		return -EINVAL;
	rc = ls_btf_resolve(btf, id, &r, &w);
	if (rc)
		return rc;
	if (!ls_btf_is_composite(r.kind))
		return -EINVAL;
	rc = ls_btf_member_rec(btf, &r, path, &m, &w);
	if (rc)
		return rc;
	if (bit_off)
		*bit_off = m.bit_off;
	if (bitfield_size)
		*bitfield_size = m.bitfield;
	if (member_type)
		*member_type = m.type;
	return 0;
}

/* Does the struct @r have every member path of @must_have? */
static bool ls_btf_has_all(const struct ls_btf *btf,
			   const struct ls_btf_rec *r,
			   const char * const *must_have)
{
	struct ls_btf_walk w;
	struct ls_btf_found m;
	struct ls_btf_rec t;

	for (; *must_have; must_have++) {
		memset(&w, 0, sizeof(w));
		t = *r;
		if (ls_btf_member_rec(btf, &t, *must_have, &m, &w))
			return false;
	}
	return true;
}

u32 ls_btf_find_struct(const struct ls_btf *btf, const char *name,
		       const char * const *must_have)
{
	struct ls_btf_rec r;
	u32 id, off = 0, tried = 0;
	size_t len;

	if (!btf || !name)
		return 0;
	len = strlen(name);
	if (!len || len >= U32_MAX)
		return 0;
	for (id = 1; id <= btf->nr_types; id++, off += r.len) {
		if (ls_btf_rec_at(btf, off, &r))
			return 0;
		if (r.kind != LS_BTF_KIND_STRUCT ||
		    !ls_btf_name_eq(btf, r.name_off, name, len))
			continue;
		if (!must_have)
			return id;
		if (tried++ >= LS_BTF_MAX_CANDIDATES)
			return 0;
		if (ls_btf_has_all(btf, &r, must_have))
			return id;
	}
	return 0;
}

bool ls_btf_is_typedef(const struct ls_btf *btf, u32 id, const char *name)
{
	struct ls_btf_walk w = { 0 };
	struct ls_btf_rec r;
	size_t len;

	if (!btf || !name)
		return false;
	len = strlen(name);
	if (!len || len >= U32_MAX || ls_btf_rec_by_id(btf, id, &r, &w))
		return false;
	return r.kind == LS_BTF_KIND_TYPEDEF &&
	       ls_btf_name_eq(btf, r.name_off, name, len);
}

s64 ls_btf_type_size(const struct ls_btf *btf, u32 id)
{
	struct ls_btf_walk w = { 0 };
	struct ls_btf_rec r;
	u64 mult = 1, size, n;
	const u8 *p;
	u32 hop;

	if (!btf)
		return -EINVAL;
	for (hop = 0; hop < LS_BTF_MAX_CHAIN; hop++) {
		if (ls_btf_rec_by_id(btf, id, &r, &w))
			return -EINVAL;
		switch (r.kind) {
		case LS_BTF_KIND_INT:
		case LS_BTF_KIND_STRUCT:
		case LS_BTF_KIND_UNION:
		case LS_BTF_KIND_ENUM:
		case LS_BTF_KIND_ENUM64:
		case LS_BTF_KIND_DATASEC:
		case LS_BTF_KIND_FLOAT:
		case LS_BTF_KIND_PTR:
			/* BTF has no pointer size: the kernel's is ours. */
			size = r.kind == LS_BTF_KIND_PTR ? sizeof(void *)
							 : r.size_type;
			if (size && mult > (u64)S64_MAX / size)
				return -EINVAL;
			return (s64)(size * mult);
		case LS_BTF_KIND_ARRAY:
			p = ls_btf_tail(btf, &r);
			id = ls_btf_rd32(p);		/* element type */
			n = ls_btf_rd32(p + 8);		/* nelems */
			if (n && mult > (u64)S64_MAX / n)
				return -EINVAL;
			mult *= n;
			break;
		case LS_BTF_KIND_TYPEDEF:
		case LS_BTF_KIND_VOLATILE:
		case LS_BTF_KIND_CONST:
		case LS_BTF_KIND_RESTRICT:
		case LS_BTF_KIND_TYPE_TAG:
		case LS_BTF_KIND_VAR:
			id = r.size_type;
			break;
		default:	/* FUNC, FUNC_PROTO, FWD, DECL_TAG: no size */
			return -EINVAL;
		}
	}
	return -EINVAL;
}

int ls_btf_enum_value(const struct ls_btf *btf, const char *name, s64 *value)
{
	struct ls_btf_rec r;
	const u8 *p;
	u32 id, off = 0, i, v;
	size_t len;
	u64 v64;

	if (!btf || !name || !value)
		return -EINVAL;
	len = strlen(name);
	if (!len || len >= U32_MAX)
		return -ENOENT;
	for (id = 1; id <= btf->nr_types; id++, off += r.len) {
		if (ls_btf_rec_at(btf, off, &r))
			return -EINVAL;
		p = ls_btf_tail(btf, &r);
		if (r.kind == LS_BTF_KIND_ENUM) {
			for (i = 0; i < r.vlen; i++, p += LS_BTF_ENUM_LEN) {
				if (!ls_btf_name_eq(btf, ls_btf_rd32(p), name,
						    len))
					continue;
				v = ls_btf_rd32(p + 4);
				*value = r.kflag ? (s64)(s32)v : (s64)v;
				return 0;
			}
		} else if (r.kind == LS_BTF_KIND_ENUM64) {
			for (i = 0; i < r.vlen; i++, p += LS_BTF_ENUM64_LEN) {
				if (!ls_btf_name_eq(btf, ls_btf_rd32(p), name,
						    len))
					continue;
				v64 = ((u64)ls_btf_rd32(p + 8) << 32) |
				      ls_btf_rd32(p + 4);
				*value = (s64)v64;
				return 0;
			}
		}
	}
	return -ENOENT;
}

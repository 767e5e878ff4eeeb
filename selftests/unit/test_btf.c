// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/btf.c, the BTF layout oracle.
 *
 * Two kinds of blobs:
 *  - the real .BTF of both Debian kernels (6.1 and 6.12), extracted from
 *    /boot/vmlinuz-* by selftests/unit/btf-extract.sh into build/unit/btf/
 *    (the Makefile does it before building this test; LS_BTF_DIR overrides
 *    the directory).  The expected offsets are KERNEL-NOTES.md section 1.4,
 *    checked again with 'pahole -F btf -C <struct> btf-<ver>.raw'.  A
 *    missing blob fails: 'make deps' installs both kernels.
 *  - a small synthetic blob ("zoo") with every kind, both bitfield
 *    encodings, nested anonymous members, cycles and duplicates, for exact
 *    edge cases, truncation, corruption and fuzzing.
 *
 * Every blob is copied into a heap buffer of its exact size, so that
 * AddressSanitizer reports any read past its end.
 */
#include <glob.h>
#include <libgen.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "btf.h"

#define BITS(bytes)	((u32)(bytes) * 8)

/* Deterministic xorshift32: the same corruption on every run. */
static u32 rnd_state = 2463534242u;

static u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static u8 *dup_exact(const void *src, u32 size)
{
	u8 *p = malloc(size ? size : 1);

	if (p && size)
		memcpy(p, src, size);
	return p;
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, sizeof(v));
}

static u32 get32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Synthetic blobs */

#define BB_MAX_TYPES	512

struct bb {
	u8 types[32768];
	u32 tlen;
	char strs[8192];
	u32 slen;
	u32 nr;
	u32 rec_off[BB_MAX_TYPES + 1];	/* of each record in types[] */
};

enum {
	K_INT = 1, K_PTR, K_ARRAY, K_STRUCT, K_UNION, K_ENUM, K_FWD,
	K_TYPEDEF, K_VOLATILE, K_CONST, K_RESTRICT, K_FUNC, K_FUNC_PROTO,
	K_VAR, K_DATASEC, K_FLOAT, K_DECL_TAG, K_TYPE_TAG, K_ENUM64,
};

static void bb_init(struct bb *b)
{
	memset(b, 0, sizeof(*b));
	b->slen = 1;			/* offset 0: "" */
}

static u32 bb_str(struct bb *b, const char *s)
{
	u32 off = b->slen, n = strlen(s);

	if (!n)
		return 0;
	memcpy(b->strs + off, s, n + 1);
	b->slen += n + 1;
	return off;
}

static void bb_u32(struct bb *b, u32 v)
{
	put32(b->types + b->tlen, v);
	b->tlen += 4;
}

static u32 bb_type(struct bb *b, const char *name, u32 kind, u32 vlen,
		   u32 kflag, u32 size_type)
{
	b->rec_off[b->nr + 1] = b->tlen;
	bb_u32(b, bb_str(b, name));
	bb_u32(b, kflag << 31 | kind << 24 | vlen);
	bb_u32(b, size_type);
	return ++b->nr;
}

/* struct btf_member, btf_enum64, btf_var_secinfo... three words */
static void bb_3(struct bb *b, u32 w0, u32 w1, u32 w2)
{
	bb_u32(b, w0);
	bb_u32(b, w1);
	bb_u32(b, w2);
}

static void bb_member(struct bb *b, const char *name, u32 type, u32 off)
{
	bb_3(b, bb_str(b, name), type, off);
}

static u32 bb_int(struct bb *b, const char *name, u32 size, u32 bits,
		  u32 bit_off)
{
	u32 id = bb_type(b, name, K_INT, 0, 0, size);

	bb_u32(b, bit_off << 16 | bits);
	return id;
}

/* Header + types + strings into a new exact-size buffer */
static u8 *bb_blob(const struct bb *b, u32 hdr_len, u32 *size)
{
	u8 *p;

	*size = hdr_len + b->tlen + b->slen;
	p = calloc(1, *size);
	if (!p)
		return NULL;
	p[0] = 0x9f;			/* 0xeB9F, little endian */
	p[1] = 0xeb;
	p[2] = 1;
	put32(p + 4, hdr_len);
	put32(p + 8, 0);
	put32(p + 12, b->tlen);
	put32(p + 16, b->tlen);
	put32(p + 20, b->slen);
	memcpy(p + hdr_len, b->types, b->tlen);
	memcpy(p + hdr_len + b->tlen, b->strs, b->slen);
	return p;
}

/* The zoo: every kind, and the traps.  Ids are fixed (unsigned, as ids): */
#define Z_INT		1U
#define Z_UINT		2U
#define Z_LONG		3U
#define Z_BF3		4U
#define Z_BF5OFF2	5U
#define Z_PTR		6U
#define Z_ARR		7U
#define Z_OUTER		8U
#define Z_ANON_U	9U
#define Z_ANON_S	10U
#define Z_E1		11U
#define Z_E2		12U
#define Z_FWD		13U
#define Z_TD		14U
#define Z_VOL		15U
#define Z_CONST		16U
#define Z_RESTRICT	17U
#define Z_PROTO		18U
#define Z_FUNC		19U
#define Z_VAR		20U
#define Z_SEC		21U
#define Z_FLOAT		22U
#define Z_DTAG		23U
#define Z_TTAG		24U
#define Z_E3		25U
#define Z_E4		26U
#define Z_BITS		27U
#define Z_DUP1		28U
#define Z_DUP2		29U
#define Z_CYC1		30U
#define Z_CYC2		31U
#define Z_SELF		32U
#define Z_ARR2		33U
#define Z_OUTER2	34U
#define Z_CYCM		35U
#define Z_BIGARR	36U
#define Z_HUGE		37U
#define Z_HUGE3		38U
#define Z_NR		Z_HUGE3

static struct bb zoo;

static void build_zoo(void)
{
	struct bb *b = &zoo;

	bb_init(b);
	bb_int(b, "int", 4, 32, 0);
	bb_int(b, "unsigned int", 4, 32, 0);
	bb_int(b, "long", 8, 64, 0);
	bb_int(b, "unsigned int", 4, 3, 0);	/* kind_flag 0 bitfield */
	bb_int(b, "unsigned int", 4, 5, 2);	/* ... with an int offset */
	bb_type(b, "", K_PTR, 0, 0, 0);		/* void * */
	bb_type(b, "", K_ARRAY, 0, 0, 0);	/* long[10] */
	bb_3(b, Z_LONG, Z_INT, 10);

	/*
	 * struct outer { int a; union { struct { int x; unsigned y; };
	 * long z; }; unsigned bf:3; unsigned bf2:5 (int offset 2);
	 * long arr[10]; }, kind_flag 0
	 */
	bb_type(b, "outer", K_STRUCT, 5, 0, 104);
	bb_member(b, "a", Z_INT, 0);
	bb_member(b, "", Z_ANON_U, 64);
	bb_member(b, "bf", Z_BF3, 128);
	bb_member(b, "bf2", Z_BF5OFF2, 128);
	bb_member(b, "arr", Z_ARR, 192);
	bb_type(b, "", K_UNION, 2, 0, 8);
	bb_member(b, "", Z_ANON_S, 0);
	bb_member(b, "z", Z_LONG, 0);
	bb_type(b, "", K_STRUCT, 2, 0, 8);
	bb_member(b, "x", Z_INT, 0);
	bb_member(b, "y", Z_UINT, 32);

	bb_type(b, "e1", K_ENUM, 2, 0, 4);	/* unsigned */
	bb_u32(b, bb_str(b, "E1_A"));
	bb_u32(b, 1);
	bb_u32(b, bb_str(b, "E1_BIG"));
	bb_u32(b, 0xfffffffe);
	bb_type(b, "e2", K_ENUM, 1, 1, 4);	/* signed */
	bb_u32(b, bb_str(b, "E2_NEG"));
	bb_u32(b, (u32)-5);
	bb_type(b, "fwd", K_FWD, 0, 0, 0);
	bb_type(b, "outer_t", K_TYPEDEF, 0, 0, Z_OUTER);
	bb_type(b, "", K_VOLATILE, 0, 0, Z_TD);
	bb_type(b, "", K_CONST, 0, 0, Z_VOL);
	bb_type(b, "", K_RESTRICT, 0, 0, Z_PTR);
	bb_type(b, "", K_FUNC_PROTO, 2, 0, Z_INT);
	bb_u32(b, bb_str(b, "p"));
	bb_u32(b, Z_INT);
	bb_u32(b, 0);				/* ... */
	bb_u32(b, 0);
	bb_type(b, "func", K_FUNC, 1, 0, Z_PROTO);
	bb_type(b, "var", K_VAR, 0, 0, Z_CONST);
	bb_u32(b, 1);
	bb_type(b, ".data", K_DATASEC, 1, 0, 104);
	bb_3(b, Z_VAR, 0, 104);
	bb_type(b, "double", K_FLOAT, 0, 0, 8);
	bb_type(b, "tag", K_DECL_TAG, 0, 0, Z_OUTER);
	bb_u32(b, (u32)-1);
	bb_type(b, "user", K_TYPE_TAG, 0, 0, Z_INT);
	bb_type(b, "e3", K_ENUM64, 2, 0, 8);	/* unsigned */
	bb_3(b, bb_str(b, "E3_BIG"), 2, 1);
	bb_3(b, bb_str(b, "E3_HUGE"), 0xffffffff, 0xffffffff);
	bb_type(b, "e4", K_ENUM64, 1, 1, 8);	/* signed */
	bb_3(b, bb_str(b, "E4_NEG"), (u32)-3, 0xffffffff);

	/*
	 * struct bits { unsigned lo:3, hi:13, :4; int tt; long whole; },
	 * kind_flag 1: bitfield size in the top byte of the offset
	 */
	bb_type(b, "bits", K_STRUCT, 5, 1, 16);
	bb_member(b, "lo", Z_UINT, 3u << 24 | 0);
	bb_member(b, "hi", Z_UINT, 13u << 24 | 3);
	bb_member(b, "", Z_UINT, 4u << 24 | 16);
	bb_member(b, "tt", Z_TTAG, 32);
	bb_member(b, "whole", Z_LONG, 64);

	bb_type(b, "dup", K_STRUCT, 1, 0, 4);
	bb_member(b, "a", Z_INT, 0);
	bb_type(b, "dup", K_STRUCT, 2, 0, 8);
	bb_member(b, "a", Z_INT, 0);
	bb_member(b, "b", Z_INT, 32);
	bb_type(b, "cyc1", K_TYPEDEF, 0, 0, Z_CYC2);
	bb_type(b, "cyc2", K_TYPEDEF, 0, 0, Z_CYC1);
	bb_type(b, "selfanon", K_STRUCT, 1, 0, 8);
	bb_member(b, "", Z_SELF, 0);
	bb_type(b, "", K_ARRAY, 0, 0, 0);	/* long[3][10] */
	bb_3(b, Z_ARR, Z_INT, 3);
	/* A second "outer": struct { int only; const volatile outer_t in; } */
	bb_type(b, "outer", K_STRUCT, 2, 0, 208);
	bb_member(b, "only", Z_INT, 0);
	bb_member(b, "in", Z_CONST, 64);
	bb_type(b, "cycm", K_STRUCT, 1, 0, 8);
	bb_member(b, "m", Z_CYC1, 0);
	bb_type(b, "", K_ARRAY, 0, 0, 0);	/* long[0xffffffff] */
	bb_3(b, Z_LONG, Z_INT, 0xffffffff);
	bb_type(b, "", K_ARRAY, 0, 0, 0);	/* (long[0xffffffff])[0xffffffff] */
	bb_3(b, Z_BIGARR, Z_INT, 0xffffffff);
	bb_type(b, "", K_ARRAY, 0, 0, 0);	/* 2^96 elements: wraps u64 */
	bb_3(b, Z_HUGE, Z_INT, 0xffffffff);
}

static u8 *zoo_blob(u32 *size)
{
	if (!zoo.nr)
		build_zoo();
	return bb_blob(&zoo, 24, size);
}

/* Offsets in a standard (hdr_len 24) synthetic blob */
#define HDR		24
#define STRS(bb)	(HDR + (bb)->tlen)

static int member(const struct ls_btf *btf, u32 id, const char *path,
		  u32 *off, u32 *bits, u32 *type)
{
	*off = *bits = *type = 0xdeadbeef;
	return ls_btf_member(btf, id, path, off, bits, type);
}

TEST(zoo_parses)
{
	struct ls_btf btf;
	u8 *blob;
	u32 size;

	blob = zoo_blob(&size);
	ASSERT_NE(NULL, blob);
	ASSERT_EQ(Z_NR, zoo.nr);
	ASSERT_EQ(0, ls_btf_init(&btf, blob, size));
	ASSERT_EQ(Z_NR, btf.nr_types);
	ASSERT_EQ(blob, btf.data);
	ASSERT_EQ(size, btf.size);
	ASSERT_EQ(blob + HDR, btf.types);
	ASSERT_EQ(zoo.tlen, btf.types_len);
	ASSERT_EQ((const char *)blob + STRS(&zoo), btf.strs);
	ASSERT_EQ(zoo.slen, btf.strs_len);
	free(blob);
}

TEST(zoo_type_sizes)
{
	static const struct { u32 id; s64 size; } want[] = {
		{ Z_INT, 4 }, { Z_UINT, 4 }, { Z_LONG, 8 }, { Z_BF3, 4 },
		{ Z_BF5OFF2, 4 }, { Z_PTR, sizeof(void *) }, { Z_ARR, 80 },
		{ Z_OUTER, 104 }, { Z_ANON_U, 8 }, { Z_ANON_S, 8 },
		{ Z_E1, 4 }, { Z_E2, 4 }, { Z_FWD, -EINVAL }, { Z_TD, 104 },
		{ Z_VOL, 104 }, { Z_CONST, 104 }, { Z_RESTRICT, 8 },
		{ Z_PROTO, -EINVAL }, { Z_FUNC, -EINVAL }, { Z_VAR, 104 },
		{ Z_SEC, 104 }, { Z_FLOAT, 8 }, { Z_DTAG, -EINVAL },
		{ Z_TTAG, 4 }, { Z_E3, 8 }, { Z_E4, 8 }, { Z_BITS, 16 },
		{ Z_DUP1, 4 }, { Z_DUP2, 8 }, { Z_CYC1, -EINVAL },
		{ Z_CYC2, -EINVAL }, { Z_SELF, 8 }, { Z_ARR2, 240 },
		{ Z_OUTER2, 208 }, { Z_CYCM, 8 },
		{ Z_BIGARR, 8LL * 0xffffffffLL }, { Z_HUGE, -EINVAL },
		{ Z_HUGE3, -EINVAL },
		{ 0, -EINVAL }, { Z_NR + 1, -EINVAL }, { U32_MAX, -EINVAL },
	};
	struct ls_btf btf;
	u8 *blob;
	u32 size, i;

	blob = zoo_blob(&size);
	ASSERT_EQ(0, ls_btf_init(&btf, blob, size));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		ASSERT_EQ(want[i].size, ls_btf_type_size(&btf, want[i].id))
			TH_LOG("type %u", want[i].id);
	}
	free(blob);
}

TEST(zoo_members)
{
	static const struct {
		u32 id;
		const char *path;
		int rc;
		u32 off, bits, type;
	} want[] = {
		{ Z_OUTER, "a", 0, 0, 0, Z_INT },
		{ Z_OUTER, "x", 0, 64, 0, Z_INT },	/* anon union/struct */
		{ Z_OUTER, "y", 0, 96, 0, Z_UINT },
		{ Z_OUTER, "z", 0, 64, 0, Z_LONG },
		{ Z_OUTER, "bf", 0, 128, 3, Z_BF3 },	/* kind_flag 0 */
		{ Z_OUTER, "bf2", 0, 130, 5, Z_BF5OFF2 },
		{ Z_OUTER, "arr", 0, 192, 0, Z_ARR },
		{ Z_TD, "x", 0, 64, 0, Z_INT },		/* through typedef */
		{ Z_CONST, "bf2", 0, 130, 5, Z_BF5OFF2 },
		{ Z_ANON_U, "y", 0, 32, 0, Z_UINT },
		{ Z_OUTER2, "only", 0, 0, 0, Z_INT },
		{ Z_OUTER2, "in", 0, 64, 0, Z_CONST },
		{ Z_OUTER2, "in.x", 0, 128, 0, Z_INT },	/* path + anon */
		{ Z_OUTER2, "in.y", 0, 160, 0, Z_UINT },
		{ Z_OUTER2, "in.z", 0, 128, 0, Z_LONG },
		{ Z_OUTER2, "in.bf2", 0, 194, 5, Z_BF5OFF2 },
		{ Z_BITS, "lo", 0, 0, 3, Z_UINT },	/* kind_flag 1 */
		{ Z_BITS, "hi", 0, 3, 13, Z_UINT },
		{ Z_BITS, "tt", 0, 32, 0, Z_TTAG },
		{ Z_BITS, "whole", 0, 64, 0, Z_LONG },
		{ Z_DUP2, "b", 0, 32, 0, Z_INT },
		{ Z_OUTER, "nope", -ENOENT, 0, 0, 0 },
		{ Z_OUTER, "only", -ENOENT, 0, 0, 0 },
		{ Z_OUTER, "x.y", -ENOENT, 0, 0, 0 },		/* x is an int */
		{ Z_OUTER, "arr.a", -ENOENT, 0, 0, 0 },
		{ Z_OUTER2, "in.nope", -ENOENT, 0, 0, 0 },
		{ Z_OUTER2, "in.a.b", -ENOENT, 0, 0, 0 },
		{ Z_OUTER2, "in.bf.x", -ENOENT, 0, 0, 0 },	/* a bitfield */
		{ Z_BITS, "lo.x", -ENOENT, 0, 0, 0 },
		{ Z_DUP1, "b", -ENOENT, 0, 0, 0 },
		{ Z_OUTER, "", -EINVAL, 0, 0, 0 },
		{ Z_OUTER, ".a", -EINVAL, 0, 0, 0 },
		{ Z_OUTER, "a.", -EINVAL, 0, 0, 0 },
		{ Z_OUTER, "a..b", -EINVAL, 0, 0, 0 },
		{ Z_OUTER, ".", -EINVAL, 0, 0, 0 },
		{ Z_OUTER2, "in..x", -EINVAL, 0, 0, 0 },
		{ Z_INT, "a", -EINVAL, 0, 0, 0 },		/* not a struct */
		{ Z_PTR, "a", -EINVAL, 0, 0, 0 },
		{ Z_FWD, "a", -EINVAL, 0, 0, 0 },
		{ Z_E1, "E1_A", -EINVAL, 0, 0, 0 },
		{ 0, "a", -EINVAL, 0, 0, 0 },
		{ Z_NR + 1, "a", -EINVAL, 0, 0, 0 },
		{ Z_CYC1, "a", -EINVAL, 0, 0, 0 },		/* typedef cycle */
		{ Z_CYCM, "m", -EINVAL, 0, 0, 0 },		/* member of it */
		{ Z_CYCM, "m.x", -EINVAL, 0, 0, 0 },
		{ Z_SELF, "nope", -EINVAL, 0, 0, 0 },		/* anonymous cycle */
	};
	struct ls_btf btf;
	u32 size, i, off, bits, type;
	u8 *blob;
	int rc;

	blob = zoo_blob(&size);
	ASSERT_EQ(0, ls_btf_init(&btf, blob, size));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		rc = member(&btf, want[i].id, want[i].path, &off, &bits, &type);
		ASSERT_EQ(want[i].rc, rc)
			TH_LOG("type %u path \"%s\"", want[i].id, want[i].path);
		if (rc)
			continue;
		ASSERT_EQ(want[i].off, off) TH_LOG("path %s", want[i].path);
		ASSERT_EQ(want[i].bits, bits) TH_LOG("path %s", want[i].path);
		ASSERT_EQ(want[i].type, type) TH_LOG("path %s", want[i].path);
	}
	/* Every output is optional */
	ASSERT_EQ(0, ls_btf_member(&btf, Z_OUTER, "bf2", NULL, NULL, NULL));
	ASSERT_EQ(0, ls_btf_member(&btf, Z_OUTER, "bf2", &off, NULL, NULL));
	ASSERT_EQ(130U, off);
	ASSERT_EQ(-EINVAL, ls_btf_member(&btf, Z_OUTER, NULL, &off, NULL, NULL));
	ASSERT_EQ(-EINVAL, ls_btf_member(NULL, Z_OUTER, "a", &off, NULL, NULL));
	free(blob);
}

TEST(zoo_find_struct)
{
	static const char * const only[] = { "only", NULL };
	static const char * const in_x[] = { "in.x", NULL };
	static const char * const x_bf2[] = { "x", "bf2", "arr", NULL };
	static const char * const b[] = { "b", NULL };
	static const char * const a_b[] = { "a", "b", NULL };
	static const char * const c[] = { "c", NULL };
	static const char * const bad[] = { "a..b", NULL };
	static const char * const none[] = { NULL };
	struct ls_btf btf;
	u32 size;
	u8 *blob;

	blob = zoo_blob(&size);
	ASSERT_EQ(0, ls_btf_init(&btf, blob, size));
	ASSERT_EQ(Z_OUTER, ls_btf_find_struct(&btf, "outer", NULL));
	ASSERT_EQ(Z_OUTER, ls_btf_find_struct(&btf, "outer", none));
	ASSERT_EQ(Z_OUTER, ls_btf_find_struct(&btf, "outer", x_bf2));
	ASSERT_EQ(Z_OUTER2, ls_btf_find_struct(&btf, "outer", only));
	ASSERT_EQ(Z_OUTER2, ls_btf_find_struct(&btf, "outer", in_x));
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "outer", c));
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "outer", bad));
	ASSERT_EQ(Z_DUP1, ls_btf_find_struct(&btf, "dup", NULL));
	ASSERT_EQ(Z_DUP2, ls_btf_find_struct(&btf, "dup", b));
	ASSERT_EQ(Z_DUP2, ls_btf_find_struct(&btf, "dup", a_b));
	ASSERT_EQ(Z_BITS, ls_btf_find_struct(&btf, "bits", NULL));
	ASSERT_EQ(Z_SELF, ls_btf_find_struct(&btf, "selfanon", NULL));
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "selfanon", c));
	/* Not structs, or no such name */
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "outer_t", NULL));
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "fwd", NULL));
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "e1", NULL));
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "int", NULL));
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "oute", NULL));
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "outerx", NULL));
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "", NULL));	/* anonymous */
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, NULL, NULL));
	ASSERT_EQ(0U, ls_btf_find_struct(NULL, "outer", NULL));
	free(blob);
}

TEST(zoo_enums)
{
	static const struct { const char *name; int rc; s64 v; } want[] = {
		{ "E1_A", 0, 1 },
		{ "E1_BIG", 0, 0xfffffffe },		/* unsigned ENUM */
		{ "E2_NEG", 0, -5 },			/* signed ENUM */
		{ "E3_BIG", 0, 0x100000002LL },
		{ "E3_HUGE", 0, -1 },			/* u64 max, as s64 */
		{ "E4_NEG", 0, -3 },			/* signed ENUM64 */
		{ "E1", -ENOENT, 0 }, { "E1_A_", -ENOENT, 0 }, { "", -ENOENT, 0 },
		{ "outer", -ENOENT, 0 }, { "p", -ENOENT, 0 }, { "x", -ENOENT, 0 },
	};
	struct ls_btf btf;
	u32 size, i;
	u8 *blob;
	s64 v;

	blob = zoo_blob(&size);
	ASSERT_EQ(0, ls_btf_init(&btf, blob, size));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		v = 12345;
		ASSERT_EQ(want[i].rc, ls_btf_enum_value(&btf, want[i].name, &v))
			TH_LOG("enumerator %s", want[i].name);
		ASSERT_EQ(want[i].rc ? 12345 : want[i].v, v)
			TH_LOG("enumerator %s", want[i].name);
	}
	ASSERT_EQ(-EINVAL, ls_btf_enum_value(&btf, NULL, &v));
	ASSERT_EQ(-EINVAL, ls_btf_enum_value(&btf, "E1_A", NULL));
	ASSERT_EQ(-EINVAL, ls_btf_enum_value(NULL, "E1_A", &v));
	free(blob);
}

/* The blob need not be aligned: every field is read with memcpy(). */
TEST(zoo_unaligned)
{
	struct ls_btf btf;
	u32 size, off, bits, type;
	u8 *blob, *raw;
	s64 v;

	blob = zoo_blob(&size);
	raw = malloc(size + 1);
	ASSERT_NE(NULL, raw);
	memcpy(raw + 1, blob, size);
	ASSERT_EQ(0, ls_btf_init(&btf, raw + 1, size));
	ASSERT_EQ(Z_NR, btf.nr_types);
	ASSERT_EQ(Z_OUTER2, ls_btf_find_struct(&btf, "outer",
					       (const char * const[]){ "in.bf2", NULL }));
	ASSERT_EQ(0, member(&btf, Z_OUTER2, "in.bf2", &off, &bits, &type));
	ASSERT_EQ(194U, off);
	ASSERT_EQ(5U, bits);
	ASSERT_EQ(240, ls_btf_type_size(&btf, Z_ARR2));
	ASSERT_EQ(0, ls_btf_enum_value(&btf, "E3_BIG", &v));
	ASSERT_EQ(0x100000002LL, v);
	free(raw);
	free(blob);
}

/* Nesting of anonymous members: LS_BTF_MAX_DEPTH levels, not one more */
static u8 *deep_blob(u32 levels, u32 *size)
{
	static struct bb b;
	u32 i;

	bb_init(&b);
	bb_int(&b, "int", 4, 32, 0);				/* 1 */
	bb_type(&b, "deep", K_STRUCT, 1, 0, 4);			/* 2 */
	bb_member(&b, "", 3, 8);
	for (i = 0; i < levels; i++) {				/* 3.. */
		bb_type(&b, "", i & 1 ? K_UNION : K_STRUCT, 1, 0, 4);
		if (i + 1 < levels)
			bb_member(&b, "", 4 + i, 8);
		else
			bb_member(&b, "leaf", 1, 8);
	}
	return bb_blob(&b, HDR, size);
}

TEST(anonymous_depth_bound)
{
	struct ls_btf btf;
	u32 size, off, bits, type;
	u8 *blob;

	blob = deep_blob(LS_BTF_MAX_DEPTH, &size);
	ASSERT_EQ(0, ls_btf_init(&btf, blob, size));
	ASSERT_EQ(0, member(&btf, 2, "leaf", &off, &bits, &type));
	ASSERT_EQ(8U * (LS_BTF_MAX_DEPTH + 1), off);
	ASSERT_EQ(1U, type);
	ASSERT_EQ(2U, ls_btf_find_struct(&btf, "deep",
					 (const char * const[]){ "leaf", NULL }));
	free(blob);

	blob = deep_blob(LS_BTF_MAX_DEPTH + 1, &size);
	ASSERT_EQ(0, ls_btf_init(&btf, blob, size));
	ASSERT_EQ(-EINVAL, member(&btf, 2, "leaf", &off, &bits, &type));
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "deep",
					 (const char * const[]){ "leaf", NULL }));
	ASSERT_EQ(2U, ls_btf_find_struct(&btf, "deep", NULL));
	free(blob);
}

/* Many unnamed members, each a type lookup: the LS_BTF_MAX_HOPS budget */
static u8 *wide_blob(u32 unnamed, u32 *size)
{
	static struct bb b;
	u32 i;

	bb_init(&b);
	bb_int(&b, "int", 4, 32, 0);
	bb_type(&b, "wide", K_STRUCT, unnamed + 1, 0, 4 * (unnamed + 1));
	for (i = 0; i < unnamed; i++)
		bb_member(&b, "", 1, 32 * i);
	bb_member(&b, "last", 1, 32 * unnamed);
	return bb_blob(&b, HDR, size);
}

TEST(lookup_budget)
{
	struct ls_btf btf;
	u32 size, off, bits, type;
	u8 *blob;

	/* One lookup for the struct, one per unnamed member, one at the end */
	blob = wide_blob(LS_BTF_MAX_HOPS - 2, &size);
	ASSERT_EQ(0, ls_btf_init(&btf, blob, size));
	ASSERT_EQ(0, member(&btf, 2, "last", &off, &bits, &type));
	ASSERT_EQ(32U * (LS_BTF_MAX_HOPS - 2), off);
	free(blob);

	blob = wide_blob(LS_BTF_MAX_HOPS, &size);
	ASSERT_EQ(0, ls_btf_init(&btf, blob, size));
	ASSERT_EQ(-EINVAL, member(&btf, 2, "last", &off, &bits, &type));
	free(blob);
}

/* Same-name structs checked for members: LS_BTF_MAX_CANDIDATES */
static u8 *many_blob(u32 without, u32 *size)
{
	static struct bb b;
	u32 i;

	bb_init(&b);
	bb_int(&b, "int", 4, 32, 0);
	for (i = 0; i < without; i++) {
		bb_type(&b, "many", K_STRUCT, 1, 0, 4);
		bb_member(&b, "a", 1, 0);
	}
	bb_type(&b, "many", K_STRUCT, 1, 0, 4);
	bb_member(&b, "b", 1, 0);
	return bb_blob(&b, HDR, size);
}

TEST(duplicate_candidates_bound)
{
	static const char * const b[] = { "b", NULL };
	struct ls_btf btf;
	u32 size;
	u8 *blob;

	blob = many_blob(LS_BTF_MAX_CANDIDATES - 1, &size);
	ASSERT_EQ(0, ls_btf_init(&btf, blob, size));
	ASSERT_EQ(LS_BTF_MAX_CANDIDATES + 1U,
		  ls_btf_find_struct(&btf, "many", b));
	ASSERT_EQ(2U, ls_btf_find_struct(&btf, "many", NULL));
	free(blob);

	blob = many_blob(LS_BTF_MAX_CANDIDATES, &size);
	ASSERT_EQ(0, ls_btf_init(&btf, blob, size));
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "many", b));
	free(blob);
}

/* A failed init leaves nothing usable */
static void assert_unusable(struct __test_metadata *_metadata,
			    const struct ls_btf *btf)
{
	static const struct ls_btf zero;
	s64 v;

	ASSERT_EQ(0, memcmp(btf, &zero, sizeof(zero)));
	ASSERT_EQ(0U, ls_btf_find_struct(btf, "outer", NULL));
	ASSERT_EQ(-EINVAL, ls_btf_type_size(btf, 1));
	ASSERT_EQ(-EINVAL, ls_btf_member(btf, 1, "a", NULL, NULL, NULL));
	ASSERT_EQ(-ENOENT, ls_btf_enum_value(btf, "E1_A", &v));
}

/* The zoo's blob of @size bytes with its string section before its types */
static u8 *strings_first(const u8 *blob, u32 size)
{
	u8 *p = calloc(1, size);

	if (!p)
		return NULL;
	memcpy(p, blob, HDR);
	memcpy(p + HDR, blob + HDR + zoo.tlen, zoo.slen);
	memcpy(p + HDR + zoo.slen, blob + HDR, zoo.tlen);
	put32(p + 8, zoo.slen);
	put32(p + 16, 0);
	return p;
}

/* ls_btf_init() of @size bytes of @src, copied to an exact-size buffer */
static int init_copy(struct ls_btf *btf, const u8 *src, u32 size)
{
	u8 *p = dup_exact(src, size);
	int rc;

	rc = ls_btf_init(btf, p, size);
	free(p);
	return rc;		/* btf points to freed memory: no lookups */
}

TEST(null_and_empty)
{
	struct ls_btf btf;
	u8 *blob;
	u32 size;

	blob = zoo_blob(&size);
	memset(&btf, 0xa5, sizeof(btf));
	ASSERT_EQ(-EINVAL, ls_btf_init(&btf, NULL, size));
	assert_unusable(_metadata, &btf);
	memset(&btf, 0xa5, sizeof(btf));
	ASSERT_EQ(-EINVAL, ls_btf_init(&btf, blob, 0));
	assert_unusable(_metadata, &btf);
	ASSERT_EQ(-EINVAL, ls_btf_init(NULL, blob, size));
	ASSERT_EQ(0U, ls_btf_find_struct(NULL, "outer", NULL));
	ASSERT_EQ(-EINVAL, ls_btf_type_size(NULL, 1));
	free(blob);
}

TEST(truncated)
{
	struct ls_btf btf;
	u32 size, len;
	u8 *blob;

	blob = zoo_blob(&size);
	/* Every prefix: the string section always ends at the very end. */
	for (len = 0; len < size; len++) {
		memset(&btf, 0xa5, sizeof(btf));
		ASSERT_EQ(-EINVAL, init_copy(&btf, blob, len));
		assert_unusable(_metadata, &btf);
	}
	ASSERT_EQ(0, init_copy(&btf, blob, size));
	free(blob);
}

/* A type section cut short inside a record */
TEST(record_past_end)
{
	struct ls_btf btf;
	u32 size, tlen, id, end, whole;
	bool boundary;
	u8 *blob, *p;
	int rc;

	blob = zoo_blob(&size);
	for (tlen = 0; tlen <= zoo.tlen; tlen++) {
		p = dup_exact(blob, size);
		put32(p + 12, tlen);		/* type_len; strings unmoved */
		whole = 0;
		boundary = tlen == 0;
		for (id = 1; id <= zoo.nr; id++) {
			end = id < zoo.nr ? zoo.rec_off[id + 1] : zoo.tlen;
			if (end <= tlen)
				whole = id;
			if (end == tlen)
				boundary = true;
		}
		rc = ls_btf_init(&btf, p, size);
		if (boundary) {
			ASSERT_EQ(0, rc) TH_LOG("type_len %u", tlen);
			ASSERT_EQ(whole, btf.nr_types);
		} else {
			ASSERT_EQ(-EINVAL, rc) TH_LOG("type_len %u", tlen);
			assert_unusable(_metadata, &btf);
		}
		free(p);
	}
	free(blob);
}

TEST(unknown_kind)
{
	static const u32 bad[] = { 0, 20, 21, 30, 31 };
	struct ls_btf btf;
	u32 size, id, i, info;
	u8 *blob, *p;

	blob = zoo_blob(&size);
	for (id = 1; id <= zoo.nr; id++) {
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			p = dup_exact(blob, size);
			info = get32(p + HDR + zoo.rec_off[id] + 4);
			info = (info & ~(0x1fU << 24)) | bad[i] << 24;
			put32(p + HDR + zoo.rec_off[id] + 4, info);
			ASSERT_EQ(-EINVAL, ls_btf_init(&btf, p, size));
			assert_unusable(_metadata, &btf);
			free(p);
		}
		/* Reserved info bits (16-23, 29, 30) */
		for (i = 16; i < 31; i++) {
			if (i >= 24 && i < 29)
				continue;
			p = dup_exact(blob, size);
			info = get32(p + HDR + zoo.rec_off[id] + 4);
			put32(p + HDR + zoo.rec_off[id] + 4, info | 1U << i);
			ASSERT_EQ(-EINVAL, ls_btf_init(&btf, p, size));
			free(p);
		}
	}
	free(blob);
}

/* Name offsets of types, members, enumerators, parameters */
TEST(name_offset_beyond_strings)
{
	struct {
		u32 id;
		u32 at;		/* byte offset inside the record */
	} names[] = {
		{ Z_OUTER, 0 }, { Z_OUTER, 12 }, { Z_OUTER, 12 + 4 * 12 },
		{ Z_E1, 0 }, { Z_E1, 12 + 8 }, { Z_PROTO, 12 },
		{ Z_PROTO, 12 + 8 }, { Z_E3, 12 + 12 }, { Z_BITS, 12 + 2 * 12 },
		{ Z_VAR, 0 }, { Z_FUNC, 0 }, { Z_HUGE, 0 },
	};
	struct ls_btf btf;
	u32 size, i, at;
	u8 *blob, *p;

	blob = zoo_blob(&size);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		at = HDR + zoo.rec_off[names[i].id] + names[i].at;
		p = dup_exact(blob, size);
		put32(p + at, zoo.slen);
		ASSERT_EQ(-EINVAL, ls_btf_init(&btf, p, size))
			TH_LOG("type %u +%u", names[i].id, names[i].at);
		assert_unusable(_metadata, &btf);
		put32(p + at, U32_MAX);
		ASSERT_EQ(-EINVAL, ls_btf_init(&btf, p, size));
		/* The last byte is the final NUL: an empty name, valid */
		put32(p + at, zoo.slen - 1);
		ASSERT_EQ(0, ls_btf_init(&btf, p, size));
		free(p);
	}
	free(blob);
}

TEST(header_checks)
{
	struct ls_btf btf;
	u32 size, size32;
	u8 *blob, *p, *b32;

	blob = zoo_blob(&size);
#define BAD(stmt) do {							\
		p = dup_exact(blob, size);				\
		stmt;							\
		ASSERT_EQ(-EINVAL, ls_btf_init(&btf, p, size));	\
		assert_unusable(_metadata, &btf);			\
		free(p);						\
	} while (0)
	BAD(p[0] = 0xeb; p[1] = 0x9f);		/* other byte order */
	BAD(p[1] = 0xec);
	BAD(p[2] = 0);				/* version */
	BAD(p[2] = 2);
	BAD(p[3] = 1);				/* flags */
	BAD(put32(p + 4, 23));			/* hdr_len */
	BAD(put32(p + 4, 0));
	BAD(put32(p + 4, size + 1));
	BAD(put32(p + 4, U32_MAX));
	BAD(put32(p + 8, 1));			/* type_off: overlaps strs */
	BAD(put32(p + 8, size));
	BAD(put32(p + 8, U32_MAX));
	BAD(put32(p + 12, zoo.tlen + 1));	/* type_len */
	BAD(put32(p + 12, U32_MAX));
	BAD(put32(p + 8, 8); put32(p + 12, U32_MAX - 4));
	BAD(put32(p + 16, zoo.tlen - 4));	/* str_off: overlaps */
	BAD(put32(p + 16, zoo.tlen + 1));	/* then past the end */
	BAD(put32(p + 16, U32_MAX));
	BAD(put32(p + 20, zoo.slen + 1));	/* str_len */
	BAD(put32(p + 20, 0));
	BAD(put32(p + 16, 0x10); put32(p + 20, U32_MAX - 8));
	BAD(p[size - 1] = 'x');			/* last string unterminated */
	BAD(put32(p + 20, zoo.slen - 1));	/* ... cut short */
	BAD(p[HDR + zoo.tlen] = 'x');		/* string 0 is not "" */
#undef BAD
	/* A header longer than ours is fine while the extra bytes are 0 */
	b32 = bb_blob(&zoo, 32, &size32);
	ASSERT_EQ(0, ls_btf_init(&btf, b32, size32));
	ASSERT_EQ(Z_NR, btf.nr_types);
	ASSERT_EQ(Z_OUTER, ls_btf_find_struct(&btf, "outer", NULL));
	b32[31] = 1;
	ASSERT_EQ(-EINVAL, ls_btf_init(&btf, b32, size32));
	free(b32);
	/* Gaps between the sections are allowed, overlaps are not */
	p = calloc(1, size + 8);
	ASSERT_NE(NULL, p);
	memcpy(p, blob, HDR + zoo.tlen);
	memcpy(p + HDR + zoo.tlen + 8, blob + HDR + zoo.tlen, zoo.slen);
	put32(p + 16, zoo.tlen + 8);
	ASSERT_EQ(0, ls_btf_init(&btf, p, size + 8));
	ASSERT_EQ(Z_NR, btf.nr_types);
	free(p);
	/* Strings before types */
	p = strings_first(blob, size);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, ls_btf_init(&btf, p, size));
	ASSERT_EQ(Z_NR, btf.nr_types);
	ASSERT_EQ(Z_DUP2, ls_btf_find_struct(&btf, "dup",
					     (const char * const[]){ "b", NULL }));
	free(p);
	/*
	 * Overlap, even where everything else is valid: one nameless INT
	 * whose first byte doubles as the string section "".
	 */
	{
		struct bb ov;
		u8 *q;
		u32 qsize;

		bb_init(&ov);
		bb_int(&ov, "", 4, 32, 0);
		q = bb_blob(&ov, HDR, &qsize);
		ASSERT_NE(NULL, q);
		ASSERT_EQ(0, ls_btf_init(&btf, q, qsize));
		put32(q + 16, 0);
		put32(q + 20, 1);
		ASSERT_EQ(-EINVAL, ls_btf_init(&btf, q, qsize));
		put32(q + 16, 13);		/* a 0 byte of its encoding */
		ASSERT_EQ(-EINVAL, ls_btf_init(&btf, q, qsize));
		put32(q + 16, 16);		/* just after: "\0" from ov.slen */
		ASSERT_EQ(0, ls_btf_init(&btf, q, qsize));
		free(q);
	}
	/* No types at all */
	p = dup_exact(blob, size);
	put32(p + 12, 0);
	ASSERT_EQ(0, ls_btf_init(&btf, p, size));
	ASSERT_EQ(0U, btf.nr_types);
	ASSERT_EQ(0U, ls_btf_find_struct(&btf, "outer", NULL));
	ASSERT_EQ(-EINVAL, ls_btf_type_size(&btf, 1));
	free(p);
	free(blob);
}

/*
 * The size of a blob from its header alone, as the module finds the end of
 * the kernel's .BTF section: whatever follows the blob is not read.
 */
TEST(blob_size)
{
	struct ls_btf btf;
	u32 size, got, size32;
	u8 *blob, *p, *b32;

	blob = zoo_blob(&size);
	p = calloc(1, size + 64);
	ASSERT_NE(NULL, p);
	memcpy(p, blob, size);
	memset(p + size, 0xeb, 64);	/* what follows .BTF: anything */
	ASSERT_EQ(0, ls_btf_blob_size(p, HDR, size, &got));
	ASSERT_EQ(size, got);
	ASSERT_EQ(0, ls_btf_init(&btf, p, got));
	ASSERT_EQ(Z_NR, btf.nr_types);
	/* Bounded: one byte less than the blob is too much */
	ASSERT_EQ(-EINVAL, ls_btf_blob_size(p, HDR, size - 1, &got));
	/* The header must be all there, and must be BTF's */
	ASSERT_EQ(-EINVAL, ls_btf_blob_size(p, HDR - 1, U32_MAX, &got));
	ASSERT_EQ(-EINVAL, ls_btf_blob_size(NULL, HDR, U32_MAX, &got));
	ASSERT_EQ(-EINVAL, ls_btf_blob_size(p, HDR, U32_MAX, NULL));
	p[1] ^= 1;
	ASSERT_EQ(-EINVAL, ls_btf_blob_size(p, HDR, U32_MAX, &got));
	p[1] ^= 1;
	/* Sections back to back, as btf_check_sec_info() wants: no gap */
	put32(p + 16, zoo.tlen + 4);
	ASSERT_EQ(-EINVAL, ls_btf_blob_size(p, HDR, U32_MAX, &got));
	put32(p + 16, zoo.tlen - 4);	/* nor overlap */
	ASSERT_EQ(-EINVAL, ls_btf_blob_size(p, HDR, U32_MAX, &got));
	put32(p + 16, zoo.tlen);
	put32(p + 8, 4);		/* nor a gap before the types */
	ASSERT_EQ(-EINVAL, ls_btf_blob_size(p, HDR, U32_MAX, &got));
	put32(p + 8, 0);
	put32(p + 20, 0);		/* strings are never empty */
	put32(p + 16, zoo.tlen);
	ASSERT_EQ(-EINVAL, ls_btf_blob_size(p, HDR, U32_MAX, &got));
	put32(p + 20, zoo.slen);
	/* Lengths that wrap 32 bits are too large, not small */
	put32(p + 12, U32_MAX - 8);
	put32(p + 16, U32_MAX - 8);
	ASSERT_EQ(-EINVAL, ls_btf_blob_size(p, HDR, U32_MAX, &got));
	free(p);
	/* Strings first is just as good */
	p = strings_first(blob, size);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, ls_btf_blob_size(p, HDR, size, &got));
	ASSERT_EQ(size, got);
	free(p);
	/* A longer header: its extra bytes must be present and zero */
	b32 = bb_blob(&zoo, 32, &size32);
	ASSERT_NE(NULL, b32);
	ASSERT_EQ(-EINVAL, ls_btf_blob_size(b32, HDR, U32_MAX, &got));
	ASSERT_EQ(0, ls_btf_blob_size(b32, 32, U32_MAX, &got));
	ASSERT_EQ(size32, got);
	b32[31] = 1;
	ASSERT_EQ(-EINVAL, ls_btf_blob_size(b32, 32, U32_MAX, &got));
	free(b32);
	free(blob);
}

TEST(typedef_by_name)
{
	struct ls_btf btf;
	u8 *blob;
	u32 size;

	blob = zoo_blob(&size);
	ASSERT_EQ(0, ls_btf_init(&btf, blob, size));
	ASSERT_TRUE(ls_btf_is_typedef(&btf, Z_TD, "outer_t"));
	ASSERT_FALSE(ls_btf_is_typedef(&btf, Z_TD, "outer"));
	ASSERT_FALSE(ls_btf_is_typedef(&btf, Z_TD, "outer_"));
	ASSERT_FALSE(ls_btf_is_typedef(&btf, Z_TD, "outer_tt"));
	ASSERT_FALSE(ls_btf_is_typedef(&btf, Z_TD, ""));
	ASSERT_FALSE(ls_btf_is_typedef(&btf, Z_TD, NULL));
	ASSERT_FALSE(ls_btf_is_typedef(NULL, Z_TD, "outer_t"));
	/* The struct of that name is not the typedef, nor is a qualifier */
	ASSERT_FALSE(ls_btf_is_typedef(&btf, Z_OUTER, "outer"));
	ASSERT_FALSE(ls_btf_is_typedef(&btf, Z_VOL, "outer_t"));
	ASSERT_TRUE(ls_btf_is_typedef(&btf, Z_CYC1, "cyc1"));
	ASSERT_FALSE(ls_btf_is_typedef(&btf, 0, "outer_t"));
	ASSERT_FALSE(ls_btf_is_typedef(&btf, Z_NR + 1, "outer_t"));
	free(blob);
}

/*
 * Runs every lookup on a blob that passed ls_btf_init(); results must be
 * in range, and ASan checks that nothing is read outside the blob.
 */
static u32 exercise(struct __test_metadata *_metadata,
		    const struct ls_btf *btf, u32 max_id)
{
	static const char * const paths[] = {
		"a", "x", "y", "z", "bf", "bf2", "arr", "only", "in", "in.x",
		"in.bf2", "lo", "hi", "tt", "whole", "b", "m", "m.x", "nope",
		"slab_list", "inuse", "busy.head", "node", "list",
	};
	static const char * const structs[] = {
		"outer", "dup", "bits", "selfanon", "cycm", "slab",
		"kmem_cache", "vmap_node", "vmap_area",
	};
	static const char * const enums[] = {
		"E1_A", "E1_BIG", "E2_NEG", "E3_BIG", "E4_NEG", "nope",
		"NR_SLAB_RECLAIMABLE_B",
	};
	static const char * const must[] = { "in.x", "b", NULL };
	u32 id, i, off, bits, type, ok = 0;
	s64 size, v;
	int rc;

	for (i = 0; i < ARRAY_SIZE(structs); i++) {
		id = ls_btf_find_struct(btf, structs[i], NULL);
		ASSERT_LE(id, btf->nr_types);
		id = ls_btf_find_struct(btf, structs[i], must);
		ASSERT_LE(id, btf->nr_types);
	}
	for (i = 0; i < ARRAY_SIZE(enums); i++) {
		rc = ls_btf_enum_value(btf, enums[i], &v);
		ASSERT_TRUE(rc == 0 || rc == -ENOENT || rc == -EINVAL);
	}
	for (id = 0; id <= max_id; id++) {
		size = ls_btf_type_size(btf, id);
		ASSERT_TRUE(size >= 0 || size == -EINVAL);
		for (i = 0; i < ARRAY_SIZE(paths); i++) {
			rc = ls_btf_member(btf, id, paths[i], &off, &bits,
					   &type);
			ASSERT_TRUE(rc == 0 || rc == -ENOENT || rc == -EINVAL);
			if (!rc) {
				ASSERT_LE(bits, 255U);
				ok++;
			}
		}
	}
	return ok;
}

TEST(fuzz_zoo)
{
	struct ls_btf btf;
	u32 size, it, n, k, pos, inits = 0, found = 0;
	u8 *blob, *p;

	blob = zoo_blob(&size);
	for (it = 0; it < 2000; it++) {
		p = dup_exact(blob, size);
		n = 1 + rnd() % 8;
		for (k = 0; k < n; k++) {
			pos = rnd() % size;
			p[pos] ^= 1 + rnd() % 255;
		}
		if (!ls_btf_init(&btf, p, size)) {
			inits++;
			ASSERT_LE(btf.nr_types, zoo.nr + 8);
			found += exercise(_metadata, &btf, btf.nr_types + 1);
		} else {
			assert_unusable(_metadata, &btf);
		}
		free(p);
	}
	TH_LOG("2000 corrupted zoos: %u passed init, %u lookups found",
	       inits, found);
	/* Both outcomes must have been exercised */
	ASSERT_GT(inits, 100U);
	ASSERT_LT(inits, 1900U);
	free(blob);
}

/* The real BTF of the Debian kernels */

static void blob_dir(char *dir, size_t len)
{
	const char *env = getenv("LS_BTF_DIR");
	char exe[4096];
	ssize_t n;

	if (env && *env) {
		snprintf(dir, len, "%s", env);
		return;
	}
	/* Default: build/unit/btf, beside this binary */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		snprintf(dir, len, "build/unit/btf");
		return;
	}
	exe[n] = '\0';
	snprintf(dir, len, "%s/btf", dirname(exe));
}

static u8 *load_file(const char *path, u32 *size)
{
	FILE *f = fopen(path, "rb");
	u8 *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END))
		goto out;
	n = ftell(f);
	if (n <= 0 || n > (1L << 30) || fseek(f, 0, SEEK_SET))
		goto out;
	p = malloc(n);
	if (p && fread(p, 1, n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	*size = n;
out:
	fclose(f);
	return p;
}

FIXTURE(kernel) {
	char path[4096];
	u8 *blob;
	u32 size;
	struct ls_btf btf;
	u32 *offs;
};

/* Each kernel twice: lookups by walking, and through the index. */
FIXTURE_VARIANT(kernel) {
	const char *glob;
	bool v6_12;
	bool indexed;
	s64 kmalloc_reclaim, kmalloc_cgroup, nr_kmalloc_types;
};

FIXTURE_VARIANT_ADD(kernel, debian_6_1) {
	.glob = "btf-6.1.*.raw",
	.v6_12 = false,
	.kmalloc_reclaim = 2, .kmalloc_cgroup = 1, .nr_kmalloc_types = 4,
};

FIXTURE_VARIANT_ADD(kernel, debian_6_1_indexed) {
	.glob = "btf-6.1.*.raw",
	.v6_12 = false,
	.indexed = true,
	.kmalloc_reclaim = 2, .kmalloc_cgroup = 1, .nr_kmalloc_types = 4,
};

FIXTURE_VARIANT_ADD(kernel, debian_6_12) {
	.glob = "btf-6.12.*.raw",
	.v6_12 = true,
	.kmalloc_reclaim = 1, .kmalloc_cgroup = 3, .nr_kmalloc_types = 5,
};

FIXTURE_VARIANT_ADD(kernel, debian_6_12_indexed) {
	.glob = "btf-6.12.*.raw",
	.v6_12 = true,
	.indexed = true,
	.kmalloc_reclaim = 1, .kmalloc_cgroup = 3, .nr_kmalloc_types = 5,
};

FIXTURE_SETUP(kernel)
{
	char dir[4096], pattern[4200];
	glob_t g;

	blob_dir(dir, sizeof(dir));
	snprintf(pattern, sizeof(pattern), "%s/%s", dir, variant->glob);
	memset(&g, 0, sizeof(g));
	if (glob(pattern, 0, NULL, &g) || !g.gl_pathc) {
		TH_LOG("no %s: run selftests/unit/btf-extract.sh %s", pattern,
		       dir);
		TH_LOG("(it needs the Debian kernels: 'make deps')");
		ASSERT_TRUE(false);
	}
	/* Several (a newer kernel of the series): the last, by name */
	snprintf(self->path, sizeof(self->path), "%s",
		 g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	self->blob = load_file(self->path, &self->size);
	ASSERT_NE(NULL, self->blob);
	ASSERT_EQ(0, ls_btf_init(&self->btf, self->blob, self->size));
	self->offs = NULL;
	if (variant->indexed) {
		self->offs = calloc(self->btf.nr_types, sizeof(*self->offs));
		ASSERT_NE(NULL, self->offs);
		/* Too small an index is refused, and leaves none. */
		ASSERT_EQ(-EINVAL, ls_btf_index(&self->btf, self->offs,
						self->btf.nr_types - 1));
		ASSERT_EQ(NULL, self->btf.offs);
		ASSERT_EQ(0, ls_btf_index(&self->btf, self->offs,
					  self->btf.nr_types));
	}
}

FIXTURE_TEARDOWN(kernel)
{
	free(self->offs);
	free(self->blob);
}

/* Offset in bytes of a non-bitfield member */
static s64 off_of(const struct ls_btf *btf, u32 id, const char *path)
{
	u32 off, bits, type;
	int rc;

	rc = ls_btf_member(btf, id, path, &off, &bits, &type);
	if (rc)
		return rc;
	if (bits || off % 8)
		return -1000;
	return off / 8;
}

/* Size in bytes of a member's type */
static s64 msize(const struct ls_btf *btf, u32 id, const char *path)
{
	u32 off, bits, type;
	int rc;

	rc = ls_btf_member(btf, id, path, &off, &bits, &type);
	if (rc)
		return rc;
	return ls_btf_type_size(btf, type);
}

/*
 * The kernel's .BTF is followed by other data in the image (.BTF_ids):
 * the size from its header is the section's, whatever follows it.
 */
TEST_F(kernel, blob_size_from_header)
{
	u8 *p = malloc(self->size + 4096);
	u32 got;

	ASSERT_NE(NULL, p);
	memcpy(p, self->blob, self->size);
	memset(p + self->size, 0xa5, 4096);
	ASSERT_EQ(0, ls_btf_blob_size(p, 24, 64 << 20, &got));
	ASSERT_EQ(self->size, got);
	free(p);
}

TEST_F(kernel, parses)
{
	/* 6.1: 100750 types, 6.12: 112768 (KERNEL-NOTES.md D.4) */
	TH_LOG("%s: %u types, %u bytes of types, %u of strings",
	       self->path, self->btf.nr_types, self->btf.types_len, self->btf.strs_len);
	ASSERT_GT(self->btf.nr_types, 50000U);
	ASSERT_LT(self->btf.nr_types, (u32)LS_BTF_MAX_TYPES);
	ASSERT_EQ(self->blob, self->btf.data);
	ASSERT_EQ(self->size, self->btf.size);
}

/* Is member @path of struct @id of the type spin_lock() takes? */
static bool lock_is_spinlock_t(const struct ls_btf *btf, u32 id,
			       const char *path)
{
	u32 off, bits, type;

	return !ls_btf_member(btf, id, path, &off, &bits, &type) &&
	       ls_btf_is_typedef(btf, type, "spinlock_t") &&
	       !ls_btf_is_typedef(btf, type, "raw_spinlock_t");
}

TEST_F(kernel, vmalloc_layout)
{
	static const char * const busy[] = { "busy.head", "busy.lock", NULL };
	const struct ls_btf *btf = &self->btf;
	u32 id;

	id = ls_btf_find_struct(btf, "vmap_node", busy);
	if (variant->v6_12) {
		ASSERT_NE(0U, id);
		ASSERT_EQ(id, ls_btf_find_struct(btf, "vmap_node", NULL));
		ASSERT_EQ(6272, ls_btf_type_size(btf, id));
		ASSERT_EQ(6152, off_of(btf, id, "busy"));
		ASSERT_EQ(6160, off_of(btf, id, "busy.head"));
		ASSERT_EQ(6176, off_of(btf, id, "busy.lock"));
		ASSERT_EQ(16, msize(btf, id, "busy.head"));
		ASSERT_EQ(4, msize(btf, id, "busy.lock"));	/* spinlock_t */
		ASSERT_TRUE(lock_is_spinlock_t(btf, id, "busy.lock"));
		ASSERT_EQ(-ENOENT, off_of(btf, id, "busy.nope"));
		ASSERT_EQ(-ENOENT, off_of(btf, id, "head"));
	} else {
		ASSERT_EQ(0U, id);
		ASSERT_EQ(0U, ls_btf_find_struct(btf, "vmap_node", NULL));
		ASSERT_EQ(0U, ls_btf_find_struct(btf, "rb_list", NULL));
	}

	id = ls_btf_find_struct(btf, "vmap_area",
				(const char * const[]){ "list", "vm", NULL });
	ASSERT_NE(0U, id);
	ASSERT_EQ(40, off_of(btf, id, "list"));
	ASSERT_EQ(56, off_of(btf, id, "vm"));		/* in an anon union */
	ASSERT_EQ(8, msize(btf, id, "vm"));
	ASSERT_EQ(0, off_of(btf, id, "va_start"));
	if (variant->v6_12) {
		ASSERT_EQ(64, off_of(btf, id, "flags"));
		ASSERT_EQ(72, ls_btf_type_size(btf, id));
	} else {
		ASSERT_EQ(-ENOENT, off_of(btf, id, "flags"));
		ASSERT_EQ(64, ls_btf_type_size(btf, id));
	}
}

TEST_F(kernel, kmem_cache_layout)
{
	static const char * const need[] = {
		"flags", "size", "object_size", "oo", "name", "list", "node",
		NULL,
	};
	const struct ls_btf *btf = &self->btf;
	u32 id;

	id = ls_btf_find_struct(btf, "kmem_cache", need);
	ASSERT_NE(0U, id);
	ASSERT_EQ(id, ls_btf_find_struct(btf, "kmem_cache", NULL));
	ASSERT_EQ(8408, ls_btf_type_size(btf, id));
	ASSERT_EQ(8, off_of(btf, id, "flags"));
	ASSERT_EQ(24, off_of(btf, id, "size"));
	ASSERT_EQ(28, off_of(btf, id, "object_size"));
	ASSERT_EQ(52, off_of(btf, id, "oo"));
	ASSERT_EQ(96, off_of(btf, id, "name"));
	ASSERT_EQ(104, off_of(btf, id, "list"));
	ASSERT_EQ(216, off_of(btf, id, "node"));
	ASSERT_EQ(4, msize(btf, id, "flags"));		/* slab_flags_t */
	ASSERT_EQ(4, msize(btf, id, "size"));
	ASSERT_EQ(4, msize(btf, id, "oo"));
	ASSERT_EQ(8, msize(btf, id, "name"));
	ASSERT_EQ(16, msize(btf, id, "list"));
	ASSERT_EQ(8192, msize(btf, id, "node"));	/* node[1024] */
	ASSERT_EQ(104, off_of(btf, id, "list.next"));
	ASSERT_EQ(112, off_of(btf, id, "list.prev"));
	ASSERT_EQ(0, off_of(btf, id, "cpu_slab"));
	ASSERT_EQ(-ENOENT, off_of(btf, id, "cpu_sheaves"));	/* 6.18 */
	ASSERT_EQ(-ENOENT, off_of(btf, id, "name.x"));		/* a pointer */
}

TEST_F(kernel, kmem_cache_node_layout)
{
	const struct ls_btf *btf = &self->btf;
	u32 id;

	id = ls_btf_find_struct(btf, "kmem_cache_node",
				(const char * const[]){ "nr_partial", "partial",
							"nr_slabs", NULL });
	ASSERT_NE(0U, id);
	ASSERT_EQ(64, ls_btf_type_size(btf, id));
	ASSERT_EQ(0, off_of(btf, id, "list_lock"));
	ASSERT_EQ(4, msize(btf, id, "list_lock"));	/* spinlock_t */
	ASSERT_TRUE(lock_is_spinlock_t(btf, id, "list_lock"));
	ASSERT_EQ(8, off_of(btf, id, "nr_partial"));
	ASSERT_EQ(16, off_of(btf, id, "partial"));
	ASSERT_EQ(32, off_of(btf, id, "nr_slabs"));
	ASSERT_EQ(40, off_of(btf, id, "total_objects"));
	ASSERT_EQ(8, msize(btf, id, "nr_slabs"));	/* atomic_long_t */
}

/*
 * pahole -F btf -C slab: inuse:16 at 40:0, objects:15 at 40:16, frozen:1
 * at 40:31 on both; slab_list at 8 (6.1) / 16 (6.12).  On 6.12, inuse
 * sits 6 levels of anonymous unions and structs deep.
 */
TEST_F(kernel, slab_layout)
{
	const struct ls_btf *btf = &self->btf;
	u32 id, off, bits, type;

	id = ls_btf_find_struct(btf, "slab",
				(const char * const[]){ "slab_list", "counters",
							"inuse", "objects",
							NULL });
	ASSERT_NE(0U, id);
	ASSERT_EQ(64, ls_btf_type_size(btf, id));
	ASSERT_EQ(variant->v6_12 ? 16 : 8, off_of(btf, id, "slab_list"));
	ASSERT_EQ(16, msize(btf, id, "slab_list"));
	ASSERT_EQ(variant->v6_12 ? 8 : 24, off_of(btf, id, "slab_cache"));
	ASSERT_EQ(32, off_of(btf, id, "freelist"));
	ASSERT_EQ(40, off_of(btf, id, "counters"));
	ASSERT_EQ(8, msize(btf, id, "counters"));

	ASSERT_EQ(0, ls_btf_member(btf, id, "inuse", &off, &bits, &type));
	ASSERT_EQ(BITS(40), off);
	ASSERT_EQ(16U, bits);
	ASSERT_EQ(4, ls_btf_type_size(btf, type));	/* unsigned int */
	ASSERT_EQ(0, ls_btf_member(btf, id, "objects", &off, &bits, &type));
	ASSERT_EQ(BITS(40) + 16, off);
	ASSERT_EQ(15U, bits);
	ASSERT_EQ(0, ls_btf_member(btf, id, "frozen", &off, &bits, &type));
	ASSERT_EQ(BITS(40) + 31, off);
	ASSERT_EQ(1U, bits);
	ASSERT_EQ(-ENOENT, ls_btf_member(btf, id, "inuse.x", &off, &bits,
					 &type));
	ASSERT_EQ(variant->v6_12 ? 16 : 8, off_of(btf, id, "next"));
	ASSERT_EQ(variant->v6_12 ? 24 : 16, off_of(btf, id, "slabs"));
	ASSERT_EQ(variant->v6_12 ? 16 : 8, off_of(btf, id, "slab_list.next"));
	ASSERT_EQ(variant->v6_12 ? 24 : 16, off_of(btf, id, "slab_list.prev"));
	ASSERT_EQ(-ENOENT, off_of(btf, id, "lru"));
}

TEST_F(kernel, enums)
{
	const struct ls_btf *btf = &self->btf;
	s64 v;

	/* pahole -F btf -C node_stat_item / kmalloc_cache_type */
	ASSERT_EQ(0, ls_btf_enum_value(btf, "NR_SLAB_RECLAIMABLE_B", &v));
	ASSERT_EQ(5, v);
	ASSERT_EQ(0, ls_btf_enum_value(btf, "NR_SLAB_UNRECLAIMABLE_B", &v));
	ASSERT_EQ(6, v);
	ASSERT_EQ(0, ls_btf_enum_value(btf, "KMALLOC_NORMAL", &v));
	ASSERT_EQ(0, v);
	ASSERT_EQ(0, ls_btf_enum_value(btf, "KMALLOC_RECLAIM", &v));
	ASSERT_EQ(variant->kmalloc_reclaim, v);
	ASSERT_EQ(0, ls_btf_enum_value(btf, "KMALLOC_CGROUP", &v));
	ASSERT_EQ(variant->kmalloc_cgroup, v);
	ASSERT_EQ(0, ls_btf_enum_value(btf, "NR_KMALLOC_TYPES", &v));
	ASSERT_EQ(variant->nr_kmalloc_types, v);
	ASSERT_EQ(-ENOENT, ls_btf_enum_value(btf, "NR_SLAB_RECLAIMABLE", &v));
	ASSERT_EQ(-ENOENT, ls_btf_enum_value(btf, "kmem_cache", &v));
}

/* The struct with the most anonymous members (23 unions) fits the budget */
TEST_F(kernel, wide_anonymous_struct)
{
	const struct ls_btf *btf = &self->btf;
	u32 id;

	id = ls_btf_find_struct(btf, "net_device_stats", NULL);
	ASSERT_NE(0U, id);
	ASSERT_EQ(184, ls_btf_type_size(btf, id));
	ASSERT_EQ(0, off_of(btf, id, "rx_packets"));
	ASSERT_EQ(176, off_of(btf, id, "tx_compressed"));
	ASSERT_EQ(176, off_of(btf, id, "__tx_compressed"));
	ASSERT_EQ(-ENOENT, off_of(btf, id, "nope"));
}

/* Every prefix of the header, and many of the body */
TEST_F(kernel, truncated)
{
	struct ls_btf btf;
	u32 len, i;

	for (len = 0; len < 64; len++)
		ASSERT_EQ(-EINVAL, init_copy(&btf, self->blob, len));
	for (i = 1; i < 200; i++) {
		len = (u32)((u64)self->size * i / 200);
		ASSERT_EQ(-EINVAL, init_copy(&btf, self->blob, len));
	}
	ASSERT_EQ(-EINVAL, init_copy(&btf, self->blob, self->size - 1));
}

/* A type section cut short inside a record, the real way */
TEST_F(kernel, type_section_cut)
{
	struct ls_btf btf;
	u8 *p = dup_exact(self->blob, self->size);
	u32 type_len = get32(p + 12), i;

	ASSERT_NE(NULL, p);
	for (i = 1; i < 12; i++) {
		put32(p + 12, type_len - i);
		ASSERT_EQ(-EINVAL, ls_btf_init(&btf, p, self->size));
	}
	free(p);
}

TEST_F(kernel, unknown_kind)
{
	struct ls_btf btf;
	u8 *p = dup_exact(self->blob, self->size);
	u32 hdr_len = get32(p + 4), type_off = get32(p + 8), at, info;

	ASSERT_NE(NULL, p);
	at = hdr_len + type_off + 4;		/* info of type 1 */
	info = get32(p + at);
	put32(p + at, (info & ~(0x1fU << 24)) | 31U << 24);
	ASSERT_EQ(-EINVAL, ls_btf_init(&btf, p, self->size));
	assert_unusable(_metadata, &btf);
	put32(p + at, (info & ~(0x1fU << 24)) | 20U << 24);
	ASSERT_EQ(-EINVAL, ls_btf_init(&btf, p, self->size));
	put32(p + at, info);
	ASSERT_EQ(0, ls_btf_init(&btf, p, self->size));
	free(p);
}

/* Random byte flips in the header and the start of the type section */
TEST_F(kernel, fuzz)
{
	struct ls_btf btf;
	u32 it, k, pos, span, inits = 0;
	u8 *p;

	span = self->size < (256U << 10) ? self->size : 256U << 10;
	p = dup_exact(self->blob, self->size);
	ASSERT_NE(NULL, p);
	for (it = 0; it < 40; it++) {
		u8 saved[4];
		u32 at[4];

		for (k = 0; k < 4; k++) {
			pos = (k == 0 && it % 2) ? rnd() % 24 : rnd() % span;
			at[k] = pos;
			saved[k] = p[pos];
		}
		for (k = 0; k < 4; k++)
			p[at[k]] ^= 1 + rnd() % 255;
		if (!ls_btf_init(&btf, p, self->size)) {
			inits++;
			exercise(_metadata, &btf, 3);
		}
		for (k = 4; k-- > 0;)
			p[at[k]] = saved[k];
	}
	TH_LOG("40 corrupted blobs: %u passed init", inits);
	free(p);
}

TEST_F(kernel, lookup_cost)
{
	const struct ls_btf *btf = &self->btf;
	struct timespec a, b;
	u32 id;

	clock_gettime(CLOCK_MONOTONIC, &a);
	id = ls_btf_find_struct(btf, "slab", NULL);
	ASSERT_EQ(0, ls_btf_member(btf, id, "inuse", NULL, NULL, NULL));
	clock_gettime(CLOCK_MONOTONIC, &b);
	TH_LOG("find slab + slab.inuse: %ld us (host, sanitizers on)",
	       (long)((b.tv_sec - a.tv_sec) * 1000000 +
		      (b.tv_nsec - a.tv_nsec) / 1000));
}

TEST_HARNESS_MAIN

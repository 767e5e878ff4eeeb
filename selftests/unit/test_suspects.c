// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/suspects.c: kind names, ranking, field copies.
 */
#include "kselftest_harness.h"

#include "ls_fixtures.h"

TEST(kind_names)
{
	int k;

	ASSERT_EQ((int)ARRAY_SIZE(ls_fx_kind_names), LS_SUSPECT_KIND_NR);
	for (k = 0; k < LS_SUSPECT_KIND_NR; k++)
		ASSERT_STREQ(ls_fx_kind_names[k],
			     ls_suspect_kind_name((enum ls_suspect_kind)k));
	ASSERT_STREQ("unknown", ls_suspect_kind_name(LS_SUSPECT_KIND_NR));
	ASSERT_STREQ("unknown", ls_suspect_kind_name((enum ls_suspect_kind)-1));
	ASSERT_STREQ("unknown", ls_suspect_kind_name((enum ls_suspect_kind)1000));
}

TEST(score_formula)
{
	struct ls_suspect s[1];

	/* rate * severity * (50 + pct) / 150 */
	ls_fx_suspect(&s[0], LS_SUSPECT_ANON_GROWTH, "a", 1500, 100, 1);
	ls_suspects_rank(s, 1);
	ASSERT_EQ(1500, s[0].score);
	ASSERT_EQ(1U, s[0].rank);
	ls_fx_suspect(&s[0], LS_SUSPECT_ANON_GROWTH, "a", 1500, 0, 4);
	ls_suspects_rank(s, 1);
	ASSERT_EQ(2000, s[0].score);
	ls_fx_suspect(&s[0], LS_SUSPECT_ANON_GROWTH, "a", 1000, 40, 3);
	ls_suspects_rank(s, 1);
	ASSERT_EQ(1800, s[0].score);
	/* Shrinking memory scores 0, never negative. */
	ls_fx_suspect(&s[0], LS_SUSPECT_ANON_GROWTH, "a", -5000, 100, 4);
	ls_suspects_rank(s, 1);
	ASSERT_EQ(0, s[0].score);
	/* Out-of-range severity and persistence are clamped. */
	ls_fx_suspect(&s[0], LS_SUSPECT_ANON_GROWTH, "a", 1500, 1000, 9);
	ls_suspects_rank(s, 1);
	ASSERT_EQ(6000, s[0].score);
	ls_fx_suspect(&s[0], LS_SUSPECT_ANON_GROWTH, "a", 1500, 100, 0);
	ls_suspects_rank(s, 1);
	ASSERT_EQ(1500, s[0].score);
}

TEST(score_saturates)
{
	struct ls_suspect s[3];

	/* z and x saturate to the same top score; y stays just below. */
	ls_fx_suspect(&s[0], LS_SUSPECT_SLAB_GROWTH, "y", S64_MAX / 600 - 1000, 100, 4);
	ls_fx_suspect(&s[1], LS_SUSPECT_SLAB_GROWTH, "z", S64_MAX / 600 + 1, 100, 4);
	ls_fx_suspect(&s[2], LS_SUSPECT_SLAB_GROWTH, "x", S64_MAX, 100, 4);
	ls_suspects_rank(s, 3);
	ASSERT_STREQ("x", s[0].subject);
	ASSERT_STREQ("z", s[1].subject);
	ASSERT_STREQ("y", s[2].subject);
	ASSERT_EQ(S64_MAX / 150, s[0].score);
	ASSERT_EQ(s[0].score, s[1].score);
	ASSERT_GT(s[1].score, s[2].score);
	ASSERT_GT(s[2].score, 0);
}

TEST(rank_order)
{
	struct ls_suspect s[5];
	u32 i;

	ls_fx_rank_mix(s);
	ls_suspects_rank(s, 5);
	ASSERT_STREQ("meminfo:Shmem", s[0].subject);
	ASSERT_STREQ("pid:42:srv", s[1].subject);
	ASSERT_STREQ("mod:gone", s[2].subject);
	ASSERT_STREQ("pid:100:a", s[3].subject);
	ASSERT_STREQ("slab:kmalloc-64", s[4].subject);
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(i + 1, s[i].rank);
		if (i)
			ASSERT_GE(s[i - 1].score, s[i].score);
	}
	/* Records move whole: evidence travels with its subject. */
	for (i = 0; i < 5; i++)
		ASSERT_STREQ(s[i].subject, s[i].evidence);
}

TEST(rank_ties_kind_then_subject)
{
	struct ls_suspect s[6];

	/* Equal scores everywhere. */
	ls_fx_rank_ties(s);
	ls_suspects_rank(s, 6);
	ASSERT_EQ(LS_SUSPECT_THREAD_STACK_LEAK, (int)s[0].kind);
	ASSERT_STREQ("y", s[1].subject);
	ASSERT_STREQ("y", s[2].subject);
	/* Complete ties keep their input order (stable). */
	ASSERT_EQ(1, s[1].growth_kb);
	ASSERT_EQ(2, s[2].growth_kb);
	ASSERT_STREQ("z", s[3].subject);
	ASSERT_STREQ("a", s[4].subject);
	ASSERT_STREQ("b", s[5].subject);
}

TEST(rank_deterministic_for_any_input_order)
{
	struct ls_suspect base[12], s[12];
	char subj[8];
	u32 state = 12345, round, i, j;

	/* A mix with many ties; every permutation must rank the same. */
	for (i = 0; i < 12; i++) {
		subj[0] = (char)('a' + i % 4);
		subj[1] = '\0';
		ls_fx_suspect(&base[i], (enum ls_suspect_kind)(i % 3), subj,
		   (i % 2) * 1000, 100, 1);
	}
	memcpy(s, base, sizeof(s));
	ls_suspects_rank(s, 12);
	memcpy(base, s, sizeof(s));
	for (round = 0; round < 500; round++) {
		struct ls_suspect tmp;

		for (i = 11; i > 0; i--) {
			state = state * 1103515245 + 12345;
			j = (state >> 8) % (i + 1);
			tmp = s[i];
			s[i] = s[j];
			s[j] = tmp;
		}
		ls_suspects_rank(s, 12);
		for (i = 0; i < 12; i++) {
			ASSERT_EQ((int)base[i].kind, (int)s[i].kind);
			ASSERT_STREQ(base[i].subject, s[i].subject);
			ASSERT_EQ(base[i].score, s[i].score);
			ASSERT_EQ(i + 1, s[i].rank);
		}
	}
}

TEST(rank_empty_and_one)
{
	struct ls_suspect s[1];

	ls_suspects_rank(NULL, 0);
	ls_fx_suspect(&s[0], LS_SUSPECT_MLOCK_GROWTH, "x", 10, 10, 1);
	ls_suspects_rank(s, 1);
	ASSERT_EQ(1U, s[0].rank);
}

TEST(field_copy)
{
	char buf[LS_SUBJECT_LEN];

	ls_field_copy(buf, sizeof(buf), "kmalloc-64");
	ASSERT_STREQ("kmalloc-64", buf);
	ls_field_copy(buf, sizeof(buf), "Web Content");
	ASSERT_STREQ("Web_Content", buf);
	ls_field_copy(buf, sizeof(buf), "a\tb\nc\rd\ve\ff");
	ASSERT_STREQ("a_b_c_d_e_f", buf);
	ls_field_copy(buf, sizeof(buf), "  two  ");
	ASSERT_STREQ("__two__", buf);
	ls_field_copy(buf, sizeof(buf), "\x01\x1f\x7f\x80\xff");
	ASSERT_STREQ("_____", buf);
	ls_field_copy(buf, sizeof(buf), "ok!~{}[]:;,.-_=+");
	ASSERT_STREQ("ok!~{}[]:;,.-_=+", buf);
	ls_field_copy(buf, sizeof(buf), "");
	ASSERT_STREQ("-", buf);
	ls_field_copy(buf, sizeof(buf), NULL);
	ASSERT_STREQ("-", buf);
	/* Whitespace only is not empty: it becomes underscores. */
	ls_field_copy(buf, sizeof(buf), " ");
	ASSERT_STREQ("_", buf);
}

TEST(field_copy_truncates)
{
	char buf[8], big[300];

	memset(buf, 'X', sizeof(buf));
	ls_field_copy(buf, 5, "abcdefgh");
	ASSERT_STREQ("abcd", buf);
	ASSERT_EQ('X', buf[5]);		/* nothing written past len */
	ls_field_copy(buf, 8, "abcdefg");
	ASSERT_STREQ("abcdefg", buf);
	ls_field_copy(buf, 8, "abcdefgh");
	ASSERT_STREQ("abcdefg", buf);
	ls_field_copy(buf, 2, "abc");
	ASSERT_STREQ("a", buf);
	ls_field_copy(buf, 2, "");
	ASSERT_STREQ("-", buf);
	memset(buf, 'X', sizeof(buf));
	ls_field_copy(buf, 1, "abc");
	ASSERT_EQ('\0', buf[0]);
	ASSERT_EQ('X', buf[1]);
	ls_field_copy(buf, 1, "");
	ASSERT_EQ('\0', buf[0]);
	ASSERT_EQ('X', buf[1]);
	/* len 0: nothing at all is written. */
	ls_field_copy(buf, 0, "abc");
	ASSERT_EQ('\0', buf[0]);
	ASSERT_EQ('X', buf[1]);

	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[10] = ' ';
	{
		char ev[LS_EVIDENCE_LEN];

		ls_field_copy(ev, sizeof(ev), big);
		ASSERT_EQ((size_t)LS_EVIDENCE_LEN - 1, strlen(ev));
		ASSERT_EQ('_', ev[10]);
	}
}

TEST(field_copy_never_has_whitespace)
{
	char src[64], dst[32];
	u32 state = 7, round, i;

	for (round = 0; round < 20000; round++) {
		u32 n = round % 63;

		for (i = 0; i < n; i++) {
			state = state * 1664525 + 1013904223;
			src[i] = (char)(1 + (state >> 24) % 255);	/* no NUL */
		}
		src[n] = '\0';
		ls_field_copy(dst, sizeof(dst), src);
		ASSERT_GT(strlen(dst), 0U);
		ASSERT_LE(strlen(dst), sizeof(dst) - 1);
		for (i = 0; dst[i]; i++) {
			ASSERT_GT((unsigned char)dst[i], ' ');
			ASSERT_LT((unsigned char)dst[i], 0x7f);
		}
	}
}

TEST(words_copy)
{
	char buf[32];

	ls_words_copy(buf, sizeof(buf), "left by ls_leaky (caller x)");
	ASSERT_STREQ("left_by_ls__leaky_(caller_x)", buf);
	ls_words_copy(buf, sizeof(buf), "");
	ASSERT_STREQ("-", buf);
	ls_words_copy(buf, sizeof(buf), "a\tb\nc\x01");
	ASSERT_STREQ("a_b_c?", buf);
	/* Never cut a "__" in half: that would read as a space. */
	ls_words_copy(buf, 4, "ab_c");
	ASSERT_STREQ("ab", buf);
	ls_words_copy(buf, 5, "ab_c");
	ASSERT_STREQ("ab__", buf);
	ls_words_copy(buf, 1, "abc");
	ASSERT_STREQ("", buf);
}

TEST(flat_orphan_outranks_growth)
{
	struct ls_suspect s[2];

	ls_fx_suspect(&s[0], LS_SUSPECT_SLAB_GROWTH, "slab:a", 600, 90, 3);
	ls_fx_suspect(&s[1], LS_SUSPECT_VMALLOC_ORPHAN, "module:m", 0, 0, 4);
	s[1].growth_kb = 12988;		/* what the module left, flat */
	ls_suspects_rank(s, 2);
	ASSERT_STREQ("module:m", s[0].subject);
	ASSERT_EQ(1U, s[0].rank);
}

/* Kernel memory that a thread or zombie growth suspect names precisely. */
TEST(task_memory_subjects)
{
	ASSERT_TRUE(ls_subject_is_task_memory("slab:task_struct"));
	ASSERT_TRUE(ls_subject_is_task_memory("slab:signal_cache"));
	ASSERT_TRUE(ls_subject_is_task_memory("slab:pid"));
	ASSERT_TRUE(ls_subject_is_task_memory("vmalloc:alloc_thread_stack_node"));
	ASSERT_TRUE(ls_subject_is_task_memory("vmalloc:alloc_thread_stack_node+0x4f/0x1a0"));
	ASSERT_FALSE(ls_subject_is_task_memory("vmalloc:alloc_thread_stack_nodes"));
	/* 6.12 inlines it into the fork path */
	ASSERT_TRUE(ls_subject_is_task_memory("vmalloc:kernel_clone+0xc2/0x430"));
	ASSERT_TRUE(ls_subject_is_task_memory("vmalloc:copy_process+0x1f0/0x1a40"));
	ASSERT_TRUE(ls_subject_is_task_memory("vmalloc:dup_task_struct+0x41/0x200"));
	ASSERT_FALSE(ls_subject_is_task_memory("vmalloc:kernel_clone_args+0x1"));
	ASSERT_FALSE(ls_subject_is_task_memory("slab:kernel_clone"));
	ASSERT_FALSE(ls_subject_is_task_memory("slab:pid_namespace"));
	ASSERT_FALSE(ls_subject_is_task_memory("slab:kmalloc-64"));
	ASSERT_FALSE(ls_subject_is_task_memory("pid:1:init"));
	ASSERT_FALSE(ls_subject_is_task_memory("module:ls_leaky"));
	ASSERT_FALSE(ls_subject_is_task_memory(""));
	ASSERT_FALSE(ls_subject_is_task_memory(NULL));
}

TEST_HARNESS_MAIN

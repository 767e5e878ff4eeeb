/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LS_WALK_MEMINFO_H
#define LS_WALK_MEMINFO_H

#include "meminfo_rules.h"

struct ls_meminfo {
	s64 kb[LS_MI_NR];
	bool valid[LS_MI_NR];
};

/* Read the meminfo items now.  Takes no lock and never sleeps. */
void ls_meminfo_read(struct ls_meminfo *mi);

#endif /* LS_WALK_MEMINFO_H */

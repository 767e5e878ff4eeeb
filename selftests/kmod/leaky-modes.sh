#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ls_leaky's reproducers, one at a time, with their effect in
# /proc/slabinfo and /proc/meminfo: a script for the test VM, not a test
# of /tests:
#
#   selftests/vm/run.sh --kernel VER --script selftests/kmod/leaky-modes.sh
KO=${LEAKSCOPE_LEAKY_KO:-/lib/leakscope/ls_leaky.ko}
BASE="period_ms=100 vm_leak=0 objs_per_tick=0"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { if [ "$1" -eq 0 ]; then ok "$2"; else nok "$2"; fi; }
# meminfo item KEY, per-cpu counter deltas folded first: an idle VM folds late
mi() { echo 1 > /proc/sys/vm/stat_refresh 2>/dev/null; awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
# active objects of a cache (0: no line)
slab() { awk -v c="$1" '$1 == c { print $2; f = 1 } END { if (!f) print 0 }' /proc/slabinfo; }
snap() { echo "  $1: MemFree=$(mi MemFree) Slab=$(mi Slab) SUnreclaim=$(mi SUnreclaim) VmallocUsed=$(mi VmallocUsed) Percpu=$(mi Percpu) AnonPages=$(mi AnonPages) Cached=$(mi Cached) KernelStack=$(mi KernelStack) PageTables=$(mi PageTables) $2"; }
# shellcheck disable=SC2086 # BASE is words
load() { insmod "$KO" $BASE "$@" || { nok "insmod $*"; return 1; }; }
unload() { rmmod ls_leaky; }
settle() { sync; echo 3 > /proc/sys/vm/drop_caches; sleep 1; }

echo "# kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpus"
echo 1 > /proc/sys/kernel/printk_ratelimit 2>/dev/null

# bad values refused
for p in strdup_bytes=8 strdup_bytes=8193 kc_obj_size=8 kc_obj_size=65537 page_order=5 percpu_bytes=16 percpu_bytes=4097 new_per_tick=0 new_per_tick=4097 hold_ticks=0 hold_ticks=1001 churn_obj_size=65537 rcu_bytes=32 rcu_bytes=8193; do
	if insmod "$KO" $p 2>/dev/null; then rmmod ls_leaky; nok "refused $p"; else ok "refused $p"; fi
done

# defaults: as before, no new cache
insmod "$KO" max_ticks=3 && sleep 1
s=$(slab ls_leaky_cache); k=$(slab ls_leaky_kc); c=$(slab ls_leaky_churn)
echo "  defaults: ls_leaky_cache=$s ls_leaky_kc=$k ls_leaky_churn=$c"
[ "$s" -ge 96 ] && [ "$k" = 0 ] && [ "$c" = 0 ]; check $? "defaults unchanged: 3 ticks x 32 objects, no new caches"
dmesg | grep 'ls_leaky:' | tail -2 | sed 's/^/  /'
unload

# 1. kstrdup leak: 64 x 512 B per 100 ms into kmalloc-512
settle; a=$(slab kmalloc-512)
load strdup_bytes=512 new_per_tick=64 && sleep 5
b=$(slab kmalloc-512); unload; sleep 1; c=$(slab kmalloc-512)
echo "  kmalloc-512 active: before=$a after5s=$b unloaded=$c (expect +~3200)"
[ $((b - a)) -ge 2400 ] && [ $((c - a)) -lt 1000 ]; check $? "strdup_bytes: kmalloc-512 grows, freed on unload"

# 2. own cache leak
load kc_obj_size=256 new_per_tick=64 && sleep 2
a=$(slab ls_leaky_kc); sleep 3; b=$(slab ls_leaky_kc)
grep '^ls_leaky_kc ' /proc/slabinfo | sed 's/^/  /'
unload; sleep 1; c=$(slab ls_leaky_kc)
echo "  ls_leaky_kc active: 2s=$a 5s=$b unloaded=$c (expect +~1920 in 3 s)"
[ $((b - a)) -ge 1500 ] && [ "$c" = 0 ]; check $? "kc_obj_size: ls_leaky_kc grows, gone on unload"

# 3. pages no counter shows: 128 pages per 100 ms = 5 MiB/s.  The per-cpu
# page lists hold some MiB that MemFree does not count (freed pages wait
# there, allocations take from there first): hence 50 MiB, against that.
settle; snap before
f0=$(mi MemFree); s0=$(mi Slab); v0=$(mi VmallocUsed); p0=$(mi Percpu); an0=$(mi AnonPages); ca0=$(mi Cached); pt0=$(mi PageTables); ks0=$(mi KernelStack)
load leak_pages=1 new_per_tick=128 && sleep 10
snap "after 10 s"
f1=$(mi MemFree); s1=$(mi Slab); v1=$(mi VmallocUsed); p1=$(mi Percpu); an1=$(mi AnonPages); ca1=$(mi Cached); pt1=$(mi PageTables); ks1=$(mi KernelStack)
# freed order-0 pages wait on the per-cpu lists, which MemFree does not
# count, until they drain (6.12 decays them every second)
unload; sleep 6; snap unloaded; f2=$(mi MemFree)
drop=$((f0 - f1)); rise=$(( (s1 - s0) + (v1 - v0) + (p1 - p0) + (an1 - an0) + (ca1 - ca0) + (pt1 - pt0) + (ks1 - ks0) ))
echo "  MemFree fell $drop kB; the counters rose $rise kB together; back $((f2 - f1)) kB on unload"
[ $drop -ge 30000 ] && [ $rise -lt 2000 ] && [ $((f2 - f1)) -ge 30000 ]; check $? "leak_pages: MemFree falls, no counter rises, freed on unload"

# 3b. order 2
settle; f0=$(mi MemFree)
load leak_pages=1 page_order=2 new_per_tick=32 && sleep 5
f1=$(mi MemFree); unload; sleep 6; f2=$(mi MemFree)
echo "  order 2: MemFree fell $((f0 - f1)) kB (expect ~32000), back $((f2 - f1)) kB"
# (the per-cpu lists, refilled and drained, move MemFree by some MiB)
[ $((f0 - f1)) -ge 16000 ] && [ $((f2 - f1)) -ge 16000 ]; check $? "leak_pages page_order=2"

# 4. percpu: 32 x 1 KiB x ncpus per 100 ms
settle; p0=$(mi Percpu)
load percpu_bytes=1024 new_per_tick=32 && sleep 5
p1=$(mi Percpu); unload; sleep 2; p2=$(mi Percpu)
echo "  Percpu: before=$p0 after5s=$p1 unloaded=$p2 kB (expect +~$((1600 * $(grep -c ^processor /proc/cpuinfo)))"
[ $((p1 - p0)) -ge 1500 ]; check $? "percpu_bytes: Percpu grows"
[ $((p1 - p2)) -ge 0 ] && echo "  (percpu chunks are released lazily: unloaded-before=$((p2 - p0)) kB)"

# 5. churning cache: population flat at ~64 x 5
load churn_obj_size=256 new_per_tick=64 && sleep 2
a=$(slab ls_leaky_churn); sleep 2; b=$(slab ls_leaky_churn); sleep 2; c=$(slab ls_leaky_churn)
unload; sleep 1; d=$(slab ls_leaky_churn)
echo "  ls_leaky_churn active: 2s=$a 4s=$b 6s=$c unloaded=$d (held ~320; a leak would add 1280 per 2 s)"
[ $((c - a)) -lt 300 ] && [ $((a - c)) -lt 300 ] && [ "$a" -ge 320 ] && [ "$d" = 0 ]; check $? "churn_obj_size: ls_leaky_churn flat"

# 6. kfree_rcu: 64 x 2 KiB per 100 ms, kfree_rcu()d after 5 ticks
settle; a0=$(slab kmalloc-2k); [ "$a0" = 0 ] && a0=$(slab kmalloc-2048)
name=kmalloc-2k; grep -q '^kmalloc-2k ' /proc/slabinfo || name=kmalloc-2048
load rcu_bytes=2048 new_per_tick=64 && sleep 3
a=$(slab $name); sleep 3; b=$(slab $name); sleep 3; c=$(slab $name)
unload; sleep 3; d=$(slab $name)
echo "  $name active: before=$a0 3s=$a 6s=$b 9s=$c unloaded=$d (held ~320 + grace periods; a leak would add 1920 per 3 s)"
[ $((c - a)) -lt 600 ] && [ $((b - a)) -lt 600 ] && [ $((d - a0)) -lt 600 ]; check $? "rcu_bytes: $name flat"

# 7. pages freed after a delay: 64 pages per 100 ms held for 5 ticks
settle; f0=$(mi MemFree)
load churn_pages=1 new_per_tick=64 && sleep 2
f1=$(mi MemFree); sleep 3; f2=$(mi MemFree); sleep 3; f3=$(mi MemFree)
unload; sleep 1; f4=$(mi MemFree)
echo "  MemFree: before=$f0 2s=$f1 5s=$f2 8s=$f3 unloaded=$f4 kB (held ~1280 kB; a leak would take 7500 kB per 3 s)"
[ $((f1 - f3)) -lt 2500 ] && [ $((f3 - f1)) -lt 2500 ]; check $? "churn_pages: MemFree flat"

# all at once, then unload: nothing left behind
settle; f0=$(mi MemFree)
load strdup_bytes=100 kc_obj_size=100 leak_pages=1 percpu_bytes=64 churn_obj_size=64 rcu_bytes=100 churn_pages=1 new_per_tick=16 max_ticks=20 && sleep 3
dmesg | grep 'ls_leaky:' | tail -3 | sed 's/^/  /'
unload; sleep 1; f1=$(mi MemFree)
echo "  all at once, 20 ticks: MemFree before=$f0 after unload=$f1"
[ $((f0 - f1)) -lt 3000 ]; check $? "all reproducers together, all freed on unload"
if grep -q "^ls_leaky " /proc/modules; then nok unloaded; else ok unloaded; fi
echo "1..$n"

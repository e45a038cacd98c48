import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) used so far by the processes of group `pgid` (wrangler and its
 * workerd, which `wrangler dev` for the bench runs in a group of their own), from /proc. Null
 * where there is no /proc: the breakdown then leaves the column empty.
 */
export async function processGroupCpuSeconds(pgid: number): Promise<number | null> {
  const byCommand = await processGroupCpuByCommand(pgid);
  return byCommand === null ? null : Object.values(byCommand).reduce((sum, seconds) => sum + seconds, 0);
}

/** The same, per command name: `node` (wrangler itself) and `workerd` (the Worker, its Durable Objects, local D1). */
export async function processGroupCpuByCommand(pgid: number): Promise<Record<string, number> | null> {
  const pids = await readdir('/proc').catch(() => null);
  if (!pids) return null;
  const ticks: Record<string, number> = {};
  for (const pid of pids.filter((name) => /^\d+$/.test(name))) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // Fields after the command name (which may contain spaces) start at ") ".
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(') '));
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    // state ppid pgrp … utime (14th field overall, index 11 here) stime (index 12).
    if (Number(fields[2]) === pgid) ticks[command] = (ticks[command] ?? 0) + Number(fields[11]) + Number(fields[12]);
  }
  return Object.fromEntries(Object.entries(ticks).map(([command, value]) => [command, value / TICKS_PER_SECOND]));
}

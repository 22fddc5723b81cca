/**
 * `tsx bench/summarize-profile.ts <file.cpuprofile> [rows] [filter]`: where a V8 CPU profile's
 * busy samples went, for a machine without DevTools. Self time by function, then inclusive time
 * (a function counted once per sample however often it recurs on the stack), as shares of the
 * samples that were not idle; `filter` keeps the inclusive rows whose name contains it.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const [file, rowsArgument, filter] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/summarize-profile.ts <file.cpuprofile> [rows] [filter]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
const rows = Number(rowsArgument ?? 40);
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

const label = ({ callFrame }: ProfileNode) => {
  const where = callFrame.url.replace(/^.*node_modules\//, '~/').replace(`file://${process.cwd()}/`, '');
  return `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber + 1}`;
};
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const add = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
let busy = 0;
for (const id of profile.samples) {
  const node = nodes.get(id)!;
  if (node.callFrame.functionName === '(idle)') continue;
  busy++;
  add(self, label(node));
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const name = label(nodes.get(at)!);
    if (!seen.has(name)) add(inclusive, name);
    seen.add(name);
  }
}

const print = (title: string, counts: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(`${((100 * count) / busy).toFixed(1).padStart(5)}%  ${name}`);
  }
};
console.log(`${profile.samples.length} samples, ${busy} busy`);
print('self', self);
print(
  filter ? `inclusive, names containing "${filter}"` : 'inclusive',
  filter ? new Map([...inclusive].filter(([name]) => name.includes(filter))) : inclusive,
);

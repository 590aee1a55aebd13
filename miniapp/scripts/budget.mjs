// The performance budget: all production JavaScript together at most 200 KB gzipped.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 200;
const assets = new URL("../dist/assets/", import.meta.url);
let total = 0;
for (const name of readdirSync(assets)) {
  if (!name.endsWith(".js")) continue;
  const size = gzipSync(readFileSync(join(assets.pathname, name)), { level: 9 }).length;
  total += size;
  console.log(`  ${name.padEnd(32)} ${(size / 1024).toFixed(1).padStart(7)} KB gzipped`);
}
const kb = total / 1024;
console.log(`JavaScript total: ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (kb > BUDGET_KB) {
  console.error(`Over budget by ${(kb - BUDGET_KB).toFixed(1)} KB`);
  process.exit(1);
}

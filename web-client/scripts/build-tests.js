// Compiles each test file (with the sources it imports) to plain JavaScript for node's built-in runner.
import { build } from "esbuild";
import { readdirSync, rmSync } from "node:fs";

const outdir = "target/test-js";
const entryPoints = readdirSync("test")
  .filter((name) => name.endsWith(".test.ts"))
  .map((name) => `test/${name}`);

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node24",
  sourcemap: "inline",
  logLevel: "warning",
});

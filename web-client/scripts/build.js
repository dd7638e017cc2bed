// Bundles each page's script and copies the static files into target/classes/web/, which Maven packs into
// the jar under web/ (the server serves that classpath folder at "/").
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync } from "node:fs";

const outdir = "target/classes/web";

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
cpSync("static", outdir, { recursive: true });

await build({
  entryPoints: {
    chat: "src/pages/chat.ts",
    admin: "src/pages/admin.ts",
    console: "src/pages/console.ts",
    // A stylesheet file, with uPlot's: the CSP (style-src 'self') allows no inline style.
    "console-style": "src/pages/console.css",
  },
  outdir,
  bundle: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  // Both pages load as <script type="module">, so no global names leak and no inline script is needed.
  legalComments: "none",
  minify: true,
  logLevel: "warning",
});
console.log(`built ${outdir}`);

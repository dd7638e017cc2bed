// Draws the cost-as-work-grows charts of one benchmark run as SVG, with Vega-Lite (compiled to Vega and rendered
// headless by Vega's own SVG renderer: no browser, no canvas, the same file for the same JSON):
//   node bench/charts/render.mjs bench/results/full.json
// writes, beside the JSON, every chart its "charts" list names (Main.CHARTS in the generator):
//   <size>-p2p-p99.svg   p99 latency against offered load, per server (the p2p fixed-rate phase and its steps)
//   <size>-idle-rss.svg  resident memory against open connections, per server (idle, measured on the way up)
// With --repeat N the line goes through the median of the runs and every run's value is a point.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vega from 'vega';
import { compile } from 'vega-lite';

/** One colour per server for every chart and every run, so a server looks the same everywhere. */
const SERVERS = ['matchbook', 'matchbook-disk', 'socketio', 'ws', 'netty', 'matchbook-redis',
  'matchbook-redis-always'];
const COLOURS = ['#6baed6', '#08306b', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/** Groups points by server and x, and adds one median point per group (for the line). */
function medians(points, x, y) {
  const groups = new Map();
  for (const p of points) {
    const key = `${p.server}\u0000${p[x]}`;
    if (!groups.has(key)) groups.set(key, { server: p.server, [x]: p[x], values: [] });
    groups.get(key).values.push(p[y]);
  }
  return [...groups.values()].map((g) => ({ server: g.server, [x]: g[x], [y]: median(g.values), runs: g.values.length }));
}

function usable(results, scenario) {
  return results.filter((r) => r.scenario === scenario && !r.error && !r.skipped);
}

/** The p99 of every phase of p2p against its offered rate: the fixed-rate phase, then each step that counted. */
function p2pPoints(results) {
  const points = [];
  for (const r of usable(results, 'p2p')) {
    const run = r.repetition ?? 1;
    if (typeof r.p99_ms === 'number') {
      points.push({ server: r.server, run, offered: r.fixed_rate_msgs_s ?? 5000, p99: r.p99_ms, step: 'passed' });
    }
    // A rate tried twice (second_try) counts with its last attempt.
    const byRate = new Map();
    for (const s of r.steps ?? []) byRate.set(s.offered_msgs_s, s);
    for (const s of byRate.values()) {
      points.push({ server: r.server, run, offered: s.offered_msgs_s, p99: Math.max(s.p99_ms, 0.01),
        step: s.failed ? 'failed' : 'passed' });
    }
  }
  return points;
}

/** Resident memory against open connections: before any (0), at each step on the way up, and at the end. */
function idlePoints(results) {
  const points = [];
  for (const r of usable(results, 'idle')) {
    const run = r.repetition ?? 1;
    points.push({ server: r.server, run, connections: 0, rss: r.rss_before_mb });
    if (Array.isArray(r.steps) && r.steps.length > 0) {
      for (const s of r.steps) points.push({ server: r.server, run, connections: s.connections, rss: s.rss_mb });
    } else {
      points.push({ server: r.server, run, connections: r.connections, rss: r.rss_after_mb });
    }
  }
  return points;
}

function colour(points) {
  const present = SERVERS.filter((s) => points.some((p) => p.server === s));
  const others = [...new Set(points.map((p) => p.server))].filter((s) => !SERVERS.includes(s)).sort();
  const domain = [...present, ...others];
  return { field: 'server', type: 'nominal', title: 'server',
    scale: { domain, range: domain.map((s) => COLOURS[SERVERS.indexOf(s)] ?? '#7f7f7f') } };
}

function subtitle(doc) {
  const repeat = doc.repeat ?? 1;
  return [`${doc.command} (${doc.date})`,
    repeat > 1 ? `line: median of ${repeat} runs, points: each run` : 'one run'];
}

function p2pChart(doc) {
  const points = p2pPoints(doc.results);
  if (points.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'p2p: p99 latency against offered load (each server on one core)', subtitle: subtitle(doc) },
    width: 640, height: 360,
    layer: [
      { data: { values: medians(points, 'offered', 'p99') }, mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'offered', type: 'quantitative', title: 'offered load (messages/s)', scale: { zero: true } },
          y: { field: 'p99', type: 'quantitative', title: 'p99 latency (ms, log scale)', scale: { type: 'log' } },
          color: colour(points) } },
      { data: { values: points }, mark: { type: 'point', filled: true, size: 40, opacity: 0.8 },
        encoding: {
          x: { field: 'offered', type: 'quantitative' },
          y: { field: 'p99', type: 'quantitative', scale: { type: 'log' } },
          color: colour(points),
          shape: { field: 'step', type: 'nominal', title: 'step',
            scale: { domain: ['passed', 'failed'], range: ['circle', 'cross'] } } } },
      { data: { values: [{ limit: 50 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#666' },
        encoding: { y: { field: 'limit', type: 'quantitative' } } },
      { data: { values: [{ limit: 50, label: 'a step passes at p99 <= 50 ms' }] },
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#666' },
        encoding: { y: { field: 'limit', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } } },
    ],
  };
}

function idleChart(doc) {
  const points = idlePoints(doc.results);
  if (points.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'idle: resident memory (RSS) against open connections', subtitle: subtitle(doc) },
    width: 640, height: 360,
    layer: [
      { data: { values: medians(points, 'connections', 'rss') }, mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'connections', type: 'quantitative', title: 'idle connections' },
          y: { field: 'rss', type: 'quantitative', title: 'server RSS (MB)' },
          color: colour(points) } },
      { data: { values: points }, mark: { type: 'point', filled: true, size: 40, opacity: 0.8 },
        encoding: {
          x: { field: 'connections', type: 'quantitative' },
          y: { field: 'rss', type: 'quantitative' },
          color: colour(points) } },
    ],
  };
}

const CHARTS = { 'p2p-p99.svg': p2pChart, 'idle-rss.svg': idleChart };

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench/charts/render.mjs bench/results/<size>.json');
    process.exit(2);
  }
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const size = basename(file, '.json');
  // Results written before the charts existed name none: draw what their data allows.
  const names = doc.charts ?? Object.keys(CHARTS).map((c) => `${size}-${c}`);
  for (const name of names) {
    const kind = Object.keys(CHARTS).find((c) => name.endsWith(`-${c}`));
    if (!kind) throw new Error(`${file} asks for a chart this script does not know: ${name}`);
    const spec = CHARTS[kind](doc);
    if (!spec) {
      console.log(`bench/charts: no data for ${name} in ${file} (every such scenario broke), not drawn`);
      continue;
    }
    const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
    const svg = await view.toSVG();
    view.finalize();
    const out = join(dirname(file), name);
    writeFileSync(out, svg + '\n');
    console.log(`bench/charts: wrote ${out}`);
  }
}

main().catch((e) => {
  console.error(`bench/charts: ${e.stack ?? e}`);
  process.exit(1);
});

import uPlot from "uplot";
import type { Columns } from "./consoleApi.js";
import { element } from "./dom.js";
import { numberText } from "./consoleText.js";

interface Line {
  key: string;
  label: string;
  colour: string;
  dash?: number[];
}

interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  lines: Line[];
}

/**
 * The charts, each a uPlot line chart of cluster columns. Lines differ by dash as well as colour, the legend names
 * them, and a text line under each chart gives the latest and the peak values, so nothing is told by colour alone.
 */
const SPECS: ChartSpec[] = [
  {
    id: "chart-connections",
    title: "Connections and users",
    unit: "",
    lines: [
      { key: "connections", label: "connections", colour: "#0969da" },
      { key: "users", label: "users", colour: "#1a7f37", dash: [8, 4] },
      { key: "sse", label: "SSE streams", colour: "#8250df", dash: [2, 3] },
    ],
  },
  {
    id: "chart-messages",
    title: "Messages per second",
    unit: "/s",
    lines: [
      { key: "messagesIn", label: "in", colour: "#0969da" },
      { key: "messagesOut", label: "out", colour: "#bc4c00", dash: [8, 4] },
    ],
  },
  {
    id: "chart-latency",
    title: "Latency (ms, worst node)",
    unit: " ms",
    lines: [
      { key: "deliveryP50Ms", label: "delivery p50", colour: "#1a7f37" },
      { key: "deliveryP99Ms", label: "delivery p99", colour: "#cf222e", dash: [8, 4] },
      { key: "commitMs", label: "store commit (mean)", colour: "#8250df", dash: [2, 3] },
    ],
  },
  {
    id: "chart-refusals",
    title: "Slow-consumer cuts and refusals per second",
    unit: "/s",
    lines: [
      { key: "slowConsumers", label: "slow consumers (4008)", colour: "#cf222e" },
      { key: "refusedAdmission", label: "admission", colour: "#9a6700", dash: [8, 4] },
      { key: "rateLimited", label: "rate limits", colour: "#bc4c00", dash: [2, 3] },
      { key: "refusedOrigin", label: "origins", colour: "#0969da", dash: [12, 3, 2, 3] },
      { key: "refusedToken", label: "tokens", colour: "#8250df", dash: [4, 4] },
    ],
  },
  {
    // Below the socket: TCP connections the node refused or cut before any HTTP or WebSocket handling (issue 11).
    id: "chart-tcp",
    title: "TCP refusals and timeouts per second",
    unit: "/s",
    lines: [
      { key: "tcpRefusedFull", label: "node cap (503)", colour: "#cf222e" },
      { key: "tcpRefusedPerAddress", label: "per address (429)", colour: "#9a6700", dash: [8, 4] },
      { key: "tcpHeaderTimeouts", label: "request head timeouts", colour: "#0969da", dash: [2, 3] },
      { key: "tcpBodyTimeouts", label: "request body timeouts", colour: "#8250df", dash: [12, 3, 2, 3] },
      { key: "tcpIdleTimeouts", label: "keep-alive timeouts", colour: "#1a7f37", dash: [4, 4] },
    ],
  },
  {
    id: "chart-sse",
    title: "SSE fallback share (% of connections)",
    unit: " %",
    lines: [{ key: "sseSharePercent", label: "SSE share", colour: "#8250df" }],
  },
];

const HEIGHT = 180;

class Chart {
  private readonly plot: uPlot;
  private readonly summary: HTMLElement;

  constructor(
    private readonly spec: ChartSpec,
    parent: HTMLElement,
  ) {
    const figure = element("figure", "chart");
    figure.id = spec.id;
    const caption = element("figcaption", "", spec.title);
    caption.id = `${spec.id}-title`;
    figure.setAttribute("aria-labelledby", caption.id);
    const canvas = element("div", "plot");
    canvas.setAttribute("aria-hidden", "true");   // the legend and the summary below carry the figures in text
    this.summary = element("p", "muted summary");
    this.summary.setAttribute("aria-live", "off");
    figure.append(caption, canvas, this.summary);
    parent.append(figure);
    const series: uPlot.Series[] = [
      {},
      ...spec.lines.map((l) => ({
        label: l.label,
        stroke: l.colour,
        width: 2,
        dash: l.dash,
        spanGaps: false,
      })),
    ];
    this.plot = new uPlot(
      {
        width: Math.max(300, canvas.clientWidth || parent.clientWidth || 600),
        height: HEIGHT,
        series,
        scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)] } },
        axes: [{ stroke: "#424a53" }, { stroke: "#424a53", size: 56 }],
        cursor: { drag: { x: false, y: false } },
        // The legend names the lines; the figures are in the summary under the chart.
        legend: { live: false },
      },
      [[], ...spec.lines.map(() => [])],
      canvas,
    );
    new ResizeObserver(() => {
      const width = canvas.clientWidth;
      if (width > 0 && width !== this.plot.width) {
        this.plot.setSize({ width, height: HEIGHT });
      }
    }).observe(canvas);
  }

  update(cluster: Columns): void {
    const t = cluster.t ?? [];
    const data: uPlot.AlignedData = [
      t.map((v) => v ?? 0),
      ...this.spec.lines.map((l) => cluster[l.key] ?? t.map(() => null)),
    ];
    this.plot.setData(data);
    const parts = this.spec.lines.map((l) => {
      const column = cluster[l.key] ?? [];
      const now = column.length > 0 ? column[column.length - 1] : null;
      const peak = column.reduce<number | null>((m, v) => (v === null ? m : m === null ? v : Math.max(m, v)), null);
      return `${l.label} now ${numberText(now ?? null, 2)}, peak ${numberText(peak, 2)}`;
    });
    this.summary.textContent = `${parts.join("; ")} (${t.length} s shown)`;
    const figure = this.summary.parentElement;
    if (figure) {
      figure.dataset.points = String(t.length);
      figure.dataset.lastSecond = String(t.length > 0 ? t[t.length - 1] : 0);
    }
  }
}

/** Builds every chart into `parent`; the returned function redraws them from the cluster's columns. */
export function createCharts(parent: HTMLElement): (cluster: Columns) => void {
  const charts = SPECS.map((spec) => new Chart(spec, parent));
  return (cluster) => charts.forEach((c) => c.update(cluster));
}

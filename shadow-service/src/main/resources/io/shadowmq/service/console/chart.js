// The last hour of a thing's numeric reported values as small inline SVG line charts, one per value (each with its
// own scale), built with DOM calls: no library, no inline style.

import { clock, format } from './model.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 240;
const HEIGHT = 40;
export const HOUR_MS = 3600000;

/** Points per path, kept to the last hour. */
export class History {
  constructor() {
    this.series = new Map();
  }

  /** Adds the numeric leaves of a reported state at time t (ms). */
  add(numericLeaves, reported, t, at) {
    for (const leaf of numericLeaves) {
      const value = at(reported, leaf.path);
      if (typeof value !== 'number') {
        continue;
      }
      const points = this.series.get(leaf.path) || [];
      const last = points[points.length - 1];
      if (last && last.t > t) {
        continue; // older than what we have: replay overlapping live
      }
      if (last && last.t === t) {
        last.v = value;
      } else {
        points.push({ t, v: value });
      }
      this.series.set(leaf.path, points);
    }
  }

  prune(now) {
    for (const points of this.series.values()) {
      while (points.length > 1 && points[0].t < now - HOUR_MS) {
        points.shift();
      }
    }
  }
}

function el(name, attrs) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) {
    node.setAttribute(key, String(value));
  }
  return node;
}

/** One chart: the line over the last hour, the newest value as a dot; described for screen readers. */
export function chart(leaf, points, now) {
  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'spark', role: 'img', focusable: 'false' });
  const values = points.map((p) => p.v);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  // The time axis ends now and starts an hour ago, or at the first report when that is younger (at least a minute
  // back), so a thing that started reporting recently still shows its course.
  const from = Math.max(now - HOUR_MS, Math.min(points[0].t, now - 60000));
  const x = (t) => Math.max(0, Math.min(WIDTH, ((t - from) / (now - from)) * WIDTH));
  const y = (v) => (max === min ? HEIGHT / 2 : HEIGHT - 4 - ((v - min) / span) * (HEIGHT - 8));
  const coordinates = points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`);
  // Held until now: the value stays what was last reported.
  const last = points[points.length - 1];
  coordinates.push(`${x(now).toFixed(1)},${y(last.v).toFixed(1)}`);
  svg.append(el('line', { x1: 0, y1: HEIGHT - 1, x2: WIDTH, y2: HEIGHT - 1, class: 'axis' }));
  svg.append(el('polyline', { points: coordinates.join(' '), class: 'line', fill: 'none' }));
  svg.append(el('circle', { cx: x(now).toFixed(1), cy: y(last.v).toFixed(1), r: 3, class: 'dot' }));
  const description =
    `${leaf.title} since ${clock(from)}: ${points.length} reports, ` +
    `lowest ${format(leaf.schema, min)}, highest ${format(leaf.schema, max)}, now ${format(leaf.schema, last.v)}`;
  const title = el('title', {});
  title.textContent = description;
  svg.prepend(title);
  svg.setAttribute('aria-label', description);
  return svg;
}

// The last hour of a thing's numeric reported values as small inline SVG line charts, one per value (each with its
// own scale), built with DOM calls: no library, no inline style. The hour comes from the history endpoint
// (lastHour), the values since from the live stream (History.add).

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
        continue; // older than what we have: a repeat arriving late
      }
      if (last && last.t === t) {
        last.v = value;
      } else {
        points.push({ t, v: value });
      }
      this.series.set(leaf.path, points);
    }
  }

  /**
   * Merges a value's stored history (points {t, v}, oldest first) with what arrived live meanwhile: one point per
   * time, live values kept where both have one.
   */
  load(path, points) {
    const live = this.series.get(path) || [];
    const byTime = new Map();
    for (const point of points.concat(live)) {
      byTime.set(point.t, point);
    }
    this.series.set(path, [...byTime.values()].sort((a, b) => a.t - b.t));
  }

  prune(now) {
    for (const points of this.series.values()) {
      while (points.length > 1 && points[0].t < now - HOUR_MS) {
        points.shift();
      }
    }
  }
}

/** Raw points asked for at most; a value reported more often in the hour is read as buckets of BUCKET. */
const MAX_POINTS = 2000;
const BUCKET = '15s';
const BUCKET_MS = 15000;

/**
 * The last hour of one reported value from the history endpoint, as points {t, v}, oldest first: the values
 * themselves, or for a value reported very often each 15-second bucket's mean (240 of them, about one per pixel).
 * A removed value (null) leaves a gap in nothing: it is skipped.
 *
 * @param read (path, query) => the endpoint's answer (api.history bound to the thing)
 */
export async function lastHour(read, path, now) {
  const from = String(now - HOUR_MS);
  const raw = await read('state.reported.' + path, { from, limit: String(MAX_POINTS) });
  if (raw.points.length < MAX_POINTS) {
    return raw.points.filter((p) => typeof p.value === 'number').map((p) => ({ t: p.timestamp, v: p.value }));
  }
  const sampled = await read('state.reported.' + path, { from, every: BUCKET });
  return sampled.buckets
    .filter((b) => typeof b.avg === 'number')
    .map((b) => ({ t: Math.min(b.from + BUCKET_MS / 2, now), v: b.avg }));
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

// Server-Sent Events over fetch(): EventSource cannot send an Authorization header, and the key must never go into a
// URL. Parses the text/event-stream format itself, resumes with Last-Event-ID after a drop, with backoff.

import { authHeaders, problemOf } from './api.js';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30000;
/** Heartbeats come every 15 s by default: a stream silent for longer than this is taken for dropped. */
const SILENCE_MS = 45000;

/** Feeds text chunks in, calls onEvent({id, event, data}) for each complete event (the WHATWG parsing rules). */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.lastId = '';
    this.reset();
  }

  reset() {
    this.event = '';
    this.data = [];
  }

  push(text) {
    this.buffer += text;
    let end;
    while ((end = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) {
        break; // a CR at the very end may be the first half of CRLF
      }
      const line = this.buffer.slice(0, end);
      const breakLength = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      this.buffer = this.buffer.slice(end + breakLength);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0) {
        this.onEvent({ id: this.lastId, event: this.event || 'message', data: this.data.join('\n') });
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) {
      return; // a comment: :connected, :heartbeat
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      this.event = value;
    } else if (field === 'data') {
      this.data.push(value);
    } else if (field === 'id' && !value.includes('\0')) {
      this.lastId = value;
    }
  }
}

/**
 * A stream that keeps itself open: onEvent(event) for each event, onState('live' | 'reconnecting' | 'stopped', info)
 * when that changes, onRefused(ApiError) when the server refuses it for good (a 4xx: bad key, unknown household).
 * lastEventId: where to resume from, e.g. "<ms>-0" to resume from a point in time.
 */
export class EventFeed {
  constructor(path, { onEvent, onState = () => {}, onRefused = () => {}, lastEventId = '' }) {
    this.path = path;
    this.onEvent = onEvent;
    this.onState = onState;
    this.onRefused = onRefused;
    this.lastEventId = lastEventId;
    this.stopped = false;
    this.controller = null;
  }

  start() {
    this.run();
    return this;
  }

  stop() {
    this.stopped = true;
    if (this.controller) {
      this.controller.abort();
    }
    this.onState('stopped');
  }

  async run() {
    let delay = FIRST_RETRY_MS;
    while (!this.stopped) {
      this.controller = new AbortController();
      try {
        const headers = authHeaders({ Accept: 'text/event-stream' });
        if (this.lastEventId) {
          headers['Last-Event-ID'] = this.lastEventId;
        }
        const response = await fetch(this.path, { headers, signal: this.controller.signal, cache: 'no-store' });
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          this.stopped = true;
          this.onRefused(await problemOf(response));
          this.onState('stopped');
          return;
        }
        if (response.ok && response.body) {
          delay = FIRST_RETRY_MS;
          this.onState('live');
          await this.read(response.body);
        }
      } catch (error) {
        // A network drop or our own abort: either way, resume below unless stopped.
      }
      if (this.stopped) {
        return;
      }
      const wait = delay + Math.floor(Math.random() * 250);
      this.onState('reconnecting', wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }

  async read(body) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser((event) => {
      this.lastEventId = event.id || this.lastEventId;
      this.onEvent(event);
    });
    parser.lastId = this.lastEventId;
    let silence = null;
    const watch = () => {
      clearTimeout(silence);
      silence = setTimeout(() => this.controller.abort(), SILENCE_MS);
    };
    watch();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          return;
        }
        watch();
        parser.push(decoder.decode(value, { stream: true }));
      }
    } finally {
      clearTimeout(silence);
    }
  }
}

// Reading a thing model (GET /api/v1/models/{type}, the file as written) for display: its leaves in model order with
// titles, units, enum labels and whether others may write them; and values formatted for people.

const UNIT_SYMBOLS = {
  celsius: '°C',
  percent: '%',
  km: 'km',
  minute: 'min',
  hour: 'h',
  second: 's',
  degree: '°',
};

/** Every leaf of a model's properties in model order: {path, schema, title}. */
export function leaves(properties, prefix = '') {
  const out = [];
  for (const [name, schema] of Object.entries(properties || {})) {
    const path = prefix === '' ? name : prefix + '.' + name;
    if (schema.type === 'object') {
      // Everything under a read-only object is read-only too.
      const children = leaves(schema.properties, path);
      for (const child of children) {
        if (schema.readOnly === true) {
          child.schema = { ...child.schema, readOnly: true };
        }
      }
      out.push(...children);
    } else {
      out.push({ path, schema, title: schema.title || path });
    }
  }
  return out;
}

export function isNumeric(schema) {
  return schema.type === 'integer' || schema.type === 'number';
}

/** The value at a dotted path of a nested object, or undefined. */
export function at(object, path) {
  let node = object;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) {
      return undefined;
    }
    node = node[part];
  }
  return node;
}

/** Sets a dotted path in a nested object, creating the objects on the way. */
export function put(object, path, value) {
  const parts = path.split('.');
  let node = object;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === null || typeof node[part] !== 'object') {
      node[part] = {};
    }
    node = node[part];
  }
  node[parts[parts.length - 1]] = value;
}

export function unitSymbol(unit) {
  return unit ? UNIT_SYMBOLS[unit] || unit : '';
}

/** The label of an enum or boolean value from the model's English words (shadowmq:values), else the value. */
export function label(schema, value) {
  const words = schema['shadowmq:values'] && schema['shadowmq:values'].en;
  if (words && Object.prototype.hasOwnProperty.call(words, String(value))) {
    return words[String(value)];
  }
  if (typeof value === 'boolean') {
    return value ? 'yes' : 'no';
  }
  return String(value);
}

const numberFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

/** A value as a person reads it: "312 km", "21.5 °C", "open", "cotton". */
export function format(schema, value) {
  if (value === undefined || value === null) {
    return '—';
  }
  if (typeof value === 'number') {
    const unit = unitSymbol(schema.unit);
    return numberFormat.format(value) + (unit === '' ? '' : unit === '%' || unit === '°' ? unit : ' ' + unit);
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return label(schema, value);
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "5 minutes ago", "just now". */
export function ago(ms, now = Date.now()) {
  const seconds = Math.round((ms - now) / 1000);
  if (Math.abs(seconds) < 10) {
    return 'just now';
  }
  if (Math.abs(seconds) < 60) {
    return relative.format(seconds, 'second');
  }
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) {
    return relative.format(minutes, 'minute');
  }
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) {
    return relative.format(hours, 'hour');
  }
  return relative.format(Math.round(hours / 24), 'day');
}

export function clock(ms) {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

// The thing-model rules the server applies to desired values and action inputs (thing-model's PatchValidator and
// ActionModel), written once more for the browser so a person sees what is wrong before anything is sent. The same
// cases (thing-model/src/test/resources/io/shadowmq/model/schema/validation-cases.json) are checked against the
// server's validator by a Java test and against this file by the browser test: both must give the same messages.

const MAX_STRING_CODE_POINTS = 1024;
const VIOLATIONS_IN_MESSAGE = 3;
const READ_ONLY = 'readOnly, only the thing itself reports it';

/** The value cut to 80 characters with control characters escaped (ThingId.printable). */
export function printable(value) {
  let out = '';
  for (let i = 0; i < value.length && i < 80; i++) {
    const code = value.charCodeAt(i);
    out += code <= 0x1f || (code >= 0x7f && code <= 0x9f) ? '\\u' + code.toString(16).padStart(4, '0') : value[i];
  }
  return value.length > 80 ? out + '...' : out;
}

function isNumber(value) {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A number as a person writes it: 35, -5, 21.5 (JsonValues.plain). */
function plainNumber(value) {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) {
    return value.toFixed(0);
  }
  return String(value);
}

function plain(value) {
  if (typeof value === 'string') {
    return printable(value);
  }
  return isNumber(value) ? plainNumber(value) : JSON.stringify(value);
}

function quoted(value) {
  return typeof value === 'string' ? "'" + plain(value) + "'" : plain(value);
}

function typeName(value) {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  return typeof value === 'number' ? 'number' : typeof value;
}

function accepts(type, value) {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'number':
      return isNumber(value);
    case 'integer':
      return isNumber(value) && Number.isInteger(value);
    default:
      return false;
  }
}

function sameValue(a, b) {
  return a === b;
}

/** The first rule a leaf value breaks, or null (PatchValidator.leafRule). */
function leafRule(schema, value) {
  const type = schema.type;
  if (!accepts(type, value)) {
    const fractional = type === 'integer' && isNumber(value);
    return 'expected ' + type + ', got ' + (fractional ? plain(value) : typeName(value));
  }
  if (type === 'string') {
    const length = [...value].length;
    if (length > MAX_STRING_CODE_POINTS) {
      return 'string of ' + length + ' characters is longer than the maximum ' + MAX_STRING_CODE_POINTS;
    }
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0 && !schema.enum.some((allowed) => sameValue(allowed, value))) {
    return quoted(value) + ' is not one of [' + schema.enum.map(plain).join(', ') + ']';
  }
  if (type === 'integer' || type === 'number') {
    if (isNumber(schema.maximum) && value > schema.maximum) {
      return plainNumber(value) + ' > maximum ' + plainNumber(schema.maximum);
    }
    if (isNumber(schema.minimum) && value < schema.minimum) {
      return plainNumber(value) + ' < minimum ' + plainNumber(schema.minimum);
    }
  }
  return null;
}

function validateObject(prefix, properties, desired, patch, nullDeletes, violations) {
  for (const [key, value] of Object.entries(patch)) {
    const name = key === '' ? "''" : printable(key);
    const path = (prefix === '' ? '' : prefix + '.') + name;
    if (value === null && nullDeletes) {
      continue;
    }
    const schema = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
    if (schema === undefined) {
      violations.push({ path, rule: 'unknown property' });
      continue;
    }
    if (desired && schema.readOnly === true) {
      violations.push({ path, rule: READ_ONLY });
      continue;
    }
    if (schema.type === 'object') {
      if (accepts('object', value)) {
        validateObject(path, schema.properties || {}, desired, value, nullDeletes, violations);
      } else {
        violations.push({ path, rule: 'expected object, got ' + typeName(value) });
      }
    } else {
      const rule = leafRule(schema, value);
      if (rule !== null) {
        violations.push({ path, rule });
      }
    }
  }
}

/** The server's 422 message for these violations (ThingModel.rejectionOf), or null when there are none. */
export function messageOf(violations) {
  if (violations.length === 0) {
    return null;
  }
  let message = violations
    .slice(0, VIOLATIONS_IN_MESSAGE)
    .map((v) => v.path + ': ' + v.rule)
    .join('; ');
  if (violations.length > VIOLATIONS_IN_MESSAGE) {
    message += '; and ' + (violations.length - VIOLATIONS_IN_MESSAGE) + ' more';
  }
  return message;
}

/**
 * Every way a desired merge patch breaks a model's properties, in document order: [{path, rule}]. null values are
 * deletions and always allowed.
 */
export function desiredViolations(properties, patch) {
  const violations = [];
  validateObject('', properties, true, patch, true, violations);
  return violations;
}

/** Every way an action's input breaks the action's input schema (ActionModel.checkInput): [{path, rule}]. */
export function inputViolations(action, input) {
  const schema = action.input;
  const none =
    input === undefined || input === null || (accepts('object', input) && Object.keys(input).length === 0);
  if (!schema) {
    return none ? [] : [{ path: 'input', rule: 'this action takes no input' }];
  }
  if (!none && !accepts('object', input)) {
    return [{ path: 'input', rule: 'expected object, got ' + typeName(input) }];
  }
  const violations = [];
  const required = Array.isArray(schema.required) ? schema.required : [];
  for (const member of Object.keys(schema.properties || {})) {
    if (required.includes(member) && (none || !Object.prototype.hasOwnProperty.call(input, member))) {
      violations.push({ path: 'input.' + member, rule: 'required' });
    }
  }
  if (!none) {
    validateObject('input', schema.properties || {}, false, input, false, violations);
  }
  return violations;
}

/**
 * The answer to one case of the shared validation file ({properties, actions, cases: [{kind, action?, value}]}): the
 * message the server gives, or "ok".
 */
export function answer(file, testCase) {
  const violations =
    testCase.kind === 'input'
      ? inputViolations(file.actions[testCase.action], testCase.value)
      : desiredViolations(file.properties, testCase.value);
  return messageOf(violations) ?? 'ok';
}

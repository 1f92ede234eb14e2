#!/usr/bin/env node
// Keeps docs/asyncapi.yaml (the machine-readable event contract) and the code in step.
//
//   node tools/asyncapi-sync.mjs [--doc FILE]
//       Static check (scripts/test.sh runs it): the event types the services publish, found in
//       services/*/src by the rule below, are exactly the channels of the document; prints the
//       missing and extra ones and exits 1 on any difference. Also checks the document's shape
//       (each channel has one message, whose payload fixes `type` to the channel's address, and
//       one `send` operation) and compiles every message payload as the closed schema --events
//       uses (an unknown keyword or a required field no property describes fails).
//   node tools/asyncapi-sync.mjs --events FILE.jsonl [--doc FILE]
//       Also validates each line of FILE (one CloudEvents envelope as published, e.g. read from
//       a stream or from the payload column of an outbox table) against the message schema of its
//       `type`, with every object schema closed: allOf parts are merged, then each object schema
//       that does not set additionalProperties gets `additionalProperties: false`, so a field the
//       producer sends that the document does not describe fails. Prints every failing event
//       (type, id, error path and message) and a coverage line; exits 1 when an event fails or
//       its type is not documented.
//
// Which string literals are event types (the static rule). A service publishes only on the
// subjects of its own stream (libs/runtime spec_of(): "<name>.>"; the gateway overrides it with
// `spec.stream = {"IDENTITY", {"identity.>"}}`; deploy/local/nats.conf refuses anything else),
// and every event type is written in the code as a string literal (a constant such as
// `inline constexpr const char* kUnitStatusChanged = "inventory.unit.status_changed";` or an
// argument of emit()/publish()/make_event()). So the event types of a service are the string
// literals in services/<service>/src (comments skipped, adjacent literals joined) that:
//   - consist of the service's own stream prefix and one or more further dot-separated segments
//     of [a-z0-9_] ("inventory.unit.status_changed"), in a service whose sources call
//     make_event() or outbox_append() (a producer). Literals of other streams are what the
//     service consumes; a prefix ending in "." ("contract.subscription.") is a filter of
//     starts_with(), and "…>" a consumer filter: neither is a whole type;
//   - are not RBAC permission names. Permissions have the same shape ("customer.manage",
//     "contract.sign", "finance.reconcile") and are used in the same services (routes,
//     auth::allowed()); the role table of libs/auth/src/auth.cpp (role_table()) grants every
//     permission a role has, and the gateway's route table (services/gateway/src/domain/
//     route_table.cpp) names the permissions of every route, the administrator-only ones too, so
//     the dotted literals of those two are excluded by name.
// A type built at run time from an own-stream prefix ("contract.subscription." + suffix) cannot
// be found this way: such a literal followed by `+` in a producer fails the check, so that the
// rule stays complete (write each full type as a literal instead).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

function usage(message) {
  if (message) console.error(`asyncapi-sync: ${message}`);
  console.error('usage: node tools/asyncapi-sync.mjs [--doc docs/asyncapi.yaml] [--events FILE.jsonl]');
  process.exit(2);
}

const options = { doc: join(root, 'docs', 'asyncapi.yaml'), events: null };
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === '--events' || arg === '--doc') {
    if (i + 1 >= process.argv.length) usage(`${arg} needs a file`);
    options[arg.slice(2)] = process.argv[++i];
  } else if (arg === '-h' || arg === '--help') {
    usage();
  } else {
    usage(`unknown argument ${arg}`);
  }
}

// ---------------------------------------------------------------------------------------------
// C++ string literals

// The string literals of a C++ source, comments skipped, adjacent literals joined ("a" "b" is
// "ab"). Each: { value, end } where `end` is the offset just after the (last) closing quote.
// Raw strings (R"d(...)d") and character literals are read so that their quotes do not count.
function cppStringLiterals(text) {
  const out = [];
  let i = 0;
  let pending = null; // the literal being joined with the next adjacent one
  const flush = () => {
    if (pending) out.push(pending);
    pending = null;
  };
  const add = (value, end) => {
    if (pending) {
      pending.value += value;
      pending.end = end;
    } else {
      pending = { value, end };
    }
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === '"' || (c === 'R' && text[i + 1] === '"' && !/[A-Za-z0-9_]/.test(text[i - 1] ?? ''))) {
      if (c === 'R') {
        const open = text.indexOf('(', i + 2);
        const delimiter = text.slice(i + 2, open);
        const closing = `)${delimiter}"`;
        const close = text.indexOf(closing, open + 1);
        const end = close < 0 ? text.length : close + closing.length;
        add(text.slice(open + 1, close < 0 ? text.length : close), end);
        i = end;
      } else {
        let j = i + 1;
        let value = '';
        while (j < text.length && text[j] !== '"' && text[j] !== '\n') {
          if (text[j] === '\\') {
            value += text[j + 1] ?? '';
            j += 2;
          } else {
            value += text[j++];
          }
        }
        add(value, j + 1);
        i = j + 1;
      }
      continue;
    } else if (c === "'") {
      // A character literal ('"', '\''); a digit separator (1'000) is skipped alike.
      let j = i + 1;
      while (j < text.length && text[j] !== "'" && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      i = j + 1;
    } else {
      if (!/\s/.test(c)) flush();
      i++;
    }
  }
  flush();
  return out;
}

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(cpp|hpp|h|cc)$/.test(name)) out.push(path);
  }
  return out;
}

// The permission names: the literals of the role table (libs/auth/src/auth.cpp role_table())
// and the dotted literals of the gateway's route table.
function permissionNames() {
  const path = join(root, 'libs', 'auth', 'src', 'auth.cpp');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('role_table()');
  const end = text.indexOf('return table;', start);
  if (start < 0 || end < 0) throw new Error(`${relative(root, path)}: role_table() not found`);
  const names = new Set();
  for (const { value } of cppStringLiterals(text.slice(start, end))) {
    if (value.includes('.')) names.add(value);
  }
  if (names.size === 0) throw new Error(`${relative(root, path)}: no permission in role_table()`);
  const routes = join(root, 'services', 'gateway', 'src', 'domain', 'route_table.cpp');
  if (existsSync(routes)) {
    for (const { value } of cppStringLiterals(readFileSync(routes, 'utf8'))) {
      if (/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(value)) names.add(value);
    }
  }
  return names;
}

// The subject prefix of a service's own stream, from its main.cpp.
function streamPrefix(service, mainText) {
  const override = /spec\.stream\s*=\s*\{\s*"[A-Z_]+"\s*,\s*\{\s*"([a-z0-9_]+)\.>"\s*\}\s*\}/.exec(mainText);
  if (override) return override[1];
  const specOf = /spec_of\(\s*"([a-z0-9_]+)"/.exec(mainText);
  if (specOf) return specOf[1];
  throw new Error(`services/${service}/src/main.cpp: cannot tell the service's stream (no spec_of("<name>", …))`);
}

// Event type → [files where it is written], and the problems that make the rule incomplete.
function eventTypesInCode() {
  const permissions = permissionNames();
  const types = new Map();
  const problems = [];
  const servicesDir = join(root, 'services');
  for (const service of readdirSync(servicesDir).sort()) {
    const src = join(servicesDir, service, 'src');
    const main = join(src, 'main.cpp');
    if (!existsSync(main)) continue;
    const files = sourceFiles(src).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    if (!files.some(({ text }) => /\b(make_event|outbox_append)\s*\(/.test(text))) continue;
    const prefix = streamPrefix(service, readFileSync(main, 'utf8'));
    const whole = new RegExp(`^${prefix}(\\.[a-z0-9_]+)+$`);
    for (const { path, text } of files) {
      for (const { value, end } of cppStringLiterals(text)) {
        if (whole.test(value) && !permissions.has(value)) {
          if (!types.has(value)) types.set(value, []);
          types.get(value).push(relative(root, path));
        } else if (value.startsWith(`${prefix}.`) && value.endsWith('.') &&
          /^\s*[)}]?\s*\+/.test(text.slice(end))) {
          problems.push(`${relative(root, path)}: "${value}" + … builds an event type at run time; ` +
            'write each full type as a string literal');
        }
      }
    }
  }
  return { types, problems };
}

// ---------------------------------------------------------------------------------------------
// The document

function load(path) {
  const text = readFileSync(path, 'utf8');
  const doc = YAML.parse(text);
  if (!doc || typeof doc !== 'object') throw new Error(`${path}: not a YAML mapping`);
  return doc;
}

function pointer(doc, ref) {
  if (!ref.startsWith('#/')) throw new Error(`only local references are supported, not ${ref}`);
  let node = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) throw new Error(`unresolved reference ${ref}`);
    node = node[key];
  }
  return node;
}

// A deep copy of `node` with every local $ref replaced by (a copy of) its target.
function deref(doc, node, stack = []) {
  if (Array.isArray(node)) return node.map((item) => deref(doc, item, stack));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (stack.includes(node.$ref)) throw new Error(`circular reference ${node.$ref}`);
    return deref(doc, pointer(doc, node.$ref), [...stack, node.$ref]);
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) out[key] = deref(doc, value, stack);
  return out;
}

// The channels as { address, key, message, problems }, checking the document's shape.
function documentedChannels(doc) {
  const problems = [];
  const channels = new Map();
  const sends = new Map();
  for (const [key, op] of Object.entries(doc.operations ?? {})) {
    const ref = op?.channel?.$ref;
    if (op?.action !== 'send') problems.push(`operation ${key}: action is not "send"`);
    if (typeof ref !== 'string') {
      problems.push(`operation ${key}: no channel $ref`);
      continue;
    }
    sends.set(ref, (sends.get(ref) ?? 0) + 1);
  }
  for (const [key, channel] of Object.entries(doc.channels ?? {})) {
    const address = channel?.address;
    if (typeof address !== 'string') {
      problems.push(`channel ${key}: no address`);
      continue;
    }
    if (channels.has(address)) problems.push(`channel ${key}: address ${address} is also channel ${channels.get(address).key}`);
    const messages = Object.values(channel.messages ?? {});
    if (messages.length !== 1) problems.push(`channel ${key}: ${messages.length} messages (one per subject expected)`);
    const opCount = sends.get(`#/channels/${key}`) ?? 0;
    if (opCount !== 1) problems.push(`channel ${key}: ${opCount} send operations (one expected)`);
    let message = null;
    try {
      message = messages.length ? deref(doc, messages[0]) : null;
    } catch (e) {
      problems.push(`channel ${key}: ${e.message}`);
    }
    const payload = message?.payload;
    const consts = [];
    const findTypeConst = (schema) => {
      if (!schema || typeof schema !== 'object') return;
      if (schema.properties?.type && 'const' in schema.properties.type) consts.push(schema.properties.type.const);
      for (const part of schema.allOf ?? []) findTypeConst(part);
    };
    findTypeConst(payload);
    if (message && !(consts.length === 1 && consts[0] === address)) {
      problems.push(`channel ${key}: its message payload must fix "type" to "${address}" (const), found ${JSON.stringify(consts)}`);
    }
    channels.set(address, { key, message, payload });
  }
  return { channels, problems };
}

// ---------------------------------------------------------------------------------------------
// Closed schemas for --events

const isObjectSchema = (s) =>
  s !== null && typeof s === 'object' && !Array.isArray(s) &&
  ([s.type].flat().includes('object') || (s.type === undefined && ('properties' in s || 'required' in s)));

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
const SUBSCHEMA_ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];

// allOf of object schemas merged into one object schema (properties and required united; a
// property in several parts becomes the allOf of its schemas, merged in turn), so that closing
// it does not reject the properties another part describes. x-… extensions are dropped.
function mergeAllOf(schema, where, warnings) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const s = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-')) continue;
    if (SUBSCHEMA_MAPS.includes(key)) {
      s[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mergeAllOf(v, `${where}/${k}`, warnings)]));
    } else if (SUBSCHEMA_LISTS.includes(key)) {
      s[key] = value.map((v, i) => mergeAllOf(v, `${where}/${key}/${i}`, warnings));
    } else if (SUBSCHEMA_ONE.includes(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      s[key] = mergeAllOf(value, `${where}/${key}`, warnings);
    } else {
      s[key] = value;
    }
  }
  if (!Array.isArray(s.allOf)) return s;
  const parts = s.allOf.map((p) => (p.allOf ? mergeAllOf(p, where, warnings) : p));
  const mergeable = parts.every((p) => isObjectSchema(p) && !p.allOf && !p.anyOf && !p.oneOf) &&
    (s.type === undefined || isObjectSchema(s));
  if (!mergeable) {
    if (parts.some(isObjectSchema)) warnings.add(`${where}: allOf not merged (closed parts may reject valid events)`);
    return s;
  }
  const { allOf, ...merged } = s;
  merged.type = 'object';
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'type') continue;
      if (key === 'properties') {
        merged.properties ??= {};
        for (const [name, propSchema] of Object.entries(value)) {
          merged.properties[name] = name in merged.properties
            ? mergeAllOf({ allOf: [merged.properties[name], propSchema] }, `${where}/${name}`, warnings)
            : propSchema;
        }
      } else if (key === 'required') {
        merged.required = [...new Set([...(merged.required ?? []), ...value])];
      } else if (key === 'additionalProperties') {
        merged.additionalProperties = merged.additionalProperties === false || value === false ? false : value;
      } else if (!(key in merged)) {
        merged[key] = value;
      } else if (!['description', 'title', 'examples', 'summary'].includes(key) &&
        JSON.stringify(merged[key]) !== JSON.stringify(value)) {
        warnings.add(`${where}: allOf parts disagree on "${key}"; the first is kept`);
      }
    }
  }
  return merged;
}

// Sets additionalProperties: false on every object schema that does not set it.
function close(schema) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
  if (isObjectSchema(schema) && !('additionalProperties' in schema)) schema.additionalProperties = false;
  for (const key of SUBSCHEMA_MAPS) for (const v of Object.values(schema[key] ?? {})) close(v);
  for (const key of SUBSCHEMA_LISTS) for (const v of schema[key] ?? []) close(v);
  for (const key of SUBSCHEMA_ONE) if (schema[key] && typeof schema[key] === 'object') close(schema[key]);
}

function describeError(e) {
  let detail = '';
  if (e.keyword === 'additionalProperties') detail = `: ${e.params.additionalProperty}`;
  else if (e.keyword === 'const') detail = `: ${JSON.stringify(e.params.allowedValue)}`;
  else if (e.keyword === 'enum') detail = `: ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${e.instancePath || '/'} ${e.message}${detail}`;
}

// A validator per documented type: its message payload with allOf merged and every object
// schema closed. Compiling them also checks the schemas themselves (unknown keywords, a required
// field no property describes, bad formats); `problems` gets what fails.
function closedValidators(channels, problems) {
  const ajv = new Ajv({ allErrors: true, strictSchema: true, strictTypes: false, strictTuples: false, strictRequired: true });
  addFormats(ajv);
  const validators = new Map();
  const warnings = new Set();
  for (const [address, { payload }] of channels) {
    const schema = mergeAllOf(payload ?? {}, address, warnings);
    close(schema);
    try {
      validators.set(address, ajv.compile(schema));
    } catch (e) {
      problems.push(`channel ${address}: its message payload does not compile as a closed schema: ${e.message}`);
    }
  }
  for (const w of warnings) problems.push(`warning: ${w}`);
  return validators;
}

function validateEvents(file, validators) {
  const lines = readFileSync(file, 'utf8').split('\n');
  let checked = 0;
  const failures = [];
  const seen = new Map();
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    checked++;
    const where = `${file}:${index + 1}`;
    let event;
    try {
      event = JSON.parse(line);
    } catch (e) {
      failures.push(`${where}: not JSON (${e.message})`);
      return;
    }
    const type = event?.type;
    const id = event?.id ?? '(no id)';
    if (typeof type !== 'string') {
      failures.push(`${where}: no "type" (id ${id})`);
      return;
    }
    seen.set(type, (seen.get(type) ?? 0) + 1);
    const validate = validators.get(type);
    if (!validate) {
      failures.push(`${where}: ${type} ${id}: type not documented in the AsyncAPI document`);
      return;
    }
    if (!validate(event)) {
      const errors = validate.errors.map(describeError);
      const shown = errors.slice(0, 12);
      failures.push(`${where}: ${type} ${id}:\n    ${shown.join('\n    ')}` +
        (errors.length > shown.length ? `\n    … ${errors.length - shown.length} more` : ''));
    }
  });

  for (const failure of failures) console.log(`FAIL ${failure}`);
  const seenTypes = [...seen.keys()].sort();
  const documentedSeen = seenTypes.filter((t) => validators.has(t));
  const unseen = [...validators.keys()].filter((t) => !seen.has(t));
  console.log(
    `asyncapi-sync: events: ${checked} validated, ${checked - failures.length} passed, ${failures.length} failed; ` +
    `${seenTypes.length} types seen (${seenTypes.join(', ') || 'none'}); ` +
    `${unseen.length} of ${validators.size} documented types not seen (coverage ${documentedSeen.length}/${validators.size})`);
  return failures.length === 0;
}

// ---------------------------------------------------------------------------------------------

let ok = true;
const docPath = options.doc.startsWith(root) ? relative(root, options.doc) : options.doc;
const { types, problems: codeProblems } = eventTypesInCode();
const doc = load(options.doc);
const { channels, problems: docProblems } = documentedChannels(doc);
const validators = closedValidators(channels, docProblems);

for (const p of [...codeProblems, ...docProblems]) {
  console.log(`asyncapi-sync: ${p}`);
  ok = false;
}
const missing = [...types.keys()].filter((t) => !channels.has(t)).sort();
const extra = [...channels.keys()].filter((t) => !types.has(t)).sort();
for (const t of missing) console.log(`asyncapi-sync: missing in ${docPath}: ${t} (published in ${types.get(t).join(', ')})`);
for (const t of extra) console.log(`asyncapi-sync: extra in ${docPath}: ${t} (no producer in services/*/src)`);
if (missing.length || extra.length) ok = false;
console.log(`asyncapi-sync: ${types.size} event types in services/*/src, ${channels.size} channels in ${docPath}: ` +
  (ok ? 'in step' : `${missing.length} missing, ${extra.length} extra, ${codeProblems.length + docProblems.length} other problems`));

if (options.events && !validateEvents(options.events, validators)) ok = false;
process.exit(ok ? 0 : 1);

// Builds schemas.json, the JSON schemas validate.mjs checks the rendered manifests against: only
// the kinds the manifests use, descriptions dropped, and strict (an unknown field is an error,
// as `kubectl apply --validate=strict` would say). Run by hand when a kind is added or a version
// moves; the result is committed (validation runs offline).
//
//   node build-schemas.mjs SWAGGER.json CLUSTERS_CRD.yaml SCHEDULEDBACKUPS_CRD.yaml OBJECTSTORES_CRD.yaml
//
// Sources of the committed schemas.json (see "sources" in it):
//   Kubernetes 1.34 OpenAPI v2 (kubernetes-client/javascript src/gen/swagger.json.unprocessed
//   at 8452b86ef3b641222b5131f0442fdee8f4795380); CloudNativePG v1.30.0 CRDs
//   (config/crd/bases/postgresql.cnpg.io_{clusters,scheduledbackups}.yaml); Barman Cloud plugin
//   v0.14.0 CRD (config/crd/bases/barmancloud.cnpg.io_objectstores.yaml).
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../../tools/package.json', import.meta.url));
const YAML = require('yaml');

const [swaggerFile, clustersCrd, scheduledCrd, objectStoresCrd] = process.argv.slice(2);
if (!objectStoresCrd) {
  console.error('usage: node build-schemas.mjs SWAGGER.json CLUSTERS_CRD SCHEDULEDBACKUPS_CRD OBJECTSTORES_CRD');
  process.exit(2);
}

// The built-in kinds the manifests use: apiVersion/kind → OpenAPI definition.
const builtin = {
  'v1/Namespace': 'io.k8s.api.core.v1.Namespace',
  'v1/Service': 'io.k8s.api.core.v1.Service',
  'v1/ConfigMap': 'io.k8s.api.core.v1.ConfigMap',
  'v1/Secret': 'io.k8s.api.core.v1.Secret',
  'apps/v1/Deployment': 'io.k8s.api.apps.v1.Deployment',
  'apps/v1/StatefulSet': 'io.k8s.api.apps.v1.StatefulSet',
  'batch/v1/CronJob': 'io.k8s.api.batch.v1.CronJob',
  'v1/PersistentVolumeClaim': 'io.k8s.api.core.v1.PersistentVolumeClaim',
  'policy/v1/PodDisruptionBudget': 'io.k8s.api.policy.v1.PodDisruptionBudget',
  'autoscaling/v2/HorizontalPodAutoscaler': 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  'networking.k8s.io/v1/NetworkPolicy': 'io.k8s.api.networking.v1.NetworkPolicy',
  'networking.k8s.io/v1/Ingress': 'io.k8s.api.networking.v1.Ingress',
};
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const swagger = JSON.parse(fs.readFileSync(swaggerFile, 'utf8'));
const definitions = {};

// Kubernetes definitions: formats the validator cannot know become plain types.
function convertK8s(node) {
  if (Array.isArray(node)) return node.map(convertK8s);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key.startsWith('x-kubernetes-') || key === 'format') continue;
    if (key === '$ref') out.$ref = value.replace('#/definitions/', '#/definitions/');
    else if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertK8s(v)]));
    } else out[key] = convertK8s(value);
  }
  return out;
}

function addK8s(name) {
  if (definitions[name]) return;
  const source = swagger.definitions[name];
  if (!source) throw new Error(`no definition ${name}`);
  let schema;
  if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') {
    schema = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
  } else if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') {
    schema = { anyOf: [{ type: 'string' }, { type: 'number' }] };
  } else {
    schema = strict(convertK8s(source));
  }
  definitions[name] = schema;
  JSON.stringify(schema, (key, value) => {
    if (key === '$ref') addK8s(value.replace('#/definitions/', ''));
    return value;
  });
}

// Objects with known properties take no others (unless the schema says otherwise).
function strict(node) {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === 'enum' ? value : strict(value);
  if (out.properties && out.additionalProperties === undefined && !out['x-preserve']) {
    out.additionalProperties = false;
  }
  delete out['x-preserve'];
  return out;
}

// CRD schemas (OpenAPI v3 structural): int-or-string and preserve-unknown-fields as JSON schema.
function convertCrd(node) {
  if (Array.isArray(node)) return node.map(convertCrd);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'format' || key === 'nullable' || key === 'x-kubernetes-validations') continue;
    if (key === 'x-kubernetes-preserve-unknown-fields') { out['x-preserve'] = true; continue; }
    if (key.startsWith('x-kubernetes-') && key !== 'x-kubernetes-int-or-string') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertCrd(v)]));
    } else if (key !== 'x-kubernetes-int-or-string') out[key] = convertCrd(value);
  }
  if (node['x-kubernetes-int-or-string']) {
    delete out.type;
    delete out.anyOf;
    out.anyOf = [{ type: 'string' }, { type: 'integer' }];
  }
  return out;
}

const kinds = {};
for (const [gvk, name] of Object.entries(builtin)) {
  addK8s(name);
  kinds[gvk] = `#/definitions/${name}`;
}
addK8s(OBJECT_META);

// Keep in step with the header above when a source moves.
const sources = {
  kubernetes: 'Kubernetes 1.34 OpenAPI v2 (kubernetes-client/javascript 8452b86ef3b6)',
  'postgresql.cnpg.io': 'CloudNativePG v1.30.0 CRDs (Cluster, ScheduledBackup)',
  'barmancloud.cnpg.io': 'Barman Cloud plugin v0.14.0 CRD (ObjectStore)',
};
for (const file of [clustersCrd, scheduledCrd, objectStoresCrd]) {
  const crd = YAML.parse(fs.readFileSync(file, 'utf8'));
  const group = crd.spec.group;
  const kind = crd.spec.names.kind;
  for (const version of crd.spec.versions) {
    if (!version.served) continue;
    const schema = strict(convertCrd(version.schema.openAPIV3Schema));
    schema.properties.metadata = { $ref: `#/definitions/${OBJECT_META}` };
    const name = `${group}.${version.name}.${kind}`;
    definitions[name] = schema;
    kinds[`${group}/${version.name}/${kind}`] = `#/definitions/${name}`;
  }
}

const out = {
  $id: 'https://sales.invalid/kubernetes-schemas.json',
  comment: 'Generated by build-schemas.mjs; do not edit. Strict: unknown fields are errors.',
  sources,
  kinds,
  definitions: Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]])),
};
const target = new URL('./schemas.json', import.meta.url);
fs.writeFileSync(target, JSON.stringify(out, null, 1) + "\n");
console.log(`schemas.json: ${Object.keys(kinds).length} kinds, ${Object.keys(definitions).length} definitions, ` +
  `${fs.statSync(target).size} bytes`);

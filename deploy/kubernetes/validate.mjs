// Checks manifests rendered by `kubectl kustomize` (validate.sh renders them), offline:
//  1. every object against the JSON schema of its kind (schemas/schemas.json: Kubernetes and the
//     CloudNativePG / Barman Cloud CRDs; strict, so a misspelt field is an error). A kind without
//     a schema is an error too: add it to schemas/build-schemas.mjs.
//  2. the rules every workload here keeps: non-root, read-only root file system, no privilege
//     escalation, all capabilities dropped, requests and limits, readiness on /readyz and
//     liveness on /healthz for the services;
//  3. references: Services, PodDisruptionBudgets, HPAs and the Ingress point at something that is
//     rendered; ConfigMaps used are rendered; Secrets used are rendered or are among those
//     created out of band (docs/operations.md "Kubernetes").
//
//   node validate.mjs NAME=RENDERED.yaml...    exits 1 and lists every problem if any
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../tools/package.json', import.meta.url));
const Ajv = require('ajv');
const YAML = require('yaml');

// The Secrets an operator creates (prod: all of them; dev: the token keys only).
const SERVICES = ['gateway', 'inventory', 'contract', 'customer', 'finance', 'reporting', 'webhooks'];
const OUT_OF_BAND_SECRETS = new Set([
  'sales-token-public', 'sales-token-private', 'gateway-admin', 'nats-users', 'backup-s3',
  'gateway-tls', ...SERVICES.map((s) => `${s}-db-app`),
]);

const schemas = JSON.parse(fs.readFileSync(new URL('./schemas/schemas.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
ajv.addSchema(schemas);
const validators = new Map();
function validatorFor(gvk) {
  if (!validators.has(gvk)) {
    const ref = schemas.kinds[gvk];
    validators.set(gvk, ref ? ajv.getSchema(`${schemas.$id}${ref}`) : null);
  }
  return validators.get(gvk);
}

// null means "not set" to the API server (kustomize writes e.g. creationTimestamp: null).
function dropNulls(value) {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, dropNulls(v)]));
  }
  return value;
}

function podTemplateOf(o) {
  if (['Deployment', 'StatefulSet'].includes(o.kind)) return o.spec?.template;
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template;
  return undefined;
}
function podSpecOf(o) {
  return podTemplateOf(o)?.spec;
}

function matches(selector, labels) {
  if (!selector || !labels) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? selector)) {
    if (k === 'matchExpressions') continue;
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator === 'In' && !e.values.includes(labels[e.key])) return false;
  }
  return true;
}

function checkTarget(name, text) {
  const problems = [];
  const objects = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length) {
      problems.push(`YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const o = doc.toJS();
    if (o) objects.push(dropNulls(o));
  }
  if (objects.length === 0) problems.push('nothing rendered');
  const id = (o) => `${o.kind ?? '?'}/${o.metadata?.name ?? '?'}`;
  const rendered = (kind, objName) => objects.some((o) => o.kind === kind && o.metadata?.name === objName);

  // 1. schemas
  const seen = new Set();
  for (const o of objects) {
    const gvk = `${o.apiVersion}/${o.kind}`;
    const key = `${gvk}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    if (seen.has(key)) problems.push(`${id(o)}: rendered twice`);
    seen.add(key);
    const validate = validatorFor(gvk);
    if (!validate) {
      problems.push(`${id(o)}: no schema for ${gvk} (add it to schemas/build-schemas.mjs)`);
      continue;
    }
    if (!validate(o)) {
      for (const e of validate.errors) {
        const extra = e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : '';
        const allowed = e.params?.allowedValues ? ` ${JSON.stringify(e.params.allowedValues)}` : '';
        problems.push(`${id(o)}: ${e.instancePath || '/'} ${e.message}${extra}${allowed}`);
      }
    }
  }

  // 2. workload rules
  for (const o of objects) {
    const pod = podSpecOf(o);
    if (!pod) continue;
    const podSc = pod.securityContext ?? {};
    const isService = SERVICES.includes(o.metadata.name);
    const all = [...(pod.initContainers ?? []).map((c) => [c, true]), ...(pod.containers ?? []).map((c) => [c, false])];
    for (const [c, init] of all) {
      const where = `${id(o)} container ${c.name}`;
      const sc = c.securityContext ?? {};
      if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) problems.push(`${where}: runAsNonRoot is not true`);
      if ((sc.runAsUser ?? podSc.runAsUser) === 0) problems.push(`${where}: runs as user 0`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (sc.privileged) problems.push(`${where}: privileged`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: capabilities do not drop ALL`);
      if (sc.capabilities?.add?.length) problems.push(`${where}: adds capabilities`);
      const r = c.resources ?? {};
      for (const k of ['cpu', 'memory']) if (!r.requests?.[k]) problems.push(`${where}: no ${k} request`);
      if (!r.limits?.memory) problems.push(`${where}: no memory limit`);
      if (init || o.kind === 'CronJob') continue; // a job's pod runs to completion: no probes
      if (!c.readinessProbe) problems.push(`${where}: no readiness probe`);
      if (!c.livenessProbe) problems.push(`${where}: no liveness probe`);
      if (isService) {
        if (c.readinessProbe?.httpGet?.path !== '/readyz') problems.push(`${where}: readiness probe is not GET /readyz`);
        if (c.livenessProbe?.httpGet?.path !== '/healthz') problems.push(`${where}: liveness probe is not GET /healthz`);
      }
    }
    if (isService && !(pod.terminationGracePeriodSeconds >= 30)) {
      problems.push(`${id(o)}: terminationGracePeriodSeconds below 30 leaves no time to drain`);
    }
    if (isService) {
      const mountsPrivate = JSON.stringify(pod).includes('"sales-token-private"');
      if (mountsPrivate !== (o.metadata.name === 'gateway')) {
        problems.push(`${id(o)}: only the gateway may mount the token private key`);
      }
    }
  }

  // 3. references
  const workloads = objects.filter(podSpecOf);
  const podLabels = workloads.map((w) => podTemplateOf(w).metadata?.labels ?? {});
  const selects = (sel) => podLabels.some((l) => matches(sel, l));
  const secretUsed = (secretName, where) => {
    if (!rendered('Secret', secretName) && !OUT_OF_BAND_SECRETS.has(secretName)) {
      problems.push(`${where}: Secret ${secretName} is neither rendered nor one created out of band`);
    }
  };
  const configMapUsed = (cm, where) => {
    if (!rendered('ConfigMap', cm)) problems.push(`${where}: ConfigMap ${cm} is not rendered`);
  };
  for (const w of workloads) {
    const pod = podSpecOf(w);
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      for (const f of c.envFrom ?? []) {
        if (f.configMapRef) configMapUsed(f.configMapRef.name, id(w));
        if (f.secretRef) secretUsed(f.secretRef.name, id(w));
      }
      for (const e of c.env ?? []) {
        if (e.valueFrom?.secretKeyRef) secretUsed(e.valueFrom.secretKeyRef.name, id(w));
        if (e.valueFrom?.configMapKeyRef) configMapUsed(e.valueFrom.configMapKeyRef.name, id(w));
      }
      const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.has(m.name) && !(w.spec.volumeClaimTemplates ?? []).some((t) => t.metadata.name === m.name)) {
          problems.push(`${id(w)} container ${c.name}: mounts unknown volume ${m.name}`);
        }
      }
    }
    for (const v of pod.volumes ?? []) {
      if (v.secret) secretUsed(v.secret.secretName, id(w));
      if (v.configMap) configMapUsed(v.configMap.name, id(w));
      if (v.persistentVolumeClaim && !rendered('PersistentVolumeClaim', v.persistentVolumeClaim.claimName)) {
        problems.push(`${id(w)}: PersistentVolumeClaim ${v.persistentVolumeClaim.claimName} is not rendered`);
      }
    }
  }
  for (const o of objects) {
    if (o.kind === 'Service' && o.spec?.selector && !selects(o.spec.selector)) problems.push(`${id(o)}: selects no pods`);
    if (o.kind === 'PodDisruptionBudget' && !selects(o.spec?.selector)) problems.push(`${id(o)}: selects no pods`);
    if (o.kind === 'HorizontalPodAutoscaler' && !rendered(o.spec.scaleTargetRef.kind, o.spec.scaleTargetRef.name)) {
      problems.push(`${id(o)}: scales ${o.spec.scaleTargetRef.kind}/${o.spec.scaleTargetRef.name}, which is not rendered`);
    }
    if (o.kind === 'Ingress') {
      for (const rule of o.spec?.rules ?? []) {
        for (const p of rule.http?.paths ?? []) {
          const svc = objects.find((s) => s.kind === 'Service' && s.metadata.name === p.backend.service?.name);
          if (!svc) problems.push(`${id(o)}: backend Service ${p.backend.service?.name} is not rendered`);
          else if (!svc.spec.ports.some((port) => port.name === p.backend.service.port.name || port.port === p.backend.service.port.number)) {
            problems.push(`${id(o)}: Service ${svc.metadata.name} has no port ${JSON.stringify(p.backend.service.port)}`);
          }
        }
      }
      for (const t of o.spec?.tls ?? []) secretUsed(t.secretName, id(o));
    }
    if (o.kind === 'Cluster') {
      if (o.spec.bootstrap?.initdb?.secret) secretUsed(o.spec.bootstrap.initdb.secret.name, id(o));
      for (const p of o.spec.plugins ?? []) {
        const store = p.parameters?.barmanObjectName;
        if (store && !rendered('ObjectStore', store)) problems.push(`${id(o)}: ObjectStore ${store} is not rendered`);
      }
    }
    if (o.kind === 'ScheduledBackup' && !rendered('Cluster', o.spec.cluster.name)) {
      problems.push(`${id(o)}: Cluster ${o.spec.cluster.name} is not rendered`);
    }
    if (o.kind === 'ObjectStore') {
      const creds = o.spec.configuration?.s3Credentials ?? {};
      for (const ref of [creds.accessKeyId, creds.secretAccessKey]) if (ref) secretUsed(ref.name, id(o));
    }
  }
  return { problems, count: objects.length };
}

let failed = false;
const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node validate.mjs NAME=RENDERED.yaml...');
  process.exit(2);
}
for (const arg of args) {
  const [name, file] = arg.split('=');
  const { problems, count } = checkTarget(name, fs.readFileSync(file, 'utf8'));
  if (problems.length) {
    failed = true;
    console.log(`kubernetes: ${name}: ${problems.length} problem(s) in ${count} objects`);
    for (const p of problems) console.log(`  ${p}`);
  } else {
    console.log(`kubernetes: ${name}: ${count} objects valid`);
  }
}
process.exit(failed ? 1 : 0);

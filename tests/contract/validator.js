'use strict';
// The OpenAPI side of the contract test: finds the operation a request was for, checks the
// response's status, Content-Type, headers and body against the document with Ajv (JSON Schema
// 2020-12, which OpenAPI 3.1 uses), and records which documented responses were seen.
//
// Response schemas are checked strictly: an object schema that lists its properties gets
// unevaluatedProperties: false here (not in the documents, whose readers must tolerate new
// fields), so a field the emulator sends but the document does not name fails the test.
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');

const BASE_URI = 'https://keyless-emulator.invalid/_emulator/v1/openapi/';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function pointer(parts) {
  return '#' + parts.map((p) => '/' + encodeURIComponent(String(p).replace(/~/g, '~0')
    .replace(/\//g, '~1'))).join('');
}

// Adds unevaluatedProperties: false to every object schema that names its properties and says
// nothing about others. Walks schema positions only, never example values.
function tighten(node) {
  if (Array.isArray(node)) {
    node.forEach(tighten);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  if (node.properties && typeof node.properties === 'object' &&
      !('additionalProperties' in node) && !('unevaluatedProperties' in node)) {
    node.unevaluatedProperties = false;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key === 'const' || key === 'enum' ||
        key === 'default') continue;
    tighten(value);
  }
}

function baseType(contentType) {
  return (contentType || '').split(';')[0].trim().toLowerCase();
}

function normaliseType(contentType) {
  return (contentType || '').toLowerCase().replace(/\s+/g, '');
}

function isJsonType(type) {
  const t = baseType(type);
  return t === 'application/json' || t.endsWith('+json');
}

class Documents {
  constructor() {
    this.ajv = new Ajv2020({ strict: true, strictTypes: false, strictTuples: false,
      allErrors: true, allowUnionTypes: true });
    addFormats(this.ajv);
    // OpenAPI's annotations: known to the document's readers, no assertion for Ajv.
    this.ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs',
      'x-copied-from']); // the emulator's mark of a schema copied from the other document
    // A whole document is added as one schema resource, so that $refs resolve inside it; its
    // top-level members are no JSON Schema keywords.
    this.ajv.addVocabulary(['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths',
      'webhooks', 'components', 'security', 'tags']);
    this.docs = {};
    this.validators = new Map();
    this.seen = new Map(); // "doc METHOD path" -> Set of statuses
    this.failures = [];
    this.checks = 0;
  }

  // name: "administration.json"; prefix: the server path the document's paths hang off.
  add(name, doc, prefix) {
    const schemaDoc = JSON.parse(JSON.stringify(doc));
    tighten(schemaDoc.components || {});
    tighten(schemaDoc.paths || {});
    tighten(schemaDoc.webhooks || {});
    schemaDoc.$id = BASE_URI + name;
    this.ajv.addSchema(schemaDoc);
    const ops = [];
    for (const [template, item] of Object.entries(doc.paths)) {
      const names = [];
      const re = new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{([^}]+)\}/g, (_, n) => { names.push(n); return '([^/]+)'; }) + '$');
      for (const method of METHODS) {
        if (item[method]) {
          ops.push({ doc: name, template, method, op: item[method], re, names,
            literal: template.replace(/\{[^}]+\}/g, '').length });
        }
      }
    }
    // Literal segments win over parameters, as in the emulator's router.
    ops.sort((a, b) => b.literal - a.literal);
    this.docs[name] = { doc, prefix, ops };
  }

  resolve(docName, node) {
    let at = [];
    while (node && node.$ref && node.$ref.startsWith('#/')) {
      at = node.$ref.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      node = at.reduce((n, k) => n[k], this.docs[docName].doc);
    }
    return { node, at };
  }

  validator(docName, parts) {
    const key = docName + pointer(parts);
    if (!this.validators.has(key)) {
      this.validators.set(key, this.ajv.compile({ $ref: BASE_URI + key }));
    }
    return this.validators.get(key);
  }

  // The operation of a request path (without query) and method, or null.
  find(path, method) {
    for (const [name, d] of Object.entries(this.docs)) {
      if (!path.startsWith(d.prefix + '/')) continue;
      const rest = path.slice(d.prefix.length);
      for (const o of d.ops) {
        if (o.method !== method.toLowerCase()) continue;
        const m = o.re.exec(rest);
        if (m) return { ...o, docName: name };
      }
    }
    return null;
  }

  fail(what, detail) {
    this.failures.push(`${what}: ${detail}`);
  }

  // Checks data against the schema at parts of docName; returns true when valid.
  check(what, docName, parts, data) {
    this.checks++;
    const validate = this.validator(docName, parts);
    if (validate(data)) return true;
    this.fail(what, this.ajv.errorsText(validate.errors, { separator: '; ' }) +
      '\n    body: ' + JSON.stringify(data).slice(0, 600));
    return false;
  }

  // Validates a request body against the operation's requestBody (for requests that are
  // meant to succeed: the document must accept what the emulator accepts).
  checkRequest(what, found, contentType, body) {
    if (!found.op.requestBody) {
      if (body !== undefined) this.fail(what, 'sent a body to an operation without requestBody');
      return;
    }
    const { node, at } = this.resolve(found.docName, found.op.requestBody);
    const base = at.length ? at : ['paths', found.template, found.method, 'requestBody'];
    if (body === undefined) {
      if (node.required) this.fail(what, 'the document requires a body; none was sent');
      return;
    }
    const media = Object.keys(node.content).find((t) => baseType(t) === baseType(contentType));
    if (!media) {
      this.fail(what, `request Content-Type ${contentType} is not in the document`);
      return;
    }
    this.check(what + ' (request body)', found.docName, [...base, 'content', media, 'schema'],
      body);
  }

  checkQuery(what, found, query) {
    const params = (found.op.parameters || []).map((p) => this.resolve(found.docName, p).node);
    for (const [name, value] of query) {
      const p = params.find((x) => x.in === 'query' && x.name === name);
      if (!p) {
        this.fail(what, `query parameter '${name}' is not in the document`);
        continue;
      }
      let v = value;
      const type = (this.resolve(found.docName, p.schema).node || {}).type;
      if (type === 'integer' || type === 'number') v = Number(value);
      if (type === 'boolean') v = value === 'true';
      this.checks++;
      if (!this.checkValue(found.docName, p.schema, v)) {
        this.fail(what, `query parameter '${name}=${value}' fails its schema`);
      }
    }
    for (const p of params) {
      if (p.in === 'query' && p.required && !query.has(p.name)) {
        this.fail(what, `required query parameter '${p.name}' missing from a successful call`);
      }
    }
  }

  checkValue(docName, schema, value) {
    const s = schema.$ref ? { $ref: BASE_URI + docName + schema.$ref } : schema;
    return this.ajv.validate(s, value);
  }

  // Checks a response; records (operation, status) as covered.
  checkResponse(what, req, res) {
    const url = new URL(req.url);
    const found = this.find(url.pathname, req.method);
    if (!found) {
      this.checkUnrouted(what, url, req, res);
      return;
    }
    const key = `${found.docName} ${found.method.toUpperCase()} ${found.template}`;
    if (!this.seen.has(key)) this.seen.set(key, new Set());
    const responses = found.op.responses;
    const code = String(res.status);
    const declared = responses[code] ? code : responses[code[0] + 'XX'] ? code[0] + 'XX'
      : responses.default ? 'default' : null;
    if (!declared) {
      this.fail(what, `status ${code} is not documented for ${key}` +
        `\n    body: ${res.text.slice(0, 400)}`);
      return;
    }
    this.seen.get(key).add(declared);
    const { node, at } = this.resolve(found.docName, responses[declared]);
    const base = at.length ? at : ['paths', found.template, found.method, 'responses', declared];
    this.checkHeaders(what, node, res);
    this.checkBody(what, found.docName, node, base, res);
    if (res.status >= 400) this.checkProblem(what, url, res);
  }

  checkHeaders(what, response, res) {
    for (const name of Object.keys(response.headers || {})) {
      this.checks++;
      if (res.headers[name.toLowerCase()] === undefined) {
        this.fail(what, `documented header ${name} is missing`);
      }
    }
  }

  checkBody(what, docName, response, base, res) {
    const type = res.headers['content-type'];
    this.checks++;
    if (!response.content) {
      if (res.text.length !== 0 || type !== undefined) {
        this.fail(what, `status ${res.status} is documented without a body; got ` +
          `${type} '${res.text.slice(0, 100)}'`);
      }
      return;
    }
    const media = Object.keys(response.content).find((t) => t.includes(';')
      ? normaliseType(t) === normaliseType(type) : baseType(t) === baseType(type));
    if (!media) {
      this.fail(what, `Content-Type '${type}' is not one of ` +
        Object.keys(response.content).join(', '));
      return;
    }
    const schemaParts = [...base, 'content', media, 'schema'];
    if (!isJsonType(media)) {
      this.check(what, docName, schemaParts, res.text);
      return;
    }
    let data;
    try {
      data = JSON.parse(res.text);
    } catch (e) {
      this.fail(what, `body is not JSON: ${e.message}`);
      return;
    }
    this.check(what, docName, schemaParts, data);
  }

  // Problem bodies say the status they came with and the path they answer.
  checkProblem(what, url, res) {
    let p;
    try {
      p = JSON.parse(res.text);
    } catch (e) {
      return; // already reported by checkBody
    }
    this.checks++;
    if (p.status !== res.status) this.fail(what, `problem status ${p.status} != ${res.status}`);
    if (p.instance !== url.pathname) {
      this.fail(what, `problem instance '${p.instance}' != '${url.pathname}'`);
    }
  }

  // A path that is no operation: 404, or 405 with Allow naming exactly the documented methods
  // (and HEAD with GET);
  // either way a problem document.
  checkUnrouted(what, url, req, res) {
    const d = Object.values(this.docs).find((x) => url.pathname.startsWith(x.prefix + '/'));
    if (!d) {
      this.fail(what, `no document covers ${url.pathname}`);
      return;
    }
    const name = Object.keys(this.docs).find((k) => this.docs[k] === d);
    const rest = url.pathname.slice(d.prefix.length);
    const methods = [...new Set(d.ops.filter((o) => o.re.test(rest))
      .map((o) => o.method.toUpperCase()))];
    if (methods.includes('GET')) methods.push('HEAD'); // served wherever GET is (RFC 9110 §9.3.2)
    this.checks++;
    if (methods.length > 0) {
      if (res.status !== 405) {
        this.fail(what, `${req.method} on a documented path without that method answered ` +
          `${res.status}, want 405`);
      }
      const allow = (res.headers.allow || '').split(',').map((s) => s.trim()).filter(Boolean);
      if (allow.sort().join() !== methods.sort().join()) {
        this.fail(what, `Allow '${res.headers.allow}' != the documented ${methods.join(', ')}`);
      }
    } else if (res.status !== 404) {
      this.fail(what, `a path that is no operation answered ${res.status}, want 404`);
    }
    this.checks++;
    if (baseType(res.headers['content-type']) !== 'application/problem+json') {
      this.fail(what, `Content-Type ${res.headers['content-type']}, want application/problem+json`);
      return;
    }
    this.check(what, name, ['components', 'schemas', 'Problem'], JSON.parse(res.text));
    this.checkProblem(what, url, res);
  }

  // Every documented (operation, status) must have been seen, except the exemptions
  // ("doc METHOD template status" -> reason). Returns the lines of the coverage report.
  coverage(exemptions) {
    const lines = [];
    let documented = 0;
    let covered = 0;
    for (const [name, d] of Object.entries(this.docs)) {
      for (const o of d.ops) {
        const key = `${name} ${o.method.toUpperCase()} ${o.template}`;
        const seen = this.seen.get(key) || new Set();
        const missing = [];
        for (const status of Object.keys(o.op.responses)) {
          documented++;
          if (seen.has(status)) covered++;
          else if (exemptions[`${key} ${status}`]) covered++;
          else missing.push(status);
        }
        if (![...seen].some((s) => s.startsWith('2'))) {
          this.fail(key, 'no successful response was seen');
        }
        if (missing.length > 0) this.fail(key, `documented responses never seen: ${missing}`);
        lines.push(`${key}: ${[...seen].sort().join(' ')}`);
      }
    }
    for (const key of Object.keys(exemptions)) {
      const [doc, method, template] = key.split(' ');
      const d = this.docs[doc];
      const o = d && d.ops.find((x) => x.method === method.toLowerCase() && x.template === template);
      if (!o || !o.op.responses[key.split(' ')[3]]) this.fail(key, 'exemption of nothing');
    }
    lines.push(`documented responses: ${documented}, exercised or exempt: ${covered}`);
    return lines;
  }
}

module.exports = { Documents, BASE_URI, pointer, baseType };

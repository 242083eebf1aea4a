/**
 * RFC 6902 JSON Patch (add, remove, replace, move, copy, test) on plain JSON values, as kustomize
 * applies `patches:` whose patch is an operation list. Returns a new document; throws a message
 * naming the operation and path when one cannot apply (as kustomize fails the build).
 */

function parsePointer(pointer) {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`bad JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(array, token, forAdd) {
  if (forAdd && token === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new Error(`"${token}" is not an array index`);
  const index = Number(token);
  if (index > array.length || (!forAdd && index === array.length)) throw new Error(`index ${index} is out of range`);
  return index;
}

function parentOf(doc, tokens) {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false)];
    else if (node && typeof node === 'object' && Object.hasOwn(node, token)) node = node[token];
    else throw new Error(`path element "${token}" does not exist`);
  }
  if (node === null || typeof node !== 'object') throw new Error('parent is not an object or array');
  return node;
}

function get(doc, tokens) {
  if (tokens.length === 0) return doc;
  const parent = parentOf(doc, tokens);
  const last = tokens.at(-1);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, last, false)];
  if (!Object.hasOwn(parent, last)) throw new Error(`"${last}" does not exist`);
  return parent[last];
}

function add(doc, tokens, value) {
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens);
  const last = tokens.at(-1);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true), 0, value);
  else parent[last] = value;
  return doc;
}

function remove(doc, tokens) {
  if (tokens.length === 0) throw new Error('cannot remove the whole document');
  const parent = parentOf(doc, tokens);
  const last = tokens.at(-1);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false), 1);
  else if (Object.hasOwn(parent, last)) delete parent[last];
  else throw new Error(`"${last}" does not exist`);
  return doc;
}

const clone = (v) => (v === undefined ? v : structuredClone(v));

export function applyJsonPatch(document, operations) {
  if (!Array.isArray(operations)) throw new Error('a JSON patch must be a list of operations');
  let doc = clone(document);
  for (const op of operations) {
    const where = `${op?.op} ${op?.path}`;
    try {
      const path = parsePointer(String(op.path));
      switch (op.op) {
        case 'add':
          if (!('value' in op)) throw new Error('needs a value');
          doc = add(doc, path, clone(op.value));
          break;
        case 'remove':
          doc = remove(doc, path);
          break;
        case 'replace':
          if (!('value' in op)) throw new Error('needs a value');
          get(doc, path);
          doc = add(remove(doc, path), path, clone(op.value));
          break;
        case 'move': {
          const from = parsePointer(String(op.from));
          const value = get(doc, from);
          doc = add(remove(doc, from), path, value);
          break;
        }
        case 'copy':
          doc = add(doc, path, clone(get(doc, parsePointer(String(op.from)))));
          break;
        case 'test':
          if (JSON.stringify(get(doc, path)) !== JSON.stringify(op.value)) throw new Error('test failed');
          break;
        default:
          throw new Error('unknown operation');
      }
    } catch (error) {
      throw new Error(`JSON patch "${where}": ${error.message}`);
    }
  }
  return doc;
}

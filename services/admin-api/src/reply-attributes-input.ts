/**
 * Reply attributes as an admin sends them, checked against the RADIUS dictionary: the typed
 * values, or a 400 naming the field (`replyAttributes.2.value`) and the problem. The groups'
 * policy route uses it; the gateway checks again with the same dictionary.
 */
import type { ReplyAttribute } from '@tollgate/contracts';
import { type Dictionary, validateReplyAttribute } from '@tollgate/radius-dictionary';
import { badRequest } from './api-error.js';

export function checkReplyAttributes(
  dictionary: Dictionary,
  attributes: readonly ReplyAttribute[],
  field = 'replyAttributes',
): ReplyAttribute[] {
  return attributes.map((attribute, index) => {
    const result = validateReplyAttribute(dictionary, attribute);
    if (result.ok) return { name: result.attribute.name, value: result.value };
    const part =
      result.problem === 'unknown_attribute' || result.problem === 'unsupported' || result.problem === 'not_allowed' ? 'name' : 'value';
    throw badRequest(`${field}.${index}.${part}`, result.message);
  });
}

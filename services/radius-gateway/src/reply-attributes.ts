import type { ReplyAttribute } from '@tollgate/contracts';
import { type Dictionary, encodeAttribute, type ReplyAttributeProblem, validateReplyAttribute } from '@tollgate/radius-dictionary';

/**
 * A decision's reply attributes as wire bytes, in the decision's order. Each is validated against
 * the gateway's own dictionary again: the admin API refused bad ones when they were saved, so one
 * refused here means the two services' dictionaries differ (RADIUS_DICTIONARY_DIR). That one is
 * left out and reported, the others still go; nothing here throws.
 */
export interface EncodedReplyAttributes {
  encoded: Buffer[];
  dropped: Array<{ name: string; problem: ReplyAttributeProblem }>;
}

export function encodeReplyAttributes(dictionary: Dictionary, attributes: readonly ReplyAttribute[]): EncodedReplyAttributes {
  const result: EncodedReplyAttributes = { encoded: [], dropped: [] };
  for (const attribute of attributes) {
    const validated = validateReplyAttribute(dictionary, attribute);
    if (validated.ok) result.encoded.push(encodeAttribute(validated));
    else result.dropped.push({ name: attribute.name, problem: validated.problem });
  }
  return result;
}

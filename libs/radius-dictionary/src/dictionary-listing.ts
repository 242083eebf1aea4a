import type { Dictionary } from './dictionary-model.js';

/** The dictionary as the admin API lists it: plain JSON, sorted by vendor then number. */
export interface AttributeListing {
  name: string;
  vendor: { name: string; id: number } | null;
  number: number;
  type: string;
  values: Array<{ name: string; value: number }>;
  /** False, with the reason, for an attribute that is known but cannot be sent. */
  supported: boolean;
  unsupported?: string;
}

export function listAttributes(dictionary: Dictionary): AttributeListing[] {
  return [...dictionary.attributes.values()]
    .map((a) => ({
      name: a.name,
      vendor: a.vendor ? { name: a.vendor.name, id: a.vendor.id } : null,
      number: a.number,
      type: a.fixedLength === undefined ? a.type : `${a.type}[${a.fixedLength}]`,
      values: [...a.values].map(([name, value]) => ({ name, value })),
      supported: a.unsupported === undefined,
      ...(a.unsupported !== undefined ? { unsupported: a.unsupported } : {}),
    }))
    .sort((x, y) => (x.vendor?.id ?? 0) - (y.vendor?.id ?? 0) || x.number - y.number || x.name.localeCompare(y.name));
}

/**
 * Where an API error is shown, pure: beside the field it names (without the `field: ` prefix the
 * API puts before its message), or above the form when it names none of the form's fields.
 */
export interface FieldFailure {
  message: string;
  field?: string | undefined;
}

/** The message as shown beside its field. */
export function problemText(failure: FieldFailure): string {
  return failure.field && failure.message.startsWith(`${failure.field}: `)
    ? failure.message.slice(failure.field.length + 2)
    : failure.message;
}

/** The failure to show beside `field`, if it names that field. */
export function failureFor<F extends FieldFailure>(failure: F | null | undefined, field: string): F | null {
  return failure && failure.field === field ? failure : null;
}

/** The failure to show above a form: one that names none of the form's own fields. */
export function formLevel<F extends FieldFailure>(failure: F | null, fields: readonly string[]): F | null {
  return failure && !(failure.field && fields.includes(failure.field)) ? failure : null;
}

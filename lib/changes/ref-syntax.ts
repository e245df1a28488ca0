// How a reference to a change reads, without the database (forms and zod schemas use it too):
// digits are always the change's own id; anything else is an external id.
export const MAX_CHANGE_REF_LENGTH = 200;
const ID = /^\d{1,9}$/;

/** A numeric external id would shadow a change id: refused wherever one is given (zod refine). */
export function isNumericRef(ref: string): boolean {
  return /^\d+$/.test(ref.trim());
}

export type ChangeRef = { id: number } | { externalId: string };

/** What a reference names, or null when it cannot name a change (empty, too long, a number out of range). */
export function parseChangeRef(ref: string | number): ChangeRef | null {
  const text = String(ref).trim();
  if (!text || text.length > MAX_CHANGE_REF_LENGTH) return null;
  if (ID.test(text)) return { id: Number(text) };
  if (isNumericRef(text)) return null;
  return { externalId: text };
}

/** `Class.member` for messages, from a decorator's target (a prototype, or a class for statics). */
export function memberLabel(target: object, key: string | symbol): string {
  const owner = typeof target === 'function' ? target.name : (target.constructor as { name?: string } | undefined)?.name;
  return `${owner || 'anonymous'}.${String(key)}`;
}

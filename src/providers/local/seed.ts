/** A stable seed for a prompt when the client gave none, so the same request gives the same result. */
export function seedFor(prompt: string): number {
  let h = 2166136261;
  for (let i = 0; i < prompt.length; i++) h = Math.imul(h ^ prompt.charCodeAt(i), 16777619);
  return (h >>> 0) % 2147483648;
}

/** "1 response", "2,345 responses": a count with the noun that agrees with it. */
export function plural(n: number, one: string, many: string) {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

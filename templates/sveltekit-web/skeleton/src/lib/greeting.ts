/** Greeting for the home page: "Welcome to <name>!", or "Welcome!" without a name. */
export function greeting(name?: string): string {
  const trimmed = name?.trim();
  return trimmed ? `Welcome to ${trimmed}!` : 'Welcome!';
}
